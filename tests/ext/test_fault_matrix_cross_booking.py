"""The transport-fault matrix for money-moving calls whose answers iyzico does not sign: cross-bookings.

The 24 faults of `test_fault_matrix`, sync and async, on crossBookingToSubMerchant and crossBookingFromSubMerchant:
never resent once the bytes may have left (`PaymentOutcomeUnknown` with the conversationId), resent only when they
provably never left; an answer about another conversation is refused; a missing or wrong signature is no fault
for an answer iyzico does not sign. Every case checks the number of sends, the waits, the closed streams, and that
no canary shows in the error, its frames, the logs or the output.
"""

from __future__ import annotations

import asyncio
import logging
import typing
from collections.abc import Callable
from decimal import Decimal

import httpx
import pytest

from iyzico_client.api.marketplace import cross_booking_from_sub_merchant, cross_booking_to_sub_merchant
from iyzico_client.models import BaseResponse, CreateCrossBookingRequest, Currency, PaymentResource
from iyzico_ext import IyzicoClient, PaymentOutcomeUnknown
from tests.frame_leaks import frame_leaks

from .conftest import CANARIES, FakeIyzico, SleepRecorder
from .test_fault_matrix import FAULTS, Fault

OPERATIONS = {"to": cross_booking_to_sub_merchant, "from": cross_booking_from_sub_merchant}
# What the payment matrix expects of a signed answer is, for an unsigned one, just an answer.
_SIGNATURE_FAULTS = frozenset({"200-missing-signature", "200-flipped-signature"})


class Expected(typing.NamedTuple):
    outcome: type[BaseException] | type[BaseResponse]
    sends: int
    sleeps: list[float]


def _expected(fault: Fault) -> Expected:
    if fault.name in _SIGNATURE_FAULTS or fault.money.outcome is PaymentResource:
        return Expected(BaseResponse, 1, [])
    return Expected(typing.cast(type[BaseException], fault.money.outcome), fault.money.sends, fault.money.sleeps)


def _call(client: IyzicoClient, direction: str, mode: str) -> object:
    body = CreateCrossBookingRequest(
        conversation_id="123456789",
        sub_merchant_key="n621Bd1zi4vpW/uVkMc8vCnwTPk=",
        price=Decimal("10.0"),
        reason="Kargo",
        currency=Currency.TRY,
    )
    module = OPERATIONS[direction]
    if mode == "sync":
        return module.sync(client=client, body=body)
    return asyncio.run(module.asyncio(client=client, body=body))


@pytest.mark.parametrize("mode", ["sync", "async"])
@pytest.mark.parametrize("direction", sorted(OPERATIONS))
@pytest.mark.parametrize("fault", FAULTS, ids=lambda fault: fault.name)
def test_cross_booking_fault(
    fault: Fault,
    direction: str,
    mode: str,
    fake: FakeIyzico,
    clock: SleepRecorder,
    make_client: Callable[..., IyzicoClient],
    caplog: pytest.LogCaptureFixture,
    capsys: pytest.CaptureFixture[str],
) -> None:
    expect = _expected(fault)
    fake.script.extend(fault.reply() for _ in range(5))
    client = make_client()
    caplog.set_level(logging.DEBUG)
    outcome: typing.Any
    try:
        outcome = _call(client, direction, mode)
    except Exception as error:  # every outcome is checked below
        outcome = error
    assert type(outcome) is expect.outcome or isinstance(outcome, expect.outcome), repr(outcome)
    assert fake.sends == expect.sends  # never resent once it may have left
    assert clock.slept == expect.sleeps
    assert fake.all_closed()
    if isinstance(outcome, PaymentOutcomeUnknown):
        assert outcome.conversation_id == "123456789"
    if isinstance(outcome, BaseException):
        assert frame_leaks(outcome) == []
        assert not isinstance(getattr(outcome, "request", None), httpx.Request)
    text = caplog.text + "".join(capsys.readouterr())
    assert [canary for canary in CANARIES if canary in text or canary in repr(outcome)] == []
