"""Facts about iyzico that the emulator reproduces, each with the official source that establishes it.

Sources: the Java SDK's functional tests (src/test/java/com/iyzipay/functional, they call the real sandbox
and assert its answers), the PHP SDK (mappers, samples, recorded answers in its unit tests), iyzico's
official error pages (the iyzico gitbook) and docs.iyzico.com.
"""

from __future__ import annotations

import re
import typing
import uuid
from decimal import Decimal

import httpx
import pytest

from iyzico_ext.sandbox.browser import complete_threeds, pay_hosted_page, read_form

from .conftest import (
    NEXT_YEAR,
    Caller,
    capturing_webhooks,
    checkout_body,
    ledger,
    payment_body,
    register_sub_merchant,
    with_card,
)

CARD_FORM = {
    "cardHolderName": "John Doe",
    "cardNumber": "5528790000000008",
    "expireMonth": "12",
    "expireYear": NEXT_YEAR,
    "cvc": "123",
}


def test_health_check_needs_no_credentials(http: httpx.Client) -> None:
    """Java ApiTest.should_test_api (success, locale tr); the PHP SDK sends no Authorization header there."""
    answer = http.get("/payment/test").json()
    assert (answer["status"], answer["locale"]) == ("success", "tr")
    assert answer["systemTime"] > 0
    assert "errorCode" not in answer
    assert http.get("/payment/test", headers={"Authorization": "IYZWSv2 bm9uc2Vuc2U="}).json()["status"] == "success"


def test_real_bin_554960(call: Caller) -> None:
    """Java BinNumberTest.should_retrieve_bin: 554960 is a Garanti Bankası Bonus MasterCard credit card, 62."""
    answer = call.ok("/payment/bin/check", {"locale": "tr", "conversationId": "123456789", "binNumber": "554960"})
    expected = {
        "binNumber": "554960",
        "cardType": "CREDIT_CARD",
        "cardAssociation": "MASTER_CARD",
        "cardFamily": "Bonus",
        "bankName": "Garanti Bankası",
        "bankCode": 62,
        "commercial": 0,
        "conversationId": "123456789",
    }
    assert {key: answer[key] for key in expected} == expected


def test_installments_for_bin_554960(call: Caller) -> None:
    """Java InstallmentTest.should_retrieve_installments."""
    answer = call.ok("/payment/iyzipos/installment", {"binNumber": "554960", "price": Decimal(100)})
    detail = answer["installmentDetails"][0]
    assert (detail["binNumber"], detail["price"], detail["cardFamilyName"]) == ("554960", Decimal(100), "Bonus")
    assert (detail["cardType"], detail["cardAssociation"]) == ("CREDIT_CARD", "MASTER_CARD")
    assert all(
        p["installmentNumber"] and p["installmentPrice"] and p["totalPrice"] for p in detail["installmentPrices"]
    )


@pytest.mark.parametrize(
    ("bin_number", "code", "message"),
    [("000000", "5066", "Bin bulunamadı"), ("99999999", "5066", "Bin bulunamadı"), ("12345", "5007", None)],
)
def test_unknown_and_short_bins(call: Caller, bin_number: str, code: str, message: str | None) -> None:
    """iyzipay-php BinNumberMapperTest: recorded answers 5066 'Bin bulunamadı' and 5007 for a short BIN."""
    answer = call.fails("/payment/bin/check", {"locale": "tr", "binNumber": bin_number}, code)
    assert answer["errorMessage"] == (message or "binNumber 6 karakter olmalıdır")
    assert "errorGroup" not in answer


def test_real_bins_are_not_sandbox_cards(call: Caller) -> None:
    """Live cards do not work in iyzico's sandbox (iyzico-api.md g): knowing the BIN does not make it a test card."""
    call.fails("/payment/auth", with_card(payment_body(), cardNumber="5549600000000004"), "10216")


def test_card_storage_answers_eight_digit_bin(call: Caller) -> None:
    """Java CardStorageTest.should_create_user_and_add_card (since 2022): binNumber 55287900, Halkbank Paraf 12."""
    card = {"cardAlias": "card alias", "cardNumber": "5528790000000008", "expireYear": "2030", "expireMonth": "12"}
    answer = call.ok(
        "/cardstorage/card",
        {"locale": "tr", "conversationId": "123456789", "email": "email@email.com", "externalId": "x1", "card": card},
    )
    expected = {
        "binNumber": "55287900",
        "cardAlias": "card alias",
        "cardType": "CREDIT_CARD",
        "cardAssociation": "MASTER_CARD",
        "cardFamily": "Paraf",
        "cardBankName": "Halkbank",
        "cardBankCode": 12,
        "email": "email@email.com",
    }
    assert {key: answer[key] for key in expected} == expected
    listed = call.ok("/cardstorage/cards", {"cardUserKey": answer["cardUserKey"]})["cardDetails"]
    assert [entry["binNumber"] for entry in listed] == ["55287900"]


def test_amount_based_refund_answers_like_iyzico(call: Caller) -> None:
    """Java RefundTest.should_refund_v2_payment (hostReference); iyzipay-php AmountBaseRefundMapper reads ip."""
    payment = call.ok("/payment/auth", payment_body(paidPrice=Decimal("1.1")))
    refund = call.ok(
        "/v2/payment/refund",
        {
            "locale": "tr",
            "conversationId": "123456789",
            "paymentId": payment["paymentId"],
            "price": "1.1",
            "ip": "85.34.78.112",
        },
    )
    assert refund["paymentId"] == payment["paymentId"]
    assert (refund["price"], refund["ip"]) == (Decimal("1.1"), "85.34.78.112")
    assert refund["hostReference"]


def test_item_refund_answers_like_iyzico(call: Caller) -> None:
    """Java RefundTest.should_refund_payment: paymentTransactionId, price and hostReference echoed."""
    payment = call.ok("/payment/auth", payment_body())
    transaction_id = payment["itemTransactions"][0]["paymentTransactionId"]
    refund = call.ok("/payment/refund", {"paymentTransactionId": transaction_id, "price": "0.2", "currency": "TRY"})
    assert (refund["paymentTransactionId"], refund["price"]) == (transaction_id, Decimal("0.2"))
    assert refund["hostReference"]


def test_payment_commission_fields(call: Caller) -> None:
    """Java PaymentTest: price 1, paidPrice 1.1 -> merchantCommissionRate 10, merchantCommissionRateAmount 0.1."""
    payment = call.ok("/payment/auth", payment_body(paidPrice=Decimal("1.1")))
    assert (payment["merchantCommissionRate"], payment["merchantCommissionRateAmount"]) == (10, Decimal("0.1"))
    assert (payment["iyziCommissionFee"], payment["installment"]) == (Decimal("0.25"), 1)
    assert payment["hostReference"]
    assert payment["lastFourDigits"] == "0008"


def test_marketplace_items_carry_external_sub_merchant_id(call: Caller) -> None:
    """docs' marketplace payment example and the spec's ItemTransaction: externalSubMerchantId on each item."""
    key = register_sub_merchant(call, "ExternalId31")
    body = payment_body()
    for item in body["basketItems"]:
        item.update(subMerchantKey=key, subMerchantPrice=item["price"] * Decimal("0.9"))
    payment = call.ok("/payment/auth", body)
    assert {item["externalSubMerchantId"] for item in payment["itemTransactions"]} == {"ExternalId31"}
    retrieved = call.ok("/payment/detail", {"paymentId": payment["paymentId"]})
    assert retrieved["itemTransactions"][0]["externalSubMerchantId"] == "ExternalId31"


def _offered_installments(page: str) -> list[int]:
    return [int(value) for value in re.findall(r'<option value="(\d+)"', page)]


def test_hosted_page_offers_only_enabled_installments(call: Caller) -> None:
    """CF initialize `enabledInstallments` (docs; the spec's example): the page offers those counts only."""
    started = call.ok("/payment/iyzipos/checkoutform/initialize/auth/ecom", checkout_body(enabledInstallments=[2, 3]))
    page_url = started["paymentPageUrl"]
    assert _offered_installments(call.http.get(page_url).text) == [2, 3]
    refused = call.http.post(page_url, data={**CARD_FORM, "installment": "12"})
    assert refused.status_code == 400
    assert ledger(call.http) == []
    pay_hosted_page(call.http, page_url, {**CARD_FORM, "installment": "3"})
    result = call.ok("/payment/iyzipos/checkoutform/auth/ecom/detail", {"token": started["token"]})
    assert (result["paymentStatus"], result["installment"]) == ("SUCCESS", 3)
    call.fails("/payment/iyzipos/checkoutform/initialize/auth/ecom", checkout_body(enabledInstallments=[5]), "11")


@pytest.mark.parametrize(
    ("card", "status", "md_status"), [("5528790000000008", "SUCCESS", 1), ("4131111111111117", "FAILURE", 0)]
)
def test_hosted_page_forces_threeds(call: Caller, card: str, status: str, md_status: int) -> None:
    """CF initialize `forceThreeDS: 1`: the buyer goes through the bank before the page charges."""
    started = call.ok("/payment/iyzipos/checkoutform/initialize/auth/ecom", checkout_body(forceThreeDS=1))
    bank_step = call.http.post(started["paymentPageUrl"], data={**CARD_FORM, "cardNumber": card})
    assert bank_step.status_code == 200
    assert "283126" in bank_step.text
    assert ledger(call.http) == []  # nothing charged before the bank answered
    step = read_form(bank_step.text)
    answer = call.http.post(started["paymentPageUrl"], data={**step.fields, "threeds": "authenticate"})
    assert read_form(answer.text).fields == {"token": started["token"]}
    fresh = call.ok("/payment/iyzipos/checkoutform/initialize/auth/ecom", checkout_body(forceThreeDS=1))
    assert pay_hosted_page(call.http, fresh["paymentPageUrl"], CARD_FORM).fields == {"token": fresh["token"]}
    result = call.ok("/payment/iyzipos/checkoutform/auth/ecom/detail", {"token": started["token"]})
    assert (result["paymentStatus"], result["mdStatus"]) == (status, md_status)


def test_hosted_page_offers_the_card_users_stored_cards(call: Caller) -> None:
    """CF initialize `cardUserKey`: the page lists that user's stored cards and pays with the chosen one."""
    stored = call.ok(
        "/cardstorage/card",
        {
            "email": "email@email.com",
            "card": {
                "cardAlias": "my bonus",
                "cardNumber": "5400360000000003",
                "expireMonth": "12",
                "expireYear": NEXT_YEAR,
            },
        },
    )
    started = call.ok(
        "/payment/iyzipos/checkoutform/initialize/auth/ecom", checkout_body(cardUserKey=stored["cardUserKey"])
    )
    page = call.http.get(started["paymentPageUrl"]).text
    assert "my bonus" in page
    assert stored["cardToken"] in page
    assert "5400360000000003" not in page  # only BIN and last four
    pay_hosted_page(call.http, started["paymentPageUrl"], {"cardToken": stored["cardToken"], "installment": "1"})
    result = call.ok("/payment/iyzipos/checkoutform/auth/ecom/detail", {"token": started["token"]})
    assert (result["paymentStatus"], result["cardToken"], result["lastFourDigits"]) == (
        "SUCCESS",
        stored["cardToken"],
        "0003",
    )


@pytest.mark.parametrize(
    ("code", "turkish", "make"),
    [
        ("3005", "cardUserKey bulunamadı", lambda: payment_body(paymentCard={"cardToken": "t", "cardUserKey": "u"})),
        ("5062", "Gönderilen tutar tüm kırılımların toplam tutarına eşit olmalıdır", lambda: payment_body(price="2")),
        (
            "5184",
            "Yerli kartlar ile döviz ödemesi yapılamaz",
            lambda: payment_body(currency="EUR"),
        ),
        (
            "10093",
            "Kartınız e-ticaret işlemlerine kapalıdır. Bankanızı arayınız.",
            lambda: with_card(payment_body(), cardNumber="4151111111111393"),
        ),
        ("10216", "Bankası bulunamadı", lambda: with_card(payment_body(), cardNumber="4242424242424242")),
    ],
)
def test_error_texts_from_the_official_tables(
    call: Caller, code: str, turkish: str, make: typing.Callable[[], dict[str, typing.Any]]
) -> None:
    """The iyzico gitbook's validation and bank error tables (sss/teknik-sorular/hata-kodlari): exact texts."""
    answer = call.fails("/payment/auth", {**make(), "locale": "tr"}, code)
    assert answer["errorMessage"] == turkish


def test_error_texts_5079_and_10210(call: Caller) -> None:
    """5079 and 10210, same tables: the text alone, nothing appended."""
    body = payment_body(locale="tr", paymentGroup="LISTING")
    body["basketItems"][0].update(subMerchantKey="k", subMerchantPrice="0.1")
    answer = call.fails("/payment/auth", body, "5079")
    expected = (
        "Marketplace üye işyeri için sadece ürün ödemesi yapılırken "
        "subMerchantKey veya subMerchantPrice gönderilmelidir"
    )
    assert answer["errorMessage"] == expected
    started = call.ok("/payment/3dsecure/initialize", payment_body(callbackUrl="https://shop.example/3ds"))
    complete_threeds(call.http, started["threeDSHtmlContent"], authenticate=False)
    failed = call.fails("/payment/3dsecure/auth", {"locale": "tr", "paymentId": started["paymentId"]}, "10210")
    assert (failed["errorMessage"], failed["errorGroup"]) == ("Hatalı CAVV bilgisi", "INVALID_CAVV")


def test_no_details_appended_to_messages(call: Caller) -> None:
    answer = call.fails("/payment/auth", payment_body(locale="en", basketItems=[]), "11")
    assert answer["errorMessage"] == "Invalid request"


def test_webhooks_match_the_captured_payloads() -> None:
    """iyzipay-php samples/webhook_Signature_Validation.php: a Non-3DS payment is API_AUTH, merchantId a number,
    iyziReferenceCode a UUID; failed attempts are notified with status FAILURE."""
    with capturing_webhooks() as capture:
        call, http = capture.call, capture.http
        payment = call.ok("/payment/auth", payment_body(conversationId="hook-ok"))
        call.fails(
            "/payment/auth",
            with_card(payment_body(conversationId="hook-declined"), cardNumber="4111111111111129"),
            "10051",
        )
        started = call.ok("/payment/iyzipos/checkoutform/initialize/auth/ecom", checkout_body(conversationId="hook-cf"))
        pay_hosted_page(http, started["paymentPageUrl"], {**CARD_FORM, "cardNumber": "4129111111111111"})
        events = capture.events()
    assert [(e.event_type, e.status, e.payment_conversation_id) for e in events] == [
        ("API_AUTH", "SUCCESS", "hook-ok"),
        ("API_AUTH", "FAILURE", "hook-declined"),
        ("CHECKOUT_FORM_AUTH", "FAILURE", "hook-cf"),
    ]
    assert events[0].payment_id == payment["paymentId"]
    assert events[1].payment_id != payment["paymentId"]
    for event in events:
        assert isinstance(event.payload["merchantId"], int)
        assert isinstance(event.payload["iyziPaymentId"], int)
        uuid.UUID(str(event.payload["iyziReferenceCode"]))


def test_shipping_address_required_for_physical_items(call: Caller) -> None:
    """iyzico-api.md c.1 (docs): shippingAddress is required when any basket item is PHYSICAL."""
    body = payment_body(locale="tr")
    del body["shippingAddress"]
    answer = call.fails("/payment/auth", body, "24")
    assert answer["errorMessage"] == "shippingAddress gönderilmesi zorunludur"
    virtual = payment_body()
    del virtual["shippingAddress"]
    for item in virtual["basketItems"]:
        item["itemType"] = "VIRTUAL"
    call.ok("/payment/auth", virtual)


@pytest.mark.parametrize("count", [4, 5, 7, 8, 10, 11])
def test_only_documented_installment_counts(call: Caller, count: int) -> None:
    """iyzico-api.md d.18 (gitbook): instalments are 1, 2, 3, 6, 9 or 12."""
    call.fails("/payment/auth", payment_body(installment=count), "11")


def test_two_digit_expiry_year(call: Caller) -> None:
    """The spec's own example (threedsPreAuth) sends expireYear "31": two digits mean 20xx."""
    call.ok("/payment/auth", with_card(payment_body(), expireYear=NEXT_YEAR[2:]))
    call.fails("/payment/auth", with_card(payment_body(), expireYear="20"), "14")
    call.fails("/payment/auth", with_card(payment_body(), expireYear="203"), "14")
