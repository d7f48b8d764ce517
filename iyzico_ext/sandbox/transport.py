"""httpx transports that call the emulator in-process, sync and async, with no socket.

`httpx.ASGITransport` is async only; the sync transport runs it on a private event-loop thread. Both turn
the emulator's simulated connection drop into the error a real socket gives (`httpx.RemoteProtocolError`).
The sync one ends each request by the call's deadline itself (`enforces_call_deadline`), so the client's
retrying transport needs no worker thread to bound it.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import threading

import httpx
from starlette.types import ASGIApp

from .._deadline import SECONDS_LEFT_EXTENSION, deadline_passed
from ._api import SimulatedConnectionDrop

__all__ = ["InProcessAsyncTransport", "InProcessTransport"]

_DROP_MESSAGE = "peer closed connection without sending complete message body (sandbox fault)"


class InProcessAsyncTransport(httpx.AsyncBaseTransport):
    def __init__(self, app: ASGIApp) -> None:
        self._asgi = httpx.ASGITransport(app=app)

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        try:
            return await self._asgi.handle_async_request(request)
        except SimulatedConnectionDrop as drop:
            raise httpx.RemoteProtocolError(_DROP_MESSAGE, request=request) from drop


class InProcessTransport(httpx.BaseTransport):
    """Sync transport: each request runs on the transport's own event loop thread."""

    enforces_call_deadline = True

    def __init__(self, app: ASGIApp) -> None:
        self._async = InProcessAsyncTransport(app)
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, name="iyzico-sandbox-loop", daemon=True)
        self._thread.start()

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        content = request.read()
        inner = httpx.Request(request.method, request.url, headers=request.headers, content=content)
        future = asyncio.run_coroutine_threadsafe(self._exchange(inner), self._loop)
        try:
            status, headers, body = future.result(request.extensions.get(SECONDS_LEFT_EXTENSION))
        except concurrent.futures.TimeoutError:
            future.cancel()
            raise deadline_passed(request) from None
        except httpx.TransportError as error:
            raise type(error)(str(error), request=request) from error
        # A stream (not `content=`) so that httpx finishes the response as for a network one (sets `.elapsed`).
        return httpx.Response(status, headers=headers, stream=httpx.ByteStream(body), request=request)

    async def _exchange(self, request: httpx.Request) -> tuple[int, httpx.Headers, bytes]:
        response = await self._async.handle_async_request(request)
        body = await response.aread()
        return response.status_code, response.headers, body

    def close(self) -> None:
        if self._loop.is_closed():
            return
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join()
        self._loop.close()
