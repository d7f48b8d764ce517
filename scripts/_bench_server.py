"""The benchmark's loopback server: one fixed HTTP/1.1 keep-alive response, over HTTP and TLS.

It runs in its own process, so its CPU never counts as client CPU:

    python scripts/_bench_server.py --body BODY.json --cert server.pem --key server.key

prints `READY <http port> <tls port> <slow http port>` on stdout once the sockets listen on 127.0.0.1
and answers every request (any method and path) with the body until stdin closes or it is terminated.
The slow port answers each request `--delay-ms` later (default 100 ms), standing in for the time iyzico
and the bank take: on bare loopback every client is CPU-bound, so only with server latency can
concurrency show what it buys. It is an asyncio protocol over h11, not a framework, so the server side
stays cheap and its work per request is constant; a request with `Connection: close` gets its response and
then the close.

`FixedResponseServer` starts and stops this process for the benchmark and the smoke test.
"""

from __future__ import annotations

import argparse
import asyncio
import ssl
import subprocess
import sys
import typing
from pathlib import Path

import h11

__all__ = ["SLOW_PORT_DELAY_MS", "FixedResponseServer"]

_READY = "READY"
_STOP_SECONDS = 5.0
SLOW_PORT_DELAY_MS = 100.0


class _FixedResponseProtocol(asyncio.Protocol):
    """Reads pipelined HTTP/1.1 requests with h11 and answers each with the same body (after `delay_seconds`)."""

    def __init__(self, body: bytes, delay_seconds: float = 0.0) -> None:
        self._body = body
        self._headers = [
            (b"content-type", b"application/json;charset=UTF-8"),
            (b"content-length", str(len(body)).encode("ascii")),
        ]
        self._delay_seconds = delay_seconds
        self._connection = h11.Connection(h11.SERVER)
        self._transport: asyncio.Transport | None = None
        self._answering = False

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self._transport = typing.cast(asyncio.Transport, transport)

    def data_received(self, data: bytes) -> None:
        self._connection.receive_data(data)
        self._next()

    def eof_received(self) -> bool | None:
        self._connection.receive_data(b"")
        return None

    def _next(self) -> None:
        """Answer the next complete request, unless one is being answered (h11 pauses the rest until then)."""
        while not self._answering:
            event = self._connection.next_event()
            if event is h11.NEED_DATA or event is h11.PAUSED:
                return
            if isinstance(event, h11.ConnectionClosed):
                self._close()
                return
            if isinstance(event, h11.EndOfMessage):
                self._answering = True
                if self._delay_seconds:
                    asyncio.get_running_loop().call_later(self._delay_seconds, self._answer)
                else:
                    self._answer()

    def _answer(self) -> None:
        if self._transport is None:
            return
        connection = self._connection
        self._transport.write(
            (connection.send(h11.Response(status_code=200, headers=self._headers)) or b"")
            + (connection.send(h11.Data(data=self._body)) or b"")
            + (connection.send(h11.EndOfMessage()) or b"")
        )
        if connection.our_state is h11.MUST_CLOSE:  # the request said `Connection: close`
            self._close()
            return
        connection.start_next_cycle()
        self._answering = False
        self._next()

    def _close(self) -> None:
        if self._transport is not None:
            self._transport.close()
            self._transport = None

    def connection_lost(self, exc: Exception | None) -> None:
        self._transport = None


async def _serve(body: bytes, tls: ssl.SSLContext, delay_seconds: float) -> None:
    loop = asyncio.get_running_loop()
    plain = await loop.create_server(lambda: _FixedResponseProtocol(body), "127.0.0.1", 0, backlog=1024)
    secure = await loop.create_server(lambda: _FixedResponseProtocol(body), "127.0.0.1", 0, ssl=tls, backlog=1024)
    slow = await loop.create_server(lambda: _FixedResponseProtocol(body, delay_seconds), "127.0.0.1", 0, backlog=1024)
    ports = [server.sockets[0].getsockname()[1] for server in (plain, secure, slow)]
    print(_READY, *ports, flush=True)
    # Run until the parent closes our stdin (or dies), so no orphan outlives the benchmark.
    await loop.run_in_executor(None, sys.stdin.read)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--body", type=Path, required=True, help="file with the response body")
    parser.add_argument("--cert", type=Path, required=True, help="server certificate (PEM)")
    parser.add_argument("--key", type=Path, required=True, help="server private key (PEM)")
    parser.add_argument("--delay-ms", type=float, default=SLOW_PORT_DELAY_MS, help="latency of the slow port")
    arguments = parser.parse_args()
    tls = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    tls.load_cert_chain(str(arguments.cert), str(arguments.key))
    asyncio.run(_serve(arguments.body.read_bytes(), tls, arguments.delay_ms / 1000))


class FixedResponseServer:
    """The server process, started on entry and stopped (stdin closed, then terminated) on exit."""

    def __init__(self, body_file: Path, cert: Path, key: Path) -> None:
        self._command = [sys.executable, __file__, "--body", str(body_file), "--cert", str(cert), "--key", str(key)]
        self._command += ["--delay-ms", str(SLOW_PORT_DELAY_MS)]
        self._process: subprocess.Popen[str] | None = None
        self.http_port = 0
        self.tls_port = 0
        self.slow_http_port = 0

    def __enter__(self) -> FixedResponseServer:
        self._process = subprocess.Popen(
            self._command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, close_fds=True
        )
        assert self._process.stdout is not None
        line = self._process.stdout.readline().split()
        if len(line) != 4 or line[0] != _READY:
            self.__exit__()
            raise RuntimeError(f"the benchmark server did not start (said {line!r})")
        self.http_port, self.tls_port, self.slow_http_port = (int(port) for port in line[1:])
        return self

    @property
    def http_url(self) -> str:
        return f"http://127.0.0.1:{self.http_port}"

    @property
    def slow_http_url(self) -> str:
        return f"http://127.0.0.1:{self.slow_http_port}"

    @property
    def tls_url(self) -> str:
        return f"https://127.0.0.1:{self.tls_port}"

    def __exit__(self, *exc_info: object) -> None:
        process, self._process = self._process, None
        if process is None:
            return
        assert process.stdin is not None
        process.stdin.close()
        try:
            process.wait(_STOP_SECONDS)
        except subprocess.TimeoutExpired:
            process.terminate()
            process.wait(_STOP_SECONDS)
        if process.stdout is not None:
            process.stdout.close()


if __name__ == "__main__":
    main()
