"""Every operation's answer, attacked one piece at a time: after a request was sent, only `IyzicoError`s.

For each operation of the spec, its own example is sent through `IyzicoClient` to a fake that answers the
operation's success example, made to echo the request and signed like iyzico. Then one thing changes:

* a field the operation guarantees is missing: `MalformedResponseError`, or for a money-moving call a
  `PaymentOutcomeUnknown` carrying the conversationId and the ids it could read;
* a field nothing vouches for (not signed, not echoed, not guaranteed) holds an odd value (hypothesis over
  every such field of every answer): the call still returns the model, the value kept as received;
* a signed field holds an object: the signature cannot verify, a typed error;
* the HTTP status is 201, 202, 302, 299 or 600: a typed error, never `None` or a `ValueError`;
* whatever the failure, the error's type is one the generated function's docstring names.
"""

from __future__ import annotations

import inspect
import typing

import httpx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from iyzico_client.types import json_loads
from iyzico_ext import (
    IyzicoConnectionError,
    IyzicoError,
    PaymentOutcomeUnknown,
    ResponseVerificationError,
)
from iyzico_ext.testing.strategies import generated_function
from tests.numbers import exact
from tests.sandbox._example_walk import example_answer

from .answers import OPERATIONS, Step, answer, call, dotted, field_paths, get_at, signed, with_value
from .conftest import json_response

OPERATION_IDS = sorted(OPERATIONS)
ODD_VALUES = st.one_of(
    st.text(max_size=6),
    st.integers(min_value=-(10**12), max_value=10**12),
    st.booleans(),
    st.none(),
    st.lists(st.integers(min_value=0, max_value=9), max_size=2),
    st.dictionaries(st.sampled_from(["a", "price"]), st.integers(min_value=0, max_value=9), max_size=2),
    st.decimals(min_value=-1000, max_value=1000, places=2),
)


def _vouched(operation_id: str) -> set[str]:
    """Dotted paths the trust layer checks on this operation's answer (signed, echoed, guaranteed)."""
    operation = OPERATIONS[operation_id]
    found = {guarantee.path for guarantee in operation.guaranteed}
    found |= {field for recipe in operation.signature_recipes for field in recipe.fields}
    found |= {echo.response for echo in operation.echo}
    return found | {"status", "signature"}


def _free_paths(operation_id: str) -> list[tuple[Step, ...]]:
    """Fields of the example answer nothing vouches for, nor anything below which something is vouched for."""
    vouched = _vouched(operation_id)
    return [
        path
        for path in field_paths(example_answer(operation_id))
        if not any(
            item == dotted(path) or item.startswith((f"{dotted(path)}.", f"{dotted(path)}[")) for item in vouched
        )
    ]


def _guaranteed_paths() -> list[tuple[str, tuple[Step, ...]]]:
    """(operation, path in its example answer) of every guaranteed field the example carries."""
    found = []
    for operation_id in OPERATION_IDS:
        guaranteed = {guarantee.path for guarantee in OPERATIONS[operation_id].guaranteed} - {"status"}
        found += [
            (operation_id, path) for path in field_paths(example_answer(operation_id)) if dotted(path) in guaranteed
        ]
    return found


def _raises_section(operation_id: str) -> str:
    doc = inspect.getdoc(generated_function(operation_id, "sync")) or ""
    return doc.split("Raises:", 1)[1].split("Response signature:", 1)[0]


def _named_in_docstring(operation_id: str, error: BaseException) -> None:
    assert f"iyzico_ext.{type(error).__name__}:" in _raises_section(operation_id), (operation_id, type(error))


@pytest.mark.parametrize("operation_id", OPERATION_IDS)
def test_a_well_formed_answer_reads_as_the_model(operation_id: str) -> None:
    operation = OPERATIONS[operation_id]
    model = call(operation_id, lambda request: signed(operation, answer(operation, request)))
    assert type(model).__name__ == operation.response_schema


@pytest.mark.parametrize(("operation_id", "path"), _guaranteed_paths(), ids=lambda value: str(value))
def test_a_success_without_a_guaranteed_field_is_a_typed_error(operation_id: str, path: tuple[Step, ...]) -> None:
    operation = OPERATIONS[operation_id]
    with pytest.raises(IyzicoError) as caught:
        call(operation_id, lambda request: signed(operation, with_value(answer(operation, request), path, ...)))
    error = caught.value
    _named_in_docstring(operation_id, error)
    if operation.money_moving:
        assert isinstance(error, PaymentOutcomeUnknown)
        assert error.conversation_id
    else:
        assert isinstance(error, ResponseVerificationError)


def _losable(operation_id: str) -> list[str]:
    """Top-level guaranteed fields of the answer, conversationId first, the paymentId it must still show last."""
    fields = [guarantee.path for guarantee in OPERATIONS[operation_id].guaranteed if guarantee.path.isalnum()]
    return sorted(fields, key=lambda field: (field != "conversationId", field == "paymentId"))


# Money-moving operations whose answer has a top-level field to lose (activating a subscription answers no more
# than its status: nothing in it can be missing).
_LOSABLE = {name: fields[0] for name in OPERATION_IDS if OPERATIONS[name].money_moving and (fields := _losable(name))}


@pytest.mark.parametrize("operation_id", sorted(_LOSABLE))
def test_a_malformed_money_moving_answer_carries_the_ids_it_could_read(operation_id: str) -> None:
    operation = OPERATIONS[operation_id]

    def garbled(request: httpx.Request) -> httpx.Response:
        return signed(operation, with_value(answer(operation, request), (_LOSABLE[operation_id],), ...))

    with pytest.raises(PaymentOutcomeUnknown) as caught:
        call(operation_id, garbled)
    assert caught.value.conversation_id
    shown = {key: str(value) for key, value in example_answer(operation_id).items() if key == "paymentId"}
    assert shown.items() <= dict(caught.value.ids).items()


@pytest.mark.parametrize("operation_id", OPERATION_IDS)
@settings(max_examples=25)  # 34 operations: enough draws per operation to reach each of its fields
@given(data=st.data())
def test_odd_values_in_fields_nothing_vouches_for_are_kept_as_received(operation_id: str, data: st.DataObject) -> None:
    operation = OPERATIONS[operation_id]
    paths = _free_paths(operation_id)
    if not paths:
        return
    path = data.draw(st.sampled_from(paths), label="field")
    value = data.draw(ODD_VALUES, label="value")
    model = call(operation_id, lambda request: signed(operation, with_value(answer(operation, request), path, value)))
    assert exact(get_at(model.to_dict(), path)) == exact(value)


@pytest.mark.parametrize("operation_id", [op for op in OPERATION_IDS if OPERATIONS[op].signed])
def test_a_signed_field_holding_an_object_is_a_typed_error(operation_id: str) -> None:
    operation = OPERATIONS[operation_id]
    field = operation.signature_recipes[0].fields[0]

    def objected(request: httpx.Request) -> httpx.Response:
        body = answer(operation, request)
        response = signed(operation, body)
        return json_response(200, {**json_loads(response.content), field: {"x": 1}})

    with pytest.raises(IyzicoError) as caught:
        call(operation_id, objected)
    _named_in_docstring(operation_id, caught.value)
    assert isinstance(caught.value, PaymentOutcomeUnknown if operation.money_moving else ResponseVerificationError)


@pytest.mark.parametrize("status", [201, 202, 302, 299, 600])
@pytest.mark.parametrize("operation_id", ["createPayment", "refundPayment", "retrievePayment", "createCard"])
def test_a_success_with_another_status_than_200_is_a_typed_error(operation_id: str, status: int) -> None:
    operation = OPERATIONS[operation_id]

    def odd_status(request: httpx.Request) -> httpx.Response:
        response = signed(operation, answer(operation, request))
        return httpx.Response(status, content=response.content, headers={"content-type": "application/json"})

    with pytest.raises(IyzicoError) as caught:
        call(operation_id, odd_status)
    _named_in_docstring(operation_id, caught.value)
    if operation.money_moving:
        assert isinstance(caught.value, PaymentOutcomeUnknown)
        assert caught.value.conversation_id
        assert caught.value.ids.get("paymentId") == str(example_answer(operation_id)["paymentId"])
    else:
        assert isinstance(caught.value, IyzicoConnectionError)


@pytest.mark.parametrize("operation_id", OPERATION_IDS)
def test_the_docstring_names_the_errors_the_call_raises(operation_id: str) -> None:
    operation = OPERATIONS[operation_id]
    failures: list[typing.Callable[[httpx.Request], httpx.Response]] = [
        lambda request: json_response(200, {"status": "failure", "errorCode": "5062", "errorMessage": "m"}),
        lambda request: json_response(200, {"status": "failure", "errorCode": "1001", "errorMessage": "m"}),
        lambda request: json_response(200, {"status": "failure", "errorCode": "50000", "errorMessage": "m"}),
        lambda request: httpx.Response(503, text="<html>"),
    ]
    if operation.signed:
        failures.append(lambda request: json_response(200, {**answer(operation, request), "signature": "00"}))
    if operation.guaranteed:
        failures.append(lambda request: signed(operation, {"status": "success"}))
    for failure in failures:
        with pytest.raises(IyzicoError) as caught:
            call(operation_id, failure)
        _named_in_docstring(operation_id, caught.value)
