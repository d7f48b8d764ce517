"""Business rules and the test cards of iyzico-api.md sections e-g: one test per code and per special card."""

from __future__ import annotations

import datetime
import typing
from decimal import Decimal

import pytest

from .conftest import NEXT_YEAR, Caller, ledger, payment_body, register_sub_merchant, with_card

# Codes: iyzico-api.md g/f; groups as docs.iyzico.com's current bank error table gives them (10041 is
# PICKUP_CARD and 10043 LOST_CARD there; the pickup card gets 10041, the code of that group).
DECLINES = {
    "4111111111111129": ("10051", "NOT_SUFFICIENT_FUNDS"),
    "4129111111111111": ("10005", "DO_NOT_HONOUR"),
    "4128111111111112": ("10012", "INVALID_TRANSACTION"),
    "4127111111111113": ("10041", "PICKUP_CARD"),
    "4126111111111114": ("10043", "LOST_CARD"),
    "4125111111111115": ("10054", "EXPIRED_CARD"),
    "4124111111111116": ("10084", "INVALID_CVC2"),
    "4123111111111117": ("10057", "NOT_PERMITTED_TO_CARDHOLDER"),
    "4122111111111118": ("10058", "NOT_PERMITTED_TO_TERMINAL"),
    "4121111111111119": ("10034", "FRAUD_SUSPECT"),
    "4120111111111110": ("10041", "PICKUP_CARD"),
    "4130111111111118": ("10202", "UNKNOWN"),
    "4151111111111393": ("10093", "RESTRICTED_BY_LAW"),
}


@pytest.mark.parametrize(("card", "expected"), DECLINES.items(), ids=list(DECLINES))
def test_decline_cards(call: Caller, card: str, expected: tuple[str, str]) -> None:
    answer = call.fails("/payment/auth", with_card(payment_body(), cardNumber=card), expected[0])
    assert answer["errorGroup"] == expected[1]
    assert ledger(call.http) == []


@pytest.mark.parametrize(
    "card",
    ["5890040000000016", "4603450000000000", "9792030000000000", "5451030000000000", "4054180000000007"],
)
def test_success_cards(call: Caller, card: str) -> None:
    call.ok("/payment/auth", with_card(payment_body(), cardNumber=card))


def test_amex_needs_four_digit_cvc(call: Caller) -> None:
    call.fails("/payment/auth", with_card(payment_body(), cardNumber="374427000000003"), "15")
    call.ok("/payment/auth", with_card(payment_body(), cardNumber="374427000000003", cvc="1234"))


def test_luhn_12(call: Caller) -> None:
    call.fails("/payment/auth", with_card(payment_body(), cardNumber="5528790000000009"), "12")


def test_expired_month_13_and_year_14(call: Caller) -> None:
    today = datetime.date.today()
    call.fails("/payment/auth", with_card(payment_body(), expireMonth="13"), "13")
    call.fails("/payment/auth", with_card(payment_body(), expireYear=str(today.year - 1)), "14")
    if today.month > 1:
        call.fails("/payment/auth", with_card(payment_body(), expireMonth="1", expireYear=str(today.year)), "13")


def test_card_holder_16(call: Caller) -> None:
    call.fails("/payment/auth", with_card(payment_body(), cardHolderName=" "), "16")


def test_unknown_issuer_declined(call: Caller) -> None:
    call.fails("/payment/auth", with_card(payment_body(), cardNumber="4242424242424242"), "10216")


def test_basket_sum_5062(call: Caller) -> None:
    call.fails("/payment/auth", payment_body(price=Decimal("1.01")), "5062")


def test_price_must_be_positive_5005(call: Caller) -> None:
    body = payment_body(price=Decimal("0.8"))
    body["basketItems"][2]["price"] = Decimal("0")
    body["basketItems"][1]["price"] = Decimal("0.5")
    body["basketItems"][0]["price"] = Decimal("0.3")
    call.fails("/payment/auth", body, "5005")


@pytest.mark.parametrize(
    ("path", "body"),
    [
        ("/payment/iyzipos/installment", {"binNumber": "552879", "price": Decimal("8.663259118080223E+25")}),
        ("/payment/auth", payment_body(paidPrice=Decimal("1E+26"))),
        ("/payment/iyzipos/installment", {"binNumber": "552879", "price": 10**40}),
    ],
    ids=["installments", "paidPrice", "integer"],
)
def test_amounts_beyond_any_money_are_malformed_11(call: Caller, path: str, body: dict[str, typing.Any]) -> None:
    # Found by schemathesis: rounding such an amount to the cent was a server error.
    call.fails(path, body, "11")


def test_sandbox_limit_5008(call: Caller) -> None:
    body = payment_body(price=Decimal(100000), paidPrice=Decimal(100000))
    body["basketItems"] = [{**body["basketItems"][0], "price": Decimal(100000)}]
    call.fails("/payment/auth", body, "5008")


def test_foreign_currency_on_domestic_card_5184(call: Caller) -> None:
    call.fails("/payment/auth", payment_body(currency="EUR"), "5184")
    call.ok("/payment/auth", with_card(payment_body(currency="EUR"), cardNumber="5400010000000004"))


def test_debit_card_installments_10218(call: Caller) -> None:
    body = with_card(payment_body(installment=3), cardNumber="5890040000000016")
    call.fails("/payment/auth", body, "10218")


def marketplace_body(key: str, **changes: typing.Any) -> dict[str, typing.Any]:
    body = payment_body(**changes)
    for item in body["basketItems"]:
        item.update(subMerchantKey=key, subMerchantPrice=item["price"] * Decimal("0.9"))
    return body


def test_marketplace_needs_both_fields_5077(call: Caller) -> None:
    body = marketplace_body(register_sub_merchant(call))
    del body["basketItems"][1]["subMerchantPrice"]
    call.fails("/payment/auth", body, "5077")


def test_marketplace_fields_only_for_product_5079(call: Caller) -> None:
    call.fails("/payment/auth", marketplace_body(register_sub_merchant(call), paymentGroup="LISTING"), "5079")


def test_marketplace_payment_consistency(call: Caller) -> None:
    answer = call.ok("/payment/auth", marketplace_body(register_sub_merchant(call), paidPrice=Decimal("1.1")))
    items = answer["itemTransactions"]
    assert sum(item["paidPrice"] for item in items) == answer["paidPrice"]
    assert sum(item["iyziCommissionFee"] for item in items) == answer["iyziCommissionFee"]
    for item in items:
        _assert_payouts_add_up(item)
        assert item["transactionStatus"] == 1  # held in escrow until approved


def _assert_payouts_add_up(item: dict[str, typing.Any]) -> None:
    parts = ("iyziCommissionRateAmount", "iyziCommissionFee", "subMerchantPayoutAmount", "merchantPayoutAmount")
    assert sum(item[part] for part in parts) == item["paidPrice"]
    assert {part: item["convertedPayout"][part] for part in parts} == {part: item[part] for part in parts}
    assert item["subMerchantPayoutAmount"] == item["subMerchantPrice"]
    expected_rate = (item["subMerchantPrice"] * 100 / item["price"]).quantize(Decimal("0.01"))
    assert item["subMerchantPayoutRate"] == expected_rate


@pytest.mark.parametrize("path", ["/payment/auth", "/payment/preauth"])
def test_update_payment_item_recomputes_payouts(call: Caller, path: str) -> None:
    key = register_sub_merchant(call)
    payment = call.ok(path, marketplace_body(key, paidPrice=Decimal("1.1")))
    transaction_id = payment["itemTransactions"][1]["paymentTransactionId"]
    update = {"subMerchantKey": key, "paymentTransactionId": transaction_id, "subMerchantPrice": Decimal("0.25")}
    updated = call.ok("/payment/item", update, method="PUT")
    if path == "/payment/preauth":  # capture re-prices every item: the new share must survive it
        call.ok("/payment/postauth", {"paymentId": payment["paymentId"], "paidPrice": Decimal("1.0")})
    stored = call.ok("/payment/detail", {"paymentId": payment["paymentId"]})["itemTransactions"][1]
    for item in (updated, stored):
        assert (item["subMerchantPrice"], item["subMerchantPayoutAmount"]) == (Decimal("0.25"), Decimal("0.25"))
        _assert_payouts_add_up(item)
    assert updated["merchantPayoutAmount"] > payment["itemTransactions"][1]["merchantPayoutAmount"]


def test_unknown_sub_merchant_2004(call: Caller) -> None:
    call.fails("/payment/auth", marketplace_body("no-such-key"), "2004")


def test_duplicate_sub_merchant_external_id(call: Caller) -> None:
    register_sub_merchant(call)
    with pytest.raises(AssertionError):
        register_sub_merchant(call)


def test_stored_card_rules_5111_3005_3006(call: Caller) -> None:
    call.fails("/payment/auth", payment_body(paymentCard={"cardToken": "t"}), "5111")
    call.fails("/payment/auth", payment_body(paymentCard={"cardToken": "t", "cardUserKey": "u"}), "3005")
    card = call.ok(
        "/cardstorage/card",
        {"email": "a@b.co", "card": {"cardNumber": "5528790000000008", "expireMonth": "12", "expireYear": NEXT_YEAR}},
    )
    body = payment_body(paymentCard={"cardToken": "nope", "cardUserKey": card["cardUserKey"]})
    call.fails("/payment/auth", body, "3006")


def test_not_refundable_card(call: Caller) -> None:
    answer = call.ok("/payment/auth", with_card(payment_body(), cardNumber="5406670000000009"))
    call.fails("/payment/cancel", {"paymentId": answer["paymentId"]}, "10012")
    call.fails("/v2/payment/refund", {"paymentId": answer["paymentId"], "price": "0.1"}, "10012")
    pre = call.ok("/payment/preauth", with_card(payment_body(), cardNumber="5406670000000009"))
    call.fails("/payment/postauth", {"paymentId": pre["paymentId"], "paidPrice": "1.2"}, "10012")


def test_bin_and_installment_lookups(call: Caller) -> None:
    assert call.ok("/payment/bin/check", {"binNumber": "55287900"})["bankName"] == "Halkbank"
    call.fails("/payment/bin/check", {"binNumber": "999999"}, "5066")
    call.fails("/payment/bin/check", {}, "5006")
    table = call.ok("/payment/iyzipos/installment", {"binNumber": "552879", "price": "100"})
    prices = table["installmentDetails"][0]["installmentPrices"]
    assert [p["installmentNumber"] for p in prices] == [1, 2, 3, 6, 9, 12]
    assert prices[0]["totalPrice"] == Decimal(100)
    debit = call.ok("/payment/iyzipos/installment", {"binNumber": "589004", "price": "100"})
    assert len(debit["installmentDetails"][0]["installmentPrices"]) == 1
    assert len(call.ok("/payment/iyzipos/installment", {"price": "10"})["installmentDetails"]) > 5
