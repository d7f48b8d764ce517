"""Properties of the client against the in-process emulator: acceptance, verified responses, exact money, refunds."""

from __future__ import annotations

import functools
import typing
from collections.abc import Callable, Iterator
from decimal import Decimal

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from iyzico_client.api.cancel_refund import cancel_payment, refund_payment_item
from iyzico_client.api.payment import create_payment
from iyzico_client.models import CancelPaymentRequest, PaymentResource, RefundPaymentItemRequest
from iyzico_client.types import json_loads
from iyzico_ext import (
    AuthenticationError,
    IyzicoAPIError,
    SecretKey,
    SignatureVerificationError,
)
from iyzico_ext._operations import operations
from iyzico_ext._verify import verify_response_signature
from iyzico_ext.testing import strategies as iyzico_st

from ._emulator import Emulator, running_emulator
from ._support import OPERATIONS_WITH_BODY, call, has_basket

# iyzico's codes for a request that is malformed or incomplete (iyzico-api.md f): a valid request never gets one.
VALIDATION_CODES = frozenset(
    {"3", "5", "8", "11", "12", "13", "14", "15", "16", "23", "25", "2003", "3001", "5001", "5002", "5005", "5006"}
    | {"5062", "5077", "5079"}
)
SIGNED_OPERATIONS = sorted(name for name in OPERATIONS_WITH_BODY if operations()[name].signed)


@pytest.fixture(scope="module")
def emulator() -> Iterator[Emulator]:
    yield from running_emulator()


def _valid_calls(emulator: Emulator, operation_id: str) -> st.SearchStrategy[dict[str, typing.Any]]:
    """Keyword arguments of a valid call; baskets name sub-merchants the emulator knows."""
    model = iyzico_st.request_models().get(operation_id)
    if model is not None and has_basket(model):
        keys = st.sampled_from(emulator.sub_merchant_keys)
        return iyzico_st.requests_for(operation_id, basket=iyzico_st.baskets(sub_merchant_keys=keys))
    return iyzico_st.requests_for(operation_id)


@given(operation_id=st.sampled_from(sorted(operations())), data=st.data())
def test_the_emulator_accepts_every_valid_request(emulator: Emulator, operation_id: str, data: st.DataObject) -> None:
    arguments = data.draw(_valid_calls(emulator, operation_id), label="call")
    answer, refusal = _attempt(lambda: call(emulator.client, operation_id, **arguments))
    if refusal is None:
        assert type(answer).__name__ == operations()[operation_id].response_schema
    else:  # a documented business outcome (a decline, "not found"), never a signature or validation error
        assert not isinstance(refusal, AuthenticationError), f"{operation_id}: {refusal}"
        assert refusal.error_code not in VALIDATION_CODES, f"{operation_id}: {refusal}"


def _attempt(send: Callable[[], object]) -> tuple[object, IyzicoAPIError | None]:
    """(the answer, None) or (None, iyzico's failure); any other error (validation, verification) propagates."""
    try:
        return send(), None
    except IyzicoAPIError as refusal:
        return None, refusal


@given(operation_id=st.sampled_from(SIGNED_OPERATIONS), data=st.data())
def test_signed_responses_verify_and_any_changed_signed_field_breaks_them(
    emulator: Emulator, operation_id: str, data: st.DataObject
) -> None:
    arguments = data.draw(_valid_calls(emulator, operation_id), label="call")
    if _attempt(lambda: call(emulator.client, operation_id, **arguments))[1] is not None:
        return  # failure bodies are not signed
    operation = operations()[operation_id]
    body = json_loads(emulator.wire.last_body)
    secret = SecretKey(emulator.handle.secret_key)
    verify_response_signature(operation, body, secret, conversation_id=body.get("conversationId"))
    signed = [name for name in operation.signature_recipes[0].fields if body.get(name) is not None]
    field = data.draw(st.sampled_from(signed), label="changed field")
    tampered = {**body, field: _changed(body[field])}
    with pytest.raises(SignatureVerificationError):
        verify_response_signature(operation, tampered, secret, conversation_id=body.get("conversationId"))


def _changed(value: object) -> object:
    if isinstance(value, Decimal):
        return value + Decimal("0.01")
    if isinstance(value, int):
        return value + 1
    return f"{value}x"


@given(data=st.data())
def test_money_survives_request_emulator_response_exactly(emulator: Emulator, data: st.DataObject) -> None:
    request = data.draw(emulator.approved_payments(), label="request")
    payment = create_payment.sync(client=emulator.client, body=request)
    assert (payment.price, payment.paid_price) == (request.price, request.paid_price)
    items = payment.item_transactions
    sent_prices = [item.price for item in request.basket_items]
    assert [item.price for item in items] == sent_prices
    item_paid_prices = [item.paid_price for item in items]
    assert sum((paid for paid in item_paid_prices if isinstance(paid, Decimal)), Decimal(0)) == request.paid_price
    raw = json_loads(emulator.wire.last_body)
    assert (raw["price"], raw["paidPrice"]) == (request.price, request.paid_price)


@attrs.frozen
class Reversal:
    """One attempt to give money back: a refund of `share`% of an item's paid price, or a cancel."""

    kind: typing.Literal["refund", "cancel"]
    item: int
    share: int


reversals = st.builds(Reversal, st.sampled_from(["refund", "refund", "cancel"]), st.integers(0, 3), st.integers(1, 100))


@given(data=st.data(), attempts=st.lists(reversals, min_size=1, max_size=6))
def test_refunds_and_cancels_keep_the_ledger_consistent(
    emulator: Emulator, data: st.DataObject, attempts: list[Reversal]
) -> None:
    payment = create_payment.sync(client=emulator.client, body=data.draw(emulator.approved_payments()))
    transactions = payment.item_transactions
    for attempt in attempts:
        item = transactions[attempt.item % len(transactions)]
        assert isinstance(item.paid_price, Decimal)
        if attempt.kind == "cancel":
            cancel = CancelPaymentRequest(payment_id=payment.payment_id)
            _, refusal = _attempt(functools.partial(cancel_payment.sync, client=emulator.client, body=cancel))
        else:
            amount = max(Decimal("0.01"), (item.paid_price * attempt.share / 100).quantize(Decimal("0.01")))
            refund = RefundPaymentItemRequest(payment_transaction_id=str(item.payment_transaction_id), price=amount)
            _, refusal = _attempt(functools.partial(refund_payment_item.sync, client=emulator.client, body=refund))
        assert refusal is None or refusal.error_code not in VALIDATION_CODES  # over-refunds are refused as 5019
        _assert_ledger_consistent(emulator, payment)


def _assert_ledger_consistent(emulator: Emulator, payment: PaymentResource) -> None:
    # Looked up by the payment's own conversationId: the module's emulator holds every example's payments.
    (entry,) = [e for e in emulator.handle.ledger(str(payment.conversation_id)) if e["paymentId"] == payment.payment_id]
    for item in entry["items"]:
        assert 0 <= item["refunded"] <= item["paidPrice"]
    assert entry["refunded"] == sum((item["refunded"] for item in entry["items"]), Decimal(0))
    if entry["cancelled"]:
        assert entry["refunded"] == 0
