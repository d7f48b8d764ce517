"""Retrying transports (sync and async) around a network transport, applying `RetryPolicy`.

One generator, `_attempts`, holds the whole policy (what to retry, how long to wait, the per-call
deadline); the sync and async transports only carry out its "send" and "sleep" steps, so the two
can never drift apart. Every attempt reads the whole body (`BodyReader`: size caps before and after
decompression) and ends by the call's deadline whatever the transport below (`_deadline`), so a read
error, a truncated or oversized body or a response trickling in is a transport failure here,
classified like any other, and the auth flow only ever sees complete responses. Errors leave as
`IyzicoError`s without the httpx exception attached, whose `.request` would carry the (card-bearing)
body.
"""

from __future__ import annotations

import functools
import typing
from collections.abc import Generator

import attrs
import httpx

from ._call import CallContext
from ._deadline import SECONDS_LEFT_EXTENSION, deadline_passed, enforces_call_deadline, run_until
from ._logging import logger as _logger
from ._response_body import BodyReader, check_wire_size
from ._retry import RetryPolicy, error_for_failure, should_retry_exception, should_retry_response
from ._routing import Router

__all__ = ["AsyncRetryingTransport", "RetryingTransport"]

_TIMEOUT_PHASES = ("connect", "read", "write", "pool")
# Headers that describe the wire form of a body we hand on decoded.
_WIRE_HEADERS = frozenset({"content-encoding", "content-length", "transfer-encoding"})


class _Send(typing.NamedTuple):  # NamedTuples, not attrs classes: a fraction of the import time
    request: httpx.Request
    seconds_left: float


class _Sleep(typing.NamedTuple):
    seconds: float


_Outcome = httpx.Response | httpx.RequestError
_Flow = Generator[_Send | _Sleep, _Outcome | None, httpx.Response]


def _within(request: httpx.Request, remaining: float) -> httpx.Request:
    """The request with every timeout shortened to what is left of the call's deadline, and that budget
    itself (`SECONDS_LEFT_EXTENSION`), which the attempt may not outlast however slowly bytes arrive."""
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
        remaining = max(deadline_at - policy.monotonic(), 0.0)
        outcome = yield _Send(_within(request, remaining), remaining)
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


def _complete(response: httpx.Response, request: httpx.Request, reader: BodyReader) -> httpx.Response:
    """A response holding the whole body, as the auth flow and the generated parser read it."""
    body = reader.finish()
    headers = response.headers
    if reader.decoded:
        headers = httpx.Headers([(name, value) for name, value in headers.multi_items() if name not in _WIRE_HEADERS])
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
    """The whole body arrived already, as is (mocks, the in-process emulator): read it in place.

    Nothing is left that could drip past the deadline, and the response keeps its headers as httpx
    itself does after reading a body.
    """
    return isinstance(response.stream, httpx.ByteStream) and "content-encoding" not in response.headers


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
            elif enforces_call_deadline(self.inner):
                outcome = self._attempt(step.request)
            else:
                try:
                    outcome = run_until(step.seconds_left, functools.partial(self._attempt, step.request), step.request)
                except httpx.ReadTimeout as deadline:  # run_until's own: the attempt returns its errors
                    outcome = deadline

    def _attempt(self, request: httpx.Request) -> _Outcome:
        try:
            response = self.inner.handle_request(request)
            try:
                if _in_memory(response):
                    check_wire_size(response.read())
                    return response
                reader = BodyReader(response)
                for chunk in response.iter_raw():
                    reader.feed(chunk)
            finally:
                response.close()
            return _complete(response, request, reader)
        except httpx.RequestError as error:
            return error

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
                outcome = await self._attempt_until(step)

    async def _attempt_until(self, step: _Send) -> _Outcome:
        import anyio  # here, not at the top: sync users never load it (asyncio or trio alike)

        with anyio.move_on_after(step.seconds_left) as scope:
            return await self._attempt(step.request)
        assert scope.cancelled_caught
        return deadline_passed(step.request)

    async def _attempt(self, request: httpx.Request) -> _Outcome:
        try:
            response = await self.inner.handle_async_request(request)
            try:
                if _in_memory(response):
                    check_wire_size(await response.aread())
                    return response
                reader = BodyReader(response)
                async for chunk in response.aiter_raw():
                    reader.feed(chunk)
            finally:
                await response.aclose()
            return _complete(response, request, reader)
        except httpx.RequestError as error:
            return error

    async def aclose(self) -> None:
        await self.inner.aclose()
