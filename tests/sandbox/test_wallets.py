"""The rules of the basic payments, completeThreeds, APM, BKM Express, Pecco, iyziup, loyalty, the instalment table
and the Protected Shopping script, on the spec's own examples (the every-operation walk covers their happy paths).
"""

from __future__ import annotations

import base64
import copy
import typing
from decimal import Decimal

import httpx
import pytest

from iyzico_ext.sandbox.browser import BrowserForm, complete_threeds, pay_wallet_page, read_form

from ._example_walk import example_request
from .conftest import NEXT_YEAR, Caller, capturing_webhooks, ledger

Json = dict[str, typing.Any]
PAGE_CARD = {"cardHolderName": "John Doe", "cardNumber": "5528790000000008", "expireMonth": "12", "cvc": "123"}
PAGE_CARD["expireYear"] = NEXT_YEAR


def example(operation_id: str, **changes: typing.Any) -> Json:
    """The operation's spec example body (a fresh copy), top-level fields changed."""
    body: Json = copy.deepcopy(dict(example_request(operation_id)["body"]))
    body.update(changes)
    return body


def _basic_payment(call: Caller, path: str = "/payment/auth/basic", **changes: typing.Any) -> Json:
    body = example("createBasicPayment", **changes)
    body["paymentCard"]["expireYear"] = NEXT_YEAR
    return call.ok(path, body)


# --- basic payments -----------------------------------------------------------------------------------------


def test_a_basic_payment_is_an_ordinary_payment_afterwards(call: Caller) -> None:
    paid = _basic_payment(call, conversationId="basic-1")
    assert paid["paymentTransactionId"]
    assert "itemTransactions" not in paid
    full = call.ok("/payment/detail", {"paymentId": paid["paymentId"]})
    assert [item["itemId"] for item in full["itemTransactions"]] == ["BASIC"]
    call.ok("/payment/refund", {"paymentTransactionId": paid["paymentTransactionId"], "price": "0.5"})
    call.fails("/payment/refund", {"paymentTransactionId": paid["paymentTransactionId"], "price": "0.61"}, "5019")
    (entry,) = ledger(call.http)
    assert (entry["conversationId"], entry["paidPrice"], entry["refunded"]) == (
        "basic-1",
        Decimal("1.1"),
        Decimal("0.5"),
    )


def test_a_basic_pre_auth_is_captured_once_and_then_cancellable(call: Caller) -> None:
    pre_auth = _basic_payment(call, "/payment/preauth/basic")
    capture = {"paymentId": pre_auth["paymentId"], "paidPrice": "1.0"}
    call.fails("/payment/postauth/basic", {**capture, "paidPrice": "1.2"}, "5020")
    assert call.ok("/payment/postauth/basic", capture)["phase"] == "POST_AUTH"
    call.fails("/payment/postauth/basic", capture, "5018")
    call.ok("/payment/cancel", {"paymentId": pre_auth["paymentId"]})


def test_a_basic_payment_stores_the_card_for_the_buyers_email(call: Caller) -> None:
    body = example("createBasicPayment")
    body["paymentCard"].update(expireYear=NEXT_YEAR, registerCard=1)
    paid = call.ok("/payment/auth/basic", body)
    cards = call.ok("/cardstorage/cards", {"cardUserKey": paid["cardUserKey"]})["cardDetails"]
    assert [card["cardToken"] for card in cards] == [paid["cardToken"]]
    del body["buyerEmail"]
    call.fails("/payment/auth/basic", body, "3")


def test_basic_payment_codes(call: Caller) -> None:
    body = example("createBasicPayment")
    body["paymentCard"]["expireYear"] = NEXT_YEAR
    call.fails("/payment/auth/basic", {**body, "buyerEmail": "not-an-email"}, "5")
    call.fails("/payment/auth/basic", {**body, "installment": 4}, "11")
    call.fails("/payment/auth/basic", {**body, "price": "100000"}, "5008")
    call.fails("/payment/auth/basic", {**body, "currency": "EUR"}, "5184")  # a Turkish card
    declined = call.fails(
        "/payment/auth/basic",
        {**body, "paymentCard": {**body["paymentCard"], "cardNumber": "4111111111111129"}},
        "10051",
    )
    assert declined["errorGroup"] == "NOT_SUFFICIENT_FUNDS"
    assert ledger(call.http) == []


# --- 3-D Secure completion from MD and PaRes -----------------------------------------------------------------


def _bank_answer(call: Caller, authenticate: bool = True) -> tuple[Json, BrowserForm]:
    body = example("initializeBasicThreedsPreAuth")
    started = call.ok("/payment/3dsecure/initialize/preauth/basic", body)
    return body, complete_threeds(call.http, started["threeDSHtmlContent"], authenticate=authenticate)


def test_complete_threeds_checks_md_pares_and_term_url(call: Caller) -> None:
    initialized, bank = _bank_answer(call)
    forwarded = {"md": bank.fields["paymentId"], "paRes": bank.fields["conversationData"]}
    forwarded["termUrl"] = initialized["callbackUrl"]
    call.fails("/iyzipos/3dsecure/complete", {**forwarded, "md": "1"}, "5015")
    call.fails("/iyzipos/3dsecure/complete", {**forwarded, "paRes": "forged"}, "5022")
    call.fails("/iyzipos/3dsecure/complete", {**forwarded, "termUrl": "https://elsewhere.example/"}, "5022")
    payment = call.ok("/iyzipos/3dsecure/complete", forwarded)
    assert (payment["paymentId"], payment["phase"], payment["mdStatus"]) == (forwarded["md"], "PRE_AUTH", 1)
    call.fails("/iyzipos/3dsecure/complete", forwarded, "5018")
    call.fails("/payment/3dsecure/auth/basic", {"paymentId": forwarded["md"]}, "5018")


def test_complete_threeds_before_the_bank_step_and_after_a_failed_one(call: Caller) -> None:
    body = example("initializeBasicThreeds")
    started = call.ok("/payment/3dsecure/initialize/basic", body)
    call.fails("/payment/3dsecure/auth/basic", {"paymentId": started["paymentId"]}, "5021")
    _, bank = _bank_answer(call, authenticate=False)
    forwarded = {"md": bank.fields["paymentId"], "paRes": bank.fields["conversationData"]}
    call.fails("/iyzipos/3dsecure/complete", {**forwarded, "termUrl": body["callbackUrl"]}, "10210")
    assert ledger(call.http) == []


# --- APM -----------------------------------------------------------------------------------------------------


def test_an_apm_payment_waits_for_the_buyer_then_is_refundable(call: Caller) -> None:
    started = call.ok("/payment/apm/initialize", example("initializeApm"))
    pending = call.ok("/payment/apm/retrieve", {"paymentId": started["paymentId"]})
    assert (pending["paymentStatus"], pending["redirectUrl"]) == ("INIT_APM", started["redirectUrl"])
    back = pay_wallet_page(call.http, started["redirectUrl"])
    assert (back.action, back.fields) == (
        "https://www.merchant.com/callback",
        {"paymentId": started["paymentId"], "status": "success"},
    )
    paid = call.ok("/payment/apm/retrieve", {"paymentId": started["paymentId"]})
    assert (paid["paymentStatus"], paid["apm"], paid["paidPrice"]) == ("SUCCESS", "SOFORT", Decimal("1.2"))
    call.ok("/v2/payment/refund", {"paymentId": started["paymentId"], "price": "1.2"})
    with pytest.raises(httpx.HTTPStatusError):  # the page pays once
        pay_wallet_page(call.http, started["redirectUrl"])


def test_a_buyer_who_gives_up_on_the_apm_page_returns_to_the_error_url(call: Caller) -> None:
    started = call.ok("/payment/apm/initialize", example("initializeApm"))
    back = pay_wallet_page(call.http, started["redirectUrl"], approve=False)
    assert (back.action, back.fields["status"]) == ("https://www.merchant.com/error", "failure")
    assert call.ok("/payment/apm/retrieve", {"paymentId": started["paymentId"]})["paymentStatus"] == "FAILURE"
    assert ledger(call.http) == []


def test_apm_initialize_codes(call: Caller) -> None:
    call.fails("/payment/apm/initialize", example("initializeApm", price="1.1"), "5062")
    call.fails("/payment/apm/initialize", example("initializeApm", merchantErrorUrl="http://shop.example/"), "11")
    call.fails("/payment/apm/initialize", example("initializeApm", countryCode="Germany"), "11")
    call.fails("/payment/apm/retrieve", {"paymentId": "1"}, "5015")


# --- BKM Express ---------------------------------------------------------------------------------------------


def test_bkm_charges_the_instalment_total_the_buyer_picks(call: Caller) -> None:
    started = call.ok("/payment/bkm/initialize", example("initializeBkm"))
    assert started["token"] in base64.b64decode(started["htmlContent"]).decode()  # java BkmTest's assertion
    call.fails("/payment/bkm/auth/detail", {"token": started["token"]}, "5023")
    back = pay_wallet_page(call.http, started["htmlContent"], {**PAGE_CARD, "installment": "3"})
    assert back.fields == {"token": started["token"]}
    paid = call.ok("/payment/bkm/auth/detail", {"token": started["token"]})
    assert (paid["paymentStatus"], paid["installment"], paid["paidPrice"]) == ("SUCCESS", 3, Decimal("1.05"))


def test_bkm_records_a_decline_and_a_buyer_who_gives_up(call: Caller) -> None:
    declined = call.ok("/payment/bkm/initialize", example("initializeBkm"))
    pay_wallet_page(call.http, declined["htmlContent"], {**PAGE_CARD, "cardNumber": "4111111111111129"})
    outcome = call.ok("/payment/bkm/auth/detail", {"token": declined["token"]})
    assert (outcome["paymentStatus"], outcome["errorCode"]) == ("FAILURE", "10051")
    abandoned = call.ok("/payment/bkm/initialize/basic", example("initializeBasicBkm"))
    pay_wallet_page(call.http, abandoned["htmlContent"], approve=False)
    outcome = call.ok("/payment/bkm/auth/detail/basic", {"token": abandoned["token"]})
    assert (outcome["paymentStatus"], outcome["errorCode"]) == ("FAILURE", "5024")
    assert ledger(call.http) == []


def test_basic_bkm_charges_the_merchants_listed_total_for_the_cards_bank(call: Caller) -> None:
    listed = example("initializeBasicBkm")  # İş Bankası (64): 3 instalments for 1.1
    isbank_card = {**PAGE_CARD, "cardNumber": "4543590000000006", "installment": "3"}
    started = call.ok("/payment/bkm/initialize/basic", listed)
    with pytest.raises(httpx.HTTPStatusError):  # Halkbank lists no instalments
        pay_wallet_page(call.http, started["htmlContent"], {**PAGE_CARD, "installment": "3"})
    pay_wallet_page(call.http, started["htmlContent"], isbank_card)
    paid = call.ok("/payment/bkm/auth/detail/basic", {"token": started["token"]})
    assert (paid["installment"], paid["paidPrice"], paid["connectorName"]) == (3, Decimal("1.1"), "connector name")


# --- Pecco ---------------------------------------------------------------------------------------------------


def test_pecco_charges_an_authorised_token_once(call: Caller) -> None:
    started = call.ok("/payment/pecco/initialize", example("initializePecco"))
    call.fails("/payment/pecco/auth", {"token": started["token"]}, "5023")
    back = pay_wallet_page(call.http, started["redirectUrl"])
    assert back.fields == {"token": started["token"], "status": "success"}
    paid = call.ok("/payment/pecco/auth", {"conversationId": "pecco-auth", "token": started["token"]})
    assert (paid["token"], paid["paidPrice"], paid["currency"]) == (started["token"], Decimal("99000"), "IRR")
    call.fails("/payment/pecco/auth", {"token": started["token"]}, "5018")
    assert [entry["conversationId"] for entry in ledger(call.http)] == ["pecco-auth"]


def test_a_cancelled_pecco_payment_cannot_be_charged(call: Caller) -> None:
    started = call.ok("/payment/pecco/initialize", example("initializePecco"))
    pay_wallet_page(call.http, started["htmlContent"], approve=False)
    call.fails("/payment/pecco/auth", {"token": started["token"]}, "5024")
    call.fails("/payment/pecco/auth", {"token": "no-such-token"}, "5017")


# --- iyziup --------------------------------------------------------------------------------------------------


def test_iyziup_keeps_the_buyer_and_the_address_given_on_the_page(call: Caller) -> None:
    started = call.ok("/v1/iyziup/form/initialize", example("initializeIyziupForm"))
    call.fails("/v1/iyziup/form/order/retrieve", {"token": started["token"]}, "5023")
    pay_wallet_page(call.http, started["content"])
    order = call.ok("/v1/iyziup/form/order/retrieve", {"token": started["token"]})
    assert order["orderResponseStatus"] == "payment_completed"
    assert order["consumer"] == {
        "name": "Jane",
        "surname": "Doe",
        "email": "consumer@mail.com",
        "gsmNumber": "+905490000000",
    }
    assert order["shippingAddress"]["address"] == "19 Mayıs Mah. İnönü Cad. No:45 Kozyatağı"
    assert (order["paymentDetail"]["paidPrice"], order["paymentDetail"]["basketId"]) == (Decimal("1.2"), "B67836")


def test_iyziup_honours_the_card_family_and_forced_three_ds(call: Caller) -> None:
    bonus_only = call.ok("/v1/iyziup/form/initialize", example("initializeIyziupForm", enabledCardFamily="Bonus"))
    with pytest.raises(httpx.HTTPStatusError):  # a Paraf card
        pay_wallet_page(call.http, bonus_only["content"])
    forced = call.ok("/v1/iyziup/form/initialize", example("initializeIyziupForm", forceThreeDS=1))
    url = read_form(forced["content"]).action
    fields = read_form(call.http.get(url).text).fields
    bank_step = call.http.post(url, data={**fields, **PAGE_CARD, "decision": "pay"})
    assert "3-D Secure" in bank_step.text
    assert not read_form(bank_step.text).action
    pay_wallet_page(call.http, forced["content"])
    order = call.ok("/v1/iyziup/form/order/retrieve", {"token": forced["token"]})
    assert order["paymentDetail"]["mdStatus"] == 1


def test_iyziup_initialize_codes(call: Caller) -> None:
    call.fails("/v1/iyziup/form/initialize", example("initializeIyziupForm", price="1.1"), "5062")
    call.fails("/v1/iyziup/form/initialize", example("initializeIyziupForm", callbackUrl="javascript:alert(1)"), "11")
    call.fails("/v1/iyziup/form/initialize", example("initializeIyziupForm", enabledInstallments=[4]), "11")


# --- loyalty, the instalment table, the Protected Shopping script ---------------------------------------------


@pytest.mark.parametrize(
    ("card", "points", "code"),
    [
        ("5451030000000000", Decimal(1000), None),  # Yapı Kredi World credit card
        ("5890040000000016", Decimal(0), None),  # Akbank debit card
        ("4059030000000009", Decimal(0), None),  # HSBC debit card
        ("5555444433331111", None, "10216"),  # a live card
    ],
)
def test_loyalty_points(call: Caller, card: str, points: Decimal | None, code: str | None) -> None:
    body = example("retrieveLoyalty")
    body["paymentCard"].update(cardNumber=card, expireYear=NEXT_YEAR)
    if code is not None:
        call.fails("/payment/loyalty/inquire", body, code)
        return
    answer = call.ok("/payment/loyalty/inquire", body)
    assert (answer["points"], answer["amount"]) == (points, (points or 0) / 100)


def test_loyalty_of_a_turkish_card_is_in_lira(call: Caller) -> None:
    body = example("retrieveLoyalty", currency="EUR")
    body["paymentCard"]["expireYear"] = NEXT_YEAR
    call.fails("/payment/loyalty/inquire", body, "5184")


def test_the_instalment_table_has_a_row_per_count(call: Caller) -> None:
    table = call.ok("/payment/iyzipos/installment/html/horizontal", example("retrieveInstallmentHtml"))["htmlContent"]
    assert table.count("<tr>") == 1 + 6  # a header, six counts
    assert "Paraf" in table
    assert "104.69 TRY" in table
    every_bank = call.ok("/payment/iyzipos/installment/html/horizontal", {"price": "100.0"})["htmlContent"]
    assert every_bank.count("<th>") > table.count("<th>")
    call.fails("/payment/iyzipos/installment/html/horizontal", {"price": "1", "binNumber": "999999"}, "5066")


def test_the_protected_shop_is_the_merchants_own(call: Caller) -> None:
    first = call.ok("/v1/iyziup/protected/shop/detail/overlay-script", {"position": "topRight"})
    again = call.ok("/v1/iyziup/protected/shop/detail/overlay-script", {"position": "bottomLeft", "locale": "en"})
    assert first["protectedShopId"] == again["protectedShopId"]
    assert "top:16px;right:16px" in first["overlayScript"]
    assert "bottom:16px;left:16px" in again["overlayScript"]
    assert "Protected Shopping" in again["overlayScript"]
    call.fails("/v1/iyziup/protected/shop/detail/overlay-script", {"position": "middle"}, "11")


def test_the_families_notify_verifiable_webhooks() -> None:
    """Each flow notifies in the format iyzico's lists give its event type, so `verify_webhook` accepts them."""
    with capturing_webhooks() as capture:
        _basic_payment(capture.call)
        apm = capture.call.ok("/payment/apm/initialize", example("initializeApm"))
        pay_wallet_page(capture.http, apm["redirectUrl"], approve=False)
        bkm = capture.call.ok("/payment/bkm/initialize", example("initializeBkm"))
        pay_wallet_page(capture.http, bkm["htmlContent"])
        pecco = capture.call.ok("/payment/pecco/initialize", example("initializePecco"))
        pay_wallet_page(capture.http, pecco["redirectUrl"])
        capture.call.ok("/payment/pecco/auth", {"token": pecco["token"]})
        iyziup = capture.call.ok("/v1/iyziup/form/initialize", example("initializeIyziupForm"))
        pay_wallet_page(capture.http, iyziup["content"])
        events = [(event.format, event.event_type, event.status) for event in capture.events()]
    assert events == [
        ("direct", "API_AUTH", "SUCCESS"),
        ("direct", "PAYMENT_API", "FAILURE"),
        ("hpp", "BKM_AUTH", "SUCCESS"),
        ("direct", "PAYMENT_API", "SUCCESS"),
        ("hpp", "CHECKOUT_FORM_AUTH", "SUCCESS"),
    ]
