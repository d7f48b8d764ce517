"""`AsyncHttp11Transport`: the asyncio twin of `Http11Transport` (`_http11_sync` explains the why).

Each connection is an `asyncio.Protocol` made by `loop.create_connection` (TCP_NODELAY is asyncio's
default; TLS via `ssl=`, `server_hostname=`): `data_received` feeds the same sans-IO `ResponseReader`
and settles a future when the response is complete, so one call costs one future and no stream
objects. Pool bookkeeping, timeouts, the exception contract and the response are shared with the
sync transport (`_http11_shared`); only the waiting is asyncio's here.

Timeouts, per phase: connect (TCP + TLS handshake) under `asyncio.timeout`; write: the request is
handed to the transport at once, and only if the kernel did not take it all do we wait (with the
write timeout) for the buffer to drain; read: like httpx's, the longest silence allowed between two
arrivals, not a total, kept by one timer that is re-armed lazily rather than on every chunk.

A transport belongs to the event loop it first runs on (its connections do). Used from a new loop
after that one closed, it starts afresh (the old loop's connections cannot be closed any more: close
the transport with `aclose()` before its loop ends); used from two live loops, it refuses.
"""

from __future__ import annotations

import asyncio
import math
import time
import typing

import httpx

from . import _http11_shared as shared
from ._constants import DEFAULT_LIMITS
from ._http11 import ResponseReader, encode_request

if typing.TYPE_CHECKING:
    import ssl

__all__ = ["AsyncHttp11Transport"]


class _Connection(asyncio.Protocol):
    """One HTTP/1.1 connection: runs one exchange at a time, notes anything that arrives while idle."""

    def __init__(self, loop: asyncio.AbstractEventLoop) -> None:
        self._loop = loop
        self._transport: asyncio.Transport | None = None
        self._fileno = -1
        self.stale = False  # data, EOF or loss while idle: never reuse
        self._reader: ResponseReader | None = None
        self._done: asyncio.Future[None] | None = None  # the response: complete, or the failure
        self._drained: asyncio.Future[None] | None = None  # the request left our buffer
        self._write_paused = False
        self._read_timeout: float | None = None
        self._stop_at: float | None = None  # loop time by which the whole response must be in
        self._last_arrival = 0.0
        self._read_timer: asyncio.TimerHandle | None = None

    # asyncio.Protocol

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self._transport = typing.cast(asyncio.Transport, transport)
        self._transport.set_write_buffer_limits(high=0)  # pause_writing whenever the kernel falls behind
        self._fileno = transport.get_extra_info("socket").fileno()

    def data_received(self, data: bytes) -> None:
        reader = self._reader
        if reader is None:
            self.stale = True
            return
        if self._read_timer is not None:
            self._last_arrival = self._loop.time()
        try:
            complete = reader.feed(data)
        except httpx.RemoteProtocolError as error:
            self._settle(error)
            return
        if complete:
            self._settle(None)

    def eof_received(self) -> bool:
        self._end_of_input()
        return False  # let the transport close

    def connection_lost(self, exc: Exception | None) -> None:
        self.stale = True
        if self._drained is not None and not self._drained.done():
            self._drained.set_exception(exc or ConnectionResetError("connection closed while sending"))
        if exc is None:
            self._end_of_input()
        else:
            self._settle(exc)

    def pause_writing(self) -> None:
        self._write_paused = True

    def resume_writing(self) -> None:
        self._write_paused = False
        if self._drained is not None and not self._drained.done():
            self._drained.set_result(None)

    # the pool's view

    def is_quiet(self) -> bool:
        """Nothing arrived while idle: neither seen by the protocol nor waiting unread in the socket."""
        return not self.stale and not shared.has_pending_input(self._fileno)

    def close(self) -> None:
        if self._transport is not None:
            self._transport.abort()  # at once: nothing of ours is in flight, no TLS goodbye to wait for

    async def exchange(
        self, data: bytes, request: httpx.Request, timeouts: shared.PhaseTimeouts, stop_at: float | None
    ) -> ResponseReader:
        reader = self._reader = ResponseReader(request.method)
        self._done = self._loop.create_future()
        try:
            await self._send(data, request, timeouts.write)
            await self._receive(request, timeouts.read, stop_at)
        finally:
            self._reader = self._done = None
            if self._read_timer is not None:
                self._read_timer.cancel()
                self._read_timer = None
        return reader

    # the exchange

    async def _send(self, data: bytes, request: httpx.Request, timeout: float | None) -> None:
        transport = self._transport
        assert transport is not None
        transport.write(data)
        if transport.is_closing():  # the send failed at once; asyncio reports why only later
            error = ConnectionResetError("the connection failed while sending")
            raise shared.transport_error("write", error, request)
        if not self._write_paused:
            return
        self._drained = self._loop.create_future()
        try:
            async with asyncio.timeout(timeout):
                await self._drained
        except OSError as error:
            raise shared.transport_error("write", error, request) from error
        finally:
            self._drained = None

    async def _receive(self, request: httpx.Request, timeout: float | None, stop_at: float | None) -> None:
        done = self._done
        assert done is not None
        if (timeout is not None or stop_at is not None) and not done.done():
            self._read_timeout, self._stop_at = timeout, stop_at
            self._last_arrival = self._loop.time()
            self._read_timer = self._loop.call_at(self._quiet_until(), self._check_silence)
        try:
            await done
        except OSError as error:
            raise shared.transport_error("read", error, request) from error
        except httpx.RemoteProtocolError as error:
            error.request = request
            raise

    def _quiet_until(self) -> float:
        """When waiting must end: the read timeout after the last arrival, or the call's deadline."""
        silence_ends = math.inf if self._read_timeout is None else self._last_arrival + self._read_timeout
        return min(silence_ends, math.inf if self._stop_at is None else self._stop_at)

    def _check_silence(self) -> None:
        quiet_until = self._quiet_until()
        if self._loop.time() < quiet_until:
            self._read_timer = self._loop.call_at(quiet_until, self._check_silence)
            return
        self._read_timer = None
        if self._stop_at is not None and quiet_until >= self._stop_at:
            self._settle(TimeoutError("the call's deadline passed while receiving the response"))
        else:
            self._settle(TimeoutError(f"nothing received for {self._read_timeout} s"))

    def _end_of_input(self) -> None:
        self.stale = True
        reader = self._reader
        if reader is None or reader.complete:
            return
        try:
            reader.feed_eof()
        except httpx.RemoteProtocolError as error:
            self._settle(error)
            return
        self._settle(None)

    def _settle(self, error: BaseException | None) -> None:
        done = self._done
        if done is None or done.done():
            return
        if error is None:
            done.set_result(None)
        else:
            done.set_exception(error)


class AsyncHttp11Transport(httpx.AsyncBaseTransport):
    """A pool of HTTP/1.1 keep-alive connections for one event loop; see `Http11Transport` for the options."""

    def __init__(self, *, ssl_context: ssl.SSLContext | None = None, limits: httpx.Limits = DEFAULT_LIMITS) -> None:
        self._ssl_context = ssl_context or httpx.create_ssl_context()
        self._limits = limits
        self._loop: asyncio.AbstractEventLoop | None = None
        self._book: shared.PoolBook[_Connection, asyncio.Event] = shared.PoolBook(limits, time.monotonic)

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        origin = shared.origin_of(request)
        timeouts = shared.timeouts_of(request)
        left = timeouts.seconds_left
        stop_at = None if left is None else asyncio.get_running_loop().time() + left
        data = encode_request(request, await request.aread())
        connection = await self._checkout(request, origin, timeouts)
        try:
            reader = await connection.exchange(data, request, timeouts, stop_at)
        except BaseException:
            self._discard(connection)
            raise
        self._book.checkin(origin, connection, reusable=reader.reusable)
        self._wake_next()
        return shared.response_from(reader)

    async def aclose(self) -> None:
        """Close idle connections now; connections in use close when their call ends."""
        self._book.close()
        for waiter in self._book.waiters():
            waiter.set()

    def _bind(self) -> asyncio.AbstractEventLoop:
        loop = asyncio.get_running_loop()
        if self._loop is loop:
            return loop
        if self._loop is not None and not self._loop.is_closed():
            raise RuntimeError("AsyncHttp11Transport used from a second event loop; use one transport per loop")
        closed = self._book.closed
        self._loop, self._book = loop, shared.PoolBook(self._limits, time.monotonic)
        if closed:
            self._book.close()
        return loop

    async def _checkout(
        self, request: httpx.Request, origin: shared.Origin, timeouts: shared.PhaseTimeouts
    ) -> _Connection:
        """A quiet idle connection, or a new one; `httpx.PoolTimeout` when none frees up in time."""
        loop = self._bind()
        deadline = None if timeouts.pool is None else loop.time() + timeouts.pool
        while True:
            granted, idle = self._book.checkout(origin)
            if not granted:
                idle = await self._wait_for_room(request, origin, deadline)
            if idle is None:
                return await self._connect_in_slot(request, origin, timeouts.connect)
            if idle.is_quiet():
                return idle
            self._discard(idle)

    async def _wait_for_room(
        self, request: httpx.Request, origin: shared.Origin, deadline: float | None
    ) -> _Connection | None:
        """Queue up until it is this caller's turn and room frees up: the idle connection, or None
        for a reserved slot to open one in."""
        turn = asyncio.Event()  # set when this caller is first in line and something was freed
        self._book.queue(turn)
        try:
            async with asyncio.timeout_at(deadline):
                while True:
                    await turn.wait()
                    turn.clear()
                    granted, idle = self._book.checkout(origin, turn)
                    if granted:
                        return idle
        except BaseException as error:
            self._book.leave(turn)
            if isinstance(error, TimeoutError):
                raise httpx.PoolTimeout("no pooled connection became free in time", request=request) from error
            raise
        finally:
            self._wake_next()  # the next in line may already be able to go (several freed at once)

    def _wake_next(self) -> None:
        waiter = self._book.next_waiter
        if waiter is not None:
            waiter.set()

    def _discard(self, connection: _Connection | None) -> None:
        self._book.discard(connection)
        self._wake_next()

    async def _connect_in_slot(
        self, request: httpx.Request, origin: shared.Origin, timeout: float | None
    ) -> _Connection:
        try:
            return await self._connect(request, origin, timeout)
        except BaseException:
            self._discard(None)
            raise

    async def _connect(self, request: httpx.Request, origin: shared.Origin, timeout: float | None) -> _Connection:
        """TCP (+ TLS handshake) within the connect timeout; nothing of the request is written yet."""
        scheme, host, port = origin
        loop = asyncio.get_running_loop()
        tls = self._ssl_context if scheme == "https" else None
        try:
            async with asyncio.timeout(timeout):
                _, connection = await loop.create_connection(
                    lambda: _Connection(loop), host, port, ssl=tls, server_hostname=host if tls else None
                )
        except OSError as error:
            raise shared.transport_error("connect", error, request) from error
        return connection
