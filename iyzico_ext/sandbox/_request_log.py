"""`--log-requests`: one line per request to the emulator, with nothing in it that could be a secret.

A line holds the method, the path (never the query string), the status, the duration and an injected
fault, if any. Bodies and headers are never logged: bodies carry card numbers, CVCs and identity numbers,
the Authorization header a signature. Control characters in the path are escaped so that a request
cannot forge a log line.
"""

from __future__ import annotations

import logging
import time

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from ._faults import FAULT_HEADER

__all__ = ["LOGGER_NAME", "RequestLog", "printable"]

LOGGER_NAME = "iyzico_ext.sandbox.requests"
_logger = logging.getLogger(LOGGER_NAME)


def printable(value: str) -> str:
    """`value` with every non-printable character written as an escape (`\\n` -> `\\x0a`)."""
    return "".join(char if char.isprintable() else f"\\x{ord(char):02x}" for char in value)


class RequestLog:
    """ASGI middleware that logs each HTTP request at INFO once its response has started."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        status: list[int] = []

        async def remember_status(message: Message) -> None:
            if message["type"] == "http.response.start":
                status.append(message["status"])
            await send(message)

        try:
            await self.app(scope, receive, remember_status)
        finally:
            fault = dict(scope.get("headers") or ()).get(FAULT_HEADER.encode("latin-1"), b"").decode("latin-1")
            _logger.info(
                "%s %s -> %s in %.1f ms%s",
                scope["method"],
                printable(scope["path"]),
                status[0] if status else "no response",
                (time.perf_counter() - started) * 1000,
                f" (fault: {printable(fault)})" if fault else "",
            )
