"""`python -m iyzico_ext.sandbox` / `iyzico-sandbox`: serve the emulator with uvicorn.

`iyzico-sandbox readiness --url URL` is the other command: the go-live readiness report of a running
emulator (`_readiness_cli`).

The listening socket is bound here, before uvicorn starts, so that a port in use or an address that cannot
be bound is one clear line on stderr instead of a traceback; uvicorn then serves on that socket.
"""

from __future__ import annotations

import argparse
import asyncio
import errno
import importlib.metadata
import logging
import socket
import sys
import typing
from collections.abc import Sequence
from pathlib import Path

import uvicorn
from starlette.types import ASGIApp

from ._app import create_app
from ._guard import is_loopback
from ._request_log import LOGGER_NAME, RequestLog
from ._server import quiet_simulated_drops
from ._state import DEFAULT_API_KEY, DEFAULT_SECRET_KEY
from ._tls import default_tls_dir, local_tls, trust_instructions
from ._webhooks import merchant_number

__all__ = ["main"]

_PROG = "iyzico-sandbox"
_DISTRIBUTION = "iyzico-typed"


def _version() -> str:
    try:
        return importlib.metadata.version(_DISTRIBUTION)
    except importlib.metadata.PackageNotFoundError:
        return "unknown (not installed as a distribution)"


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog=_PROG,
        description="A local emulator of iyzico's sandbox API (signed, stateful).",
        epilog="iyzico-sandbox readiness --url URL prints the go-live readiness report of a running emulator "
        "(iyzico-sandbox readiness --help).",
    )
    parser.add_argument("--version", action="version", version=f"{_PROG} {_version()}")
    parser.add_argument("--host", default="127.0.0.1", help="interface to listen on (default: %(default)s)")
    parser.add_argument("--port", type=int, default=8099, help="port to listen on, 0 for any (default: %(default)s)")
    parser.add_argument(
        "--api-key", action="append", default=[], help="merchant API key (repeatable, pairs with --secret-key)"
    )
    parser.add_argument("--secret-key", action="append", default=[], help="merchant secret key (repeatable)")
    parser.add_argument(
        "--db", metavar="PATH", help="keep state in this SQLite file across restarts (default: in memory)"
    )
    parser.add_argument("--webhook-url", help="send X-IYZ-SIGNATURE-V3 signed notifications to this URL")
    parser.add_argument(
        "--tls", action="store_true", help="serve HTTPS with a certificate from a local CA (printed: how to trust it)"
    )
    parser.add_argument(
        "--tls-dir", metavar="DIR", type=Path, help="where the local CA is kept (default: ~/.cache/iyzico-sandbox/tls)"
    )
    parser.add_argument(
        "--allow-host",
        action="append",
        default=[],
        metavar="NAME",
        help="answer requests for this Host name too (repeatable; loopback names are always answered)",
    )
    parser.add_argument(
        "--log-requests", action="store_true", help="log one line per request (method, path, status; no bodies)"
    )
    return parser


def _fail(message: str) -> typing.NoReturn:
    print(f"{_PROG}: {message}", file=sys.stderr)  # noqa: T201
    sys.exit(1)


def _bind(host: str, port: int) -> socket.socket:
    """A bound socket for `host:port`; one clear line and exit status 1 when it cannot be had."""
    try:
        family, kind, proto, _, address = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)[0]
    except socket.gaierror as error:
        _fail(f"cannot resolve --host {host!r}: {error.strerror}")
    sock = socket.socket(family, kind, proto)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind(address)
    except OSError as error:
        sock.close()
        if error.errno == errno.EADDRINUSE:
            _fail(f"port {port} on {host} is already in use; stop the other server or pick another (--port N, 0 = any)")
        _fail(f"cannot listen on {host}:{port}: {error.strerror}")
    return sock


async def _serve(server: uvicorn.Server, sock: socket.socket, announce: str, scheme: str) -> None:
    """Run uvicorn on `sock` and print the URL once it accepts connections (so `--port 0` is usable)."""
    serving = asyncio.create_task(server.serve(sockets=[sock]))
    while not server.started and not serving.done():
        await asyncio.sleep(0.02)
    if server.started:
        print(f"{announce}\niyzico sandbox listening on {_url(scheme, sock)}", flush=True)  # noqa: T201
    await serving


def _url(scheme: str, sock: socket.socket) -> str:
    host, port = sock.getsockname()[:2]
    return f"{scheme}://{f'[{host}]' if ':' in host else host}:{port}"


def _warn_if_exposed(host: str) -> None:
    if not is_loopback(host):
        print(  # noqa: T201
            f"{_PROG}: WARNING: listening on {host}, not only on this machine: anyone who can reach it can use "
            "the emulator and its admin endpoints. Answering Host names: loopback and --allow-host only.",
            file=sys.stderr,
        )


def main(argv: Sequence[str] | None = None) -> None:
    arguments = list(sys.argv[1:] if argv is None else argv)
    if arguments[:1] == ["readiness"]:
        from ._readiness_cli import main as readiness  # only this command needs rich

        readiness(arguments[1:])
        return
    options = _parser().parse_args(arguments)
    if len(options.api_key) != len(options.secret_key):
        _parser().error("--api-key and --secret-key must be given in pairs")
    credentials = dict(zip(options.api_key, options.secret_key, strict=True)) or {DEFAULT_API_KEY: DEFAULT_SECRET_KEY}
    exposed_hosts = [] if is_loopback(options.host) or options.host in ("0.0.0.0", "::") else [options.host]  # noqa: S104
    allowed_hosts = [*exposed_hosts, *options.allow_host]
    app: ASGIApp = create_app(
        credentials, db_path=options.db, webhook_url=options.webhook_url, allowed_hosts=allowed_hosts
    )
    if options.log_requests:
        logging.basicConfig(format="%(asctime)s %(message)s", level=logging.WARNING, stream=sys.stderr)
        logging.getLogger(LOGGER_NAME).setLevel(logging.INFO)
        app = RequestLog(app)
    quiet_simulated_drops()
    _warn_if_exposed(options.host)
    sock = _bind(options.host, options.port)
    tls = None
    if options.tls:
        tls = local_tls(options.tls_dir or default_tls_dir(), allowed_hosts)
    scheme = "http" if tls is None else "https"
    config = uvicorn.Config(
        app,
        log_level="warning",
        ssl_certfile=None if tls is None else tls.cert_file,
        ssl_keyfile=None if tls is None else tls.key_file,
    )
    server = uvicorn.Server(config)
    # The merchant id too: it is part of the (unconfirmed) subscription webhook signature.
    keys = ", ".join(
        f"{api_key} / {secret} (merchant id {merchant_number(api_key)})" for api_key, secret in credentials.items()
    )
    announce = (
        f"credentials (api key / secret key): {keys}\n"
        f"state: {options.db or 'in memory (use --db PATH to keep it)'}\n"
        f"webhooks: {options.webhook_url or 'off (use --webhook-url URL)'}"
        f"{'' if tls is None else chr(10) + trust_instructions(tls, _url(scheme, sock))}"
    )
    try:
        asyncio.run(_serve(server, sock, announce, scheme))
    except KeyboardInterrupt:  # uvicorn shuts down gracefully, then re-raises the Ctrl-C it captured
        return
    finally:
        sock.close()
    if not server.started:
        sys.exit(1)


if __name__ == "__main__":
    main()
