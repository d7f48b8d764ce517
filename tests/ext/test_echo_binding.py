"""Every signed answer is bound to its request: an answer about another payment, refund, amount, token or
reference is refused even when its signature is genuine (a signature carries no nonce, so a replayed or
mixed-up answer verifies).

Data-driven from the operation table: for every operation, for every field the answer must repeat (its
`x-iyzico-echo`), the operation's own spec example is sent and answered with its own example success answer
with that one field changed to another value of the same kind, signed with the fake's secret over each of the
operation's signature recipes. The call must raise `ResponseMismatchError` (`MismatchedPaymentOutcome`, with
the conversationId to reconcile by, for money-moving calls) naming exactly that field, after one send and no
retry. The unaltered example answer, signed the same way, is accepted, so no case passes vacuously.
"""

from __future__ import annotations

import asyncio
import copy
import datetime
import json
import string
import typing
from collections.abc import Callable, Mapping
from decimal import Decimal

import httpx
import pytest

from iyzico_ext import IyzicoClient, MismatchedPaymentOutcome, PaymentOutcomeUnknown, ResponseMismatchError
from iyzico_ext._fields import value_at, values_at
from iyzico_ext._operations import Echo, Operation, SignatureRecipe, load_spec, operations
from iyzico_ext._secret import SecretKey
from iyzico_ext._signing import response_signature
from iyzico_ext.testing.strategies import generated_function
from tests.sandbox._example_walk import example_answer, example_arguments, example_request

from .conftest import FakeIyzico, SleepRecorder, json_response

Json = typing.Any
_NEXT_YEAR = str(datetime.date.today().year + 1)  # some examples' cards expire before the suite does
# The instances issue 12 names: a refund answered about another refund or amount, a 3-D Secure auth and a
# post-auth answered about another payment.
NAMED = (
    ("refundPayment", "price"),
    ("refundPayment", "paymentId"),
    ("refundPaymentItem", "price"),
    ("refundPaymentItem", "paymentTransactionId"),
    ("createThreedsPayment", "paymentId"),
    ("createPostAuthPayment", "paymentId"),
)
# Alphabets a changed character stays in: a digit stays a digit, hex stays hex, a letter keeps its case.
_ALPHABETS = (string.digits, "abcdef", "ABCDEF", string.ascii_lowercase, string.ascii_uppercase)


def _resolved(schema: Mapping[str, Json]) -> Mapping[str, Json]:
    """The schema behind `$ref`s, with an `allOf`'s properties merged."""
    while "$ref" in schema:
        schema = load_spec()["components"]["schemas"][schema["$ref"].rsplit("/", 1)[1]]
    if "allOf" in schema:
        parts = [_resolved(part) for part in schema["allOf"]]
        return {"properties": {name: value for part in parts for name, value in part.get("properties", {}).items()}}
    return schema


def _request_schema(operation: Operation, source: str) -> Mapping[str, Json]:
    """The schema of what the request sets at `source` (`body.<path>`, `path.<name>`, `query.<name>`)."""
    location, _, name = source.partition(".")
    if location != "body":
        raw = load_spec()["paths"][operation.path][operation.method.lower()]
        return _resolved(next(parameter for parameter in raw["parameters"] if parameter["name"] == name)["schema"])
    schema = _resolved({"$ref": f"#/components/schemas/{operation.request_schema}"})
    for segment in name.split("."):
        schema = _resolved(schema["properties"][segment])
    return schema


def _next_character(character: str) -> str:
    alphabet = next((alphabet for alphabet in _ALPHABETS if character in alphabet), None)
    if alphabet is None:
        return chr(ord(character) + 1)
    return alphabet[(alphabet.index(character) + 1) % len(alphabet)]


def _other_value(value: Json, members: typing.Sequence[Json]) -> Json:
    """Another value of the same kind: another member of the request's enum, the next number, or the text with
    its last letter or digit moved on (an id stays an id of the same shape)."""
    if members:
        return next(member for member in members if member != value)
    if isinstance(value, bool):
        return not value
    if isinstance(value, int | Decimal):
        return value + 1
    assert isinstance(value, str), value
    last = max(position for position, character in enumerate(value) if character.isalnum())
    return value[:last] + _next_character(value[last]) + value[last + 1 :]


def _with_changed(answer: Json, path: str, change: Callable[[Json], Json]) -> Json:
    """A copy of the answer with the field at `path` changed (below a `[]`, in the list's last element)."""
    changed = copy.deepcopy(answer)
    *parents, leaf = path.split(".")
    node = changed
    for segment in parents:
        node = node[segment.removesuffix("[]")]
        if segment.endswith("[]"):
            node = node[-1]
    node[leaf] = change(node[leaf])
    return changed


def _signed(answer: Json, recipe: SignatureRecipe | None, secret: str) -> Json:
    body = copy.deepcopy(answer)
    if recipe is not None:
        body["signature"] = response_signature(SecretKey(secret), body, recipe.fields)
    return body


def _skip_reason(operation_id: str, echo: Echo) -> str | None:
    location, _, name = echo.request.partition(".")
    request = example_request(operation_id)
    sent = value_at(request.get("body"), name) if location == "body" else request.get(name)
    if sent is None:
        return f"{operation_id}: its request example does not set {echo.request}, so there is nothing to repeat"
    if not values_at(example_answer(operation_id), echo.response):
        return f"{operation_id}: its success example has no {echo.response}"
    return None


def _recipe_id(recipe: SignatureRecipe | None) -> str:
    return "unsigned" if recipe is None else "+".join(recipe.fields)


def _recipes(operation: Operation) -> tuple[SignatureRecipe | None, ...]:
    return operation.signature_recipes or (None,)


ECHOING = sorted(name for name, operation in operations().items() if operation.echo)
CONTROLS = [
    pytest.param(name, recipe, id=f"{name}-{_recipe_id(recipe)}")
    for name in ECHOING
    for recipe in _recipes(operations()[name])
]
CHANGES = [
    pytest.param(
        name,
        echo,
        recipe,
        id=f"{name}-{echo.response}-{_recipe_id(recipe)}",
        marks=[pytest.mark.skip(reason=reason)] if (reason := _skip_reason(name, echo)) else [],
    )
    for name in ECHOING
    for echo in operations()[name].echo
    for recipe in _recipes(operations()[name])
]


def _call(operation_id: str, client: IyzicoClient, mode: str) -> object:
    """The operation's own spec example through its generated function; what it returned or raised."""
    arguments = example_arguments(operation_id, {}, {"expireYear": _NEXT_YEAR})
    try:
        if mode == "sync":
            return generated_function(operation_id)(client=client, **arguments)
        return asyncio.run(generated_function(operation_id, "asyncio")(client=client, **arguments))
    except Exception as error:  # every outcome is checked by the caller
        return error


def _sent_conversation_id(request: httpx.Request) -> str | None:
    sent = json.loads(request.content) if request.content else {}
    conversation_id = sent.get("conversationId", request.url.params.get("conversationId"))
    return conversation_id if isinstance(conversation_id, str) else None


def _assert_sent_once(fake: FakeIyzico, clock: SleepRecorder) -> None:
    assert fake.sends == 1
    assert fake.bad_signatures == 0
    assert clock.slept == []


@pytest.mark.parametrize(("operation_id", "recipe"), CONTROLS)
def test_the_unaltered_example_answer_is_accepted(
    operation_id: str,
    recipe: SignatureRecipe | None,
    fake: FakeIyzico,
    clock: SleepRecorder,
    make_client: Callable[..., IyzicoClient],
) -> None:
    fake.script.append(json_response(200, _signed(example_answer(operation_id), recipe, fake.secret)))
    outcome = _call(operation_id, make_client(), "sync")
    assert not isinstance(outcome, Exception), repr(outcome)
    assert type(outcome).__name__ == operations()[operation_id].response_schema  # the success model, parsed
    _assert_sent_once(fake, clock)


def _assert_refused(
    operation_id: str,
    echo: Echo,
    recipe: SignatureRecipe | None,
    mode: str,
    fake: FakeIyzico,
    clock: SleepRecorder,
    client: IyzicoClient,
) -> None:
    operation = operations()[operation_id]
    members = _request_schema(operation, echo.request).get("enum", ())
    answer = _with_changed(example_answer(operation_id), echo.response, lambda value: _other_value(value, members))
    fake.script.append(json_response(200, _signed(answer, recipe, fake.secret)))
    outcome = _call(operation_id, client, mode)
    expected = MismatchedPaymentOutcome if operation.money_moving else ResponseMismatchError
    assert type(outcome) is expected, repr(outcome)
    assert isinstance(outcome, ResponseMismatchError)
    assert outcome.fields == (echo.response,)
    assert outcome.operation_id == operation_id
    _assert_sent_once(fake, clock)
    if isinstance(outcome, PaymentOutcomeUnknown):
        assert outcome.conversation_id
        assert outcome.conversation_id == _sent_conversation_id(fake.requests[0])


@pytest.mark.parametrize(("operation_id", "echo", "recipe"), CHANGES)
def test_a_signed_answer_about_something_else_is_refused(
    operation_id: str,
    echo: Echo,
    recipe: SignatureRecipe | None,
    fake: FakeIyzico,
    clock: SleepRecorder,
    make_client: Callable[..., IyzicoClient],
) -> None:
    _assert_refused(operation_id, echo, recipe, "sync", fake, clock, make_client())


def _named_echo(operation_id: str, field: str) -> Echo:
    return next(echo for echo in operations()[operation_id].echo if echo.response == field)


def test_the_issue_s_named_instances_run_with_every_recipe() -> None:
    running = {(case.values[0], typing.cast(Echo, case.values[1]).response) for case in CHANGES if not case.marks}
    assert set(NAMED) <= running
    assert all(operations()[name].signature_recipes for name, _ in NAMED)


@pytest.mark.parametrize(("operation_id", "field"), NAMED)
def test_the_issue_s_named_instances_are_refused_on_the_async_path(
    operation_id: str,
    field: str,
    fake: FakeIyzico,
    clock: SleepRecorder,
    make_client: Callable[..., IyzicoClient],
) -> None:
    recipe = operations()[operation_id].signature_recipes[0]
    _assert_refused(operation_id, _named_echo(operation_id, field), recipe, "async", fake, clock, make_client())
