"""Properties of subscriptions over random plans and clock jumps, each example on a fresh emulator.

* What is charged is the plan's price times the periods begun since the trial ended, capped by the
  recurrence count, whatever the jumps; the subscription expires once its last period ends.
* A declined renewal and its retries under injected faults (answers lost after the charge, before it, 5xx,
  truncated bodies), with resends, card changes and time passing: no order is paid twice, the ledger holds
  exactly the orders' payments, and once the card works every begun period is paid once.
* Cancel stops the charges; an upgrade charges the new plan from the right period (now, or when the
  current period ends) and the old one no more.

The expected periods are counted on the calendar here, apart from the emulator's arithmetic; trial ends
fall on days 1-28, so every month has the anchor's day.
"""

from __future__ import annotations

import datetime
import typing
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from iyzico_client.api.subscription import cancel_subscription, retry_subscription_payment, upgrade_subscription
from iyzico_client.models import (
    RetrySubscriptionPaymentRequest,
    SubscriptionCommonRequest,
    SubscriptionPaymentInterval,
    SubscriptionUpgradePeriod,
    UpgradeSubscriptionRequest,
)
from iyzico_ext import IyzicoError, PaymentOutcomeUnknown
from iyzico_ext.testing import strategies as iyzico_st
from tests._subscriptions import (
    GOOD_CARD,
    LIMIT_REACHED_CARD,
    Bench,
    bench,
    details,
    make_plan,
    orders,
    present,
    replace_card,
    subscribe,
)

# Each example builds its own emulator (about 30 ms): a quarter of the profile's examples keeps CI short.
EXAMPLES = settings(max_examples=max(10, settings().max_examples // 4))
_DAYS = {SubscriptionPaymentInterval.DAILY: 1, SubscriptionPaymentInterval.WEEKLY: 7}
_MONTHS = {SubscriptionPaymentInterval.MONTHLY: 1, SubscriptionPaymentInterval.YEARLY: 12}
_FAULTS = (None, "drop-after-commit", "drop-before-commit", "status-503", "truncated-body")

trial_ends = st.datetimes(min_value=datetime.datetime(2026, 1, 1), max_value=datetime.datetime(2030, 12, 28)).map(
    lambda moment: moment.replace(day=min(moment.day, 28), microsecond=0)
)
jumps = st.lists(
    st.builds(datetime.timedelta, days=st.integers(0, 400), minutes=st.integers(0, 24 * 60)), min_size=1, max_size=4
)
prices = iyzico_st.amounts(min_cents=100, max_cents=99_999)


def periods_begun(
    anchor: datetime.datetime, interval: SubscriptionPaymentInterval, count: int, now: datetime.datetime
) -> int:
    """How many periods of `count` x `interval` have begun by `now`, the first at `anchor` (calendar months)."""
    if now < anchor:
        return 0
    if interval in _DAYS:
        return (now - anchor) // datetime.timedelta(days=_DAYS[interval] * count) + 1
    months = (now.year - anchor.year) * 12 + now.month - anchor.month
    if (now.day, now.time()) < (anchor.day, anchor.time()):
        months -= 1
    return months // (_MONTHS[interval] * count) + 1


def _moment(millis: int) -> datetime.datetime:
    return datetime.datetime.fromtimestamp(millis / 1000)


def _now(b: Bench) -> datetime.datetime:
    return b.sandbox.state.clock()


@EXAMPLES
@given(
    interval=st.sampled_from(list(SubscriptionPaymentInterval)),
    count=st.integers(1, 3),
    trial_days=st.sampled_from([0, 0, 1, 7, 14, 30]),
    recurrence=st.none() | st.integers(1, 14),
    price=prices,
    trial_end=trial_ends,
    waits=jumps,
)
def test_the_charges_are_the_price_times_the_periods_begun_after_the_trial(
    interval: SubscriptionPaymentInterval,
    count: int,
    trial_days: int,
    recurrence: int | None,
    price: Decimal,
    trial_end: datetime.datetime,
    waits: list[datetime.timedelta],
) -> None:
    with bench(trial_end - datetime.timedelta(days=trial_days)) as b:
        plan = make_plan(
            b.client, price=price, interval=interval, count=count, trial_days=trial_days, recurrence=recurrence
        )
        started = subscribe(b.client, plan)
        reference = present(started.reference_code)
        anchor = _moment(present(started.start_date)) + datetime.timedelta(days=trial_days)
        for wait in waits:
            b.advance(wait)
            begun = periods_begun(anchor, interval, count, _now(b))
            expected = begun if recurrence is None else min(begun, recurrence)
            paid = orders(b.client, reference, "SUCCESS")
            assert len(paid) == expected
            assert b.paid_total() == (expected, price * expected)
            ended = recurrence is not None and begun > recurrence
            assert details(b.client, reference).subscription_status == ("EXPIRED" if ended else "ACTIVE")
        assert len(b.events()) == len(orders(b.client, reference, "SUCCESS"))


Step = tuple[str, typing.Any]
steps = st.lists(
    st.one_of(
        # at most 144 days in all: a failed order can be retried for 160 days
        st.tuples(st.just("wait"), st.integers(1, 18).map(lambda days: datetime.timedelta(days=days))),
        st.tuples(st.just("retry"), st.sampled_from(_FAULTS)),
        st.tuples(st.just("card"), st.sampled_from([GOOD_CARD, LIMIT_REACHED_CARD])),
    ),
    min_size=1,
    max_size=8,
)


def _retry(b: Bench, reference: str, fault: str | None) -> None:
    """Retry the failed order, through `fault`; after an unknown outcome, resend it once (what a hasty caller
    does, which must still never charge twice)."""
    failed = orders(b.client, reference, "FAILED")
    if not failed:
        return
    body = RetrySubscriptionPaymentRequest(reference_code=present(failed[0].reference_code))
    if fault is not None:
        b.sandbox.arm_fault("retrySubscriptionPayment", fault)
    for _ in range(2):
        try:
            retry_subscription_payment.sync(client=b.client, body=body)
        except PaymentOutcomeUnknown:
            continue
        except IyzicoError:  # declined: the card still cannot pay
            return
        else:
            return


def _assert_paid_once(b: Bench, reference: str) -> None:
    found = orders(b.client, reference)
    successes = [
        present(attempt.payment_id)
        for order in found
        for attempt in present(order.payment_attempts)
        if attempt.payment_status == "SUCCESS"
    ]
    paid = [order for order in found if order.order_status == "SUCCESS"]
    assert len(successes) == len(paid)  # one successful attempt per paid order, none on the others
    ledger = b.sandbox.ledger()
    assert sorted(int(entry["paymentId"]) for entry in ledger) == sorted(successes)
    assert b.paid_total()[1] == sum((present(order.price) for order in paid), Decimal(0))


@EXAMPLES
@given(plan_steps=steps, trial_end=trial_ends)
def test_no_period_is_paid_twice_under_faults_and_every_begun_one_is_paid_once_the_card_works(
    plan_steps: list[Step], trial_end: datetime.datetime
) -> None:
    with bench(trial_end - datetime.timedelta(days=7)) as b:
        started = subscribe(b.client, make_plan(b.client, trial_days=7), number=LIMIT_REACHED_CARD)
        reference = present(started.reference_code)
        b.advance(datetime.timedelta(days=8))  # the first renewal is declined
        for kind, value in plan_steps:
            if kind == "wait":
                b.advance(value)
            elif kind == "retry":
                _retry(b, reference, value)
            else:
                replace_card(b.sandbox, reference, value)
            _assert_paid_once(b, reference)
        replace_card(b.sandbox, reference, GOOD_CARD)
        _retry(b, reference, None)
        _assert_paid_once(b, reference)
        assert details(b.client, reference).subscription_status == "ACTIVE"
        begun = periods_begun(trial_end.replace(microsecond=0), SubscriptionPaymentInterval.MONTHLY, 1, _now(b))
        assert len(orders(b.client, reference, "SUCCESS")) == begun


@EXAMPLES
@given(trial_end=trial_ends, before=jumps, after=jumps)
def test_cancel_stops_the_charges(
    trial_end: datetime.datetime, before: list[datetime.timedelta], after: list[datetime.timedelta]
) -> None:
    with bench(trial_end) as b:
        reference = present(subscribe(b.client, make_plan(b.client)).reference_code)
        for wait in before:
            b.advance(wait)
        status = details(b.client, reference).subscription_status
        cancel_subscription.sync(
            client=b.client, subscription_reference_code=reference, body=SubscriptionCommonRequest()
        )
        charged = b.paid_total()
        for wait in after:
            b.advance(wait)
        assert b.paid_total() == charged
        assert (status, details(b.client, reference).subscription_status) == ("ACTIVE", "CANCELED")


@EXAMPLES
@given(
    trial_end=trial_ends,
    old_price=prices,
    new_price=prices,
    period=st.sampled_from(list(SubscriptionUpgradePeriod)),
    before=jumps,
    after=jumps,
)
def test_an_upgrade_charges_the_new_plan_from_the_right_period(
    trial_end: datetime.datetime,
    old_price: Decimal,
    new_price: Decimal,
    period: SubscriptionUpgradePeriod,
    before: list[datetime.timedelta],
    after: list[datetime.timedelta],
) -> None:
    with bench(trial_end) as b:
        reference = present(subscribe(b.client, make_plan(b.client, price=old_price)).reference_code)
        product = present(details(b.client, reference).product_reference_code)
        new_plan = make_plan(b.client, price=new_price, product=product, name="Pro")
        for wait in before:
            b.advance(wait)
        upgraded_at = _now(b)
        old_periods = periods_begun(trial_end, SubscriptionPaymentInterval.MONTHLY, 1, upgraded_at)
        body = UpgradeSubscriptionRequest(new_pricing_plan_reference_code=new_plan, upgrade_period=period)
        upgraded = upgrade_subscription.sync(client=b.client, subscription_reference_code=reference, body=body)
        new_reference = present(present(present(upgraded).data).reference_code)
        for wait in after:
            b.advance(wait)
        switch = (
            upgraded_at.replace(microsecond=0)
            if period == SubscriptionUpgradePeriod.NOW
            else _moment(present(orders(b.client, reference, "SUCCESS")[-1].end_period))
        )
        new_periods = periods_begun(switch, SubscriptionPaymentInterval.MONTHLY, 1, _now(b))
        assert len(orders(b.client, reference, "SUCCESS")) == old_periods
        assert len(orders(b.client, new_reference, "SUCCESS")) == new_periods
        assert b.paid_total() == (old_periods + new_periods, old_price * old_periods + new_price * new_periods)
