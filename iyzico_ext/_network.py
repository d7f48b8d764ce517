"""The client's default network transports, built from well-kept libraries.

* sync: httpx's own `HTTPTransport` (httpcore), whose sockets never wait past the call's deadline;
* async: httpx-aiohttp's transport (`_aiohttp`) when it is installed and the code runs on asyncio (stock
  httpcore's async pool collapses with a few dozen calls in flight, encode/httpx#3215), else httpx's own
  `AsyncHTTPTransport` (trio, or without httpx-aiohttp).

Each takes a TLS context, pool `limits` and a proxy (`_network_settings`). The proxy is configured here,
on the transport under the retrying one, so proxied calls are signed, verified and retried like any
other (httpx's own `proxy=` on a client would mount a transport that routes around ours).
"""

from __future__ import annotations

import functools
import ssl
import typing

import httpcore
import httpx

from ._deadline import capped_timeout, deadline_of, start_call
from ._network_settings import NetworkSettings

__all__ = ["AsyncNetworkTransport", "NetworkTransport"]


class _DeadlineStream(httpcore.NetworkStream):
    """An httpcore network stream whose reads and writes wait no longer than the call has left."""

    def __init__(self, stream: httpcore.NetworkStream) -> None:
        self._stream = stream

    def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        return self._stream.read(max_bytes, capped_timeout(timeout, httpcore.ReadTimeout))

    def write(self, buffer: bytes, timeout: float | None = None) -> None:
        self._stream.write(buffer, capped_timeout(timeout, httpcore.WriteTimeout))

    def close(self) -> None:
        self._stream.close()

    def start_tls(
        self, ssl_context: ssl.SSLContext, server_hostname: str | None = None, timeout: float | None = None
    ) -> httpcore.NetworkStream:
        secured = self._stream.start_tls(ssl_context, server_hostname, capped_timeout(timeout, httpcore.ConnectTimeout))
        return _DeadlineStream(secured)

    def get_extra_info(self, info: str) -> typing.Any:
        return self._stream.get_extra_info(info)


class _DeadlineBackend(httpcore.NetworkBackend):
    """httpcore's sync network backend; every connection's socket operations bounded by `call_deadline`."""

    def __init__(self, inner: httpcore.NetworkBackend) -> None:
        self._inner = inner

    def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: typing.Iterable[httpcore.SOCKET_OPTION] | None = None,
    ) -> httpcore.NetworkStream:
        capped = capped_timeout(timeout, httpcore.ConnectTimeout)
        return _DeadlineStream(self._inner.connect_tcp(host, port, capped, local_address, socket_options))

    def connect_unix_socket(
        self,
        path: str,
        timeout: float | None = None,
        socket_options: typing.Iterable[httpcore.SOCKET_OPTION] | None = None,
    ) -> httpcore.NetworkStream:
        capped = capped_timeout(timeout, httpcore.ConnectTimeout)
        return _DeadlineStream(self._inner.connect_unix_socket(path, capped, socket_options))

    def sleep(self, seconds: float) -> None:
        self._inner.sleep(seconds)


class NetworkTransport(httpx.HTTPTransport):
    """httpx's `HTTPTransport` (httpcore: HTTP/1.1 keep-alive pool, proxies), ending every request by
    the call's deadline (`SECONDS_LEFT_EXTENSION`) however slowly the response trickles in."""

    enforces_call_deadline = True

    def __init__(self, settings: NetworkSettings) -> None:
        super().__init__(verify=settings.ssl_context, limits=settings.limits, proxy=settings.proxy, trust_env=False)
        # httpx builds its httpcore pool privately and passes no backend; every connection the pool opens
        # takes this one (httpx and httpcore are pinned to the versions where these names hold, and
        # tests/ext/test_transports.py fails if a trickled response outlasts the deadline).
        pool = self._pool
        pool._network_backend = _DeadlineBackend(pool._network_backend)

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        start_call(deadline_of(request))  # for the body's reads too, which come after this returns
        return super().handle_request(request)


class AsyncNetworkTransport(httpx.AsyncBaseTransport):
    """The async default: httpx-aiohttp on asyncio when installed, else httpx's `AsyncHTTPTransport`.

    Both are built on first use, in the event loop that uses them; the retrying transport cancels them
    at the call's deadline.
    """

    def __init__(self, settings: NetworkSettings) -> None:
        self._settings = settings
        self._aiohttp: httpx.AsyncBaseTransport | None = None
        self._httpcore: httpx.AsyncHTTPTransport | None = None

    def _chosen(self) -> httpx.AsyncBaseTransport:
        if self._aiohttp is not None:
            return self._aiohttp
        if self._httpcore is None and _on_asyncio() and _aiohttp_installed():
            from ._aiohttp import AiohttpTransport  # aiohttp takes long to import: only once it is used

            self._aiohttp = AiohttpTransport(self._settings)
            return self._aiohttp
        if self._httpcore is None:
            settings = self._settings
            self._httpcore = httpx.AsyncHTTPTransport(
                verify=settings.ssl_context, limits=settings.limits, proxy=settings.proxy, trust_env=False
            )
        return self._httpcore

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        return await self._chosen().handle_async_request(request)

    async def aclose(self) -> None:
        for transport in (self._aiohttp, self._httpcore):
            if transport is not None:
                await transport.aclose()


def _on_asyncio() -> bool:
    import asyncio

    try:
        asyncio.get_running_loop()
    except RuntimeError:  # another event loop (trio): aiohttp cannot run there
        return False
    return True


@functools.cache
def _aiohttp_installed() -> bool:
    import importlib.util

    return importlib.util.find_spec("httpx_aiohttp") is not None
