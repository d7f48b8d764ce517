"""IyzicoClient: construction rules, and the happy path through generated functions (sync and async)."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from decimal import Decimal

import httpx
import pytest

from iyzico_client import Client
from iyzico_client.api.health import check_api_health
from iyzico_client.api.payment import create_payment, retrieve_payment
from iyzico_client.models.payment_resource import PaymentResource
from iyzico_ext import LIVE_URL, SANDBOX_URL, IyzicoClient, RetryPolicy, SecretKey
from tests.canaries import CANARY_LIVE_API_KEY

from .conftest import CANARIES, CANARY_API_KEY, CANARY_SECRET, FakeIyzico, payment_request, retrieve_request

MakeClient = Callable[..., IyzicoClient]


def test_is_a_generated_client() -> None:
    client = IyzicoClient(CANARY_API_KEY, CANARY_SECRET)
    assert isinstance(client, Client)
    assert SANDBOX_URL in repr(client)


def test_repr_shows_base_url_and_masked_key_only() -> None:
    client = IyzicoClient(CANARY_LIVE_API_KEY, SecretKey(CANARY_SECRET), LIVE_URL)
    text = repr(client) + str(client)
    assert LIVE_URL in text
    assert not any(canary in text for canary in CANARIES)


@pytest.mark.parametrize(
    "base_url",
    ["http://sandbox-api.iyzipay.com", "ftp://127.0.0.1", "http://10.0.0.1:8080", "sandbox-api.iyzipay.com"],
)
def test_refuses_insecure_base_urls(base_url: str) -> None:
    with pytest.raises(ValueError, match="https://"):
        IyzicoClient(CANARY_API_KEY, CANARY_SECRET, base_url)


@pytest.mark.parametrize("base_url", ["http://127.0.0.1:8000", "http://localhost", "http://[::1]:9000"])
def test_allows_plain_http_on_loopback(base_url: str) -> None:
    IyzicoClient(CANARY_API_KEY, CANARY_SECRET, base_url)


@pytest.mark.parametrize(("api_key", "secret_key"), [("", CANARY_SECRET), (CANARY_API_KEY, ""), (" ", " ")])
def test_refuses_empty_keys(api_key: str, secret_key: str) -> None:
    with pytest.raises(ValueError, match="non-empty") as caught:
        IyzicoClient(api_key, secret_key)
    assert CANARY_SECRET not in str(caught.value)


def test_from_env() -> None:
    env = {"IYZIPAY_API_KEY": CANARY_API_KEY, "IYZIPAY_SECRET_KEY": CANARY_SECRET}
    assert SANDBOX_URL in repr(IyzicoClient.from_env(env))
    live = IyzicoClient.from_env({**env, "IYZIPAY_API_KEY": CANARY_LIVE_API_KEY, "IYZIPAY_BASE_URL": LIVE_URL})
    assert LIVE_URL in repr(live)


def test_from_env_names_the_missing_variables() -> None:
    with pytest.raises(ValueError, match="IYZIPAY_API_KEY and IYZIPAY_SECRET_KEY"):
        IyzicoClient.from_env({})


def test_httpx_clients_are_safe_by_default() -> None:
    client = IyzicoClient(CANARY_API_KEY, CANARY_SECRET)
    for httpx_client in (client.get_httpx_client(), client.get_async_httpx_client()):
        assert httpx_client.follow_redirects is False
        timeout = httpx_client.timeout
        assert None not in (timeout.connect, timeout.read, timeout.write, timeout.pool)
    assert client.get_httpx_client() is client.get_httpx_client()
    client.close()


def test_with_timeout_and_headers_keep_the_trust_layer(make_client: MakeClient, fake: FakeIyzico) -> None:
    client = make_client().with_timeout(httpx.Timeout(3.0)).with_headers({"x-test": "1"})
    assert isinstance(client, IyzicoClient)
    create_payment.sync(client=client, body=payment_request())
    assert fake.requests[0].headers["x-test"] == "1"
    assert fake.bad_signatures == 0
    with pytest.raises(TypeError):
        client.with_cookies({"a": "b"})


def _assert_verified_payment(payment: PaymentResource | None) -> None:
    assert isinstance(payment, PaymentResource)
    assert payment.price == Decimal("1.0")
    assert payment.paid_price == Decimal("1.2")
    assert isinstance(payment.paid_price, Decimal)


def test_create_payment_sync(make_client: MakeClient, fake: FakeIyzico) -> None:
    payment = create_payment.sync(client=make_client(), body=payment_request())
    _assert_verified_payment(payment)
    assert fake.sends == 1
    assert fake.bad_signatures == 0
    assert b'"price":1.0,"paidPrice":1.2' in fake.requests[0].content


@pytest.mark.anyio
async def test_create_payment_async(make_client: MakeClient, fake: FakeIyzico) -> None:
    client = make_client()
    payment = await create_payment.asyncio(client=client, body=payment_request())
    _assert_verified_payment(payment)
    assert fake.bad_signatures == 0
    await client.aclose()


def test_retrieve_payment_sync(make_client: MakeClient, fake: FakeIyzico) -> None:
    _assert_verified_payment(retrieve_payment.sync(client=make_client(), body=retrieve_request()))


def test_bodyless_get_signs_path_only(make_client: MakeClient, fake: FakeIyzico) -> None:
    fake.script.append(httpx.Response(200, json={"status": "success", "locale": "tr", "systemTime": 1}))
    result = check_api_health.sync(client=make_client())
    assert result is not None
    assert fake.requests[0].content == b""
    assert fake.bad_signatures == 0


def test_money_moving_call_without_conversation_id_gets_one(make_client: MakeClient, fake: FakeIyzico) -> None:
    from iyzico_client.types import UNSET

    payment = create_payment.sync(client=make_client(), body=payment_request(conversation_id=UNSET))
    sent = fake.requests[0].content
    assert sent.startswith(b'{"conversationId":"')
    injected = sent.split(b'"')[3].decode()
    assert len(injected) == 32
    assert payment is not None
    assert payment.conversation_id == injected
    assert fake.bad_signatures == 0


@pytest.mark.anyio
async def test_the_default_async_sleep_waits_on_the_running_event_loop() -> None:
    loop = asyncio.get_running_loop()
    started = loop.time()
    await RetryPolicy().async_sleep(0.01)
    assert loop.time() - started >= 0.01
