"""Fault injection (header and admin endpoint, in-process and on a real socket), --db persistence, webhooks."""

from __future__ import annotations

import json
import time
import typing
from pathlib import Path

import httpx
import pytest

from iyzico_client.types import json_dumps, json_loads
from iyzico_ext import verify_threeds_callback
from iyzico_ext._secret import SecretKey
from iyzico_ext._signing import authorization_header, new_random_key, request_signature, response_signature
from iyzico_ext.sandbox import DEFAULT_API_KEY, DEFAULT_SECRET_KEY, create_app
from iyzico_ext.sandbox._server import ServerThread
from iyzico_ext.sandbox.browser import complete_threeds, pay_hosted_page
from iyzico_ext.sandbox.transport import InProcessTransport

from .conftest import BASE_URL, NEXT_YEAR, Caller, capturing_webhooks, checkout_body, ledger, payment_body, with_card

PAYMENT_FIELDS = ("paymentId", "currency", "basketId", "conversationId", "paidPrice", "price")


def _signed(content: bytes, path: str = "/payment/auth") -> dict[str, str]:
    random_key = new_random_key()
    signature = request_signature(SecretKey(DEFAULT_SECRET_KEY), random_key, path, content)
    return {"Authorization": authorization_header(DEFAULT_API_KEY, random_key, signature)}


@pytest.mark.parametrize(("fault", "stored"), [("drop-before-commit", 0), ("drop-after-commit", 1)])
def test_drop_in_process(call: Caller, fault: str, stored: int) -> None:
    with pytest.raises(httpx.RemoteProtocolError):
        call.raw("POST", "/payment/auth", json_dumps(payment_body()), {"X-Sandbox-Fault": fault})
    assert len(ledger(call.http)) == stored


@pytest.mark.parametrize("status", [500, 502, 503])
def test_gateway_errors_store_nothing(call: Caller, status: int) -> None:
    response = call.raw("POST", "/payment/auth", json_dumps(payment_body()), {"X-Sandbox-Fault": f"status-{status}"})
    assert response.status_code == status
    assert "json" not in response.headers["content-type"]
    assert ledger(call.http) == []


def test_truncated_body_and_bad_signature_are_committed(call: Caller) -> None:
    truncated = call.raw("POST", "/payment/auth", json_dumps(payment_body()), {"X-Sandbox-Fault": "truncated-body"})
    with pytest.raises(ValueError, match=r"Expecting|Unterminated"):
        json.loads(truncated.content)
    answer = call("/payment/auth", payment_body(), **{"X-Sandbox-Fault": "bad-signature"})
    assert answer["signature"] != response_signature(SecretKey(DEFAULT_SECRET_KEY), answer, PAYMENT_FIELDS)
    assert len(ledger(call.http)) == 2


def test_delay_and_bad_header(call: Caller) -> None:
    started = time.monotonic()
    call.ok("/payment/test", None, method="GET", **{"X-Sandbox-Fault": "delay;delay=0.2"})
    assert time.monotonic() - started >= 0.2
    response = call.raw("GET", "/payment/test", b"", {"X-Sandbox-Fault": "explode"})
    assert response.status_code == 400


def test_armed_faults_hit_the_next_calls_only(call: Caller) -> None:
    order = {"operation": "createPayment", "fault": "status-503", "count": 2}
    assert call.http.post("/_sandbox/faults", json=order).json()["faults"][0]["remaining"] == 2
    call.ok("/payment/test", method="GET")  # another operation is not affected
    codes = [call.raw("POST", "/payment/auth", json_dumps(payment_body())).status_code for _ in range(3)]
    assert codes == [503, 503, 200]
    assert call.http.post("/_sandbox/faults", json={"operation": "nope", "fault": "delay"}).status_code == 400


def test_drop_on_a_real_socket() -> None:
    app = create_app()
    with ServerThread(app) as url, httpx.Client(base_url=url) as client:
        content = json_dumps(payment_body())
        headers = {**_signed(content), "X-Sandbox-Fault": "drop-after-commit"}
        with pytest.raises(httpx.RemoteProtocolError):
            client.post("/payment/auth", content=content, headers=headers)
        assert len(ledger(client)) == 1


def test_state_survives_restart_with_db(tmp_path: Path) -> None:
    database = str(tmp_path / "sandbox.db")
    first = create_app(db_path=database)
    with httpx.Client(transport=InProcessTransport(first), base_url=BASE_URL) as http:
        payment = Caller(http).ok("/payment/auth", payment_body(conversationId="keep-me"))
        Caller(http).fails("/payment/auth", payment_body(price="2"), "5062")  # rejected: no trace
    first.state.sandbox.close()
    second = create_app(db_path=database)
    with httpx.Client(transport=InProcessTransport(second), base_url=BASE_URL) as http:
        again = Caller(http).ok("/payment/detail", {"paymentConversationId": "keep-me"})
        assert again["paymentId"] == payment["paymentId"]
        assert [entry["conversationId"] for entry in ledger(http)] == ["keep-me"]
        Caller(http).ok("/payment/auth", payment_body())  # ids keep counting, no clash
    second.state.sandbox.close()


def test_webhooks_are_signed_both_formats() -> None:
    with capturing_webhooks() as capture:
        capture.call.ok("/payment/auth", payment_body(conversationId="hook-1"))
        started = capture.call.ok("/payment/iyzipos/checkoutform/initialize/auth/ecom", checkout_body())
        pay_hosted_page(capture.http, started["paymentPageUrl"], _CARD_FORM)
        events = capture.events()
        assert [(e.format, e.event_type) for e in events] == [("direct", "API_AUTH"), ("hpp", "CHECKOUT_FORM_AUTH")]
        deliveries = capture.http.get("/_sandbox/webhooks").json()["deliveries"]
        assert all(d["delivered"] for d in deliveries)


_CARD_FORM = {
    "cardHolderName": "A B",
    "cardNumber": "5528790000000008",
    "expireMonth": "12",
    "expireYear": NEXT_YEAR,
    "cvc": "123",
}


def test_threeds_md_status_cards_and_init_failure(call: Caller) -> None:
    call.fails(
        "/payment/3dsecure/initialize",
        with_card(payment_body(callbackUrl="https://shop.example/cb"), cardNumber="4151111111111112"),
        "10214",
    )
    for card, md_status in (("4131111111111117", "0"), ("4141111111111115", "4")):
        body = with_card(payment_body(callbackUrl="https://shop.example/cb"), cardNumber=card)
        started = call.ok("/payment/3dsecure/initialize", body)
        callback = complete_threeds(call.http, started["threeDSHtmlContent"])
        assert callback.fields["mdStatus"] == md_status
        verify_threeds_callback(callback.fields, DEFAULT_SECRET_KEY, require_authenticated=False)
        call.fails("/payment/3dsecure/auth", {"paymentId": started["paymentId"]}, "10210")
    assert ledger(call.http) == []


def test_threeds_auth_before_callback_and_twice(call: Caller) -> None:
    started = call.ok("/payment/3dsecure/initialize", payment_body(callbackUrl="https://shop.example/cb"))
    call.fails("/payment/3dsecure/auth", {"paymentId": started["paymentId"]}, "5021")
    complete_threeds(call.http, started["threeDSHtmlContent"])
    call.ok("/payment/3dsecure/auth", {"paymentId": started["paymentId"]})
    call.fails("/payment/3dsecure/auth", {"paymentId": started["paymentId"]}, "5018")


def test_checkout_decline_is_a_signed_failure_status(call: Caller) -> None:
    started = call.ok("/payment/iyzipos/checkoutform/initialize/auth/ecom", checkout_body())
    call.fails("/payment/iyzipos/checkoutform/auth/ecom/detail", {"token": started["token"]}, "5023")
    page = call.http.post(started["paymentPageUrl"], data={**_CARD_FORM, "cardNumber": "1234"})
    assert page.status_code == 400  # a malformed card shows the form again; nothing recorded
    pay_hosted_page(call.http, started["paymentPageUrl"], {**_CARD_FORM, "cardNumber": "4111111111111129"})
    result = call.ok("/payment/iyzipos/checkoutform/auth/ecom/detail", {"token": started["token"]})
    assert (result["paymentStatus"], result["errorCode"]) == ("FAILURE", "10051")
    assert call.http.get(started["paymentPageUrl"]).status_code == 400  # a page is used once


def test_refund_bounds_and_cancel_rules(call: Caller) -> None:
    payment = call.ok("/payment/auth", payment_body())
    item = payment["itemTransactions"][1]
    call.ok("/payment/refund", {"paymentTransactionId": item["paymentTransactionId"], "price": "0.3"})
    call.ok("/payment/refund", {"paymentTransactionId": item["paymentTransactionId"], "price": "0.3"})
    call.fails("/payment/refund", {"paymentTransactionId": item["paymentTransactionId"], "price": "0.01"}, "5019")
    call.fails("/v2/payment/refund", {"paymentId": payment["paymentId"], "price": "0.61"}, "5019")
    call.ok("/v2/payment/refund", {"paymentId": payment["paymentId"], "price": "0.6"})
    call.fails("/payment/cancel", {"paymentId": payment["paymentId"]}, "5018")
    pre = call.ok("/payment/preauth", payment_body())
    call.fails("/v2/payment/refund", {"paymentId": pre["paymentId"], "price": "0.1"}, "5018")
    call.fails("/payment/postauth", {"paymentId": pre["paymentId"], "paidPrice": "1.3"}, "5020")
    captured = call.ok("/payment/postauth", {"paymentId": pre["paymentId"], "paidPrice": "1.1"})
    assert sum(i["paidPrice"] for i in captured["itemTransactions"]) == captured["paidPrice"]
    call.ok("/payment/cancel", {"paymentId": pre["paymentId"]})
    call.fails("/payment/cancel", {"paymentId": pre["paymentId"]}, "5018")
    call.fails("/payment/detail", {"paymentId": "1"}, "5015")
    call.fails("/payment/detail", {}, "5002")


def test_other_merchant_sees_nothing(app: typing.Any) -> None:
    other = create_app({"a": "1", "b": "2"})
    with httpx.Client(transport=InProcessTransport(other), base_url=BASE_URL) as http:
        payment = Caller(http, api_key="a", secret_key="1").ok("/payment/auth", payment_body())
        Caller(http, api_key="b", secret_key="2").fails("/payment/detail", {"paymentId": payment["paymentId"]}, "5015")
        assert json_loads(http.get("/_sandbox/ledger").content)["payments"][0]["merchant"] == "a"
    other.state.sandbox.close()
