"""Stateful: payments, retrieves, refunds, cancels and reconciliations with injected faults; after every step
no conversationId has two charges, every unknown outcome of a payment, refund or cancel reconciles to zero or
one of them, and the client's view equals the emulator's ledger (what was refunded, what was cancelled)."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from decimal import Decimal

import attrs
from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import Bundle, RuleBasedStateMachine, consumes, invariant, rule, run_state_machine_as_test

from iyzico_client.api.cancel_refund import cancel_payment, refund_payment_item
from iyzico_client.api.payment import create_payment, retrieve_payment
from iyzico_client.models import CancelPaymentRequest, PaymentResource, RefundPaymentItemRequest, RetrievePaymentRequest
from iyzico_ext import (
    IyzicoAPIError,
    IyzicoError,
    PaymentOutcomeUnknown,
    reconcile_cancel,
    reconcile_payment,
    reconcile_refund,
)

from ._emulator import CLIENT_TIMEOUTS, Emulator, running_emulator
from ._support import succeeded_anyway

PAYMENT_FAULTS = [None, "drop-before-commit", "drop-after-commit", "status-500", "status-503", "truncated-body"]
PAYMENT_FAULTS += ["bad-signature", *CLIENT_TIMEOUTS]
SAFE_FAULTS = [None, "status-503", "drop-before-commit"]  # retried by the client: the read must still succeed
STEPS_PER_RUN = 30
steps_taken = 0


def _pick(data: st.DataObject, keyed: Mapping[str, object]) -> str:
    """One of the keys, drawn by position: the keys themselves (ids the emulator assigned) differ between
    runs, and hypothesis must be able to replay a run to shrink it."""
    return sorted(keyed)[data.draw(st.integers(min_value=0, max_value=len(keyed) - 1))]


@attrs.define
class Charge:
    """What the client knows about one charged payment."""

    payment_id: str
    paid_price: Decimal
    transactions: dict[str, Decimal]  # paymentTransactionId -> paid price
    refunded: Decimal = Decimal(0)
    cancelled: bool = False


class NoDoubleCharge(RuleBasedStateMachine):
    emulator: Emulator
    unknown = Bundle("unknown")

    def __init__(self) -> None:
        super().__init__()
        self.charges: dict[str, Charge] = {}  # conversationId -> charge
        self.nothing_charged: set[str] = set()
        self.pending: set[str] = set()

    def _fault(self, operation_id: str, fault: str | None) -> None:
        # Every rule calls this first, so a timeout armed for a call that never reached the wire is dropped.
        self.emulator.wire.arm_timeout(fault if fault in CLIENT_TIMEOUTS else None)
        if fault is not None and fault not in CLIENT_TIMEOUTS:
            self.emulator.handle.arm_fault(operation_id, fault)

    @rule(target=unknown, data=st.data(), fault=st.sampled_from(PAYMENT_FAULTS))
    def pay(self, data: st.DataObject, fault: str | None) -> str:
        conversation_id = uuid.uuid4().hex
        request = data.draw(self.emulator.approved_payments(conversation_id=st.just(conversation_id)))
        self._fault("createPayment", fault)
        try:
            payment = create_payment.sync(client=self.emulator.client, body=request)
        except PaymentOutcomeUnknown as unknown:
            self.pending.add(str(unknown.conversation_id))
            return conversation_id
        except IyzicoAPIError:
            self.nothing_charged.add(conversation_id)
            return conversation_id
        assert succeeded_anyway("createPayment", fault)
        self._record(conversation_id, payment)
        return conversation_id

    def _record(self, conversation_id: str, payment: PaymentResource | None) -> None:
        if payment is None:
            self.nothing_charged.add(conversation_id)
            return
        items = payment.item_transactions if isinstance(payment.item_transactions, list) else []
        self.charges[conversation_id] = Charge(
            payment_id=str(payment.payment_id),
            paid_price=Decimal(str(payment.paid_price)),
            transactions={str(item.payment_transaction_id): Decimal(str(item.paid_price)) for item in items},
        )

    @rule(conversation_id=consumes(unknown), fault=st.sampled_from(SAFE_FAULTS))
    def reconcile(self, conversation_id: str, fault: str | None) -> None:
        if conversation_id not in self.pending:
            return
        self._fault("retrievePayment", fault)
        self._record(conversation_id, reconcile_payment(self.emulator.client, conversation_id))
        self.pending.discard(conversation_id)

    @rule(data=st.data(), fault=st.sampled_from(SAFE_FAULTS))
    def retrieve(self, data: st.DataObject, fault: str | None) -> None:
        if not self.charges:
            return
        charge = self.charges[_pick(data, self.charges)]
        self._fault("retrievePayment", fault)
        found = retrieve_payment.sync(
            client=self.emulator.client, body=RetrievePaymentRequest(payment_id=charge.payment_id)
        )
        assert found is not None
        assert found.paid_price == charge.paid_price

    @rule(data=st.data(), share=st.integers(1, 100), fault=st.sampled_from(PAYMENT_FAULTS))
    def refund(self, data: st.DataObject, share: int, fault: str | None) -> None:
        if not self.charges:
            return
        charge = self.charges[_pick(data, self.charges)]
        transaction_id = _pick(data, charge.transactions)
        amount = max(Decimal("0.01"), (charge.transactions[transaction_id] * share / 100).quantize(Decimal("0.01")))
        request = RefundPaymentItemRequest(
            conversation_id=uuid.uuid4().hex, payment_transaction_id=transaction_id, price=amount
        )
        self._fault("refundPaymentItem", fault)
        try:
            refund_payment_item.sync(client=self.emulator.client, body=request)
        except PaymentOutcomeUnknown as unknown:
            # Ambiguous: the report says whether it happened (zero or one refund), never refund again blindly.
            found = reconcile_refund(self.emulator.client, unknown.conversation_id, payment_id=charge.payment_id)
            if found is not None:
                assert found.amount == amount
                charge.refunded += amount
            return
        except IyzicoError:
            return  # refused: an over-refund, a cancelled payment, the non-refundable test card; nothing moved
        assert succeeded_anyway("refundPaymentItem", fault)
        charge.refunded += amount

    @rule(data=st.data(), fault=st.sampled_from(PAYMENT_FAULTS))
    def cancel(self, data: st.DataObject, fault: str | None) -> None:
        if not self.charges:
            return
        charge = self.charges[_pick(data, self.charges)]
        self._fault("cancelPayment", fault)
        request = CancelPaymentRequest(conversation_id=uuid.uuid4().hex, payment_id=charge.payment_id)
        try:
            cancel_payment.sync(client=self.emulator.client, body=request)
        except PaymentOutcomeUnknown as unknown:
            cancelled = reconcile_cancel(self.emulator.client, unknown.conversation_id, payment_id=charge.payment_id)
            charge.cancelled = charge.cancelled or cancelled is not None
            return
        except IyzicoError:
            return  # refused: already cancelled or refunded, or not cancellable; nothing moved
        assert succeeded_anyway("cancelPayment", fault)
        charge.cancelled = True

    @invariant()
    def client_view_equals_the_ledger(self) -> None:
        global steps_taken
        steps_taken += 1
        ledger: dict[str, list[dict[str, object]]] = {}
        for entry in self.emulator.handle.ledger():
            ledger.setdefault(str(entry["conversationId"]), []).append(entry)
        assert all(len(entries) <= 1 for entries in ledger.values()), "two charges for one conversationId"
        for conversation_id in self.nothing_charged:
            assert conversation_id not in ledger
        for conversation_id, charge in self.charges.items():
            (entry,) = ledger[conversation_id]
            assert entry["paymentId"] == charge.payment_id
            assert entry["paidPrice"] == charge.paid_price
            assert entry["refunded"] == charge.refunded
            assert entry["cancelled"] == charge.cancelled


def examples() -> int:
    """How many examples the hypothesis profile in use asks for."""
    profile = settings.default
    assert profile is not None
    return profile.max_examples


def run_walk(machine: type[NoDoubleCharge], *, runs: int, steps: int) -> None:
    """Run `machine` (this walk, or one that adds rules) `runs` times, `steps` steps each, on one emulator."""
    for emulator in running_emulator():
        machine.emulator = emulator
        run_state_machine_as_test(
            machine, settings=settings(settings.default, max_examples=runs, stateful_step_count=steps)
        )


def test_no_double_charge_under_faults() -> None:
    global steps_taken
    steps_taken = 0
    run_walk(NoDoubleCharge, runs=max(5, examples() // 20), steps=STEPS_PER_RUN)  # ci: 10 x 30; nightly: 100 x 30
    if examples() >= 200:
        assert steps_taken >= 200, f"only {steps_taken} steps ran"
