"""The call's deadline below the retrying transport: a response that trickles in may not outlast it.

httpx's timeouts bound silences only (a byte every few seconds never trips a read timeout), so the
retrying transport hands each attempt the seconds left of the whole call (`SECONDS_LEFT_EXTENSION`)
and makes sure the attempt ends by then, whatever transport it runs on:

* the default sync transport's sockets never wait past the deadline of the call running on the same
  thread (`start_call`, `capped_timeout`; see `_network`);
* any transport that says so (`enforces_call_deadline = True`, like the emulator's in-process one)
  is trusted to stop by the deadline it is handed;
* any other sync transport runs in a worker thread that the caller stops waiting for at the deadline
  (`run_until`);
* async transports are cancelled at the deadline (in `_transport`).
"""

from __future__ import annotations

import contextvars
import threading
import time
import typing
from collections.abc import Callable

import httpx

__all__ = [
    "SECONDS_LEFT_EXTENSION",
    "capped_timeout",
    "deadline_of",
    "deadline_passed",
    "enforces_call_deadline",
    "run_until",
    "start_call",
]

# Seconds left of the whole call when an attempt starts (a request extension the retrying transport sets).
SECONDS_LEFT_EXTENSION: typing.Final = "iyzico_ext.seconds_left"

# time.monotonic() at which the call running in this context must end; None: no deadline.
_DEADLINE: contextvars.ContextVar[float | None] = contextvars.ContextVar("iyzico_ext.call_deadline", default=None)

_DEADLINE_MESSAGE = "the call's deadline passed"

Result = typing.TypeVar("Result")


def deadline_passed(request: httpx.Request) -> httpx.ReadTimeout:
    """What an attempt stopped at the deadline raises: the request may have left, so never a resend."""
    return httpx.ReadTimeout(_DEADLINE_MESSAGE, request=request)


def enforces_call_deadline(transport: object) -> bool:
    """True when `transport` promises to end each request by the deadline in `SECONDS_LEFT_EXTENSION`."""
    return getattr(transport, "enforces_call_deadline", False) is True


def deadline_of(request: httpx.Request) -> float | None:
    """The `time.monotonic()` by which `request` must be answered, from the seconds it was handed."""
    seconds_left = request.extensions.get(SECONDS_LEFT_EXTENSION)
    return None if seconds_left is None else time.monotonic() + seconds_left


def start_call(deadline: float | None) -> None:
    """From now on, `capped_timeout` on this thread counts down to `deadline` (a `time.monotonic()` value).

    It is not reset when the call ends: the next call on the thread sets its own before its first socket
    operation, and only the transports that set it read it. (A block that reset it would have to span the
    response body's reading too, which happens after the transport returned.)
    """
    _DEADLINE.set(deadline)


def run_until(seconds_left: float, work: Callable[[], Result], request: httpx.Request) -> Result:
    """`work()` in a worker thread; `deadline_passed` once `seconds_left` run out before it returned.

    The worker is left to finish on its own (the transport's own timeouts end it); whatever it
    returns then is dropped, and the caller already got an ambiguous outcome.
    """
    outcome: list[tuple[bool, typing.Any]] = []
    finished = threading.Event()
    context = contextvars.copy_context()

    def run() -> None:
        try:
            outcome.append((True, context.run(work)))
        except BaseException as error:  # handed to the waiting caller below
            outcome.append((False, error))
        finished.set()

    threading.Thread(target=run, name="iyzico-call", daemon=True).start()
    if not finished.wait(max(seconds_left, 0.0)):
        raise deadline_passed(request)
    returned, value = outcome[0]
    if returned:
        return typing.cast(Result, value)
    raise value


def capped_timeout(timeout: float | None, error: type[Exception]) -> float | None:
    """`timeout` cut to what is left of this thread's call (`call_deadline`); `error` once nothing is left."""
    deadline = _DEADLINE.get()
    if deadline is None:
        return timeout
    left = deadline - time.monotonic()
    if left <= 0:
        raise error(_DEADLINE_MESSAGE)
    return left if timeout is None or timeout > left else timeout
