"""Our own client (`IyzicoClient` + the generated functions) runs every operation of the spec against the
emulator, sync and async: signatures verified, answers bound to their requests, models parsed.

The walk is driven by the spec alone (`_example_walk`): each operation's example request, after the
examples whose ids it uses, through the generated function named by the operation table.
"""

from __future__ import annotations

import asyncio
import typing

import pytest

from iyzico_client.api.payment import create_payment
from iyzico_client.models import CreatePaymentRequest
from iyzico_ext import CardDeclinedError, IyzicoError
from iyzico_ext._operations import operations
from iyzico_ext.sandbox.embedded import SandboxHandle, in_process_sandbox
from iyzico_ext.testing.strategies import generated_function

from ._example_walk import Walk, closure
from .conftest import payment_body, with_card

Variant = typing.Literal["sync", "asyncio"]


def _answer(walk: Walk, operation_id: str, variant: Variant) -> typing.Any:
    """One step: the operation's example call through `IyzicoClient` (signed, verified, bound, parsed)."""
    function = generated_function(operation_id, variant)
    arguments = walk.arguments(operation_id)
    if variant == "sync":
        return function(client=walk.sandbox.client, **arguments)
    return asyncio.run(function(client=walk.sandbox.client, **arguments))


@pytest.mark.parametrize("variant", ["sync", "asyncio"])
@pytest.mark.parametrize("operation_id", sorted(operations()))
def test_every_operation_answers_its_example(operation_id: str, variant: Variant) -> None:
    """Each operation's example, after the examples it builds on, succeeds against a fresh emulator."""
    with in_process_sandbox() as sandbox:
        walk = Walk(sandbox)
        for step in closure(operation_id):
            try:
                answer = _answer(walk, step, "sync" if step != operation_id else variant)
            except IyzicoError as error:
                raise AssertionError(f"{step} (on the way to {operation_id}): {error}") from None
            assert type(answer).__name__ == operations()[step].response_schema
            walk.learn(step, answer.to_dict())


def test_declined_card_is_a_typed_error(iyzico_sandbox: SandboxHandle) -> None:
    request = CreatePaymentRequest.from_dict(with_card(payment_body(), cardNumber="4111111111111129"))
    with pytest.raises(CardDeclinedError) as raised:
        create_payment.sync(client=iyzico_sandbox.client, body=request)
    assert raised.value.error_code == "10051"
    assert iyzico_sandbox.ledger() == []


def test_real_loopback_server(iyzico_sandbox_server: SandboxHandle) -> None:
    request = CreatePaymentRequest.from_dict(payment_body(conversationId="socket-1"))
    payment = create_payment.sync(client=iyzico_sandbox_server.client, body=request)
    assert payment is not None
    assert [entry["paymentId"] for entry in iyzico_sandbox_server.ledger("socket-1")] == [payment.payment_id]
