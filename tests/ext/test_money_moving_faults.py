"""Every money-moving operation of the spec, whatever its family (payments, basic payments, 3-D Secure and its
completion, refunds, cancels, Pecco's auth call, ...), under the transport faults of the fault matrix: resent
only when it provably never left the machine, otherwise sent once and answered with `PaymentOutcomeUnknown`
carrying the conversationId to reconcile by. Each call is the operation's own spec example, so an operation added
to the spec is covered by adding it."""

from __future__ import annotations

import asyncio
import datetime
import typing
from collections.abc import Callable

import pytest

from iyzico_ext import IyzicoClient, PaymentOutcomeUnknown
from iyzico_ext._operations import operations
from iyzico_ext.testing.strategies import generated_function
from tests.sandbox._example_walk import example_arguments

from .conftest import FakeIyzico, SleepRecorder
from .test_fault_matrix import FAULTS, Fault

MONEY_MOVING = sorted(name for name, operation in operations().items() if operation.money_moving)
# The faults whose outcome does not depend on the operation's answer: one that provably never left, the ways a
# sent request can end without an answer, and answers that cannot be read.
_FAULT_NAMES = (
    *("ConnectError", "WriteError", "ReadTimeout", "RemoteProtocolError"),
    *("502-html", "200-malformed-json", "decoding-error"),
)
_FAULTS = [fault for fault in FAULTS if fault.name in _FAULT_NAMES]
_NEXT_YEAR = str(datetime.date.today().year + 1)  # some examples' cards expire before the suite does


def test_every_chosen_fault_is_in_the_matrix() -> None:
    assert sorted(fault.name for fault in _FAULTS) == sorted(_FAULT_NAMES)


@pytest.mark.parametrize("mode", ["sync", "async"])
@pytest.mark.parametrize("fault", _FAULTS, ids=lambda fault: fault.name)
@pytest.mark.parametrize("operation_id", MONEY_MOVING)
def test_a_money_moving_call_is_never_resent_once_it_may_have_left(
    operation_id: str,
    fault: Fault,
    mode: str,
    fake: FakeIyzico,
    clock: SleepRecorder,
    make_client: Callable[..., IyzicoClient],
) -> None:
    fake.script.extend(fault.reply() for _ in range(5))
    arguments = example_arguments(operation_id, {}, {"expireYear": _NEXT_YEAR})
    client = make_client()
    outcome: typing.Any
    try:
        if mode == "sync":
            outcome = generated_function(operation_id)(client=client, **arguments)
        else:
            outcome = asyncio.run(generated_function(operation_id, "asyncio")(client=client, **arguments))
    except Exception as error:  # every outcome is checked below
        outcome = error
    assert isinstance(outcome, fault.money.outcome), repr(outcome)
    assert fake.sends == fault.money.sends
    assert clock.slept == fault.money.sleeps
    if isinstance(outcome, PaymentOutcomeUnknown):
        assert outcome.conversation_id
