"""Every valid strategy output is valid: by the spec's schema, by the client's own checks, by iyzico's rules."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from hypothesis import find, given
from hypothesis import strategies as st

from iyzico_client.models import BasketItemType, PaymentCard, PaymentGroup
from iyzico_client.types import UNSET, RequestJSON, Unset
from iyzico_ext._operations import operations
from iyzico_ext._validation import validate_request as client_validation
from iyzico_ext.sandbox._failures import ApiFailure
from iyzico_ext.sandbox._validation import validate_request as schema_validation
from iyzico_ext.testing import strategies as iyzico_st

from ._support import (
    BASKET_OPERATIONS,
    OPERATIONS_WITH_BODY,
    BasketRequest,
    bodies_for,
    wire_json,
)

any_operation = st.sampled_from(OPERATIONS_WITH_BODY)
basket_requests = st.sampled_from(BASKET_OPERATIONS).flatmap(bodies_for)
CENT = Decimal("0.01")
TURKISH_LETTERS = "çğıİöşüÇĞÖŞÜ"


@given(any_operation, st.data())
def test_every_valid_request_satisfies_the_spec_schema(operation_id: str, data: st.DataObject) -> None:
    request = data.draw(bodies_for(operation_id))
    schema = operations()[operation_id].request_schema
    assert schema is not None
    try:
        schema_validation(schema, wire_json(request))
    except ApiFailure as failure:
        raise AssertionError(f"{operation_id}: {failure}") from None


@given(any_operation, st.data())
def test_the_client_accepts_every_valid_request(operation_id: str, data: st.DataObject) -> None:
    request = data.draw(bodies_for(operation_id))
    client_validation(operations()[operation_id], RequestJSON(wire_json(request)))


@given(bodies_for("createPayment", basket=iyzico_st.baskets(marketplace=True), payment_group=st.just(UNSET)))
def test_the_client_accepts_a_marketplace_basket_with_the_default_payment_group(request: BasketRequest) -> None:
    client_validation(operations()["createPayment"], RequestJSON(wire_json(request)))


@given(basket_requests)
def test_baskets_sum_to_price_with_the_right_sub_merchant_fields_and_shipping(request: BasketRequest) -> None:
    _assert_items_sum_exactly_to_price(request)
    _assert_sub_merchant_fields_on_every_item_or_none(request)
    if any(item.item_type == BasketItemType.PHYSICAL for item in request.basket_items):
        assert not isinstance(request.shipping_address, Unset)


def _assert_items_sum_exactly_to_price(request: BasketRequest) -> None:
    items = request.basket_items
    assert sum((item.price for item in items), Decimal(0)) == request.price
    paid = getattr(request, "paid_price", request.price)  # BKM Express takes no paidPrice: it charges price
    for amount in (request.price, paid, *(item.price for item in items)):
        assert amount > 0
        assert amount == amount.quantize(CENT)


def _assert_sub_merchant_fields_on_every_item_or_none(request: BasketRequest) -> None:
    marked = [not isinstance(item.sub_merchant_key, Unset) for item in request.basket_items]
    priced = [not isinstance(item.sub_merchant_price, Unset) for item in request.basket_items]
    assert marked == priced
    assert all(marked) or not any(marked)
    if all(marked):
        assert request.payment_group in (PaymentGroup.PRODUCT, UNSET)
        for item in request.basket_items:
            assert isinstance(item.sub_merchant_price, Decimal)
            assert 0 < item.sub_merchant_price <= item.price


@given(iyzico_st.payment_cards())
def test_cards_are_luhn_valid_unexpired_and_their_cvc_fits_the_scheme(card: PaymentCard) -> None:
    assert isinstance(card.card_number, str)
    assert isinstance(card.cvc, str)
    assert iyzico_st.luhn_valid(card.card_number)
    assert len(card.cvc) == (4 if card.card_number.startswith(("34", "37")) else 3)
    month, year = int(str(card.expire_month)), int(str(card.expire_year))
    year += 2000 if year < 100 else 0
    today = datetime.date.today()
    assert 1 <= month <= 12
    assert (year, month) >= (today.year, today.month)


def test_every_documented_test_card_is_luhn_valid() -> None:
    assert all(iyzico_st.luhn_valid(number) for number in iyzico_st.TEST_CARDS)


@given(iyzico_st.identity_numbers())
def test_identity_numbers_pass_the_tckn_checksum(number: str) -> None:
    digits = [int(char) for char in number]
    assert len(digits) == 11
    assert digits[0] != 0
    assert digits[9] == (sum(digits[0:9:2]) * 7 - sum(digits[1:8:2])) % 10
    assert digits[10] == sum(digits[:10]) % 10


@pytest.mark.parametrize(
    "strategy",
    [iyzico_st.turkish_names(), iyzico_st.turkish_cities(), iyzico_st.turkish_addresses()],
    ids=["names", "cities", "addresses"],
)
def test_names_and_addresses_use_turkish_letters(strategy: st.SearchStrategy[str]) -> None:
    found = find(strategy, lambda text: any(letter in text for letter in TURKISH_LETTERS))
    assert found.strip() == found
