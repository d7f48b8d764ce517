"""When to send a request again, and how long to wait first (reliability-performance.md R2, R3).

* Any call is resent when it provably never left this machine: connect error, connect timeout, or
  no pooled connection in time.
* Safe calls (reads) are also resent after any other transport failure, HTTP 408/429/5xx, and
  iyzico's errorCode 50000 (request limit).
* Money-moving and other one-shot calls are never resent once their bytes may have left; the caller
  gets `PaymentOutcomeUnknown` (money-moving) or `IyzicoConnectionError` instead.

Waits: `Retry-After` when it is 0-60 s (longer: stop retrying), else 0.5 s * 2**n capped at 8 s,
times a jitter factor in [0.75, 1]. Clock, sleep and randomness are injectable for tests.
"""

from __future__ import annotations

import email.utils
import random as _random
import time
from collections.abc import Awaitable, Callable

import attrs
import httpx

from ._body import parse_json_object
from ._call import CallContext
from ._constants import (
    BACKOFF_CAP_SECONDS,
    BACKOFF_INITIAL_SECONDS,
    DEFAULT_DEADLINE_SECONDS,
    DEFAULT_MAX_RETRIES,
    JITTER_MIN_FACTOR,
    RETRY_AFTER_MAX_SECONDS,
)
from ._exceptions import IyzicoConnectionError, IyzicoError, IyzicoTimeoutError, PaymentOutcomeUnknown
from ._text import printable

__all__ = [
    "RetryPolicy",
    "error_for_failure",
    "never_sent",
    "should_retry_exception",
    "should_retry_response",
]

_NEVER_SENT = (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout)
_SAFE_TO_RETRY = (httpx.TimeoutException, httpx.NetworkError, httpx.RemoteProtocolError)
_RETRY_STATUSES = frozenset({408, 429})
_RATE_LIMIT_CODE = "50000"
_MAX_CAUSE_TEXT = 200


async def _event_loop_sleep(seconds: float) -> None:
    import anyio  # here, not at the top: only async callers need it (asyncio or trio alike)

    await anyio.sleep(seconds)


@attrs.frozen
class RetryPolicy:
    """How often and how patiently a call is retried; the callables are seams for tests."""

    max_retries: int = DEFAULT_MAX_RETRIES
    deadline: float = DEFAULT_DEADLINE_SECONDS
    sleep: Callable[[float], None] = time.sleep
    async_sleep: Callable[[float], Awaitable[None]] = _event_loop_sleep
    monotonic: Callable[[], float] = time.monotonic
    wall_clock: Callable[[], float] = time.time
    random: Callable[[], float] = _random.random  # jitter, not a secret

    def backoff(self, retry_number: int) -> float:
        """The wait before retry `retry_number` (0-based) when the server gave no Retry-After."""
        base = min(BACKOFF_INITIAL_SECONDS * 2.0**retry_number, BACKOFF_CAP_SECONDS)
        return base * (1 - (1 - JITTER_MIN_FACTOR) * self.random())

    def retry_after(self, response: httpx.Response) -> float | None:
        """The server's `Retry-After` in seconds (number or HTTP date); `None` when absent or unreadable."""
        value = response.headers.get("retry-after")
        if value is None:
            return None
        try:
            return max(float(value), 0.0)
        except ValueError:
            pass
        try:
            moment = email.utils.parsedate_to_datetime(value)
        except (TypeError, ValueError):
            return None
        return max(moment.timestamp() - self.wall_clock(), 0.0)

    def delay(self, outcome: httpx.Response | Exception, retry_number: int) -> float | None:
        """How long to wait before retrying `outcome`; `None` when the server asked for too long."""
        if isinstance(outcome, httpx.Response):
            asked = self.retry_after(outcome)
            if asked is not None:
                return asked if asked <= RETRY_AFTER_MAX_SECONDS else None
        return self.backoff(retry_number)


def never_sent(error: Exception) -> bool:
    """True when the request provably did not leave this machine."""
    return isinstance(error, _NEVER_SENT)


def should_retry_exception(context: CallContext, error: Exception) -> bool:
    return never_sent(error) or (context.retry_class == "safe" and isinstance(error, _SAFE_TO_RETRY))


def _rate_limited(response: httpx.Response) -> bool:
    if _RATE_LIMIT_CODE.encode() not in response.content:
        return False  # an ordinary body: not worth parsing here (the auth flow parses it once, later)
    body = parse_json_object(response.content)
    return body is not None and str(body.get("errorCode")) == _RATE_LIMIT_CODE


def should_retry_response(context: CallContext, response: httpx.Response) -> bool:
    if context.retry_class != "safe":
        return False
    status = response.status_code
    return status in _RETRY_STATUSES or status >= 500 or _rate_limited(response)


def error_for_failure(context: CallContext, error: Exception, attempts: int) -> IyzicoError:
    """The typed error for a transport failure we stop retrying; it never carries the httpx request."""
    cause = f"{type(error).__name__}: {printable(str(error)[:_MAX_CAUSE_TEXT])}"  # a peer's bytes: one line
    tries = f"after {attempts} attempt{'s' if attempts > 1 else ''}"
    if context.money_moving and not never_sent(error):
        conversation_id = context.conversation_id or ""
        return PaymentOutcomeUnknown(
            f"{context.label}: outcome unknown ({cause}, {tries}); "
            f"reconcile with conversationId {conversation_id!r} before resending",
            operation_id=context.operation.operation_id if context.operation else None,
            conversation_id=conversation_id,
        )
    error_class = IyzicoTimeoutError if isinstance(error, httpx.TimeoutException) else IyzicoConnectionError
    return error_class(
        f"{context.label}: {cause} ({tries})",
        operation_id=context.operation.operation_id if context.operation else None,
        conversation_id=context.conversation_id,
    )
