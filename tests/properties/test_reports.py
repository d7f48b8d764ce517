"""Property: after any sequence of payments, refunds and cancels, the reports list exactly those transactions,
with exact Decimal amounts: the payment details report per payment, and the day's transactions, whether paged
or scrolled."""

from __future__ import annotations

import typing
import uuid
from collections import Counter
from decimal import Decimal

import attrs
from hypothesis import given, settings
from hypothesis import strategies as st

from iyzico_client.api.cancel_refund import cancel_payment, refund_payment_item
from iyzico_client.api.payment import create_payment
from iyzico_client.api.reporting import (
    retrieve_daily_transactions_report,
    retrieve_payment_details_report,
    scroll_transactions_report,
)
from iyzico_client.models import CancelPaymentRequest, RefundPaymentItemRequest, ReportedTransaction, ScrollSortingOrder
from iyzico_client.types import UNSET, Unset
from iyzico_ext import IyzicoAPIError

from ._emulator import Emulator, running_emulator

Row = tuple[str, int, Decimal]  # (transactionType, paymentTxId, amount)


@attrs.frozen
class Step:
    """Pay (a new payment), refund `share`% of an item of an earlier payment, or cancel an earlier payment."""

    kind: typing.Literal["pay", "refund", "cancel"]
    payment: int
    item: int
    share: int


steps = st.lists(
    st.builds(
        Step,
        st.sampled_from(["pay", "refund", "refund", "cancel"]),
        st.integers(0, 5),
        st.integers(0, 3),
        st.integers(1, 100),
    ),
    min_size=1,
    max_size=8,
)


@attrs.define
class Made:
    """What this example did, as the reports should show it."""

    payments: list[tuple[str, dict[str, Decimal]]] = attrs.field(factory=list)  # (paymentId, {txId: paid})
    rows: Counter[Row] = attrs.field(factory=Counter)
    refunds: dict[str, list[tuple[str, Decimal]]] = attrs.field(factory=dict)  # txId -> (conversationId, amount)
    cancelled: set[str] = attrs.field(factory=set)


def _run(emulator: Emulator, step: Step, made: Made, data: st.DataObject) -> None:
    client = emulator.client
    if step.kind == "pay" or not made.payments:
        payment = create_payment.sync(client=client, body=data.draw(emulator.approved_payments()))
        assert payment is not None
        assert isinstance(payment.item_transactions, list)
        items = {str(item.payment_transaction_id): Decimal(str(item.paid_price)) for item in payment.item_transactions}
        made.payments.append((str(payment.payment_id), items))
        made.rows.update(("PAYMENT", int(tx), paid) for tx, paid in items.items())
        return
    payment_id, items = made.payments[step.payment % len(made.payments)]
    try:
        if step.kind == "cancel":
            cancel_payment.sync(client=client, body=CancelPaymentRequest(payment_id=payment_id))
            made.cancelled.add(payment_id)
            made.rows.update(("CANCEL", int(tx), paid) for tx, paid in items.items())
            return
        transaction_id = sorted(items)[step.item % len(items)]
        amount = max(Decimal("0.01"), (items[transaction_id] * step.share / 100).quantize(Decimal("0.01")))
        conversation_id = uuid.uuid4().hex
        request = RefundPaymentItemRequest(
            conversation_id=conversation_id, payment_transaction_id=transaction_id, price=amount
        )
        refund_payment_item.sync(client=client, body=request)
    except IyzicoAPIError:
        return  # over-refund, refund after cancel, cancel after refund: nothing happened, nothing reported
    made.refunds.setdefault(transaction_id, []).append((conversation_id, amount))
    made.rows[("REFUND", int(transaction_id), amount)] += 1


def _day_rows(emulator: Emulator) -> tuple[list[ReportedTransaction], list[ReportedTransaction]]:
    """Every row of today's report: (paged, scrolled)."""
    client, today = emulator.client, emulator.handle.state.clock().date().isoformat()
    paged: list[ReportedTransaction] = []
    page = 1
    while True:
        report = retrieve_daily_transactions_report.sync(client=client, transaction_date=today, page=page)
        assert report is not None
        assert isinstance(report.transactions, list)
        assert isinstance(report.total_page_count, int)
        paged += report.transactions
        if page >= report.total_page_count:
            break
        page += 1
    scrolled: list[ReportedTransaction] = []
    last_id: str | Unset = UNSET
    while True:
        more = scroll_transactions_report.sync(
            client=client,
            transaction_date=today,
            document_scroll_vo_sorting_order=ScrollSortingOrder.ASC,
            last_id=last_id,
        )
        assert more is not None
        assert isinstance(more.transactions, list)
        if not more.transactions:
            break
        scrolled += more.transactions
        last_id = str(more.transactions[-1].transaction_id)
    return paged, scrolled


# A fresh emulator per example (a few milliseconds), so its reports hold this example's transactions only.
@settings(max_examples=max(10, settings.default.max_examples // 4) if settings.default else 10)
@given(actions=steps, data=st.data())
def test_reports_list_exactly_what_happened(actions: list[Step], data: st.DataObject) -> None:
    for emulator in running_emulator():
        _check_reports(emulator, actions, data)


def _check_reports(emulator: Emulator, actions: list[Step], data: st.DataObject) -> None:
    made = Made()
    for action in actions:
        _run(emulator, action, made, data)

    paged, scrolled = _day_rows(emulator)
    assert Counter((str(row.transaction_type), row.payment_tx_id, row.paid_price) for row in paged) == made.rows
    assert [row.transaction_id for row in scrolled] == [row.transaction_id for row in paged]

    for payment_id, items in made.payments:
        report = retrieve_payment_details_report.sync(client=emulator.client, payment_id=payment_id)
        assert report is not None
        assert isinstance(report.payments, list)
        (reported,) = report.payments
        assert isinstance(reported.item_transactions, list)
        assert isinstance(reported.cancels, list)
        assert bool(reported.cancels) == (payment_id in made.cancelled)
        for item in reported.item_transactions:
            assert isinstance(item.refunds, list)
            listed = [(refund.refund_conversation_id, refund.refund_price) for refund in item.refunds]
            assert listed == made.refunds.get(str(item.payment_transaction_id), [])
        refunded = sum((amount for tx in items for _, amount in made.refunds.get(tx, [])), Decimal(0))
        expected = (
            "NOT_REFUNDED"
            if not refunded
            else "TOTALLY_REFUNDED"
            if refunded >= sum(items.values())
            else "PARTIALLY_REFUNDED"
        )
        assert reported.payment_refund_status == expected
