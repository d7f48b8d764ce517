"""What holds whatever the transport: the call's deadline, the body caps; and the default transports' own
promises: one shared TLS context, proxies from an argument or the environment, a pool for calls in flight,
and httpx-aiohttp on asyncio without its resends, its cookie jar or its exception mapping."""

from __future__ import annotations

import asyncio
import gzip
import ssl
import threading
import time
import typing
from collections.abc import Callable, Iterator

import aiohttp
import attrs
import httpx
import pytest
from _bench_fixtures import TlsFiles
from _bench_fixtures import payment_request as bench_payment_request
from aiohttp.client_reqrep import ConnectionKey

from iyzico_client.api.marketplace import update_sub_merchant
from iyzico_client.api.payment import create_payment
from iyzico_client.models.create_payment_request import CreatePaymentRequest
from iyzico_client.models.payment_resource import PaymentResource
from iyzico_client.models.update_sub_merchant_request import UpdateSubMerchantRequest
from iyzico_ext import (
    IyzicoClient,
    IyzicoConnectionError,
    IyzicoTimeoutError,
    PaymentOutcomeUnknown,
    RetryPolicy,
)
from iyzico_ext import _network as network
from iyzico_ext import _response_body as response_body
from iyzico_ext._aiohttp import AiohttpTransport, _contract_error
from iyzico_ext._constants import DEFAULT_LIMITS
from iyzico_ext._transport import AsyncRetryingTransport, RetryingTransport
from iyzico_ext.sandbox.embedded import SandboxHandle
from iyzico_ext.sandbox.transport import InProcessTransport

from ._wire import LoopbackProxy, Peer, ScriptedServer, reply
from .conftest import (
    CANARY_API_KEY,
    CANARY_SECRET,
    FakeIyzico,
    answer_as,
    call,
    in_threads,
    iyzico_answers,
    json_response,
    outcome_of,
    payment_request,
    signed_payment,
)

DEADLINE = 1.0
SLACK = 1.5  # how late an attempt stopped at the deadline may end: scheduling, not the transport
TIMEOUT = httpx.Timeout(2.0)  # longer than the deadline: only the deadline can stop a trickle


def _no_sleep(seconds: float) -> None:
    """Retries wait for nothing here."""


async def _no_wait(seconds: float) -> None:
    """Retries wait for nothing here."""


QUICK = RetryPolicy(deadline=DEADLINE, sleep=_no_sleep, async_sleep=_no_wait)


_made: list[IyzicoClient] = []


def _client(url: str, **options: typing.Any) -> IyzicoClient:
    options.setdefault("retry", QUICK)
    options.setdefault("timeout", TIMEOUT)
    client = IyzicoClient(CANARY_API_KEY, CANARY_SECRET, url, **options)
    _made.append(client)
    return client


@pytest.fixture(autouse=True)
def _close_sync_clients() -> Iterator[None]:
    """Every client a test made gives its pooled connections back (async calls close theirs already)."""
    yield
    while _made:
        _made.pop().close()


def _trickle_after_the_request(peer: Peer) -> None:
    if peer.read_request() is not None:
        peer.trickle(reply(b"{}" * 100), 0.05)


def _timed(function: Callable[[], object]) -> tuple[object, float]:
    started = time.monotonic()
    try:
        outcome = function()
    except Exception as error:  # the caller checks it
        outcome = error
    return outcome, time.monotonic() - started


# --- the deadline, on any transport ----------------------------------------------------------------


class _SleepyHandler:
    """A MockTransport handler that answers long after the deadline, as a stuck user transport would."""

    def __init__(self) -> None:
        self.release = threading.Event()

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.release.wait(10)
        return json_response(200, signed_payment(CANARY_SECRET))


@pytest.mark.parametrize("transport", ["httpx.HTTPTransport", "a MockTransport that hangs"])
def test_the_deadline_holds_on_a_user_supplied_sync_transport(transport: str) -> None:
    sleepy = _SleepyHandler()
    with ScriptedServer(_trickle_after_the_request) as server:
        inner: httpx.BaseTransport = (
            httpx.HTTPTransport() if transport == "httpx.HTTPTransport" else httpx.MockTransport(sleepy)
        )
        client = _client(server.url(), transport=inner)
        outcome, elapsed = _timed(lambda: call(client, "money", "sync"))
        sleepy.release.set()
        client.close()
    assert isinstance(outcome, PaymentOutcomeUnknown), repr(outcome)
    assert elapsed < DEADLINE + SLACK


def test_the_deadline_holds_on_a_user_supplied_async_transport() -> None:
    with ScriptedServer(_trickle_after_the_request) as server:
        client = _client(server.url(), async_transport=httpx.AsyncHTTPTransport())
        outcome, elapsed = _timed(lambda: call(client, "safe", "async"))
    assert isinstance(outcome, IyzicoTimeoutError), repr(outcome)
    assert elapsed < DEADLINE + SLACK


def test_the_deadline_holds_on_the_in_process_emulator(iyzico_sandbox: SandboxHandle) -> None:
    sandbox = iyzico_sandbox
    in_process = InProcessTransport(sandbox.app)
    client = IyzicoClient(sandbox.api_key, sandbox.secret_key, sandbox.base_url, transport=in_process, retry=QUICK)
    sandbox.arm_fault("createPayment", "delay", delay=5.0)
    outcome, elapsed = _timed(lambda: create_payment.sync(client=client, body=_emulator_payment("slow")))
    in_process.close()
    assert isinstance(outcome, PaymentOutcomeUnknown), repr(outcome)
    assert elapsed < DEADLINE + SLACK


def test_the_retrying_transport_hands_each_attempt_the_seconds_left() -> None:
    seen: list[object] = []

    def network_call(request: httpx.Request) -> httpx.Response:
        seen.append(request.extensions.get("iyzico_ext.seconds_left"))
        return json_response(200, signed_payment(CANARY_SECRET))

    client = _client("https://api.example", transport=httpx.MockTransport(network_call), retry=RetryPolicy(deadline=7))
    call(client, "money", "sync")
    assert len(seen) == 1
    assert isinstance(seen[0], float)
    assert 6.0 < seen[0] <= 7.0


# --- response bodies: capped on the wire and decoded, one coding -------------------------------------


def _gzipped_payment(fake: FakeIyzico) -> Callable[[httpx.Request], httpx.Response]:
    def answer(request: httpx.Request) -> httpx.Response:
        plain = fake.default_reply(request)
        compressed = httpx.ByteStream(gzip.compress(plain.content))
        return httpx.Response(200, headers={"content-encoding": "gzip"}, stream=compressed)

    return answer


def test_a_gzip_body_is_decoded_over_every_default_transport(default_transport: str) -> None:
    fake = FakeIyzico()
    fake.script.append(_gzipped_payment(fake))
    with ScriptedServer(iyzico_answers(fake)) as server:
        payment = call(_client(server.url()), "money", default_transport)
    assert isinstance(payment, PaymentResource)
    assert fake.requests[0].headers["accept-encoding"] == "gzip"


@pytest.mark.parametrize(
    "encoding", ["gzip, gzip", "br", "deflate", "gzip, identity, gzip", "compress"], ids=lambda name: name
)
def test_codings_other_than_one_gzip_are_refused(
    encoding: str, make_client: Callable[..., IyzicoClient], fake: FakeIyzico
) -> None:
    wire = httpx.ByteStream(b"\x1f\x8b...")  # a stream: httpx would decode `content=` at once
    fake.script.append(httpx.Response(200, headers={"content-encoding": encoding}, stream=wire))
    outcome = outcome_of(make_client(), "money", "sync")
    assert isinstance(outcome, PaymentOutcomeUnknown), repr(outcome)


@pytest.mark.parametrize("mode", ["sync", "async"])
def test_a_body_that_inflates_past_the_decoded_cap_is_refused(
    mode: str, make_client: Callable[..., IyzicoClient], fake: FakeIyzico, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(response_body, "MAX_RESPONSE_DECODED_BYTES", 1024 * 1024)
    bomb = gzip.compress(b"0" * (4 * 1024 * 1024))  # a few KB on the wire
    fake.script.append(httpx.Response(200, headers={"content-encoding": "gzip"}, stream=httpx.ByteStream(bomb)))
    outcome = outcome_of(make_client(), "safe", mode)
    assert isinstance(outcome, IyzicoConnectionError), repr(outcome)
    assert "decoded response body is larger" in str(outcome)
    assert fake.sends == 1  # not retried: it would come the same way again


@pytest.mark.parametrize("in_memory", [True, False], ids=["whole", "streamed"])
def test_a_body_past_the_wire_cap_is_refused(
    in_memory: bool, make_client: Callable[..., IyzicoClient], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(response_body, "MAX_RESPONSE_BODY_BYTES", 1000)
    big = json_response(200, {**signed_payment(CANARY_SECRET), "padding": "x" * 2000})

    def answer(request: httpx.Request) -> httpx.Response:
        if in_memory:
            return big
        return httpx.Response(200, headers=big.headers, stream=httpx.ByteStream(big.content) and _Chunks(big.content))

    client = IyzicoClient(CANARY_API_KEY, CANARY_SECRET, transport=httpx.MockTransport(answer), retry=QUICK)
    outcome = outcome_of(client, "money", "sync")
    assert isinstance(outcome, PaymentOutcomeUnknown), repr(outcome)
    assert "larger than 1000 bytes" in str(outcome)


class _Chunks(httpx.SyncByteStream):
    """A body delivered in small chunks, as a network transport streams it."""

    def __init__(self, content: bytes) -> None:
        self._content = content

    def __iter__(self) -> Iterator[bytes]:
        for start in range(0, len(self._content), 100):
            yield self._content[start : start + 100]


@pytest.mark.parametrize("damage", ["truncated", "trailing bytes"])
def test_a_broken_gzip_body_is_refused(damage: str, make_client: Callable[..., IyzicoClient], fake: FakeIyzico) -> None:
    body = gzip.compress(fake.default_reply(httpx.Request("POST", "https://x/payment/auth", content=b"{}")).content)
    broken = body[:-5] if damage == "truncated" else body + b"junk"
    fake.script.append(httpx.Response(200, headers={"content-encoding": "gzip"}, stream=httpx.ByteStream(broken)))
    assert isinstance(outcome_of(make_client(), "money", "sync"), PaymentOutcomeUnknown)


# --- TLS -----------------------------------------------------------------------------------------------


def test_every_client_shares_one_tls_context(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SSL_CERT_FILE", raising=False)
    monkeypatch.delenv("SSL_CERT_DIR", raising=False)
    contexts = [_client("https://api.example")._network_settings().ssl_context for _ in range(3)]
    assert contexts[0] is contexts[1] is contexts[2]
    transport = _client("https://api.example").get_httpx_client()._transport  # httpx keeps it private
    assert isinstance(transport, RetryingTransport)
    assert isinstance(transport.inner, network.NetworkTransport)


def test_a_client_that_never_speaks_tls_loads_no_trust_store() -> None:
    """Plain http:// (loopback only) and no https:// proxy: a context that verifies and trusts nobody."""
    context = _client("http://127.0.0.1:8099")._network_settings().ssl_context
    assert context.get_ca_certs() == []
    assert context.verify_mode == ssl.CERT_REQUIRED
    assert context.check_hostname
    assert _client("http://127.0.0.1:8099", proxy="https://proxy.example")._network_settings().ssl_context is (
        _client("https://api.example")._network_settings().ssl_context
    )


def test_ssl_cert_file_names_the_trust_store_unless_the_environment_is_ignored(
    tls_files: TlsFiles, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SSL_CERT_FILE", str(tls_files.ca_cert))
    with ScriptedServer(iyzico_answers(FakeIyzico()), tls=tls_files.server_context()) as server:
        assert isinstance(call(_client(server.url()), "money", "sync"), PaymentResource)
        outcome = outcome_of(_client(server.url(), trust_env=False), "money", "sync")
    assert isinstance(outcome, IyzicoConnectionError), repr(outcome)
    assert "CERTIFICATE_VERIFY_FAILED" in str(outcome)


def test_an_ssl_context_that_does_not_verify_is_refused() -> None:
    lax = ssl.create_default_context()
    lax.check_hostname = False
    lax.verify_mode = ssl.CERT_NONE
    with pytest.raises(ValueError, match="must verify"):
        _client("https://api.example", ssl_context=lax)


# --- proxies -------------------------------------------------------------------------------------------


@attrs.frozen
class _Upstream:
    server: ScriptedServer
    fake: FakeIyzico
    options: dict[str, typing.Any]


@pytest.fixture(params=["http", "https"])
def upstream(request: pytest.FixtureRequest, tls_files: TlsFiles) -> Iterator[_Upstream]:
    """An iyzico-like server behind the proxy: plain http (loopback), or TLS reached through CONNECT."""
    fake = FakeIyzico()
    tls = tls_files.server_context() if request.param == "https" else None
    options = {"ssl_context": tls_files.client_context()} if tls else {}
    with ScriptedServer(iyzico_answers(fake), tls=tls) as server:
        yield _Upstream(server, fake, options)


def _relayed(proxy: LoopbackProxy, upstream: _Upstream) -> list[str]:
    return proxy.tunnels if upstream.server.url().startswith("https") else proxy.forwarded


@pytest.mark.parametrize("mode", ["sync", "async-aiohttp", "async-httpcore"])
def test_a_proxy_argument_carries_signed_verified_calls(
    mode: str, upstream: _Upstream, monkeypatch: pytest.MonkeyPatch
) -> None:
    if mode == "async-httpcore":
        monkeypatch.setattr(network, "_aiohttp_installed", lambda: False)
    with LoopbackProxy() as proxy:
        client = _client(upstream.server.url(), proxy=proxy.url, **upstream.options)
        payment = call(client, "money", mode)
    assert isinstance(payment, PaymentResource)  # its signature and echo were verified
    assert upstream.fake.bad_signatures == 0  # and ours was accepted
    assert len(_relayed(proxy, upstream)) == 1


@pytest.mark.parametrize("mode", ["sync", "async-aiohttp"])
def test_the_environment_names_the_proxy(mode: str, upstream: _Upstream, monkeypatch: pytest.MonkeyPatch) -> None:
    with LoopbackProxy() as proxy:
        monkeypatch.setenv("HTTPS_PROXY", proxy.url)
        monkeypatch.setenv("HTTP_PROXY", proxy.url.removeprefix("http://"))  # no scheme: http://, as httpx reads it
        monkeypatch.delenv("NO_PROXY", raising=False)
        monkeypatch.delenv("no_proxy", raising=False)
        payment = call(_client(upstream.server.url(), **upstream.options), "money", mode)
        direct = call(_client(upstream.server.url(), trust_env=False, **upstream.options), "money", mode)
        monkeypatch.setenv("NO_PROXY", "127.0.0.1")
        exempt = call(_client(upstream.server.url(), **upstream.options), "money", mode)
    assert isinstance(payment, PaymentResource)
    assert isinstance(direct, PaymentResource)
    assert isinstance(exempt, PaymentResource)
    assert len(_relayed(proxy, upstream)) == 1  # the first call only
    assert len(upstream.fake.requests) == 3


def test_an_unreachable_proxy_is_a_connect_error_and_nothing_is_sent(upstream: _Upstream) -> None:
    with LoopbackProxy() as gone:
        dead = gone.url
    outcome = outcome_of(_client(upstream.server.url(), proxy=dead, **upstream.options), "money", "sync")
    assert isinstance(outcome, IyzicoConnectionError), repr(outcome)
    assert upstream.fake.requests == []


@pytest.mark.parametrize("proxy", ["socks5://127.0.0.1:1080", "ftp://proxy"])
def test_only_http_proxies_are_accepted(proxy: str) -> None:
    with pytest.raises(ValueError, match="http:// or https://"):
        _client("https://api.example", proxy=proxy)


# --- the pool --------------------------------------------------------------------------------------------


@pytest.mark.parametrize("mode", ["sync", "async-aiohttp", "async-httpcore"])
def test_the_default_pool_carries_32_calls_in_flight_at_once(mode: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """The server holds every answer until 32 requests are in: a smaller pool would never get there."""
    if mode == "async-httpcore":
        monkeypatch.setattr(network, "_aiohttp_installed", lambda: False)
    in_flight = DEFAULT_LIMITS.max_connections
    assert in_flight == 32
    everyone = threading.Barrier(in_flight, timeout=10)
    fake = FakeIyzico()

    def hold_then_answer(peer: Peer) -> None:
        received = peer.read_request()
        if received is not None:
            everyone.wait()
            answer_as(fake, peer, received)

    with ScriptedServer(hold_then_answer) as server:
        client = _client(server.url(), retry=RetryPolicy(max_retries=0, deadline=30))
        results = _in_parallel(client, mode, in_flight)
    assert [type(result) for result in results] == [PaymentResource] * in_flight
    assert server.accepted == in_flight


def _in_parallel(client: IyzicoClient, mode: str, count: int) -> list[object]:
    if mode == "sync":
        results: list[object] = [None] * count

        def one(index: int) -> None:
            results[index] = outcome_of(client, "money", "sync")

        in_threads(one, count)
        client.close()
        return results

    async def gather() -> list[object]:
        try:
            calls = (create_payment.asyncio(client=client, body=payment_request()) for _ in range(count))
            return list(await asyncio.gather(*calls, return_exceptions=True))
        finally:
            await client.aclose()

    return asyncio.run(gather())


# --- httpx-aiohttp, as the default async transport -----------------------------------------------------


def test_asyncio_calls_go_through_httpx_aiohttp_and_fall_back_to_httpcore_without_it(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    async def chosen() -> httpx.AsyncBaseTransport:
        transport = network.AsyncNetworkTransport(_client("https://api.example")._network_settings())
        picked = transport._chosen()
        await transport.aclose()
        return picked

    assert isinstance(asyncio.run(chosen()), AiohttpTransport)
    monkeypatch.setattr(network, "_aiohttp_installed", lambda: False)
    assert isinstance(asyncio.run(chosen()), httpx.AsyncHTTPTransport)


def _raised_by_httpx_aiohttp(cause: BaseException) -> httpx.TransportError:
    """What httpx-aiohttp itself raises for any aiohttp connection error: a connect timeout."""
    wrapped = httpx.ConnectTimeout(str(cause))
    wrapped.__cause__ = cause
    return wrapped


_CONNECTION = ConnectionKey("127.0.0.1", 443, True, True, None, None, None, None)


@pytest.mark.parametrize(
    ("raised", "expected"),
    [
        (aiohttp.ConnectionTimeoutError("no pooled connection in time"), httpx.ConnectTimeout),
        (aiohttp.ClientConnectorError(_CONNECTION, OSError(111, "refused")), httpx.ConnectError),
        (aiohttp.SocketTimeoutError("read"), httpx.ReadTimeout),
        (aiohttp.ServerDisconnectedError(), httpx.RemoteProtocolError),
        (_raised_by_httpx_aiohttp(aiohttp.ServerDisconnectedError()), httpx.RemoteProtocolError),
        (aiohttp.ClientOSError(104, "connection reset"), httpx.ReadError),
        (aiohttp.ClientPayloadError("body shorter than its length"), httpx.ReadError),
        (TimeoutError(), httpx.ReadTimeout),
    ],
    ids=lambda value: type(value).__name__ if isinstance(value, BaseException) else value.__name__,
)
def test_aiohttp_errors_map_to_never_sent_only_before_anything_was_written(
    raised: BaseException, expected: type[httpx.TransportError]
) -> None:
    request = httpx.Request("POST", "https://api.example/payment/auth")
    mapped = _contract_error(raised, request)
    assert type(mapped) is expected
    assert mapped.request is request


def _answer_once_then_drop(fake: FakeIyzico) -> Callable[[Peer], None]:
    """A keep-alive connection that answers one request, reads the next, and closes without answering."""

    def script(peer: Peer) -> None:
        received = peer.read_request()
        if received is not None:
            answer_as(fake, peer, received)
            peer.read_request()
            peer.close()

    return script


def test_aiohttp_never_resends_a_put_on_a_dropped_connection() -> None:
    """aiohttp would resend an idempotent method once when a reused connection drops; iyzico may have
    applied the update already, and the call is a one-shot write: exactly two requests reach it."""
    fake = FakeIyzico()
    for _ in range(2):
        fake.script.append(json_response(200, {"status": "success", "locale": "tr", "systemTime": 1}))
    request = UpdateSubMerchantRequest.from_dict(_SUB_MERCHANT_UPDATE)

    async def twice(client: IyzicoClient) -> list[object]:
        outcomes: list[object] = []
        try:
            for _ in range(2):
                try:
                    outcomes.append(await update_sub_merchant.asyncio(client=client, body=request))
                except IyzicoConnectionError as error:
                    outcomes.append(error)
        finally:
            await client.aclose()
        return outcomes

    with ScriptedServer(_answer_once_then_drop(fake)) as server:
        outcomes = asyncio.run(twice(_client(server.url())))
    assert [type(outcome) for outcome in outcomes[1:]] == [IyzicoConnectionError]
    assert len(server.requests) == 2


_SUB_MERCHANT_UPDATE = {
    "subMerchantKey": "sub-merchant-key-1",
    "name": "Çiçekçi",
    "email": "shop@example.com.tr",
    "iban": "TR180006200119000006672315",
    "address": "Kadıköy",
    "contactName": "Ayşe",
    "contactSurname": "Yılmaz",
    "identityNumber": "74300864791",
}


def test_aiohttp_keeps_no_cookie_jar() -> None:
    fake = FakeIyzico()

    def with_cookie(request: httpx.Request) -> httpx.Response:
        reply = fake.default_reply(request)
        return httpx.Response(
            200, headers={**reply.headers, "set-cookie": "AWSALB=sticky; Path=/"}, content=reply.content
        )

    fake.script.append(with_cookie)

    async def twice(client: IyzicoClient) -> None:
        try:
            for _ in range(2):
                await create_payment.asyncio(client=client, body=payment_request())
        finally:
            await client.aclose()

    with ScriptedServer(iyzico_answers(fake)) as server:
        asyncio.run(twice(_client(server.url())))
    assert [request.headers.get("cookie") for request in fake.requests] == [None, None]


def test_the_aiohttp_transport_serves_one_event_loop_after_another() -> None:
    fake = FakeIyzico()
    with ScriptedServer(iyzico_answers(fake)) as server:
        transport = AiohttpTransport(_client(server.url())._network_settings())

        async def one_call() -> int:
            try:
                response = await transport.handle_async_request(httpx.Request("GET", server.url("/payment/test")))
                await response.aread()
                return response.status_code
            finally:
                await transport.aclose()  # this loop's session; the transport stays usable

        assert [asyncio.run(one_call()) for _ in range(2)] == [200, 200]
    assert server.accepted == 2


# --- IyzicoClient over the default transports, against the emulator on a real port ------------------------


def _emulator_payment(conversation_id: str) -> CreatePaymentRequest:
    return attrs.evolve(bench_payment_request(), conversation_id=conversation_id)


@pytest.mark.parametrize("mode", ["sync", "async"])
def test_iyzico_client_pays_over_the_default_transports(mode: str, iyzico_sandbox_server: SandboxHandle) -> None:
    sandbox = iyzico_sandbox_server
    client = IyzicoClient(sandbox.api_key, sandbox.secret_key, sandbox.base_url)
    conversation_id = f"default-{mode}"

    async def pay_async() -> PaymentResource:
        try:
            return await create_payment.asyncio(client=client, body=_emulator_payment(conversation_id))
        finally:
            await client.aclose()

    if mode == "sync":
        payment = create_payment.sync(client=client, body=_emulator_payment(conversation_id))
        retrying: object = client.get_httpx_client()._transport  # httpx keeps its transport private
        assert isinstance(retrying, RetryingTransport)
        assert isinstance(retrying.inner, network.NetworkTransport)
        client.close()
    else:
        payment = asyncio.run(pay_async())
        retrying = client.get_async_httpx_client()._transport
        assert isinstance(retrying, AsyncRetryingTransport)
        assert isinstance(retrying.inner, network.AsyncNetworkTransport)
    assert payment.status == "success"
    assert [entry["paymentId"] for entry in sandbox.ledger(conversation_id)] == [payment.payment_id]
