"""The transport-fault matrix (reliability-performance.md 2.8 A): 24 faults x sync/async x money/safe.

Every case asserts the outcome, the number of sends, the sleep schedule (injected clock, no real
sleeping), that every response stream was closed, and that no canary key, card number or identity
number appears in the exception (and its cause chain), the locals of its frames, the log records or
stdout/stderr.
"""

from __future__ import annotations

import asyncio
import datetime
import email.utils
import logging
import typing
from collections.abc import Callable

import attrs
import httpx
import pytest

from iyzico_client.api.payment import create_payment, retrieve_payment
from iyzico_client.models.payment_resource import PaymentResource
from iyzico_ext import (
    CardDeclinedError,
    InvalidRequestError,
    IyzicoClient,
    IyzicoConnectionError,
    IyzicoTimeoutError,
    MismatchedPaymentOutcome,
    PaymentOutcomeUnknown,
    RateLimitError,
    ResponseMismatchError,
    SignatureVerificationError,
    UnverifiedPaymentOutcome,
)
from tests.frame_leaks import frame_leaks

from .conftest import (
    CANARIES,
    CANARY_SECRET,
    FakeIyzico,
    Reply,
    SleepRecorder,
    json_response,
    payment_request,
    retrieve_request,
    signed_payment,
)

Outcome = type[object]  # an exception, or the answer's model
BACKOFF = [0.5, 1.0]  # random() is 0, so the jitter factor is 1
WALL_CLOCK = 1_700_000_000.0


@attrs.frozen
class Expect:
    outcome: Outcome
    sends: int
    sleeps: list[float] = attrs.field(factory=list)


@attrs.frozen
class Fault:
    name: str
    reply: Callable[[], Reply]
    money: Expect
    safe: Expect


def _failure(code: str, group: str | None = None) -> httpx.Response:
    body = {"status": "failure", "errorCode": code, "errorMessage": "x", "conversationId": "123456789"}
    return json_response(200, {**body, **({"errorGroup": group} if group else {})})


def _flipped_signature() -> httpx.Response:
    body = signed_payment(CANARY_SECRET)
    last = body["signature"][-1]
    body["signature"] = body["signature"][:-1] + ("0" if last != "0" else "1")
    return json_response(200, body)


def _unsigned() -> httpx.Response:
    body = signed_payment(CANARY_SECRET)
    del body["signature"]
    return json_response(200, body)


def _http_date(seconds_from_now: float) -> str:
    moment = datetime.datetime.fromtimestamp(WALL_CLOCK + seconds_from_now, datetime.UTC)
    return email.utils.format_datetime(moment, usegmt=True)


def _not_sent(error: type[Exception]) -> Fault:
    timeout = issubclass(error, httpx.TimeoutException)
    final = IyzicoTimeoutError if timeout else IyzicoConnectionError
    return Fault(error.__name__, lambda: error("boom"), Expect(final, 3, BACKOFF), Expect(final, 3, BACKOFF))


def _after_send(error: type[Exception]) -> Fault:
    final = IyzicoTimeoutError if issubclass(error, httpx.TimeoutException) else IyzicoConnectionError
    return Fault(error.__name__, lambda: error("boom"), Expect(PaymentOutcomeUnknown, 1), Expect(final, 3, BACKOFF))


FAULTS = [
    _not_sent(httpx.ConnectError),
    _not_sent(httpx.ConnectTimeout),
    _not_sent(httpx.PoolTimeout),
    _after_send(httpx.WriteTimeout),
    _after_send(httpx.WriteError),
    _after_send(httpx.ReadTimeout),
    _after_send(httpx.ReadError),
    _after_send(httpx.RemoteProtocolError),
    Fault(
        "500-json",
        lambda: json_response(500, {"message": "Internal Server Error"}),
        Expect(PaymentOutcomeUnknown, 1),
        Expect(IyzicoConnectionError, 3, BACKOFF),
    ),
    Fault(
        "502-html",
        lambda: httpx.Response(502, html="<html>Bad Gateway</html>"),
        Expect(PaymentOutcomeUnknown, 1),
        Expect(IyzicoConnectionError, 3, BACKOFF),
    ),
    Fault(
        "503-retry-after-2",
        lambda: httpx.Response(503, headers={"retry-after": "2"}),
        Expect(PaymentOutcomeUnknown, 1),
        Expect(IyzicoConnectionError, 3, [2.0, 2.0]),
    ),
    Fault(
        "429-retry-after-http-date",
        lambda: httpx.Response(429, headers={"retry-after": _http_date(3)}),
        Expect(RateLimitError, 1),
        Expect(RateLimitError, 3, [3.0, 3.0]),
    ),
    Fault(
        "503-retry-after-too-long",
        lambda: httpx.Response(503, headers={"retry-after": "120"}),
        Expect(PaymentOutcomeUnknown, 1),
        Expect(IyzicoConnectionError, 1),
    ),
    Fault(
        "504-empty",
        lambda: httpx.Response(504),
        Expect(PaymentOutcomeUnknown, 1),
        Expect(IyzicoConnectionError, 3, BACKOFF),
    ),
    Fault(
        "200-malformed-json",
        lambda: httpx.Response(200, content=b'{"status":"success","price":1.'),
        Expect(PaymentOutcomeUnknown, 1),
        Expect(IyzicoConnectionError, 1),
    ),
    Fault(
        "200-text-html",
        lambda: httpx.Response(200, html="<html>maintenance</html>"),
        Expect(PaymentOutcomeUnknown, 1),
        Expect(IyzicoConnectionError, 1),
    ),
    Fault(
        "200-missing-signature", _unsigned, Expect(UnverifiedPaymentOutcome, 1), Expect(SignatureVerificationError, 1)
    ),
    Fault(
        "200-flipped-signature",
        _flipped_signature,
        Expect(UnverifiedPaymentOutcome, 1),
        Expect(SignatureVerificationError, 1),
    ),
    Fault(
        "200-replayed-other-conversation",
        lambda: json_response(200, signed_payment(CANARY_SECRET, conversationId="someone-else")),
        Expect(MismatchedPaymentOutcome, 1),
        Expect(ResponseMismatchError, 1),
    ),
    Fault("errorcode-50000", lambda: _failure("50000"), Expect(RateLimitError, 1), Expect(RateLimitError, 3, BACKOFF)),
    Fault(
        "bank-decline-10051",
        lambda: _failure("10051", "NOT_SUFFICIENT_FUNDS"),
        Expect(CardDeclinedError, 1),
        Expect(CardDeclinedError, 1),
    ),
    Fault(
        "validation-error-12", lambda: _failure("12"), Expect(InvalidRequestError, 1), Expect(InvalidRequestError, 1)
    ),
    Fault(
        "200-extra-fields-and-nulls",
        lambda: json_response(200, {**signed_payment(CANARY_SECRET), "brandNewField": {"a": 1}, "authCode": None}),
        Expect(PaymentResource, 1),
        Expect(PaymentResource, 1),
    ),
    Fault(
        "decoding-error",
        lambda: httpx.Response(200, headers={"content-encoding": "gzip"}, stream=httpx.ByteStream(b"not gzip")),
        Expect(PaymentOutcomeUnknown, 1),
        Expect(IyzicoConnectionError, 1),
    ),
]
assert len(FAULTS) == 24


def _call(client: IyzicoClient, kind: str, mode: str) -> object:
    if kind == "money":
        if mode == "sync":
            return create_payment.sync(client=client, body=payment_request())
        return asyncio.run(create_payment.asyncio(client=client, body=payment_request()))
    if mode == "sync":
        return retrieve_payment.sync(client=client, body=retrieve_request())
    return asyncio.run(retrieve_payment.asyncio(client=client, body=retrieve_request()))


def _chain(error: BaseException) -> list[BaseException]:
    links: list[BaseException] = []
    current: BaseException | None = error
    while current is not None and current not in links:
        links.append(current)
        current = current.__cause__ or current.__context__
    return links


def _assert_no_canary(text: str) -> None:
    for canary in CANARIES:
        assert canary not in text


@pytest.mark.parametrize("mode", ["sync", "async"])
@pytest.mark.parametrize("kind", ["money", "safe"])
@pytest.mark.parametrize("fault", FAULTS, ids=lambda fault: fault.name)
def test_fault(
    fault: Fault,
    kind: str,
    mode: str,
    fake: FakeIyzico,
    clock: SleepRecorder,
    make_client: Callable[..., IyzicoClient],
    caplog: pytest.LogCaptureFixture,
    capsys: pytest.CaptureFixture[str],
) -> None:
    expect = fault.money if kind == "money" else fault.safe
    fake.script.extend(fault.reply() for _ in range(5))
    caplog.set_level(logging.DEBUG)
    check_fault_outcome(expect, lambda: _call(make_client(), kind, mode), fake, clock, caplog, capsys)


def check_fault_outcome(
    expect: Expect,
    send: Callable[[], object],
    fake: FakeIyzico,
    clock: SleepRecorder,
    caplog: pytest.LogCaptureFixture,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """Send a call through the scripted faults; check its outcome, sends, waits, streams, and that nothing leaked."""
    outcome: typing.Any
    try:
        outcome = send()
    except Exception as error:  # every outcome is checked below
        outcome = error
    assert type(outcome) is expect.outcome or isinstance(outcome, expect.outcome), repr(outcome)
    assert fake.sends == expect.sends
    assert clock.slept == expect.sleeps
    assert fake.all_closed()
    if isinstance(outcome, PaymentOutcomeUnknown):
        assert outcome.conversation_id == "123456789"
    if isinstance(outcome, BaseException):
        assert frame_leaks(outcome) == []  # what an error tracker would collect of its frames
        for link in _chain(outcome):
            _assert_no_canary(str(link) + repr(link))
            assert not isinstance(getattr(link, "request", None), httpx.Request)
    captured = capsys.readouterr()
    _assert_no_canary(caplog.text + captured.out + captured.err)
