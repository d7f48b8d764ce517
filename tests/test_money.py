"""Exact money: Decimal in every model, exact JSON text on the wire, no float anywhere."""

from __future__ import annotations

import typing
from decimal import Decimal

import attrs
import pytest
from generate import _response_only_models
from hypothesis import given
from hypothesis import strategies as st

from iyzico_client import models
from iyzico_client.models import (
    Address,
    BasketItem,
    BasketItemType,
    Buyer,
    CreatePaymentRequest,
    Currency,
    Locale,
    PaymentCard,
    PaymentChannel,
    PaymentGroup,
    PaymentResource,
)
from iyzico_client.types import FloatNotAllowedError, check_amount, json_dumps, json_loads, to_decimal
from iyzico_ext._operations import load_spec, operations
from iyzico_ext.testing import strategies as iyzico_st
from tests.numbers import decimals_in_range, exact

ADDRESS = "Altunizade Mah. İnci Çıkmazı Sokak No: 3 İç Kapı No: 10 Üsküdar İstanbul"


def _seed_request() -> CreatePaymentRequest:
    """The seed's marketplace Non-3DS request, written the way a user writes it."""
    return CreatePaymentRequest(
        locale=Locale.TR,
        conversation_id="123456789",
        price=Decimal("100.0"),
        paid_price=Decimal("100.0"),
        currency=Currency.TRY,
        installment=1,
        payment_channel=PaymentChannel.WEB,
        basket_id="basketId",
        payment_group=PaymentGroup.PRODUCT,
        payment_card=PaymentCard(
            card_holder_name="John Doe",
            card_number="5526080000000006",
            expire_year="2030",
            expire_month="12",
            cvc="123",
            register_card=0,
        ),
        buyer=Buyer(
            id="BY789",
            name="John",
            surname="Doe",
            identity_number="74300864791",
            email="email@email.com",
            gsm_number="+905350000000",
            registration_date="2013-04-21 15:12:09",
            last_login_date="2015-10-05 12:43:35",
            registration_address=ADDRESS,
            city="Istanbul",
            country="Turkey",
            zip_code="34732",
            ip="85.34.78.112",
        ),
        shipping_address=Address(
            address=ADDRESS, zip_code="34742", contact_name="Jane Doe", city="Istanbul", country="Turkey"
        ),
        billing_address=Address(address=ADDRESS, contact_name="Jane Doe", city="Istanbul", country="Turkey"),
        basket_items=[
            BasketItem(
                id="BI103",
                name="Usb",
                price=Decimal("100.0"),
                category1="Electronics",
                category2="Usb / Cable",
                item_type=BasketItemType.PHYSICAL,
                sub_merchant_key="n621Bd1zi4vpW/uVkMc8vCnwTPk=",
                sub_merchant_price=Decimal("94.2"),
                withholding_tax=Decimal("0.8"),
            )
        ],
    )


def _seed_example(kind: str) -> typing.Any:
    item = load_spec()["paths"]["/payment/auth"]["post"]
    holder = item["requestBody"] if kind == "request" else item["responses"]["200"]
    return holder["content"]["application/json"]["examples"]["marketplaceNon3ds"]["value"]


def test_seed_request_built_from_models_serializes_to_the_seed_json() -> None:
    wire = json_loads(json_dumps(_seed_request().to_dict()))
    assert exact(wire) == exact(_seed_example("request"))


def test_seed_request_carries_exact_decimal_text_on_the_wire() -> None:
    wire = json_dumps(_seed_request().to_dict())
    assert b'"price":100.0,"paidPrice":100.0' in wire
    assert b'"subMerchantPrice":94.2' in wire
    assert "Üsküdar".encode() in wire  # raw UTF-8, signed and sent as is


def test_seed_response_parses_with_exact_decimals() -> None:
    raw = json_dumps(_seed_example("response"))
    payment = PaymentResource.from_dict(json_loads(raw))
    assert isinstance(payment.item_transactions, list)
    item = payment.item_transactions[0]
    assert item.sub_merchant_price == Decimal("94.2")
    assert str(item.sub_merchant_price) == "94.2"
    assert payment.iyzi_commission_rate_amount == Decimal("3.49")
    assert payment.price == Decimal(100)
    assert payment.installment == 1
    assert type(payment.installment) is int
    assert type(payment.fraud_status) is int


def _payment(**fields: object) -> dict[str, object]:
    """A success payment body with the fields every payment answer carries, and `fields`."""
    body: dict[str, object] = {"status": "success", "paymentId": "1", "currency": "TRY", "itemTransactions": []}
    return {**body, "price": Decimal("1.0"), "paidPrice": Decimal("1.0"), **fields}


def test_response_amounts_keep_their_exact_text() -> None:
    payment = PaymentResource.from_dict(_payment(**json_loads(b'{"price":1.10,"paidPrice":1e-2}')))
    assert str(payment.price) == "1.10"
    assert payment.paid_price == Decimal("0.01")


def test_a_float_for_money_is_refused_at_construction() -> None:
    with pytest.raises(FloatNotAllowedError, match=r"BasketItem\.price: a float"):
        BasketItem(
            id="1",
            name="n",
            category1="c",
            item_type=BasketItemType.VIRTUAL,
            price=1.5,  # type: ignore[arg-type]
        )


def test_a_float_for_money_is_refused_when_parsing_and_when_writing() -> None:
    with pytest.raises(FloatNotAllowedError):
        PaymentResource.from_dict(_payment(price=1.5))
    with pytest.raises(FloatNotAllowedError):
        json_dumps({"price": 1.5})
    with pytest.raises(ValueError, match="NaN"):
        json_loads(b'{"price": NaN}')


def test_integers_stay_int_and_text_amounts_are_read_exactly() -> None:
    assert to_decimal(5) == Decimal(5)
    assert str(to_decimal("15.340")) == "15.340"
    with pytest.raises(TypeError):
        to_decimal(True)
    with pytest.raises(TypeError):
        to_decimal("1e3")  # exponent text is not an amount iyzico accepts


@given(decimals_in_range())
def test_any_finite_decimal_round_trips_exactly_without_exponent(amount: Decimal) -> None:
    wire = json_dumps({"price": amount})
    number = wire.removeprefix(b'{"price":').removesuffix(b"}")
    assert b"e" not in number.lower()
    back = json_loads(wire)["price"]
    assert back == amount
    assert to_decimal(back) == amount


REQUEST_OPERATIONS = sorted(op.operation_id for op in operations().values() if op.request_schema)


@pytest.mark.parametrize("operation_id", REQUEST_OPERATIONS)
@given(data=st.data())
def test_request_models_round_trip_through_json(operation_id: str, data: st.DataObject) -> None:
    model = data.draw(iyzico_st.requests_for(operation_id))["body"]
    wire = json_dumps(model.to_dict())
    assert type(model).from_dict(json_loads(wire)) == model


def _money_validated(model: type) -> dict[str, bool]:
    """{attribute: has the float-refusing validator} for each Decimal attribute of a generated model."""
    return {
        field.name: field.validator is check_amount for field in attrs.fields(model) if "Decimal" in str(field.type)
    }


def test_models_a_request_can_carry_refuse_floats_and_response_only_models_skip_the_check() -> None:
    response_only = _response_only_models(load_spec())
    assert {"PaymentResource", "ItemTransaction", "ConvertedPayout"} <= response_only
    assert not {"CreatePaymentRequest", "BasketItem", "CreateRefundRequest"} & response_only
    checked = 0
    for name in models.__all__:
        model = getattr(models, name)
        if not attrs.has(model):
            continue
        validated = _money_validated(model)
        assert set(validated.values()) <= {name not in response_only}, name
        checked += bool(validated)
    assert checked > 10


def test_response_only_models_still_refuse_non_finite_and_float_amounts_from_dict() -> None:
    with pytest.raises(ValueError, match="finite"):
        PaymentResource.from_dict(_payment(price=Decimal("NaN")))
    with pytest.raises(FloatNotAllowedError):
        PaymentResource.from_dict(
            _payment(itemTransactions=[{"itemId": "1", "paymentTransactionId": "2", "price": 0.1}])
        )


_json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.decimals(allow_nan=True, allow_infinity=True)
    | st.text(st.characters(exclude_categories=()))  # lone surrogates too: both refuse them
    | st.floats(allow_nan=False),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(), children, max_size=4),
    max_leaves=12,
)


def _reference_encoding(value: object) -> bytes | type[Exception]:
    """What the pure-Python encoder of the runtime's JSON codec writes (or raises): msgspec must agree."""
    from iyzico_client._runtime import json_codec

    out: list[str] = []
    try:
        json_codec._encode(value, out)  # the reference implementation, private on purpose
        return "".join(out).encode("utf-8")
    except (TypeError, ValueError, UnicodeEncodeError) as error:
        return type(error)


@given(_json_values)
def test_json_dumps_writes_exactly_what_the_reference_encoder_writes(value: object) -> None:
    """json_dumps hands plain values to msgspec: the bytes (or the refusal) must be the same."""
    expected = _reference_encoding(value)
    if isinstance(expected, bytes):
        assert json_dumps(value) == expected
    else:
        with pytest.raises(expected):
            json_dumps(value)
