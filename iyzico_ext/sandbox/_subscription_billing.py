"""Subscriptions through time: their billing periods, the orders that charge them, and their lifecycle.

A subscription bills period after period from its anchor (the end of its trial, or its start): period `k`
begins `k` intervals (the plan's `paymentIntervalCount` x `paymentInterval`) after the anchor, months added
on the calendar from the anchor (a period begun on 31 January is followed by 28 February, then 31 March).
Each period is an order with its own reference code: WAITING until it begins, then SUCCESS or FAILED with
its payment attempts, or SUBSCRIPTION_CANCELED / SUBSCRIPTION_UPGRADED when the subscription ended first.
`catch_up` charges every period that has begun by now, each at the moment it began, with the card the
subscription keeps in the card vault (a payment in the ledger, basket id = the order's reference code); the
clock hook runs it for every subscription when the emulator's clock moves, and the handlers run it for the
subscriptions they touch, so time passing on the wall clock bills too. Each charge sends the subscription
webhook (`subscription.order.success` / `subscription.order.failure`).

Lifecycle (docs.iyzico.com's status table): ACTIVE bills; PENDING waits for activateSubscription; a declined
renewal makes it UNPAID, and billing waits on that FAILED order until retrySubscriptionPayment pays it; then
the periods begun meanwhile are charged in turn, so every begun period is paid once, never twice. CANCELED
and EXPIRED (the recurrence count is used up and the last period has ended) bill nothing more; an upgrade
ends it UPGRADED and a new subscription with the new plan carries on.

Choices where iyzico's sources are silent: a charge that a call itself makes (the first period of an
ACTIVE subscription without trial, an activation, an upgrade NOW) must succeed or the call fails and
changes nothing; the card validation (iyzico's 1 TRY authorisation, given back) checks the card against the
plan's currency and refuses debit and prepaid cards and every decline except insufficient funds, which a
1 TRY authorisation passes (so a subscription can start with 4111111111111129 and its renewals fail);
nothing is prorated; a failed order can be retried for 160 days.
"""

from __future__ import annotations

import calendar
import datetime
import typing
import uuid
from collections.abc import Iterator, Mapping
from decimal import Decimal

import attrs

from ._cardstorage import register_card
from ._context import Context, Notification
from ._failures import ApiFailure, failure_body
from ._payments import charge
from ._rules import SANDBOX_PRICE_LIMIT, Card, Order, OrderItem, check_card_can_pay, read_card
from ._store import Document
from ._subscription_catalogue import (
    CUSTOMERS,
    PLANS,
    PRODUCTS,
    load_customer,
    new_reference_code,
    present,
    store_document,
)

if typing.TYPE_CHECKING:
    from ._state import Sandbox

__all__ = [
    "ORDERS",
    "SUBSCRIPTIONS",
    "RUNNING",
    "Start",
    "Status",
    "activate",
    "cancel",
    "catch_up",
    "details_view",
    "bill_all",
    "keep_card",
    "load_subscription",
    "order_view",
    "replace_card",
    "retry_order",
    "run_renewals",
    "start_subscription",
    "summary_view",
    "upgrade",
    "validate_card",
]

SUBSCRIPTIONS = "subscription"
ORDERS = "subscription-order"  # order reference code -> its subscription
Status = typing.Literal["ACTIVE", "PENDING", "UNPAID", "UPGRADED", "CANCELED", "EXPIRED"]
RUNNING: frozenset[str] = frozenset({"ACTIVE", "PENDING", "UNPAID"})
SUCCESS_EVENT = "subscription.order.success"
FAILURE_EVENT = "subscription.order.failure"
RETRY_WINDOW = datetime.timedelta(days=160)
_CENT = Decimal("0.01")
_FIRST_BANK_CODE = 10_000
# A 1 TRY authorisation passes where only the amount is too much for the card.
_AMOUNT_DECLINES = frozenset({"10051"})
_MONTHS = {"MONTHLY": 1, "YEARLY": 12}
_DAYS = {"DAILY": 1, "WEEKLY": 7}
_SUMMARY_FIELDS = (
    "referenceCode",
    "parentReferenceCode",
    "pricingPlanReferenceCode",
    "customerReferenceCode",
    "subscriptionStatus",
    "trialDays",
    "trialStartDate",
    "trialEndDate",
    "canceledAt",
    "createdDate",
    "startDate",
    "endDate",
)
_ORDER_FIELDS = ("referenceCode", "price", "currencyCode", "startPeriod", "endPeriod", "orderStatus", "paymentAttempts")


# -- time -----------------------------------------------------------------------------------------------


def _moment(millis: int) -> datetime.datetime:
    """An epoch-millisecond time on the emulator's (naive, local) clock."""
    return datetime.datetime.fromtimestamp(millis / 1000)


def _add_months(millis: int, months: int) -> int:
    """`months` later on the calendar of the emulator's clock (local time), the day clamped to the month's end."""
    moment = _moment(millis)
    month_index = moment.month - 1 + months
    year, month = moment.year + month_index // 12, month_index % 12 + 1
    day = min(moment.day, calendar.monthrange(year, month)[1])
    return int(moment.replace(year=year, month=month, day=day).timestamp() * 1000)


def period_start(subscription: Mapping[str, typing.Any], index: int) -> int:
    """When period `index` (from 0) of a started subscription begins, in epoch milliseconds."""
    unit, count = subscription["interval"]
    if unit in _MONTHS:
        return _add_months(subscription["anchor"], _MONTHS[unit] * count * index)
    return int(subscription["anchor"] + datetime.timedelta(days=_DAYS[unit] * count * index).total_seconds() * 1000)


# -- documents and views --------------------------------------------------------------------------------


def load_subscription(ctx: Context, reference_code: object) -> Document:
    """The subscription, billed up to now."""
    subscription = ctx.store.get(SUBSCRIPTIONS, str(reference_code), ctx.merchant) if reference_code else None
    if subscription is None:
        raise ApiFailure("201430")
    catch_up(ctx, subscription)
    return subscription


def _save(ctx: Context, subscription: Document) -> None:
    store_document(ctx, SUBSCRIPTIONS, subscription)


def summary_view(subscription: Mapping[str, typing.Any]) -> dict[str, typing.Any]:
    return present({name: subscription.get(name) for name in _SUMMARY_FIELDS})


def order_view(order: Mapping[str, typing.Any]) -> dict[str, typing.Any]:
    return present({name: order.get(name) for name in _ORDER_FIELDS})


def details_view(ctx: Context, subscription: Mapping[str, typing.Any]) -> dict[str, typing.Any]:
    """A subscription with its plan, product and customer, and its orders (searchSubscriptions, retrieve)."""
    plan = ctx.store.get(PLANS, subscription["pricingPlanReferenceCode"], ctx.merchant) or {}
    product = ctx.store.get(PRODUCTS, plan.get("productReferenceCode", ""), ctx.merchant) or {}
    customer = ctx.store.get(CUSTOMERS, subscription["customerReferenceCode"], ctx.merchant) or {}
    return present(
        {
            **summary_view(subscription),
            "pricingPlanName": plan.get("name"),
            "productName": product.get("name"),
            "productReferenceCode": plan.get("productReferenceCode"),
            "customerEmail": customer.get("email"),
            "customerGsmNumber": customer.get("gsmNumber"),
            "paymentId": subscription["paymentId"],
            "orders": [order_view(order) for order in subscription["orders"]],
        }
    )


def _waiting_order(subscription: Mapping[str, typing.Any]) -> dict[str, typing.Any] | None:
    return next((order for order in subscription["orders"] if order["orderStatus"] == "WAITING"), None)


def _order(subscription: Mapping[str, typing.Any], reference_code: str) -> dict[str, typing.Any]:
    return next(order for order in subscription["orders"] if order["referenceCode"] == reference_code)


# -- cards ----------------------------------------------------------------------------------------------


def validate_card(card: Card, currency: str) -> None:
    """iyzico's card validation (a 1 TRY authorisation, given back): `ApiFailure` when the card cannot subscribe."""
    if card.issuer is not None and card.issuer.card_type != "CREDIT_CARD":
        raise ApiFailure("201450")
    try:
        check_card_can_pay(card, _basket(Decimal(1), currency, "validation"))
    except ApiFailure as decline:
        if decline.code not in _AMOUNT_DECLINES:
            raise


def keep_card(ctx: Context, customer: Document, card: Card, *, default: bool = True) -> dict[str, str]:
    """The stored card's keys: a card typed in is stored in the vault for the customer first. With `default`,
    the customer's new subscriptions are paid with it."""
    if card.card_user_key is not None and card.card_token is not None:
        stored = {"cardUserKey": card.card_user_key, "cardToken": card.card_token}
    else:
        owner = {
            "cardUserKey": customer["cardUserKey"],
            "email": customer["email"],
            "externalId": customer["referenceCode"],
        }
        user_key, token = register_card(ctx, owner, card)
        customer["cardUserKey"] = user_key
        stored = {"cardUserKey": user_key, "cardToken": token}
    if default:
        customer["card"] = stored
    store_document(ctx, CUSTOMERS, customer)
    return stored


def _basket(price: Decimal, currency: str, reference_code: str) -> Order:
    item = OrderItem(
        item_id=reference_code, price=price, sub_merchant_key=None, sub_merchant_price=None, withholding_tax=None
    )
    return Order(
        price=price,
        paid_price=price,
        currency=currency,
        installment=1,
        basket_id=reference_code,
        payment_group="SUBSCRIPTION",
        items=(item,),
    )


# -- starting -------------------------------------------------------------------------------------------


@attrs.frozen
class Start:
    """How a new subscription begins: now or at a given time, with or without the plan's trial."""

    status: Status
    at: int | None = None  # epoch ms; None: now
    use_trial: bool = True
    parent: str | None = None
    counted: int = 0  # periods charged before it, counted against the plan's recurrence count
    predecessor: str | None = None


def start_subscription(
    ctx: Context, plan: Document, customer: Mapping[str, typing.Any], card: Mapping[str, str], start: Start
) -> Document:
    """A new subscription of `customer` to `plan`, paid with the stored `card`; its first charge, if due now,
    must succeed (`ApiFailure` otherwise, and nothing is kept)."""
    plan["subscribed"] = True
    store_document(ctx, PLANS, plan)
    subscription: Document = {
        "referenceCode": new_reference_code(),
        "parentReferenceCode": start.parent or new_reference_code(),
        "pricingPlanReferenceCode": plan["referenceCode"],
        "customerReferenceCode": customer["referenceCode"],
        "subscriptionStatus": start.status,
        "trialDays": plan["trialPeriodDays"] if start.use_trial else 0,
        "createdDate": ctx.epoch_millis,
        "price": plan["price"],
        "currencyCode": plan["currencyCode"],
        "interval": [plan["paymentInterval"], plan["paymentIntervalCount"]],
        "limit": plan["recurrenceCount"],
        "counted": start.counted,
        "charged": 0,
        "anchor": None,
        "stopsAt": None,
        "successor": None,
        "predecessor": start.predecessor,
        "card": dict(card),
        "paymentId": None,
        "orders": [],
    }
    if start.status == "ACTIVE":
        _begin(ctx, subscription, ctx.epoch_millis if start.at is None else start.at)
    _save(ctx, subscription)
    catch_up(ctx, subscription, strict=True)
    return subscription


def _begin(ctx: Context, subscription: Document, at: int) -> None:
    """Start billing: the trial from `at`, then the first period."""
    trial_days = subscription["trialDays"]
    anchor = at + trial_days * 86_400_000
    if trial_days:
        subscription.update(trialStartDate=at, trialEndDate=anchor)
    subscription.update(subscriptionStatus="ACTIVE", startDate=at, anchor=anchor)
    if subscription["limit"] is not None:
        remaining = max(0, subscription["limit"] - subscription["counted"])
        subscription["endDate"] = period_start(subscription, remaining)
    _schedule(ctx, subscription)


def _schedule(ctx: Context, subscription: Document) -> None:
    """Add the WAITING order of the next period, if the recurrence count leaves one."""
    index = subscription["charged"]
    if subscription["limit"] is not None and subscription["counted"] + index >= subscription["limit"]:
        return
    reference_code = new_reference_code()
    subscription["orders"].append(
        {
            "referenceCode": reference_code,
            "price": subscription["price"],
            "currencyCode": subscription["currencyCode"],
            "startPeriod": period_start(subscription, index),
            "endPeriod": period_start(subscription, index + 1),
            "orderStatus": "WAITING",
            "paymentAttempts": [],
        }
    )
    ctx.store.put(ORDERS, reference_code, ctx.merchant, {"subscriptionReferenceCode": subscription["referenceCode"]})


# -- billing --------------------------------------------------------------------------------------------


def _charge_order(ctx: Context, subscription: Document, order: dict[str, typing.Any]) -> None:
    """Charge one order at `ctx.now`: SUCCESS and the next period scheduled, or `ApiFailure` (nothing changed)."""
    card = read_card(ctx.store, ctx.merchant, subscription["card"], now=ctx.today)
    price = Decimal(order["price"]).quantize(_CENT)
    if price >= SANDBOX_PRICE_LIMIT:
        raise ApiFailure("5008")  # as for any payment in iyzico's sandbox
    payment = charge(ctx, _basket(price, order["currencyCode"], order["referenceCode"]), card, phase="AUTH")
    payment_id = int(payment["paymentId"])
    order["paymentAttempts"].append(
        {
            "conversationId": ctx.conversation_id,
            "createdDate": ctx.epoch_millis,
            "paymentId": payment_id,
            "paymentStatus": "SUCCESS",
        }
    )
    order["orderStatus"] = "SUCCESS"
    subscription["charged"] += 1
    subscription["paymentId"] = subscription["paymentId"] or payment_id
    subscription["subscriptionStatus"] = "ACTIVE"
    _schedule(ctx, subscription)
    _notify(ctx, subscription, order, SUCCESS_EVENT)


def _record_decline(ctx: Context, subscription: Document, order: dict[str, typing.Any], decline: ApiFailure) -> None:
    body = failure_body(decline, "tr")
    order["paymentAttempts"].append(
        {
            "conversationId": ctx.conversation_id,
            "createdDate": ctx.epoch_millis,
            "paymentStatus": "FAILED",
            "errorCode": body["errorCode"],
            "errorMessage": body["errorMessage"],
        }
    )
    order["orderStatus"] = "FAILED"
    order.setdefault("failedAt", ctx.epoch_millis)
    subscription["subscriptionStatus"] = "UNPAID"
    _notify(ctx, subscription, order, FAILURE_EVENT)


def _notify(ctx: Context, subscription: Mapping[str, typing.Any], order: Mapping[str, typing.Any], event: str) -> None:
    """The subscription webhook (iyzico-api.md h: the subscription format)."""
    payload = {
        "orderReferenceCode": order["referenceCode"],
        "customerReferenceCode": subscription["customerReferenceCode"],
        "subscriptionReferenceCode": subscription["referenceCode"],
        "iyziReferenceCode": str(uuid.uuid4()),
        "iyziEventType": event,
        "iyziEventTime": ctx.epoch_millis,
    }
    ctx.notifications.append(Notification(ctx.merchant, payload))


def _at(ctx: Context, millis: int, conversation_id: str | None) -> Context:
    """The context of a charge at `millis` (what the ledger and the attempt record), same store and webhooks."""
    return attrs.evolve(ctx, now=_moment(millis), conversation_id=conversation_id)


def catch_up(ctx: Context, subscription: Document, *, strict: bool = False) -> None:
    """Charge every period of an ACTIVE subscription that has begun by `ctx.now`, then end it if its time is up.

    With `strict`, the first charge is the calling request's own (at `ctx.now`, under its conversationId) and
    a refusal raises; later ones are renewals (at their period's start, under the order's reference code)
    and a refusal, the bank's or iyzico's, makes the subscription UNPAID.
    """
    now = ctx.epoch_millis
    changed = False
    while subscription["subscriptionStatus"] == "ACTIVE":
        order = _waiting_order(subscription)
        if order is None or order["startPeriod"] > now or _stopped_by(subscription, order["startPeriod"]):
            break
        at = _at(ctx, now, ctx.conversation_id) if strict else _at(ctx, order["startPeriod"], order["referenceCode"])
        try:
            _charge_order(at, subscription, order)
        except ApiFailure as decline:
            if strict:
                raise
            _record_decline(at, subscription, order, decline)
        strict, changed = False, True
    changed = _end_if_due(subscription, now) or changed
    if changed:
        _save(ctx, subscription)


def _stopped_by(subscription: Mapping[str, typing.Any], moment: int) -> bool:
    """Whether an upgrade for the next period takes over at or before `moment`."""
    return subscription["stopsAt"] is not None and moment >= subscription["stopsAt"]


def _end_if_due(subscription: Document, now: int) -> bool:
    if subscription["subscriptionStatus"] != "ACTIVE":
        return False
    if _stopped_by(subscription, now):
        _close(subscription, "UPGRADED")
        return True
    end = subscription.get("endDate")
    if _waiting_order(subscription) is None and end is not None and now >= end:
        subscription["subscriptionStatus"] = "EXPIRED"
        return True
    return False


def _close(subscription: Document, status: Status) -> None:
    """End a subscription: its waiting order will never be charged."""
    subscription["subscriptionStatus"] = status
    order = _waiting_order(subscription)
    if order is not None:
        order["orderStatus"] = f"SUBSCRIPTION_{status}"


def run_renewals(sandbox: Sandbox, before: datetime.datetime, after: datetime.datetime) -> None:
    """Clock hook: bill every subscription of every merchant up to the clock's new time.

    Runs inside the clock's store transaction; the webhooks go out at the end (the transaction only rolls
    back if this hook itself raises, before they are sent).
    """
    notifications: list[Notification] = []
    for merchant, subscription in sandbox.store.all(SUBSCRIPTIONS):
        if subscription["subscriptionStatus"] == "ACTIVE":
            context = Context(
                store=sandbox.store,
                merchant=merchant,
                conversation_id=None,
                base_url="",
                now=after,
                notifications=notifications,
            )
            catch_up(context, subscription)
    sandbox.notify(notifications)


def bill_all(ctx: Context) -> Iterator[Document]:
    """Every subscription of the merchant, oldest first, billed up to now."""
    for merchant, subscription in ctx.store.all(SUBSCRIPTIONS):
        if merchant == ctx.merchant:
            catch_up(ctx, subscription)
            yield subscription


# -- lifecycle ------------------------------------------------------------------------------------------


def _require(subscription: Mapping[str, typing.Any], *statuses: str) -> None:
    if subscription["subscriptionStatus"] not in statuses:
        raise ApiFailure("201431")


def activate(ctx: Context, subscription: Document) -> None:
    """PENDING -> ACTIVE now: the trial, or the first period charged at once."""
    _require(subscription, "PENDING")
    _begin(ctx, subscription, ctx.epoch_millis)
    _save(ctx, subscription)
    catch_up(ctx, subscription, strict=True)


def cancel(ctx: Context, subscription: Document) -> None:
    """End a running subscription now, with the upgrade waiting to take it over; cancelling that upgrade
    instead lets the old plan bill on."""
    _require(subscription, *RUNNING)
    for ended in (subscription, _linked(ctx, subscription, "successor")):
        if ended is not None and ended["subscriptionStatus"] in RUNNING:
            _close(ended, "CANCELED")
            ended["canceledAt"] = ctx.epoch_millis
            _save(ctx, ended)
    predecessor = _linked(ctx, subscription, "predecessor")
    if predecessor is not None and predecessor["successor"] == subscription["referenceCode"]:
        predecessor.update(stopsAt=None, successor=None)
        _save(ctx, predecessor)


def _linked(ctx: Context, subscription: Mapping[str, typing.Any], link: str) -> Document | None:
    reference_code = subscription[link]
    return None if reference_code is None else ctx.store.get(SUBSCRIPTIONS, reference_code, ctx.merchant)


def upgrade(
    ctx: Context, subscription: Document, plan: Document, *, at_next_period: bool, use_trial: bool, reset_count: bool
) -> Document:
    """Hand an ACTIVE subscription over to a new one with `plan`; the new subscription."""
    _require(subscription, "ACTIVE")
    current = ctx.store.get(PLANS, subscription["pricingPlanReferenceCode"], ctx.merchant)
    same_interval = [plan["paymentInterval"], plan["paymentIntervalCount"]] == subscription["interval"]
    if current is None or plan["productReferenceCode"] != current["productReferenceCode"] or not same_interval:
        raise ApiFailure("201432")
    if subscription["successor"] is not None:
        raise ApiFailure("201431")  # an upgrade already waits for the next period
    waiting = _waiting_order(subscription)
    takes_over = None
    if at_next_period:
        takes_over = waiting["startPeriod"] if waiting is not None else subscription["endDate"]
    start = Start(
        status="ACTIVE",
        at=takes_over,
        use_trial=use_trial,
        parent=subscription["parentReferenceCode"],
        counted=0 if reset_count else subscription["counted"] + subscription["charged"],
        predecessor=subscription["referenceCode"],
    )
    customer = load_customer(ctx, subscription["customerReferenceCode"])
    successor = start_subscription(ctx, plan, customer, subscription["card"], start)
    subscription["successor"] = successor["referenceCode"]
    if takes_over is None:
        _close(subscription, "UPGRADED")
    else:
        subscription["stopsAt"] = takes_over
    _save(ctx, subscription)
    return successor


def retry_order(ctx: Context, order_reference_code: object, locale: str) -> dict[str, typing.Any]:
    """Charge a FAILED order again; {} when it is paid (now or before), the bank's failure answer otherwise."""
    link = ctx.store.get(ORDERS, str(order_reference_code), ctx.merchant) if order_reference_code else None
    if link is None:
        raise ApiFailure("201440")
    subscription = load_subscription(ctx, link["subscriptionReferenceCode"])
    order = _order(subscription, str(order_reference_code))
    if order["orderStatus"] == "SUCCESS":
        return {}  # paid already: nothing to charge, so a resent retry never charges twice
    if order["orderStatus"] != "FAILED":
        raise ApiFailure("201441")
    _require(subscription, "UNPAID")
    if ctx.epoch_millis - order["failedAt"] > RETRY_WINDOW.total_seconds() * 1000:
        raise ApiFailure("201442")
    try:
        _charge_order(ctx, subscription, order)
    except ApiFailure as decline:
        if int(decline.code) < _FIRST_BANK_CODE:
            raise
        _record_decline(ctx, subscription, order, decline)
        _save(ctx, subscription)
        return failure_body(decline, locale)
    _save(ctx, subscription)
    catch_up(ctx, subscription)
    return {}


def replace_card(ctx: Context, subscriptions: list[Document], card: Mapping[str, str]) -> None:
    """Pay the running ones of `subscriptions` with `card` from now on."""
    for subscription in subscriptions:
        if subscription["subscriptionStatus"] in RUNNING:
            subscription["card"] = dict(card)
            _save(ctx, subscription)
