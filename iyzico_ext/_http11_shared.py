"""What the sync and asyncio HTTP/1.1 transports share: the pool's bookkeeping, the per-phase timeouts,
the exception contract, the idle-connection check and the `httpx.Response` they return.

The exception contract is what makes resending a charge safe (`_retry._NEVER_SENT`):

* `httpx.ConnectTimeout` / `httpx.ConnectError`: only before any byte of the request was written
  (DNS, refused, TLS handshake or certificate failure, pool closed under us).
* `httpx.PoolTimeout`: no connection became free in time; nothing was written either.
* `httpx.WriteTimeout` / `httpx.WriteError`: while sending; the server may have the request.
* `httpx.ReadTimeout` / `httpx.ReadError`: while receiving; the server may have acted on it.
* `httpx.RemoteProtocolError`: a malformed response, or EOF before a complete one (also the server
  closing a reused connection without answering: it may have read the request first).

Nothing is retried or resent here; a connection that saw any error is closed, never pooled again.
"""

from __future__ import annotations

import collections
import select
import typing
from collections.abc import Callable

import httpx

from ._http11 import ResponseReader

__all__ = [
    "SECONDS_LEFT_EXTENSION",
    "Closeable",
    "Origin",
    "PhaseTimeouts",
    "PoolBook",
    "has_pending_input",
    "origin_of",
    "response_from",
    "timeouts_of",
    "transport_error",
]

Origin = tuple[str, str, int]  # scheme, host (IPv6 unbracketed), port
Phase = typing.Literal["connect", "write", "read"]
_DEFAULT_PORTS = {"http": 80, "https": 443}
_TIMEOUT_ERRORS: dict[Phase, type[httpx.TimeoutException]] = {
    "connect": httpx.ConnectTimeout,
    "write": httpx.WriteTimeout,
    "read": httpx.ReadTimeout,
}
_NETWORK_ERRORS: dict[Phase, type[httpx.NetworkError]] = {
    "connect": httpx.ConnectError,
    "write": httpx.WriteError,
    "read": httpx.ReadError,
}


def origin_of(request: httpx.Request) -> Origin:
    """The pool key of the request; only http and https are spoken here."""
    url = request.url
    default_port = _DEFAULT_PORTS.get(url.scheme)
    if default_port is None:
        raise httpx.UnsupportedProtocol(f"unsupported URL scheme {url.scheme!r}", request=request)
    return url.scheme, url.host, url.port or default_port


# Seconds left of the whole call when this attempt starts (the retrying transport sets it): the response
# must be complete by then however slowly it trickles in, since the phase timeouts only bound silences.
SECONDS_LEFT_EXTENSION = "iyzico_ext.seconds_left"


class PhaseTimeouts(typing.NamedTuple):
    """Seconds for each phase; None waits forever (httpx's own meaning); `seconds_left`: the call's budget."""

    connect: float | None
    write: float | None
    read: float | None
    pool: float | None
    seconds_left: float | None = None


def timeouts_of(request: httpx.Request) -> PhaseTimeouts:
    """The timeouts httpx.Client put on the request (`extensions["timeout"]`); none on a bare request."""
    configured = request.extensions.get("timeout", {})
    return PhaseTimeouts(
        configured.get("connect"),
        configured.get("write"),
        configured.get("read"),
        configured.get("pool"),
        request.extensions.get(SECONDS_LEFT_EXTENSION),
    )


def transport_error(phase: Phase, error: OSError, request: httpx.Request) -> httpx.TransportError:
    """The httpx exception of the contract above for an OS-level failure in `phase`."""
    errors = _TIMEOUT_ERRORS if isinstance(error, TimeoutError) else _NETWORK_ERRORS
    return errors[phase](str(error) or f"{phase} failed: {type(error).__name__}", request=request)


def response_from(reader: ResponseReader) -> httpx.Response:
    """A complete response; the body keeps its Content-Encoding, which httpx decodes on `read()`."""
    return httpx.Response(
        reader.status_code,
        headers=reader.headers,
        stream=httpx.ByteStream(reader.body),
        extensions={"http_version": reader.http_version, "reason_phrase": reader.reason},
    )


def has_pending_input(fileno: int) -> bool:
    """True when an idle socket is readable: the server closed it or sent something unasked for.

    Reusing such a connection would turn a payment into an ambiguous outcome (written, then EOF), so
    the caller discards it instead. `poll` has no descriptor-number limit; Windows has only `select`.
    """
    if hasattr(select, "poll"):
        poller = select.poll()
        poller.register(fileno, select.POLLIN)
        return bool(poller.poll(0))
    readable, _, _ = select.select([fileno], [], [], 0)
    return bool(readable)


class Closeable(typing.Protocol):
    def close(self) -> None: ...


Connection = typing.TypeVar("Connection", bound=Closeable)
Waiter = typing.TypeVar("Waiter")  # how a transport wakes one queued caller (a Condition, a Future)


class PoolBook(typing.Generic[Connection, Waiter]):
    """The pool's state and rules, without locking or waiting (the transports add those).

    Idle connections are stacks per origin (last in, first out: the warmest connection is reused and
    the oldest expire at the bottom). `max_connections` counts every open connection, idle or in use.
    Closing an idle connection never blocks (a socket close, an asyncio transport close), so it is
    done right here, under the caller's lock.

    Callers that found the pool full queue up (`queue`) and are served first come, first served: while
    anyone waits, a newcomer may not take a freed connection ahead of them. Without that, a caller that
    just finished takes the connection it freed before the woken waiter runs, and with 32 calls over 8
    connections some callers starved until their pool timeout.
    """

    def __init__(self, limits: httpx.Limits, clock: Callable[[], float]) -> None:
        self._max_open = limits.max_connections
        self._max_idle = limits.max_keepalive_connections
        self._expiry = limits.keepalive_expiry
        self._clock = clock
        self._idle: dict[Origin, list[tuple[float, Connection]]] = {}
        self._idle_count = 0
        self._open = 0
        self._waiting: collections.deque[Waiter] = collections.deque()
        self.closed = False

    @property
    def next_waiter(self) -> Waiter | None:
        """Whose turn it is, if there is room for it now (the transports wake that caller)."""
        if not self._waiting:
            return None
        room = self._idle_count or self._max_open is None or self._open < self._max_open or self.closed
        return self._waiting[0] if room else None

    def waiters(self) -> list[Waiter]:
        return list(self._waiting)

    def queue(self, waiter: Waiter) -> None:
        """`waiter` found no room: it is served after everyone queued before it."""
        self._waiting.append(waiter)

    def leave(self, waiter: Waiter) -> None:
        """`waiter` gives up (pool timeout, cancelled)."""
        self._waiting.remove(waiter)

    def checkout(self, origin: Origin, waiter: Waiter | None = None) -> tuple[bool, Connection | None]:
        """(True, connection): try this idle one; (True, None): open a new one (a slot is reserved);
        (False, None): `queue` (a newcomer) or keep waiting for a `checkin` or `discard`.

        `waiter` is the caller's place in the queue, `None` for a newcomer; a served waiter leaves it.
        """
        if self.closed:
            raise RuntimeError("the HTTP/1.1 transport is closed")
        if self._waiting and self._waiting[0] is not waiter:
            return False, None  # others were first
        granted = self._grant(origin)
        if granted[0] and waiter is not None:
            self._waiting.popleft()
        return granted

    def _grant(self, origin: Origin) -> tuple[bool, Connection | None]:
        self._drop_expired()
        stack = self._idle.get(origin)
        if stack:
            self._idle_count -= 1
            return True, stack.pop()[1]
        if self._max_open is not None and self._open >= self._max_open and not self._evict_other_idle():
            return False, None
        self._open += 1
        return True, None

    def checkin(self, origin: Origin, connection: Connection, *, reusable: bool) -> None:
        """A connection back from a complete exchange: kept idle if allowed, else closed."""
        keep = reusable and not self.closed and (self._max_idle is None or self._idle_count < self._max_idle)
        if not keep:
            self.discard(connection)
            return
        self._idle.setdefault(origin, []).append((self._clock(), connection))
        self._idle_count += 1

    def discard(self, connection: Connection | None) -> None:
        """Close a checked-out connection (or give back the slot of one that never opened)."""
        self._open -= 1
        if connection is not None:
            connection.close()

    def close(self) -> None:
        """Close every idle connection; those in use are closed when checked in."""
        self.closed = True
        for stack in self._idle.values():
            for _, connection in stack:
                self.discard(connection)
        self._idle.clear()
        self._idle_count = 0

    def _drop_expired(self) -> None:
        if self._expiry is None or not self._idle_count:
            return
        oldest_allowed = self._clock() - self._expiry
        for stack in self._idle.values():
            while stack and stack[0][0] < oldest_allowed:
                self._idle_count -= 1
                self.discard(stack.pop(0)[1])

    def _evict_other_idle(self) -> bool:
        """At the limit: close the oldest idle connection of any origin to make room."""
        stacks = [stack for stack in self._idle.values() if stack]
        if not stacks:
            return False
        oldest = min(stacks, key=lambda stack: stack[0][0])
        self._idle_count -= 1
        self.discard(oldest.pop(0)[1])
        return True
