"""Our own client (`IyzicoClient` + the generated functions) runs every operation of the spec against the
emulator, sync and async, through the `iyzico_sandbox` fixture: signatures verified, echoes checked.

Request bodies are written as iyzico JSON and turned into the generated request models with `from_dict`,
so this test walks one realistic scenario without restating the models' constructors.
"""

from __future__ import annotations

import importlib
import re
import typing
from collections.abc import Awaitable, Callable
from decimal import Decimal

import pytest

import iyzico_client.models
from iyzico_ext import CardDeclinedError
from iyzico_ext._operations import operations
from iyzico_ext.sandbox.browser import HOSTED_PAGE_TEST_CARD, complete_threeds, pay_hosted_page
from iyzico_ext.sandbox.embedded import SandboxHandle

from .conftest import NEXT_YEAR, payment_body, with_card

Call = Callable[[str, dict[str, typing.Any]], Awaitable[dict[str, typing.Any]]]


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


def _snake(name: str) -> str:
    return re.sub(r"(?<!^)(?=[A-Z])", "_", name).lower()


def _invoke(operation_id: str, body: dict[str, typing.Any]) -> tuple[typing.Any, typing.Any]:
    """(generated module, request model or None) for an operation."""
    operation = operations()[operation_id]
    module = importlib.import_module(f"iyzico_client.api.{operation.tag}.{_snake(operation_id)}")
    if operation.request_schema is None:
        return module, None
    model = getattr(iyzico_client.models, operation.request_schema)
    return module, model.from_dict(body)


def sync_call(sandbox: SandboxHandle) -> Call:
    async def call(operation_id: str, body: dict[str, typing.Any]) -> dict[str, typing.Any]:
        module, model = _invoke(operation_id, body)
        kwargs = {} if model is None else {"body": model}
        result = module.sync(client=sandbox.client, **kwargs)
        answer: dict[str, typing.Any] = result.to_dict()
        return answer

    return call


def async_call(sandbox: SandboxHandle) -> Call:
    async def call(operation_id: str, body: dict[str, typing.Any]) -> dict[str, typing.Any]:
        module, model = _invoke(operation_id, body)
        kwargs = {} if model is None else {"body": model}
        result = await module.asyncio(client=sandbox.client, **kwargs)
        answer: dict[str, typing.Any] = result.to_dict()
        return answer

    return call


async def _every_operation(sandbox: SandboxHandle, call: Call) -> set[str]:
    used: set[str] = set()

    async def run(operation_id: str, body: dict[str, typing.Any]) -> dict[str, typing.Any]:
        used.add(operation_id)
        return await call(operation_id, body)

    await run("checkApiHealth", {})
    sub_merchant = {
        "subMerchantExternalId": "shop-1",
        "subMerchantType": "PERSONAL",
        "name": "Shop",
        "email": "shop@example.com",
        "iban": "TR180006200119000006672315",
        "contactName": "Ada",
        "contactSurname": "Lovelace",
        "identityNumber": "11111111111",
        "address": "Istanbul",
        "currency": "TRY",
    }
    key = (await run("createSubMerchant", sub_merchant))["subMerchantKey"]
    await run("updateSubMerchant", {"subMerchantKey": key, "name": "Shop 2", "iban": sub_merchant["iban"]})
    assert (await run("retrieveSubMerchant", {"subMerchantExternalId": "shop-1"}))["name"] == "Shop 2"

    body = payment_body(conversationId="order-1")
    for item in body["basketItems"]:
        item.update(subMerchantKey=key, subMerchantPrice=item["price"] * Decimal("0.9"))
    payment = await run("createPayment", body)
    transaction_id = payment["itemTransactions"][0]["paymentTransactionId"]
    assert (await run("retrievePayment", {"paymentConversationId": "order-1"}))["paymentId"] == payment["paymentId"]
    await run(
        "updatePaymentItem", {"subMerchantKey": key, "paymentTransactionId": transaction_id, "subMerchantPrice": "0.2"}
    )
    await run("approvePaymentItem", {"paymentTransactionId": transaction_id})
    await run("disapprovePaymentItem", {"paymentTransactionId": transaction_id})
    await run("refundPaymentItem", {"paymentTransactionId": transaction_id, "price": "0.1", "currency": "TRY"})
    await run("refundPayment", {"paymentId": payment["paymentId"], "price": "0.2", "currency": "TRY"})

    pre = await run("createPreAuthPayment", payment_body(conversationId="order-2"))
    await run("createPostAuthPayment", {"paymentId": pre["paymentId"], "paidPrice": "1.0", "currency": "TRY"})
    await run("cancelPayment", {"paymentId": pre["paymentId"]})

    card = {"cardAlias": "mine", "cardNumber": "5528790000000008", "expireMonth": "12", "expireYear": NEXT_YEAR}
    stored = await run("createCard", {"email": "a@b.co", "externalId": "u1", "card": card})
    listed = await run("listCards", {"cardUserKey": stored["cardUserKey"]})
    assert [c["cardToken"] for c in listed["cardDetails"]] == [stored["cardToken"]]
    with_stored = payment_body(paymentCard={"cardUserKey": stored["cardUserKey"], "cardToken": stored["cardToken"]})
    assert (await run("createPayment", with_stored))["lastFourDigits"] == "0008"
    await run("deleteCard", {"cardUserKey": stored["cardUserKey"], "cardToken": stored["cardToken"]})

    assert (await run("checkBin", {"binNumber": "552879"}))["bankName"] == "Halkbank"
    await run("retrieveInstallmentInfo", {"binNumber": "552879", "price": "100.0"})

    for initialize, auth in (
        ("initializeThreeds", "createThreedsPayment"),
        ("initializeThreedsPreAuth", "createThreedsPaymentV2"),
    ):
        threeds_body = payment_body(conversationId=f"3ds-{initialize}", callbackUrl="https://shop.example/cb")
        started = await run(initialize, threeds_body)
        callback = complete_threeds(sandbox.http, started["threeDSHtmlContent"])
        assert callback.action == "https://shop.example/cb"
        assert callback.fields["mdStatus"] == "1"
        completed = await run(
            auth,
            {
                "paymentId": callback.fields["paymentId"],
                "conversationData": callback.fields["conversationData"],
                "conversationId": threeds_body["conversationId"],
                "paidPrice": threeds_body["paidPrice"],
                "basketId": threeds_body["basketId"],
                "currency": "TRY",
            },
        )
        assert completed["paymentId"] == started["paymentId"]

    for initialize in ("initializeCheckoutForm", "initializeCheckoutFormPreAuth", "initializePayWithIyzico"):
        form_body = payment_body(conversationId=f"cf-{initialize}", callbackUrl="https://shop.example/cf")
        for field in ("paymentCard", "installment", "paymentChannel"):
            form_body.pop(field)
        started = await run(initialize, form_body)
        page_url = started.get("paymentPageUrl") or started["payWithIyzicoPageUrl"]
        posted = pay_hosted_page(sandbox.http, page_url, HOSTED_PAGE_TEST_CARD)
        assert posted.fields == {"token": started["token"]}
        result = await run("retrieveCheckoutForm", {"token": started["token"], "conversationId": f"cf-{initialize}"})
        assert result["paymentStatus"] == "SUCCESS"
    return used


def test_every_operation_sync(iyzico_sandbox: SandboxHandle) -> None:
    import asyncio

    used = asyncio.run(_every_operation(iyzico_sandbox, sync_call(iyzico_sandbox)))
    assert used == set(operations())


@pytest.mark.anyio
async def test_every_operation_async(iyzico_sandbox: SandboxHandle) -> None:
    used = await _every_operation(iyzico_sandbox, async_call(iyzico_sandbox))
    assert used == set(operations())
    await iyzico_sandbox.client.aclose()


def test_declined_card_is_a_typed_error(iyzico_sandbox: SandboxHandle) -> None:
    module, model = _invoke("createPayment", with_card(payment_body(), cardNumber="4111111111111129"))
    with pytest.raises(CardDeclinedError) as raised:
        module.sync(client=iyzico_sandbox.client, body=model)
    assert raised.value.error_code == "10051"
    assert iyzico_sandbox.ledger() == []


def test_real_loopback_server(iyzico_sandbox_server: SandboxHandle) -> None:
    module, model = _invoke("createPayment", payment_body(conversationId="socket-1"))
    payment = module.sync(client=iyzico_sandbox_server.client, body=model)
    assert [entry["paymentId"] for entry in iyzico_sandbox_server.ledger("socket-1")] == [payment.payment_id]
