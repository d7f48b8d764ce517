"""About 30 bad inputs: each gives a RequestValidationError naming the field, and nothing is sent."""

from __future__ import annotations

import typing
from collections.abc import Callable
from decimal import Decimal

import attrs
import pytest

from iyzico_client.api.payment import create_payment
from iyzico_client.models.basket_item import BasketItem
from iyzico_client.models.basket_item_type import BasketItemType
from iyzico_client.models.create_payment_request import CreatePaymentRequest
from iyzico_client.models.payment_group import PaymentGroup
from iyzico_client.types import OPERATION_EXTENSION
from iyzico_ext import IyzicoClient, RequestValidationError

from .conftest import CANARY_IDENTITY, CANARY_PAN, FakeIyzico, payment_request

MakeClient = Callable[..., IyzicoClient]


def _card(**changes: typing.Any) -> CreatePaymentRequest:
    request = payment_request()
    return attrs.evolve(request, payment_card=attrs.evolve(request.payment_card, **changes))


def _buyer(**changes: typing.Any) -> CreatePaymentRequest:
    request = payment_request()
    return attrs.evolve(request, buyer=attrs.evolve(request.buyer, **changes))


def _item(price: str, **fields: typing.Any) -> BasketItem:
    return BasketItem(id="I", name="n", category1="c", item_type=BasketItemType.VIRTUAL, price=Decimal(price), **fields)


def _marketplace(group: PaymentGroup, items: list[BasketItem]) -> CreatePaymentRequest:
    return payment_request(payment_group=group, basket_items=items)


BAD_REQUESTS: list[tuple[str, Callable[[], CreatePaymentRequest], str]] = [
    ("pan-luhn", lambda: _card(card_number=CANARY_PAN[:-1] + "9"), "paymentCard.cardNumber"),
    ("pan-11-digits", lambda: _card(card_number="55287900000"), "paymentCard.cardNumber"),
    ("pan-20-digits", lambda: _card(card_number="55287900000000080000"), "paymentCard.cardNumber"),
    ("pan-non-digits", lambda: _card(card_number="5528-7900-0000-0008"), "paymentCard.cardNumber"),
    ("pan-empty", lambda: _card(card_number=""), "paymentCard.cardNumber"),
    ("month-0", lambda: _card(expire_month="0"), "paymentCard.expireMonth"),
    ("month-13", lambda: _card(expire_month="13"), "paymentCard.expireMonth"),
    ("month-letters", lambda: _card(expire_month="ab"), "paymentCard.expireMonth"),
    ("year-past", lambda: _card(expire_year="2019"), "paymentCard.expireYear"),
    ("year-5-digits", lambda: _card(expire_year="20301"), "paymentCard.expireYear"),
    ("cvc-2-digits", lambda: _card(cvc="12"), "paymentCard.cvc"),
    ("cvc-5-digits", lambda: _card(cvc="12345"), "paymentCard.cvc"),
    ("cvc-letters", lambda: _card(cvc="abc"), "paymentCard.cvc"),
    ("cvc-amex-needs-4", lambda: _card(card_number="374427000000003", cvc="123"), "paymentCard.cvc"),
    ("holder-missing", lambda: _card(card_holder_name=""), "paymentCard.cardHolderName"),
    ("price-zero", lambda: payment_request(price=Decimal(0)), "price"),
    ("price-negative", lambda: payment_request(price=Decimal(-1)), "price"),
    ("price-3-decimals", lambda: payment_request(price=Decimal("1.001")), "price"),
    ("paid-price-zero", lambda: payment_request(paid_price=Decimal("0.00")), "paidPrice"),
    ("basket-sum", lambda: payment_request(price=Decimal("2.0")), "price"),
    ("basket-empty", lambda: payment_request(basket_items=[]), "basketItems"),
    ("item-price-zero", lambda: payment_request(basket_items=[_item("0"), _item("1.0")]), "basketItems[0].price"),
    (
        "product-needs-sub-merchant",
        lambda: _marketplace(
            PaymentGroup.PRODUCT,
            [_item("0.5", sub_merchant_key="k", sub_merchant_price=Decimal("0.4")), _item("0.5")],
        ),
        "basketItems[1].subMerchantKey",
    ),
    (
        "listing-refuses-sub-merchant",
        lambda: _marketplace(PaymentGroup.LISTING, [_item("1.0", sub_merchant_key="k")]),
        "basketItems[0].subMerchantKey",
    ),
    (
        "sub-merchant-price-3-decimals",
        lambda: _marketplace(
            PaymentGroup.PRODUCT, [_item("1.0", sub_merchant_key="k", sub_merchant_price=Decimal("0.123"))]
        ),
        "basketItems[0].subMerchantPrice",
    ),
    ("identity-missing", lambda: _buyer(identity_number=""), "buyer.identityNumber"),
    ("email-missing", lambda: _buyer(email=""), "buyer.email"),
    ("email-malformed", lambda: _buyer(email="not-an-address"), "buyer.email"),
]

RAW_BODIES: list[tuple[str, bytes, str]] = [
    ("price-exponent-text", b'{"conversationId":"c","price":"1e3","paidPrice":1}', "price"),
    ("empty-conversation-id", b'{"conversationId":"","price":1,"paidPrice":1}', "conversationId"),
]


@pytest.mark.parametrize(("name", "build", "field"), BAD_REQUESTS, ids=[case[0] for case in BAD_REQUESTS])
def test_bad_request_is_refused_before_sending(
    name: str, build: Callable[[], CreatePaymentRequest], field: str, make_client: MakeClient, fake: FakeIyzico
) -> None:
    with pytest.raises(RequestValidationError) as refused:
        create_payment.sync(client=make_client(), body=build())
    assert refused.value.field == field
    assert refused.value.operation_id == "createPayment"
    assert str(refused.value).startswith(f"{field}: ")
    assert fake.sends == 0
    for secret in (CANARY_PAN, CANARY_IDENTITY):
        assert secret not in str(refused.value)


@pytest.mark.parametrize(("name", "body", "field"), RAW_BODIES, ids=[case[0] for case in RAW_BODIES])
def test_bad_raw_body_is_refused_before_sending(
    name: str, body: bytes, field: str, make_client: MakeClient, fake: FakeIyzico
) -> None:
    # A body built by hand, sent as the operation it names (as the generated functions name theirs).
    with pytest.raises(RequestValidationError) as refused:
        make_client().get_httpx_client().post(
            "/payment/auth", content=body, extensions={OPERATION_EXTENSION: "createPayment"}
        )
    assert refused.value.field == field
    assert fake.sends == 0


def test_plain_merchant_product_basket_is_fine(make_client: MakeClient, fake: FakeIyzico) -> None:
    create_payment.sync(client=make_client(), body=payment_request(payment_group=PaymentGroup.PRODUCT))
    assert fake.sends == 1
