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
from collections.abc import Callable
from decimal import Decimal

import pytest

from iyzico_client.api.marketplace import cross_booking_from_sub_merchant, cross_booking_to_sub_merchant
from iyzico_client.models import BaseResponse, CreateCrossBookingRequest, Currency, PaymentResource
from iyzico_ext import IyzicoClient

from .conftest import FakeIyzico, SleepRecorder
from .test_fault_matrix import FAULTS, Expect, Fault, check_fault_outcome

OPERATIONS = {"to": cross_booking_to_sub_merchant, "from": cross_booking_from_sub_merchant}
# What the payment matrix expects of a signed answer is, for an unsigned one, just an answer.
_SIGNATURE_FAULTS = frozenset({"200-missing-signature", "200-flipped-signature"})


def _expected(fault: Fault) -> Expect:
    if fault.name in _SIGNATURE_FAULTS or fault.money.outcome is PaymentResource:
        return Expect(BaseResponse, 1)
    return fault.money


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
    fake.script.extend(fault.reply() for _ in range(5))
    caplog.set_level(logging.DEBUG)
    check_fault_outcome(_expected(fault), lambda: _call(make_client(), direction, mode), fake, clock, caplog, capsys)
