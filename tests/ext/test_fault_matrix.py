"""The transport-fault matrix (reliability-performance.md 2.8 A and B), in two parts.

Policy: 24 faults x sync/async x money/safe through `httpx.MockTransport`. Every case asserts the
outcome, the number of sends, the sleep schedule (injected clock, no real sleeping), that every response
stream was closed, and that no canary key, card number or identity number appears in the exception (and
its cause chain), the locals of its frames, the log records or stdout/stderr.

Wire: real faults of a loopback server x every default transport (httpcore sync; httpx-aiohttp and
httpcore on asyncio) x money/safe. It proves the exception contract the policy relies on: a payment is
sent again only when the server provably read nothing, so the server's count of requests read is the
assertion.
"""

from __future__ import annotations

import contextlib
import datetime
import email.utils
import functools
import gzip
import logging
import socket
import time
import typing
from collections.abc import Callable, Iterator

import attrs
import httpx
import pytest
from _bench_fixtures import TlsFiles

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
    RetryPolicy,
    SignatureVerificationError,
    UnverifiedPaymentOutcome,
)
from tests.frame_leaks import frame_leaks

from ._wire import Peer, ScriptedServer, reply
from .conftest import (
    CANARIES,
    CANARY_API_KEY,
    CANARY_SECRET,
    FakeIyzico,
    Reply,
    SleepRecorder,
    call,
    iyzico_answers,
    json_response,
    outcome_of,
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
    check_fault_outcome(expect, lambda: call(make_client(), kind, mode), fake, clock, caplog, capsys)


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
    _assert_clean(outcome, caplog, capsys)


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


def _assert_clean(outcome: object, caplog: pytest.LogCaptureFixture, capsys: pytest.CaptureFixture[str]) -> None:
    """An unknown payment outcome names the conversationId; nothing anywhere shows a secret."""
    if isinstance(outcome, PaymentOutcomeUnknown):
        assert outcome.conversation_id == "123456789"
    if isinstance(outcome, BaseException):
        assert frame_leaks(outcome) == []  # what an error tracker would collect of its frames
        for link in _chain(outcome):
            _assert_no_canary(str(link) + repr(link))
            assert not isinstance(getattr(link, "request", None), httpx.Request)
    captured = capsys.readouterr()
    _assert_no_canary(caplog.text + captured.out + captured.err)


# --- wire faults x the default transports ------------------------------------------------------------

WIRE_TIMEOUT = httpx.Timeout(0.25)  # every phase: a server that stays silent fails fast
TRICKLE_DEADLINE = 1.0  # seconds for the whole call, where the server trickles
TRICKLE_SECONDS_PER_BYTE = 0.05  # each byte well within the read timeout, the whole far past the deadline
# How late an attempt stopped at the deadline may end: scheduling, not the transport.
DEADLINE_SLACK = 1.5


async def _no_wait(seconds: float) -> None:
    """Retries wait for nothing: the wire tests count requests, not seconds."""


def _no_sleep(seconds: float) -> None:
    """The sync twin of `_no_wait`."""


# The waits are skipped but still count against the deadline, so it leaves room for two retries here.
WIRE_RETRIES = RetryPolicy(deadline=10.0, sleep=_no_sleep, async_sleep=_no_wait)
TRICKLE_RETRIES = attrs.evolve(WIRE_RETRIES, deadline=TRICKLE_DEADLINE)


def _read_then(action: Callable[[Peer], object]) -> Callable[[Peer], None]:
    def script(peer: Peer) -> None:
        if peer.read_request() is not None:
            action(peer)

    return script


def _truncated(peer: Peer) -> None:
    peer.send(reply(b'{"status":"succ', "Content-Length: 1000", length=False))
    peer.close()


def _garbage_status_line(peer: Peer) -> None:
    peer.send(b"HTTP/1.1 two hundred\r\n\r\n")
    peer.wait_for_close()


def _head_trickling(peer: Peer) -> None:
    peer.trickle(reply(b"{}" * 50), TRICKLE_SECONDS_PER_BYTE)


def _body_trickling(peer: Peer) -> None:
    peer.send(reply(b"", "Content-Length: 100", length=False))
    peer.trickle(b"{" * 100, TRICKLE_SECONDS_PER_BYTE)


@functools.cache
def _stacked_gzip_bomb() -> bytes:
    """Gzip of gzip of zeros: a few KB that httpx would inflate to gigabytes in one piece."""
    return gzip.compress(gzip.compress(b"\0" * (64 * 1024 * 1024)))


def _stacked_gzip(peer: Peer) -> None:
    peer.send(reply(_stacked_gzip_bomb(), "Content-Encoding: gzip, gzip"))
    peer.wait_for_close()


@attrs.frozen
class WireExpect:
    outcome: type[BaseException]
    reads: int  # requests the server read: more than one for a payment would be a resend


@attrs.frozen
class WireFault:
    name: str
    script: Callable[[Peer], object] | None  # None: nothing listens
    money: WireExpect
    safe: WireExpect
    tls: bool = False
    slow: bool = False  # ends at the call's deadline, not by a timeout

    @property
    def retry(self) -> RetryPolicy:
        return TRICKLE_RETRIES if self.slow else WIRE_RETRIES


NEVER_SENT = WireExpect(IyzicoConnectionError, 0)
SENT_ONCE = WireExpect(PaymentOutcomeUnknown, 1)
TIMED_OUT_ONCE = WireExpect(IyzicoTimeoutError, 1)  # at the deadline: no time is left for a retry


def _ambiguous(
    name: str, action: Callable[[Peer], object], safe: type[BaseException] = IyzicoConnectionError
) -> WireFault:
    return WireFault(name, _read_then(action), SENT_ONCE, WireExpect(safe, 3))


WIRE_FAULTS = [
    WireFault("connection-refused", None, NEVER_SENT, NEVER_SENT),
    WireFault("untrusted-certificate", iyzico_answers(FakeIyzico()), NEVER_SENT, NEVER_SENT, tls=True),
    _ambiguous("closed-after-the-request", Peer.close),
    _ambiguous("reset-after-the-request", Peer.reset),
    _ambiguous("truncated-body", _truncated),
    _ambiguous("garbage-status-line", _garbage_status_line),
    _ambiguous("no-answer-within-the-read-timeout", Peer.wait_for_close, safe=IyzicoTimeoutError),
    WireFault("head-trickling-past-the-deadline", _read_then(_head_trickling), SENT_ONCE, TIMED_OUT_ONCE, slow=True),
    WireFault("body-trickling-past-the-deadline", _read_then(_body_trickling), SENT_ONCE, TIMED_OUT_ONCE, slow=True),
    # A refused body is not retried: it would come the same way again.
    WireFault("stacked-gzip-bomb", _read_then(_stacked_gzip), SENT_ONCE, WireExpect(IyzicoConnectionError, 1)),
]


@contextlib.contextmanager
def _wire_server(fault: WireFault, tls_files: TlsFiles) -> Iterator[tuple[str, ScriptedServer | None]]:
    if fault.script is None:
        with socket.create_server(("127.0.0.1", 0)) as unused:
            port = unused.getsockname()[1]
        yield f"http://127.0.0.1:{port}", None
        return
    with ScriptedServer(fault.script, tls=tls_files.server_context() if fault.tls else None) as server:
        yield server.url(), server


@pytest.mark.parametrize("kind", ["money", "safe"])
@pytest.mark.parametrize("fault", WIRE_FAULTS, ids=lambda fault: fault.name)
def test_wire_fault(
    fault: WireFault,
    kind: str,
    default_transport: str,
    tls_files: TlsFiles,
    caplog: pytest.LogCaptureFixture,
    capsys: pytest.CaptureFixture[str],
) -> None:
    expect = fault.money if kind == "money" else fault.safe
    caplog.set_level(logging.DEBUG)
    with _wire_server(fault, tls_files) as (url, server):
        client = IyzicoClient(CANARY_API_KEY, CANARY_SECRET, url, timeout=WIRE_TIMEOUT, retry=fault.retry)
        started = time.monotonic()
        outcome = outcome_of(client, kind, default_transport)
        elapsed = time.monotonic() - started
        client.close()
        reads = 0 if server is None else len(server.requests)
    assert isinstance(outcome, expect.outcome), repr(outcome)
    assert reads == expect.reads
    if fault.slow:
        assert elapsed < TRICKLE_DEADLINE + DEADLINE_SLACK
    _assert_clean(outcome, caplog, capsys)
