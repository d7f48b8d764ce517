"""Untrusted numbers cannot exhaust memory or CPU: they are bounded before any arithmetic or formatting.

`1e999999999` is 11 bytes of JSON and a gigabyte written out in plain digits (a response signature
writes amounts out); `1e9999999999999999999` was a MemoryError. Every reader (the trust layer's
msgspec hook, the generated `json_loads`, `to_decimal`, model construction, `json_dumps`,
`signature_amount_text`, webhooks, hand-built request bodies) refuses a number whose text is longer
than `NUMBER_MAX_TEXT` or whose leading digit lies beyond 10^±`AMOUNT_MAX_MAGNITUDE`. The cost is
measured by counting the bytes allocated during the call (tracemalloc), not by a clock; numbers just
inside the bounds still read exactly.
"""

from __future__ import annotations

import contextlib
import tracemalloc
from collections.abc import Callable, Iterator
from decimal import Decimal

import httpx
import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from iyzico_client.api.payment import create_payment, retrieve_payment
from iyzico_client.models import BasketItem, BasketItemType
from iyzico_client.types import (
    AMOUNT_MAX_MAGNITUDE,
    NUMBER_MAX_TEXT,
    OPERATION_EXTENSION,
    AmountOutOfRangeError,
    json_dumps,
    json_loads,
    to_decimal,
)
from iyzico_ext import (
    IyzicoClient,
    IyzicoConnectionError,
    PaymentOutcomeUnknown,
    RequestValidationError,
    SignatureVerificationError,
    verify_webhook,
)
from iyzico_ext._body import parse_json_object
from iyzico_ext._money import signature_amount_text
from tests.numbers import decimals_in_range

from .conftest import (
    BASE_URL,
    CANARY_API_KEY,
    CANARY_SECRET,
    FakeIyzico,
    json_response,
    payment_request,
    retrieve_request,
    signed_payment,
)

MakeClient = Callable[..., IyzicoClient]
# Far more than one call needs, far less than writing out an exponent of the sizes drawn below.
_ALLOCATION_BUDGET = 4 * 1024 * 1024

_digits = st.text(alphabet="0123456789", min_size=1, max_size=20)
# Exponents beyond the bound, up to what would be hundreds of megabytes written out (a regression
# then fails on the budget without exhausting the machine).
_far_exponents = st.integers(min_value=AMOUNT_MAX_MAGNITUDE + 25, max_value=10**8)
_exponent_texts = st.builds(
    lambda sign, digits, exponent: f"{sign}{digits[0]}.{digits}e{exponent}",
    st.sampled_from(["", "-"]),
    _digits,
    st.one_of(_far_exponents, _far_exponents.map(lambda exponent: -exponent)),
)
_long_fraction_texts = st.integers(min_value=NUMBER_MAX_TEXT, max_value=10_000).map(lambda zeros: f"0.{'0' * zeros}1")
# Numbers with a fraction or an exponent: every reader refuses them.
out_of_range_texts = st.one_of(_exponent_texts, _long_fraction_texts)
# Integers longer than any amount: msgspec has no hook for them (CPython caps them at 4300 digits,
# so they cost what their bytes cost); every use of one as an amount refuses it.
long_integer_texts = st.integers(min_value=NUMBER_MAX_TEXT + 1, max_value=4000).map(lambda length: "9" * length)
_ATTACKS = ["1e999999999", "-1e999999999", "1e-999999999", "0e999999999", "0E-999999999", "1e9999999999999999999"]


@contextlib.contextmanager
def allocation_budget(limit: int = _ALLOCATION_BUDGET) -> Iterator[None]:
    """Fail if the block's peak of traced allocations exceeds `limit` bytes."""
    tracemalloc.start()
    try:
        yield
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < limit, f"allocated {peak:,} bytes"


def _payment_reply(number: str) -> httpx.Response:
    body = json_dumps(signed_payment(CANARY_SECRET, conversationId="123456789", paidPrice=Decimal("1.2")))
    return json_response(200, body.replace(b'"price":1.0', b'"price":' + number.encode(), 1))


@given(number=st.one_of(out_of_range_texts, long_integer_texts))
@example(number="1e999999999")
@example(number="1e9999999999999999999")
def test_a_response_amount_out_of_range_is_an_iyzico_error_and_costs_nothing(number: str) -> None:
    fake = FakeIyzico()
    fake.script.extend([_payment_reply(number), _payment_reply(number)])
    client = IyzicoClient(CANARY_API_KEY, CANARY_SECRET, BASE_URL, transport=httpx.MockTransport(fake))
    with allocation_budget(), pytest.raises(PaymentOutcomeUnknown) as unknown:
        create_payment.sync(client=client, body=payment_request())
    assert unknown.value.conversation_id == "123456789"
    # Unreadable (IyzicoConnectionError), or a signed amount that cannot be written (signature mismatch).
    with allocation_budget(), pytest.raises((IyzicoConnectionError, SignatureVerificationError)):
        retrieve_payment.sync(client=client, body=retrieve_request())
    assert fake.sends == 2  # an unreadable body is no transport failure: not retried
    client.close()


@given(number=st.one_of(out_of_range_texts, long_integer_texts))
@example(number="1e999999999")
def test_a_webhook_with_an_amount_out_of_range_is_refused_and_costs_nothing(number: str) -> None:
    payload = '{"iyziEventType":"API_AUTH","paymentId":1,"paymentConversationId":"c","status":"SUCCESS","price":%s}'
    with allocation_budget(), pytest.raises(SignatureVerificationError):
        verify_webhook((payload % number).encode(), "00" * 32, CANARY_SECRET)


@given(number=out_of_range_texts)
def test_every_reader_refuses_a_number_out_of_range(number: str) -> None:
    text = f'{{"amount":{number}}}'.encode()
    assert parse_json_object(text) is None
    with pytest.raises(AmountOutOfRangeError):
        json_loads(text)


@given(number=long_integer_texts)
def test_a_long_integer_is_refused_wherever_it_is_used_as_an_amount(number: str) -> None:
    text = f'{{"amount":{number}}}'.encode()
    with pytest.raises(AmountOutOfRangeError):
        json_loads(text)
    body = parse_json_object(text)
    assert body is not None
    with pytest.raises(AmountOutOfRangeError):
        to_decimal(body["amount"])
    with pytest.raises(AmountOutOfRangeError):
        signature_amount_text(body["amount"])


@pytest.mark.parametrize("number", _ATTACKS[:-1])
def test_every_writer_and_converter_refuses_an_amount_out_of_range(number: str) -> None:
    amount = Decimal(number)  # cheap: a Decimal keeps its exponent; writing it out is what costs
    with allocation_budget():
        for refused in (
            lambda: to_decimal(amount),
            lambda: signature_amount_text(amount),
            lambda: json_dumps({"price": amount}),
        ):
            with pytest.raises(AmountOutOfRangeError):
                refused()
        with pytest.raises(AmountOutOfRangeError, match=r"BasketItem\.price"):
            BasketItem(id="1", name="n", category1="c", item_type=BasketItemType.PHYSICAL, price=amount)


def test_long_numeric_text_is_refused_as_an_amount_before_it_is_read() -> None:
    text = "1" * 10_000_000
    with allocation_budget(limit=64 * 1024), pytest.raises(AmountOutOfRangeError):
        to_decimal(text)


@given(amount=decimals_in_range())
def test_amounts_inside_the_bounds_read_and_write_exactly(amount: Decimal) -> None:
    assert to_decimal(amount) == amount
    text = json_dumps({"a": amount})
    assert parse_json_object(text) == json_loads(text) == {"a": amount}
    assert Decimal(signature_amount_text(amount)) == amount


# A hand-built request names its operation, as the generated functions do.
_NAMED = {OPERATION_EXTENSION: "createPayment"}


def test_a_hand_built_body_with_an_amount_out_of_range_is_refused_before_sending(
    make_client: MakeClient, fake: FakeIyzico
) -> None:
    client = make_client()
    body = json_dumps(payment_request().to_dict()).replace(b'"price":1.0', b'"price":1e999999999', 1)
    with allocation_budget(), pytest.raises(RequestValidationError) as refused:
        client.get_httpx_client().post("/payment/auth", content=body, extensions=_NAMED)
    assert refused.value.field == "body"
    assert fake.sends == 0


def test_a_long_numeric_string_amount_is_refused_before_sending(make_client: MakeClient, fake: FakeIyzico) -> None:
    client = make_client()
    body = json_dumps(payment_request().to_dict()).replace(b'"price":1.0', b'"price":"' + b"1" * 100_000 + b'"', 1)
    with pytest.raises(RequestValidationError, match="at most") as refused:
        client.get_httpx_client().post("/payment/auth", content=body, extensions=_NAMED)
    assert refused.value.field == "price"
    assert fake.sends == 0
