"""Retrying transports (sync and async) that wrap httpx's own and apply `RetryPolicy`.

One generator, `_attempts`, holds the whole policy (what to retry, how long to wait, the per-call
deadline); the sync and async transports only carry out its "send" and "sleep" steps, so the two
can never drift apart. Bodies are read completely inside the transport, so a read error or a
truncated body is a transport failure here, classified like any other, and the auth flow only ever
sees complete responses. Errors leave as `IyzicoError`s without the httpx exception attached, whose
`.request` would carry the (card-bearing) body.
"""

from __future__ import annotations

import typing
from collections.abc import Generator

import attrs
import httpx

from ._call import CallContext
from ._http11_shared import SECONDS_LEFT_EXTENSION
from ._logging import logger as _logger
from ._retry import RetryPolicy, error_for_failure, should_retry_exception, should_retry_response
from ._routing import Router

__all__ = ["AsyncRetryingTransport", "RetryingTransport"]

_TIMEOUT_PHASES = ("connect", "read", "write", "pool")
# Headers that describe the wire form of a body we hand on already decoded.
_WIRE_HEADERS = frozenset({b"content-encoding", b"content-length", b"transfer-encoding"})


class _Send(typing.NamedTuple):  # NamedTuples, not attrs classes: a fraction of the import time
    request: httpx.Request
    deadline_at: float


class _Sleep(typing.NamedTuple):
    seconds: float


_Outcome = httpx.Response | httpx.RequestError
_Flow = Generator[_Send | _Sleep, _Outcome | None, httpx.Response]


def _within(request: httpx.Request, remaining: float) -> httpx.Request:
    """The request with every timeout shortened to what is left of the call's deadline, and that budget
    itself for our HTTP/1.1 transports, which read a whole response before returning it."""
    configured = request.extensions.get("timeout", {})
    timeouts = {
        phase: remaining if configured.get(phase) is None else min(configured[phase], remaining)
        for phase in _TIMEOUT_PHASES
    }
    request.extensions = {**request.extensions, "timeout": timeouts, SECONDS_LEFT_EXTENSION: remaining}
    return request


def _attempts(policy: RetryPolicy, request: httpx.Request, context: CallContext) -> _Flow:
    started = policy.monotonic()
    deadline_at = started + policy.deadline
    for retry_number in range(policy.max_retries + 1):
        remaining = deadline_at - policy.monotonic()
        outcome = yield _Send(_within(request, max(remaining, 0.0)), deadline_at)
        assert outcome is not None
        if isinstance(outcome, httpx.Response):
            retry = should_retry_response(context, outcome)
            reason = f"HTTP {outcome.status_code}"
        else:
            retry = should_retry_exception(context, outcome)
            reason = type(outcome).__name__
        delay = policy.delay(outcome, retry_number) if retry else None
        last_try = retry_number == policy.max_retries
        if last_try or delay is None or policy.monotonic() + delay >= deadline_at:
            if isinstance(outcome, httpx.Response):
                return outcome
            raise error_for_failure(context, outcome, retry_number + 1)
        _logger.info(
            "%s: retrying in %.2f s after %s (retry %d of %d)",
            context.label,
            delay,
            reason,
            retry_number + 1,
            policy.max_retries,
        )
        yield _Sleep(delay)
    raise AssertionError("unreachable: the last try always returns or raises")


def _context(request: httpx.Request, router: Router) -> CallContext:
    """What the auth flow recorded, or (for a request that bypassed it) what the URL tells."""
    recorded = CallContext.of(request)
    if recorded is not None:
        return recorded
    return CallContext(request.method, router.relative_path(request.url), router.operation(request))


def _complete(response: httpx.Response, request: httpx.Request, body: bytes) -> httpx.Response:
    headers = [(name, value) for name, value in response.headers.raw if name.lower() not in _WIRE_HEADERS]
    # A read ByteStream, not `content=`, which would also add a Content-Length header: about 5x cheaper.
    complete = httpx.Response(
        response.status_code,
        headers=headers,
        stream=httpx.ByteStream(body),
        request=request,
        extensions=response.extensions,
    )
    complete.read()
    return complete


def _in_memory(response: httpx.Response) -> bool:
    """The whole body arrived already (our HTTP/1.1 transports, mocks): read it in place, no rebuild.

    Nothing is left that could drip past the deadline, and the response keeps its headers as httpx
    itself does after decoding a body.
    """
    return isinstance(response.stream, httpx.ByteStream)


def _deadline_passed(request: httpx.Request) -> httpx.ReadTimeout:
    return httpx.ReadTimeout("the call's deadline passed while reading the body", request=request)


@attrs.define
class RetryingTransport(httpx.BaseTransport):
    """Sends through `inner`, retrying as `policy` allows; returns fully read responses."""

    inner: httpx.BaseTransport
    router: Router
    policy: RetryPolicy = attrs.field(factory=RetryPolicy)

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        flow = _attempts(self.policy, request, _context(request, self.router))
        outcome: _Outcome | None = None
        while True:
            try:
                step = flow.send(outcome)
            except StopIteration as finished:
                return typing.cast(httpx.Response, finished.value)
            if isinstance(step, _Sleep):
                self.policy.sleep(step.seconds)
                outcome = None
            else:
                outcome = self._attempt(step)

    def _attempt(self, step: _Send) -> _Outcome:
        try:
            response = self.inner.handle_request(step.request)
            if _in_memory(response):
                response.read()
                return response
            try:
                chunks = []
                for chunk in response.iter_bytes():
                    chunks.append(chunk)
                    if self.policy.monotonic() > step.deadline_at:
                        raise _deadline_passed(step.request)
            finally:
                response.close()
        except httpx.RequestError as error:
            return error
        return _complete(response, step.request, b"".join(chunks))

    def close(self) -> None:
        self.inner.close()


@attrs.define
class AsyncRetryingTransport(httpx.AsyncBaseTransport):
    """The asyncio twin of `RetryingTransport`, driven by the same policy generator."""

    inner: httpx.AsyncBaseTransport
    router: Router
    policy: RetryPolicy = attrs.field(factory=RetryPolicy)

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        flow = _attempts(self.policy, request, _context(request, self.router))
        outcome: _Outcome | None = None
        while True:
            try:
                step = flow.send(outcome)
            except StopIteration as finished:
                return typing.cast(httpx.Response, finished.value)
            if isinstance(step, _Sleep):
                await self.policy.async_sleep(step.seconds)
                outcome = None
            else:
                outcome = await self._attempt(step)

    async def _attempt(self, step: _Send) -> _Outcome:
        try:
            response = await self.inner.handle_async_request(step.request)
            if _in_memory(response):
                await response.aread()
                return response
            try:
                chunks = []
                async for chunk in response.aiter_bytes():
                    chunks.append(chunk)
                    if self.policy.monotonic() > step.deadline_at:
                        raise _deadline_passed(step.request)
            finally:
                await response.aclose()
        except httpx.RequestError as error:
            return error
        return _complete(response, step.request, b"".join(chunks))

    async def aclose(self) -> None:
        await self.inner.aclose()
