"""httpx-aiohttp's transport with the exception contract the retry policy relies on.

aiohttp carries many calls in flight at a fraction of stock httpcore's CPU, but httpx-aiohttp maps any
`aiohttp.ClientConnectionError` to `httpx.ConnectTimeout`, and that includes a server that read the
request and then disconnected: a "never sent" error, which the retry policy would answer by charging
a card twice. Here each aiohttp error is mapped by when it can happen:

* `httpx.ConnectTimeout` / `httpx.ConnectError`: only while waiting for a pooled connection, connecting
  or shaking hands (TLS, proxy tunnel), so before any byte of the request was written;
* `httpx.ReadTimeout`, `httpx.ReadError`, `httpx.RemoteProtocolError`: anything later (the server may
  have acted on the request); `httpx.ProxyError`: the proxy refused the tunnel.

The sessions keep no cookies (`IyzicoClient` never sends a load balancer's cookie back) and never resend
a request on their own (aiohttp would resend a PUT or DELETE after a reused connection dropped). An
aiohttp session belongs to the event loop that made it, so there is one per event loop.
"""

from __future__ import annotations

import asyncio
import typing

import aiohttp
import httpx
import httpx_aiohttp

from ._network_settings import NetworkSettings

__all__ = ["AiohttpTransport"]

# Most specific first: aiohttp's exception classes nest (a connect timeout is a server timeout is a
# connection error).
_CONTRACT: tuple[tuple[type[BaseException], type[httpx.TransportError]], ...] = (
    (aiohttp.ConnectionTimeoutError, httpx.ConnectTimeout),
    (aiohttp.ClientConnectorError, httpx.ConnectError),  # DNS, refused, TLS, certificate, proxy unreachable
    (aiohttp.ServerFingerprintMismatch, httpx.ConnectError),
    (aiohttp.ClientHttpProxyError, httpx.ProxyError),
    (aiohttp.ServerTimeoutError, httpx.ReadTimeout),
    (aiohttp.ServerDisconnectedError, httpx.RemoteProtocolError),
    (aiohttp.ClientResponseError, httpx.RemoteProtocolError),  # a malformed response
    (aiohttp.InvalidURL, httpx.UnsupportedProtocol),
    (aiohttp.NonHttpUrlClientError, httpx.UnsupportedProtocol),
    (asyncio.TimeoutError, httpx.ReadTimeout),
    (aiohttp.ClientError, httpx.ReadError),  # payload, OS and other connection errors after sending began
)
_FAILURES = (aiohttp.ClientError, httpx.TransportError, asyncio.TimeoutError)


def _contract_error(error: BaseException, request: httpx.Request) -> httpx.TransportError:
    """The httpx error of the contract above for what aiohttp (directly, or via httpx-aiohttp) raised."""
    cause = error.__cause__ if isinstance(error, httpx.TransportError) and error.__cause__ else error
    for aiohttp_error, httpx_error in _CONTRACT:
        if isinstance(cause, aiohttp_error):
            return httpx_error(str(cause) or type(cause).__name__, request=request)
    if isinstance(error, httpx.TransportError):  # raised by httpx-aiohttp itself, not from aiohttp
        return error
    return httpx.ReadError(str(cause) or type(cause).__name__, request=request)


class _ContractStream(httpx.AsyncByteStream):
    """A response body whose read errors follow the contract too."""

    def __init__(self, stream: httpx.AsyncByteStream, request: httpx.Request) -> None:
        self._stream = stream
        self._request = request

    async def __aiter__(self) -> typing.AsyncIterator[bytes]:
        try:
            async for chunk in self._stream:
                yield chunk
        except _FAILURES as error:
            raise _contract_error(error, self._request) from error

    async def aclose(self) -> None:
        try:
            await self._stream.aclose()
        except _FAILURES as error:
            raise _contract_error(error, self._request) from error


class AiohttpTransport(httpx.AsyncBaseTransport):
    """httpx-aiohttp per event loop, with `limits` for the pool, one TLS context and an optional proxy."""

    def __init__(self, settings: NetworkSettings) -> None:
        self._settings = settings
        self._by_loop: dict[asyncio.AbstractEventLoop, httpx_aiohttp.AiohttpTransport] = {}

    def _session(self) -> aiohttp.ClientSession:
        limits = self._settings.limits
        connector = aiohttp.TCPConnector(
            limit=limits.max_connections or 0,  # 0: no limit, as None is for httpx
            keepalive_timeout=limits.keepalive_expiry,
            ssl=self._settings.ssl_context,
        )
        session = aiohttp.ClientSession(connector=connector, cookie_jar=aiohttp.DummyCookieJar(), trust_env=False)
        # aiohttp resends an idempotent method (PUT, DELETE) once when a reused connection drops, which
        # may repeat a write iyzico already made; it has no public switch for it (a test checks the effect).
        session._retry_connection = False
        return session

    def _for_running_loop(self) -> httpx_aiohttp.AiohttpTransport:
        loop = asyncio.get_running_loop()
        transport = self._by_loop.get(loop)
        if transport is None:
            for finished in [other for other in self._by_loop if other.is_closed()]:
                del self._by_loop[finished]  # its session died with its loop
            transport = httpx_aiohttp.AiohttpTransport(
                verify=self._settings.ssl_context, proxy=self._settings.proxy, trust_env=False, client=self._session
            )
            self._by_loop[loop] = transport
        return transport

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        try:
            response = await self._for_running_loop().handle_async_request(request)
        except _FAILURES as error:
            raise _contract_error(error, request) from error
        response.stream = _ContractStream(typing.cast(httpx.AsyncByteStream, response.stream), request)
        return response

    async def aclose(self) -> None:
        """Close the session of the running event loop (and forget those whose loop is gone)."""
        transport = self._by_loop.pop(asyncio.get_running_loop(), None)
        for finished in [other for other in self._by_loop if other.is_closed()]:
            del self._by_loop[finished]
        if transport is not None:
            await transport.aclose()
