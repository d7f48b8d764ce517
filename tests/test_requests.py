"""Requests that are easy to build right: builders, enums given as text, `from_dict` errors that say what is wrong."""

from __future__ import annotations

import typing
from decimal import Decimal

import pytest

from iyzico_client.models import (
    BasketItem,
    BasketItemType,
    CreatePaymentRequest,
    Currency,
    ItemTransaction,
    PaymentResource,
    RefundPaymentItemRequest,
)
from iyzico_client.types import UNSET, FloatNotAllowedError
from iyzico_ext import Basket, address, basket_item, buyer, marketplace_item, payment_card, payment_request
from iyzico_ext.testing.strategies import generated_function
from tests.sandbox._example_walk import example_answer, example_request

PAYMENT_EXAMPLE = example_request("createPayment")["body"]


def _payment(**changes: typing.Any) -> dict[str, typing.Any]:
    body = dict(PAYMENT_EXAMPLE)
    body.update(changes)
    return {key: value for key, value in body.items() if value is not ...}


def test_a_basket_price_is_the_sum_of_its_items() -> None:
    basket = Basket(
        basket_item("BI1", "Book", Decimal("30.00"), category="Books"),
        basket_item("BI2", "E-book", Decimal("19.90"), item_type=BasketItemType.VIRTUAL),
    )
    assert basket.price == Decimal("49.90")
    assert [item.id for item in basket.items] == ["BI1", "BI2"]
    assert basket.items is not basket.items  # a new list each time: the basket cannot be changed through it
    assert basket.items[1].category1 == "General"
    assert len(basket) == 2
    assert "49.90" in repr(basket)


def test_a_basket_refuses_what_is_not_an_item() -> None:
    with pytest.raises(ValueError, match="at least one item"):
        Basket()
    with pytest.raises(TypeError, match="Basket item 0: expected a BasketItem, got dict"):
        Basket({"id": "BI1"})  # type: ignore[arg-type]  # what an untyped caller might pass
    with pytest.raises(FloatNotAllowedError, match=r"BasketItem\.price"):
        basket_item("BI1", "Book", 30.0)  # type: ignore[arg-type]  # a float for money


def test_buyer_and_address_from_a_few_fields() -> None:
    home = address("Jane Doe", "Bora Sok. No:1", "Istanbul", zip_code="34000")
    jane = buyer(
        "BY1", "Jane", "Doe", email="jane@example.com", identity_number="74300864791", ip="1.2.3.4", address=home
    )
    assert (home.country, jane.registration_address, jane.city, jane.country, jane.zip_code) == (
        "Turkey",
        "Bora Sok. No:1",
        "Istanbul",
        "Turkey",
        "34000",
    )
    assert "74300864791" not in repr(jane)


def test_a_marketplace_item() -> None:
    item = marketplace_item("BI1", "Book", Decimal("100"), sub_merchant_key="SMK", sub_merchant_price=Decimal("90"))
    assert (item.sub_merchant_key, item.sub_merchant_price, item.item_type) == (
        "SMK",
        Decimal("90"),
        BasketItemType.PHYSICAL,
    )


def test_a_payment_request_from_a_basket() -> None:
    home = address("Jane Doe", "Bora Sok. No:1", "Istanbul")
    jane = buyer("BY1", "Jane", "Doe", email="j@example.com", identity_number="74300864791", ip="1.2.3.4", address=home)
    card = payment_card(holder="Jane Doe", number="5528790000000008", month="12", year="2030", cvc="123")
    basket = Basket(basket_item("BI1", "Book", Decimal("30.00")), basket_item("BI2", "Pen", Decimal("19.90")))
    request = payment_request(basket, card=card, buyer=jane, address=home, paid_price=Decimal("52.00"))
    assert (request.price, request.paid_price, request.currency, request.installment) == (
        Decimal("49.90"),
        Decimal("52.00"),
        Currency.TRY,
        1,
    )
    assert request.billing_address is home
    assert request.shipping_address is home
    assert [item.id for item in request.basket_items] == ["BI1", "BI2"]
    assert (card.expire_month, card.expire_year) == ("12", "2030")
    assert "5528790000000008" not in repr(request)
    assert "123" not in repr(card)


def test_an_enum_given_as_its_text_becomes_the_member() -> None:
    item = BasketItem(id="1", name="n", category1="c", item_type="VIRTUAL", price=Decimal(1))  # type: ignore[arg-type]  # text, as untyped code passes it
    assert item.item_type is BasketItemType.VIRTUAL
    assert item.to_dict()["itemType"] == "VIRTUAL"
    request = CreatePaymentRequest.from_dict(_payment(currency="EUR"))
    assert request.currency is Currency.EUR


def test_an_unknown_enum_value_is_refused_naming_the_field_and_the_values() -> None:
    with pytest.raises(ValueError, match=r"BasketItem\.item_type: 'DIGITAL' is not one of PHYSICAL, VIRTUAL"):
        BasketItem(id="1", name="n", category1="c", item_type="DIGITAL", price=Decimal(1))  # type: ignore[arg-type]  # the refusal under test
    with pytest.raises(ValueError, match=r"CreatePaymentRequest\.from_dict: currency: must be one of .*got 'XYZ'"):
        CreatePaymentRequest.from_dict(_payment(currency="XYZ"))


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"price": ...}, r"CreatePaymentRequest\.from_dict: price: required field missing"),
        ({"installment": "1"}, r"installment: must be an integer, got a string"),
        ({"conversationId": None}, r"conversationId: must be a string, got null"),
        ({"pryce": "1.0"}, r"pryce: unknown field \(did you mean 'price'\?\)"),
        ({"buyer": "Jane"}, r"buyer: must be an object, got a string"),
        (
            {"basketItems": [{**PAYMENT_EXAMPLE["basketItems"][0]}, {"id": "x"}]},
            r"basketItems\[1\]\.name: required field missing",
        ),
        (
            {"paymentCard": {**PAYMENT_EXAMPLE["paymentCard"], "cardNumbr": "1"}},
            r"paymentCard\.cardNumbr: unknown field \(did you mean 'cardNumber'\?\)",
        ),
    ],
)
def test_from_dict_names_the_model_the_field_path_and_the_rule(changes: dict[str, typing.Any], message: str) -> None:
    with pytest.raises(ValueError, match=message) as caught:
        CreatePaymentRequest.from_dict(_payment(**changes))
    assert "5526080000000006" not in str(caught.value)  # the example's card number is never echoed


def test_a_request_dict_round_trips_and_a_float_is_refused_naming_the_field() -> None:
    request = CreatePaymentRequest.from_dict(PAYMENT_EXAMPLE)
    assert CreatePaymentRequest.from_dict(request.to_dict()) == request
    with pytest.raises(FloatNotAllowedError, match=r"RefundPaymentItemRequest\.from_dict: price: a float"):
        RefundPaymentItemRequest.from_dict({"paymentTransactionId": "1", "price": 1.5})


def test_a_response_model_keeps_odd_values_and_refuses_a_missing_guaranteed_field() -> None:
    body = dict(example_answer("createPayment"))
    odd = PaymentResource.from_dict({**body, "merchantCommissionRate": "abc", "iyziCommissionFee": True, "extra": 1})
    assert odd.merchant_commission_rate is UNSET
    assert odd.additional_properties == {"merchantCommissionRate": "abc", "iyziCommissionFee": True, "extra": 1}
    assert odd.to_dict()["merchantCommissionRate"] == "abc"
    with pytest.raises(ValueError, match=r"PaymentResource\.from_dict: paymentId: required field missing"):
        PaymentResource.from_dict({key: value for key, value in body.items() if key != "paymentId"})
    item = {key: value for key, value in body["itemTransactions"][0].items() if key != "paymentTransactionId"}
    with pytest.raises(ValueError, match=r"itemTransactions\[0\]\.paymentTransactionId: required field missing"):
        PaymentResource.from_dict({**body, "itemTransactions": [item]})
    assert ItemTransaction.from_dict({**item, "paymentTransactionId": "1", "price": []}).additional_properties == {
        "price": []
    }


def test_help_of_a_call_is_enough_to_use_it() -> None:
    doc = generated_function("createPayment", "sync").__doc__ or ""
    for needed in (
        "Create a Non-3DS payment",
        "iyzico_ext.CardDeclinedError:",
        "iyzico_ext.PaymentOutcomeUnknown:",
        "paymentId, currency, basketId, conversationId, paidPrice, price",
        "Always present (never `UNSET`)",
        "reference/payment/create_payment.md",
    ):
        assert needed in " ".join(doc.split()), needed
    assert "errors.UnexpectedStatus" not in doc
    assert "httpx.TimeoutException" not in doc
