"""The framework-agnostic handlers of the three requests iyzico sends, against the in-process emulator."""

from __future__ import annotations

import json
import typing
from collections.abc import Iterator
from decimal import Decimal

import pytest

from iyzico_client.api.checkout_form import initialize_checkout_form
from iyzico_client.api.threeds import initialize_threeds
from iyzico_ext import (
    CheckoutPaid,
    ExpectedPayment,
    MemoryWebhookStore,
    Refusal,
    SecretKey,
    ThreedsPaid,
    WebhookAccepted,
    handle_checkout_callback,
    handle_checkout_callback_async,
    handle_threeds_callback,
    handle_threeds_callback_async,
    handle_webhook,
)
from iyzico_ext.sandbox import DEFAULT_SECRET_KEY, webhook_signature
from iyzico_ext.sandbox.browser import HOSTED_PAGE_TEST_CARD, complete_threeds, pay_hosted_page
from iyzico_ext.sandbox.embedded import SandboxHandle, in_process_sandbox
from tests.shop import checkout_request, threeds_request

CALLBACK_URL = "https://shop.example/iyzico/callback"


@pytest.fixture
def sandbox() -> Iterator[SandboxHandle]:
    with in_process_sandbox() as handle:
        yield handle


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


def threeds_form(sandbox: SandboxHandle, conversation_id: str, *, authenticate: bool = True) -> dict[str, str]:
    started = initialize_threeds.sync(client=sandbox.client, body=threeds_request(CALLBACK_URL, conversation_id))
    assert started is not None
    assert isinstance(started.three_ds_html_content, str)
    form = complete_threeds(sandbox.http, started.three_ds_html_content, authenticate=authenticate)
    assert form.action == CALLBACK_URL
    return form.fields


def checkout_form(sandbox: SandboxHandle, card: typing.Mapping[str, str] = HOSTED_PAGE_TEST_CARD) -> dict[str, str]:
    started = initialize_checkout_form.sync(client=sandbox.client, body=checkout_request(CALLBACK_URL, "order-7"))
    assert started is not None
    assert isinstance(started.payment_page_url, str)
    return pay_hosted_page(sandbox.http, started.payment_page_url, card).fields


def expected_order(conversation_id: str | None = None, **changes: typing.Any) -> ExpectedPayment:
    request = threeds_request(CALLBACK_URL, "x")
    fields: dict[str, typing.Any] = {
        "paid_price": request.paid_price,
        "price": request.price,
        "basket_id": "order-x",
        "conversation_id": conversation_id,
        **changes,
    }
    return ExpectedPayment(**fields)


def test_threeds_callback_completes_the_payment(sandbox: SandboxHandle) -> None:
    result = handle_threeds_callback(sandbox.client, threeds_form(sandbox, "c-1"))
    assert isinstance(result, ThreedsPaid)
    assert result.conversation_id == "c-1"
    assert result.payment.payment_id == result.payment_id
    [charged] = sandbox.ledger("c-1")
    assert charged["paymentId"] == result.payment_id


def test_threeds_callback_with_the_order_uses_v2_and_checks_the_amounts(sandbox: SandboxHandle) -> None:
    orders = {"x": expected_order()}
    result = handle_threeds_callback(sandbox.client, threeds_form(sandbox, "x"), expected=orders.get)
    assert isinstance(result, ThreedsPaid)
    assert result.payment.paid_price == orders["x"].paid_price


def test_threeds_callback_refuses_an_order_with_other_amounts(sandbox: SandboxHandle) -> None:
    wrong = expected_order(paid_price=Decimal("999.00"))
    result = handle_threeds_callback(sandbox.client, threeds_form(sandbox, "x"), expected=lambda _: wrong)
    assert isinstance(result, Refusal)
    assert result.reason == "payment_failed"  # iyzico refuses a v2 auth whose paidPrice differs (5022)
    assert sandbox.ledger("x") == []


def test_threeds_callback_of_an_unknown_order(sandbox: SandboxHandle) -> None:
    result = handle_threeds_callback(sandbox.client, threeds_form(sandbox, "c-2"), expected=lambda _: None)
    assert isinstance(result, Refusal)
    assert (result.reason, result.http_status) == ("unknown_order", 404)
    assert sandbox.ledger("c-2") == []


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        ({"paymentId": "25000099"}, "bad_signature"),
        ({"signature": "00" * 32}, "bad_signature"),
        ({"mdStatus": "1", "status": "failure"}, "bad_signature"),
        ({"conversationData": ["a", "b"]}, "malformed"),
    ],
)
def test_threeds_callback_refuses_a_forged_form(sandbox: SandboxHandle, change: dict[str, object], reason: str) -> None:
    form: dict[str, object] = {**threeds_form(sandbox, "c-3"), **change}
    result = handle_threeds_callback(sandbox.client, form)
    assert isinstance(result, Refusal)
    assert result.reason == reason
    assert result.http_status == 400
    assert sandbox.ledger("c-3") == []


def test_threeds_callback_without_authentication(sandbox: SandboxHandle) -> None:
    result = handle_threeds_callback(sandbox.client, threeds_form(sandbox, "c-4", authenticate=False))
    assert isinstance(result, Refusal)
    assert (result.reason, result.conversation_id) == ("not_authenticated", "c-4")
    assert sandbox.ledger("c-4") == []


def test_a_replayed_threeds_callback_charges_nothing_more(sandbox: SandboxHandle) -> None:
    form = threeds_form(sandbox, "c-5")
    assert isinstance(handle_threeds_callback(sandbox.client, form), ThreedsPaid)
    again = handle_threeds_callback(sandbox.client, form)
    assert isinstance(again, Refusal)
    assert again.reason == "payment_failed"
    assert len(sandbox.ledger("c-5")) == 1


def test_checkout_callback_retrieves_the_paid_order(sandbox: SandboxHandle) -> None:
    form = checkout_form(sandbox)
    result = handle_checkout_callback(sandbox.client, form)
    assert isinstance(result, CheckoutPaid)
    assert result.token == form["token"]
    assert result.basket_id == "order-order-7"
    [charged] = sandbox.ledger("order-7")
    assert charged["paymentId"] == result.payment_id


def test_checkout_callback_binds_the_retrieve_to_the_order(sandbox: SandboxHandle) -> None:
    form = checkout_form(sandbox)
    order = expected_order("order-7", basket_id="order-order-7")
    result = handle_checkout_callback(sandbox.client, form, expected={form["token"]: order}.get)
    assert isinstance(result, CheckoutPaid)
    assert result.conversation_id == "order-7"
    other = expected_order("order-7", basket_id="order-8")
    refused = handle_checkout_callback(sandbox.client, form, expected=lambda _: other)
    assert isinstance(refused, Refusal)
    assert (refused.reason, refused.http_status) == ("mismatch", 409)


def test_checkout_callback_of_a_declined_card(sandbox: SandboxHandle) -> None:
    form = checkout_form(sandbox, {**HOSTED_PAGE_TEST_CARD, "cardNumber": "4111111111111129"})
    result = handle_checkout_callback(sandbox.client, form)
    assert isinstance(result, Refusal)
    assert result.reason == "payment_failed"
    assert "10051" in result.message


@pytest.mark.parametrize("form", [{}, {"token": ""}, {"token": "not-a-token"}, {"token": 7}])
def test_checkout_callback_refuses_what_iyzico_did_not_send(sandbox: SandboxHandle, form: dict[str, object]) -> None:
    result = handle_checkout_callback(sandbox.client, form)
    assert isinstance(result, Refusal)
    assert result.reason in ("malformed", "payment_failed")


def webhook_request(**changes: object) -> tuple[bytes, dict[str, str]]:
    payload: dict[str, object] = {
        "paymentConversationId": "c-9",
        "merchantId": 3382172,  # iyzico's merchant ids are numbers (the captured payloads)
        "iyziReferenceCode": "9f1c1b0e-6f2f-4c1a-9a57-3c2b8f0b6a11",
        "iyziEventType": "API_AUTH",
        "iyziEventTime": 1755198001941,
        "iyziPaymentId": 25000001,
        "paymentId": 25000001,
        "status": "SUCCESS",
    }
    signature = webhook_signature(SecretKey(DEFAULT_SECRET_KEY), payload)
    payload.update(changes)
    return json.dumps(payload).encode(), {"Content-Type": "application/json", "X-Iyz-Signature-V3": signature}


def test_webhook_is_verified_and_deduplicated(sandbox: SandboxHandle) -> None:
    store = MemoryWebhookStore()
    body, headers = webhook_request()
    first = handle_webhook(sandbox.client, body, headers, store)
    assert isinstance(first, WebhookAccepted)
    assert (first.duplicate, first.http_status) == (False, 200)
    assert (first.event.payment_id, first.event.payment_conversation_id) == ("25000001", "c-9")
    again = handle_webhook(sandbox.client, body, headers, store)
    assert isinstance(again, WebhookAccepted)
    assert again.duplicate


@pytest.mark.parametrize("change", [{"status": "FAILURE"}, {"paymentId": 25000002}, {"iyziEventType": "X"}])
def test_a_forged_webhook_is_refused(sandbox: SandboxHandle, change: dict[str, object]) -> None:
    body, headers = webhook_request(**change)
    result = handle_webhook(sandbox.client, body, headers, MemoryWebhookStore())
    assert isinstance(result, Refusal)
    assert (result.reason, result.http_status) == ("bad_signature", 400)


def test_a_webhook_without_its_header_is_refused(sandbox: SandboxHandle) -> None:
    body, _ = webhook_request()
    result = handle_webhook(sandbox.client, body, {}, MemoryWebhookStore())
    assert isinstance(result, Refusal)
    assert result.reason == "bad_signature"


def test_the_memory_store_forgets_the_oldest_keys() -> None:
    store = MemoryWebhookStore(capacity=2)
    assert [store.first_delivery(key) for key in ("a", "b", "a", "c", "a")] == [True, True, False, True, True]


@pytest.mark.anyio
async def test_async_handlers(sandbox: SandboxHandle) -> None:
    paid = await handle_threeds_callback_async(sandbox.client, threeds_form(sandbox, "c-10"))
    assert isinstance(paid, ThreedsPaid)
    retrieved = await handle_checkout_callback_async(sandbox.client, checkout_form(sandbox))
    assert isinstance(retrieved, CheckoutPaid)
    await sandbox.client.aclose()
