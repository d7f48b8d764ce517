"""`python -m iyzico_ext.sandbox` / `iyzico-sandbox`: serve the emulator with uvicorn."""

from __future__ import annotations

import argparse
import asyncio
import sys
from collections.abc import Sequence

import uvicorn

from ._app import create_app
from ._server import quiet_simulated_drops
from ._state import DEFAULT_API_KEY, DEFAULT_SECRET_KEY

__all__ = ["main"]


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="iyzico-sandbox", description="A local emulator of iyzico's sandbox API (signed, stateful)."
    )
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
    return parser


async def _serve(server: uvicorn.Server, announce: str) -> None:
    """Run uvicorn and print the URL once it accepts connections (so `--port 0` is usable)."""
    serving = asyncio.create_task(server.serve())
    while not server.started and not serving.done():
        await asyncio.sleep(0.02)
    if server.started:
        host, port = server.servers[0].sockets[0].getsockname()[:2]
        print(f"{announce}\niyzico sandbox listening on http://{host}:{port}", flush=True)  # noqa: T201
    await serving


def main(argv: Sequence[str] | None = None) -> None:
    options = _parser().parse_args(argv)
    if len(options.api_key) != len(options.secret_key):
        _parser().error("--api-key and --secret-key must be given in pairs")
    credentials = dict(zip(options.api_key, options.secret_key, strict=True)) or {DEFAULT_API_KEY: DEFAULT_SECRET_KEY}
    app = create_app(credentials, db_path=options.db, webhook_url=options.webhook_url)
    quiet_simulated_drops()
    server = uvicorn.Server(uvicorn.Config(app, host=options.host, port=options.port, log_level="warning"))
    keys = ", ".join(f"{api_key} / {secret}" for api_key, secret in credentials.items())
    announce = (
        f"credentials (api key / secret key): {keys}\n"
        f"state: {options.db or 'in memory (use --db PATH to keep it)'}\n"
        f"webhooks: {options.webhook_url or 'off (use --webhook-url URL)'}"
    )
    try:
        asyncio.run(_serve(server, announce))
    except KeyboardInterrupt:  # uvicorn shuts down gracefully, then re-raises the Ctrl-C it captured
        return
    if not server.started:
        sys.exit(1)


if __name__ == "__main__":
    main()
