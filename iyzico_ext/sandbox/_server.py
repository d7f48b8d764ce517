"""Serving the emulator with uvicorn on a real loopback socket, in a background thread or in the foreground."""

from __future__ import annotations

import logging
import threading
import time
import types
import typing

import uvicorn
from starlette.types import ASGIApp

from ._api import SimulatedConnectionDrop

if typing.TYPE_CHECKING:
    from ._tls import LocalTLS

__all__ = ["ServerThread", "quiet_simulated_drops"]

_START_TIMEOUT_SECONDS = 10.0


class _IgnoreSimulatedDrops(logging.Filter):
    """uvicorn logs every exception that ends a response; a drop the emulator was asked for is not news."""

    def filter(self, record: logging.LogRecord) -> bool:
        return not (record.exc_info and isinstance(record.exc_info[1], SimulatedConnectionDrop))


def quiet_simulated_drops() -> None:
    logger = logging.getLogger("uvicorn.error")
    if not any(isinstance(existing, _IgnoreSimulatedDrops) for existing in logger.filters):
        logger.addFilter(_IgnoreSimulatedDrops())


class ServerThread:
    """`with ServerThread(app) as url:` - uvicorn on 127.0.0.1 (a free port unless given) until the block ends.

    With `tls` (see `_tls.local_tls`) it serves HTTPS and the URL starts with `https://`.
    """

    def __init__(self, app: ASGIApp, host: str = "127.0.0.1", port: int = 0, *, tls: LocalTLS | None = None) -> None:
        quiet_simulated_drops()
        config = uvicorn.Config(
            app,
            host=host,
            port=port,
            log_level="warning",
            lifespan="on",
            ssl_certfile=None if tls is None else tls.cert_file,
            ssl_keyfile=None if tls is None else tls.key_file,
        )
        self._scheme = "http" if tls is None else "https"
        self._server = uvicorn.Server(config)
        self._thread = threading.Thread(target=self._server.run, name="iyzico-sandbox-server", daemon=True)
        self.url = ""

    def __enter__(self) -> str:
        self._thread.start()
        deadline = time.monotonic() + _START_TIMEOUT_SECONDS
        while not self._server.started:
            if not self._thread.is_alive() or time.monotonic() > deadline:
                raise RuntimeError("the sandbox server did not start")
            time.sleep(0.01)
        host, port = self._server.servers[0].sockets[0].getsockname()[:2]
        self.url = f"{self._scheme}://{host}:{port}"
        return self.url

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: types.TracebackType | None
    ) -> None:
        self._server.should_exit = True
        self._thread.join()
