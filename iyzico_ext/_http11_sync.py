"""`Http11Transport`: the client's default network transport, a lean HTTP/1.1 keep-alive client for
one kind of peer (iyzico's JSON API, or the local emulator), behind `httpx.BaseTransport`.

Why not httpx's own (httpcore + h11): per call it costs a few times more client CPU than the whole
signed and verified payment call around it, in layers we do not need (HTTP/2, proxies, streaming
bodies, generic event machinery). Here one call is: check out a pooled socket, `sendall` the encoded
request, `recv` into the sans-IO `ResponseReader` until complete, return an `httpx.Response` with
the whole body (httpx still decodes gzip/deflate on `read()`), put the socket back.

Safety first, since a payment must never be blindly resent:

* The exception contract of `_http11_shared` (Connect*/PoolTimeout only when nothing was written).
* An idle connection is checked before reuse; a readable one (server closed it, or sent junk) is
  discarded instead of risking "written, then EOF". Idle connections older than
  `limits.keepalive_expiry` are closed.
* Any error closes the connection; nothing is retried here (the retrying transport above decides).

Not supported: proxies (behind one, pass `transport=httpx.HTTPTransport(proxy=..., verify=True)`
to `IyzicoClient`), HTTP/2, `Expect: 100-continue`, upgrades, streaming request or response bodies
(both are held in memory; the reader caps the body), client certificates beyond what the
`ssl_context` you pass carries.
"""

from __future__ import annotations

import socket
import ssl
import threading
import time

import httpx

from . import _http11_shared as shared
from ._constants import DEFAULT_LIMITS
from ._http11 import ResponseReader, encode_request

__all__ = ["Http11Transport"]

_RECV_BYTES = 65536


def _remaining(deadline: float | None) -> float | None:
    return None if deadline is None else max(deadline - time.monotonic(), 0.0)


class _DeadlinePassed(TimeoutError):
    def __init__(self) -> None:
        super().__init__("the call's deadline passed while receiving the response")


def _read_timeout(read: float | None, stop_at: float | None) -> float | None:
    """The wait for the next bytes: the read timeout, cut to what is left of the call's deadline."""
    if stop_at is None:
        return read
    left = stop_at - time.monotonic()
    if left <= 0:
        raise _DeadlinePassed
    return left if read is None else min(read, left)


def _is_quiet(sock: socket.socket) -> bool:
    """No byte waiting, neither decrypted in the TLS layer nor on the socket."""
    if isinstance(sock, ssl.SSLSocket) and sock.pending():
        return False
    return not shared.has_pending_input(sock.fileno())


class Http11Transport(httpx.BaseTransport):
    """A thread-safe pool of HTTP/1.1 keep-alive connections (plain or TLS) per scheme, host and port.

    `ssl_context` defaults to `httpx.create_ssl_context()`: the trust store httpx itself uses with
    `verify=True`, built once here. `limits` are httpx's: `max_connections` in total (callers beyond it
    wait up to the `pool` timeout), `max_keepalive_connections` idle ones, `keepalive_expiry` seconds.
    """

    def __init__(self, *, ssl_context: ssl.SSLContext | None = None, limits: httpx.Limits = DEFAULT_LIMITS) -> None:
        self._ssl_context = ssl_context or httpx.create_ssl_context()
        self._book: shared.PoolBook[socket.socket, threading.Condition] = shared.PoolBook(limits, time.monotonic)
        self._lock = threading.Lock()

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        origin = shared.origin_of(request)
        timeouts = shared.timeouts_of(request)
        stop_at = None if timeouts.seconds_left is None else time.monotonic() + timeouts.seconds_left
        data = encode_request(request, request.read())
        sock = self._checkout(request, origin, timeouts)
        try:
            reader = self._exchange(sock, data, request, timeouts, stop_at)
        except BaseException:
            self._discard(sock)
            raise
        with self._lock:
            self._book.checkin(origin, sock, reusable=reader.reusable)
            self._wake_next()
        return shared.response_from(reader)

    def close(self) -> None:
        """Close idle connections now; connections in use close when their call ends."""
        with self._lock:
            self._book.close()
            for waiter in self._book.waiters():
                waiter.notify()

    def _checkout(self, request: httpx.Request, origin: shared.Origin, timeouts: shared.PhaseTimeouts) -> socket.socket:
        """A quiet idle connection, or a new one; `httpx.PoolTimeout` when none frees up in time."""
        deadline = None if timeouts.pool is None else time.monotonic() + timeouts.pool
        while True:
            with self._lock:
                granted, idle = self._book.checkout(origin)
                if not granted:
                    granted, idle = self._wait_for_room(request, origin, deadline)
            if idle is None:
                return self._connect_in_slot(request, origin, timeouts)
            if _is_quiet(idle):
                return idle
            self._discard(idle)

    def _wait_for_room(
        self, request: httpx.Request, origin: shared.Origin, deadline: float | None
    ) -> tuple[bool, socket.socket | None]:
        """Queue up (the lock held) until it is this caller's turn and room frees up."""
        turn = threading.Condition(self._lock)  # woken alone, when it is first in the queue
        self._book.queue(turn)
        try:
            while True:
                remaining = _remaining(deadline)
                if remaining == 0.0:
                    raise httpx.PoolTimeout("no pooled connection became free in time", request=request)
                turn.wait(remaining)
                granted, idle = self._book.checkout(origin, turn)
                if granted:
                    return granted, idle
        except BaseException:
            self._book.leave(turn)
            raise
        finally:
            self._wake_next()  # the next in line may already be able to go (several freed at once)

    def _wake_next(self) -> None:
        waiter = self._book.next_waiter
        if waiter is not None:
            waiter.notify()

    def _discard(self, sock: socket.socket | None) -> None:
        with self._lock:
            self._book.discard(sock)
            self._wake_next()

    def _connect_in_slot(
        self, request: httpx.Request, origin: shared.Origin, timeouts: shared.PhaseTimeouts
    ) -> socket.socket:
        try:
            return self._connect(request, origin, timeouts.connect)
        except BaseException:
            self._discard(None)
            raise

    def _connect(self, request: httpx.Request, origin: shared.Origin, timeout: float | None) -> socket.socket:
        """TCP (+ TLS handshake) within the connect timeout; nothing of the request is written yet."""
        scheme, host, port = origin
        deadline = None if timeout is None else time.monotonic() + timeout
        try:
            sock = socket.create_connection((host, port), timeout=timeout)
        except OSError as error:
            raise shared.transport_error("connect", error, request) from error
        try:
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            if scheme == "https":
                remaining = _remaining(deadline)
                if remaining == 0.0:
                    raise TimeoutError("the TCP connect used up the connect timeout before the TLS handshake")
                sock.settimeout(remaining)
                # On failure wrap_socket closes what it took over; the close below is then a no-op.
                return self._ssl_context.wrap_socket(sock, server_hostname=host)
        except OSError as error:
            sock.close()
            raise shared.transport_error("connect", error, request) from error
        return sock

    @staticmethod
    def _exchange(
        sock: socket.socket,
        data: bytes,
        request: httpx.Request,
        timeouts: shared.PhaseTimeouts,
        stop_at: float | None,
    ) -> ResponseReader:
        try:
            sock.settimeout(timeouts.write)
            sock.sendall(data)
        except OSError as error:
            raise shared.transport_error("write", error, request) from error
        reader = ResponseReader(request.method)
        try:
            sock.settimeout(_read_timeout(timeouts.read, stop_at))
            while True:
                chunk = sock.recv(_RECV_BYTES)
                if not chunk:
                    reader.feed_eof()
                    return reader
                if reader.feed(chunk):
                    return reader
                if stop_at is not None:  # a response trickling in may not outlast the call's deadline
                    sock.settimeout(_read_timeout(timeouts.read, stop_at))
        except OSError as error:
            if isinstance(error, TimeoutError) and stop_at is not None and time.monotonic() >= stop_at:
                error = _DeadlinePassed()
            raise shared.transport_error("read", error, request) from error
        except httpx.RemoteProtocolError as error:
            error.request = request
            raise
