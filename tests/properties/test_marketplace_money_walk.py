"""Stateful: marketplace payments, approvals, cross-bookings under injected faults and the clock moving on.

After every step each sub-merchant's balance (retrieveBlockageInfo) is what the walk's own model says iyzico
holds for it (item shares not paid out, cross-bookings not settled); a cross-booking whose outcome is unknown
is never resent, and the daily transactions report shows it zero or one time under its conversationId. At the
end, money is conserved: for every sub-merchant, what the payout reports paid it plus its balance is what it
was credited.
"""

from __future__ import annotations

import contextlib
import datetime
import uuid
from decimal import Decimal

import attrs
from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule, run_state_machine_as_test

from iyzico_client.api.marketplace import (
    approve_payment_item,
    cross_booking_from_sub_merchant,
    cross_booking_to_sub_merchant,
    retrieve_blockage_info,
)
from iyzico_client.api.payment import create_payment
from iyzico_client.api.reporting import retrieve_daily_transactions_report, retrieve_payout_completed_transactions
from iyzico_client.models import (
    ApprovePaymentItemRequest,
    CreateCrossBookingRequest,
    Currency,
    ReportedTransaction,
    RetrieveBlockageInfoRequest,
    RetrieveTransactionsRequest,
)
from iyzico_ext import IyzicoAPIError, IyzicoClient, PaymentOutcomeUnknown
from iyzico_ext.sandbox.embedded import SandboxHandle, in_process_sandbox
from iyzico_ext.sandbox.transport import InProcessTransport
from iyzico_ext.testing import strategies as iyzico_st

from ._emulator import CLIENT_TIMEOUTS, FAST_RETRIES, Emulator, RecordingTransport, register_sub_merchants
from ._support import succeeded_anyway

FAULTS = [None, "drop-before-commit", "drop-after-commit", "status-500", "truncated-body", "bad-signature"]
FAULTS += CLIENT_TIMEOUTS
# The clock moves in ticks a little longer than a day, so "a day after" and "seven days after" never tie.
TICK = datetime.timedelta(days=1, minutes=1)
BLOCKAGE_TICKS, CROSS_BOOKING_TICKS = 7, 1
CENT = Decimal("0.01")


@attrs.define
class Held:
    """Money the walk knows iyzico holds for a sub-merchant until a tick (None: until the item is approved)."""

    amount: Decimal
    tick: int
    item: str | None = None  # the paymentTransactionId of an item share


class MarketplaceMoney(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        self._stack = contextlib.ExitStack()
        self.handle: SandboxHandle = self._stack.enter_context(in_process_sandbox())
        wire = RecordingTransport(InProcessTransport(self.handle.app))
        client = self._stack.enter_context(
            IyzicoClient(
                self.handle.api_key, self.handle.secret_key, self.handle.base_url, transport=wire, retry=FAST_RETRIES
            )
        )
        self.emulator = Emulator(self.handle, client, wire, register_sub_merchants(client))
        self.ticks = 0
        self.held: dict[str, list[Held]] = {key: [] for key in self.emulator.sub_merchant_keys}
        self.credited: dict[str, Decimal] = dict.fromkeys(self.emulator.sub_merchant_keys, Decimal(0))
        self.approved: set[str] = set()
        self.bookings: set[str] = set()  # conversationIds of the cross-bookings sent
        self.start = self.handle.state.clock().date()

    def _fault(self, operation_id: str, fault: str | None) -> None:
        self.emulator.wire.arm_timeout(fault if fault in CLIENT_TIMEOUTS else None)
        if fault is not None and fault not in CLIENT_TIMEOUTS:
            self.handle.arm_fault(operation_id, fault)

    @rule(data=st.data())
    def pay(self, data: st.DataObject) -> None:
        marketplace = iyzico_st.baskets(
            marketplace=True, sub_merchant_keys=st.sampled_from(self.emulator.sub_merchant_keys)
        )
        # Cards valid on the emulator's clock, which the walk moves months ahead.
        cards = iyzico_st.payment_cards(
            st.sampled_from(iyzico_st.SUCCESSFUL_TEST_CARDS), today=self.handle.state.clock().date()
        )
        calls = self.emulator.approved_payments(
            conversation_id=st.just(uuid.uuid4().hex), basket=marketplace, payment_card=cards
        )
        request = data.draw(calls)
        self._fault("createPayment", None)
        payment = create_payment.sync(client=self.emulator.client, body=request)
        assert payment is not None
        assert isinstance(payment.item_transactions, list)
        for item in payment.item_transactions:
            key, share = str(item.sub_merchant_key), Decimal(str(item.sub_merchant_payout_amount))
            self.held[key].append(Held(share, self.ticks + BLOCKAGE_TICKS, str(item.payment_transaction_id)))
            self.credited[key] += share

    @rule(data=st.data())
    def approve(self, data: st.DataObject) -> None:
        items = sorted(held.item for shares in self.held.values() for held in shares if held.item)
        if not items:
            return
        item = items[data.draw(st.integers(0, len(items) - 1))]
        self._fault("approvePaymentItem", None)
        approve_payment_item.sync(
            client=self.emulator.client, body=ApprovePaymentItemRequest(payment_transaction_id=item)
        )
        self.approved.add(item)

    @rule(key_index=st.integers(0, 2), cents=st.integers(1, 5_000), fault=st.none() | st.sampled_from(FAULTS))
    def send(self, key_index: int, cents: int, fault: str | None) -> None:
        self._cross_book(key_index, cents, fault, to_sub_merchant=True)

    @rule(key_index=st.integers(0, 2), cents=st.integers(1, 5_000), fault=st.none() | st.sampled_from(FAULTS))
    def receive(self, key_index: int, cents: int, fault: str | None) -> None:
        self._cross_book(key_index, cents, fault, to_sub_merchant=False)

    def _cross_book(self, key_index: int, cents: int, fault: str | None, *, to_sub_merchant: bool) -> None:
        key = self.emulator.sub_merchant_keys[key_index]
        conversation_id = uuid.uuid4().hex
        amount = Decimal(cents) * CENT
        body = CreateCrossBookingRequest(
            conversation_id=conversation_id, sub_merchant_key=key, price=amount, reason="walk", currency=Currency.TRY
        )
        book, operation_id = (
            (cross_booking_to_sub_merchant, "crossBookingToSubMerchant")
            if to_sub_merchant
            else (cross_booking_from_sub_merchant, "crossBookingFromSubMerchant")
        )
        self._fault(operation_id, fault)
        self.bookings.add(conversation_id)
        try:
            book.sync(client=self.emulator.client, body=body)
        except PaymentOutcomeUnknown:
            if not self._booked(conversation_id):  # ambiguous: the report says whether it happened, never resend
                return
        except IyzicoAPIError:
            return
        else:
            assert succeeded_anyway(operation_id, fault)
        signed = amount if to_sub_merchant else -amount
        self.held[key].append(Held(signed, self.ticks + CROSS_BOOKING_TICKS))
        self.credited[key] += signed

    def _booked(self, conversation_id: str) -> bool:
        rows = [row for row in self._todays_rows() if row.conversation_id == conversation_id]
        assert len(rows) <= 1, f"{conversation_id} booked {len(rows)} times"
        return bool(rows)

    def _todays_rows(self) -> list[ReportedTransaction]:
        day, page = self.handle.state.clock().date().isoformat(), 1
        rows: list[ReportedTransaction] = []
        while True:
            report = retrieve_daily_transactions_report.sync(
                client=self.emulator.client, transaction_date=day, page=page
            )
            assert report is not None
            assert isinstance(report.transactions, list)
            rows += report.transactions
            if page >= int(str(report.total_page_count)):
                return rows
            page += 1

    @rule(ticks=st.integers(1, 8))
    def advance(self, ticks: int) -> None:
        self.handle.advance_clock(TICK * ticks)
        self.ticks += ticks

    def _model_balance(self, key: str) -> Decimal:
        def still_held(held: Held) -> bool:
            paid_out = self.ticks >= held.tick and (held.item is None or held.item in self.approved)
            return not paid_out

        return sum((held.amount for held in self.held[key] if still_held(held)), Decimal(0))

    def _balance(self, key: str) -> Decimal:
        self._fault("retrieveBlockageInfo", None)
        info = retrieve_blockage_info.sync(
            client=self.emulator.client, body=RetrieveBlockageInfoRequest(sub_merchant_key=key)
        )
        assert info is not None
        return Decimal(str(info.total_balance))

    @invariant()
    def balances_are_what_the_walk_knows(self) -> None:
        for key in self.emulator.sub_merchant_keys:
            assert self._balance(key) == self._model_balance(key)

    def teardown(self) -> None:
        try:
            self._money_is_conserved()
        finally:
            self._stack.close()

    def _money_is_conserved(self) -> None:
        paid: dict[str, Decimal] = dict.fromkeys(self.emulator.sub_merchant_keys, Decimal(0))
        day = self.start
        while day <= self.handle.state.clock().date():
            request = RetrieveTransactionsRequest(date=day.isoformat())
            report = retrieve_payout_completed_transactions.sync(client=self.emulator.client, body=request)
            assert report is not None
            assert isinstance(report.payout_completed_transactions, list)
            for row in report.payout_completed_transactions:
                if row.payout_type == "SUB_MERCHANT":
                    paid[str(row.sub_merchant_key)] += Decimal(str(row.payout_amount))
            day += datetime.timedelta(days=1)
        for key in self.emulator.sub_merchant_keys:
            assert paid[key] + self._balance(key) == self.credited[key]


def test_marketplace_money_walk() -> None:
    profile = settings.default
    assert profile is not None
    runs = max(3, profile.max_examples // 20)  # ci: 10 runs; nightly: 100
    run_state_machine_as_test(MarketplaceMoney, settings=settings(profile, max_examples=runs, stateful_step_count=20))
