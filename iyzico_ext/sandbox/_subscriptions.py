"""The subscription family of the emulator (v2): every operation's handler, and the renewals on the clock.

Products, plans and customers are in `_subscription_catalogue`, the billing periods, orders and lifecycle in
`_subscription_billing`, the hosted forms in `_subscription_forms`; this module starts, finds, changes and
retries subscriptions. Answers carry no `locale` or `conversationId` (iyzico's answer `{status, systemTime,
data}`), except the checkout-form initializations, which docs.iyzico.com shows with both.
"""

from __future__ import annotations

import datetime
import typing
from collections.abc import Mapping

from ._context import Context, Handler
from ._failures import ApiFailure
from ._rules import read_card
from ._store import Document
from ._subscription_billing import (
    ORDERS,
    RUNNING,
    Start,
    activate,
    bill_all,
    cancel,
    details_view,
    keep_card,
    load_subscription,
    order_view,
    retry_order,
    run_renewals,
    start_subscription,
    summary_view,
    upgrade,
    validate_card,
)
from ._subscription_catalogue import (
    CATALOGUE_HANDLERS,
    CUSTOMERS,
    find_or_create_customer,
    load_customer,
    load_plan,
    page_of,
    path_customer,
)
from ._subscription_forms import FORM_HANDLERS, FORM_INITIALIZATIONS

__all__ = ["ANSWERS_WITHOUT_ECHO", "HANDLERS", "run_renewals"]

_DATE_TIME_FORMAT = "%Y-%m-%d %H:%M:%S"
# searchSubscriptions' query filters: parameter -> the subscription field it matches.
_FILTERS = {
    "subscriptionReferenceCode": "referenceCode",
    "parentReferenceCode": "parentReferenceCode",
    "customerReferenceCode": "customerReferenceCode",
    "pricingPlanReferenceCode": "pricingPlanReferenceCode",
    "subscriptionStatus": "subscriptionStatus",
}


def _path_subscription(ctx: Context) -> Document:
    return load_subscription(ctx, ctx.path_params.get("subscriptionReferenceCode"))


def initialize_subscription(ctx: Context, request: Mapping[str, typing.Any]) -> dict[str, typing.Any]:
    plan = load_plan(ctx, request["pricingPlanReferenceCode"])
    card = read_card(ctx.store, ctx.merchant, request["paymentCard"], now=ctx.today)
    validate_card(card, plan["currencyCode"])
    customer = find_or_create_customer(ctx, request["customer"])
    stored = keep_card(ctx, customer, card)
    subscription = start_subscription(ctx, plan, customer, stored, Start(request["subscriptionInitialStatus"]))
    return summary_view(subscription)


def _active_subscription(ctx: Context, customer: Mapping[str, typing.Any]) -> Document:
    for subscription in bill_all(ctx):
        if (
            subscription["customerReferenceCode"] == customer["referenceCode"]
            and subscription["subscriptionStatus"] == "ACTIVE"
        ):
            return subscription
    raise ApiFailure("201423")


def initialize_with_customer(ctx: Context, request: Mapping[str, typing.Any]) -> dict[str, typing.Any]:
    plan = load_plan(ctx, request["pricingPlanReferenceCode"])
    customer = load_customer(ctx, request["customerReferenceCode"])
    card = _active_subscription(ctx, customer)["card"]
    subscription = start_subscription(ctx, plan, customer, card, Start(request["subscriptionInitialStatus"]))
    return summary_view(subscription)


def _created_within(ctx: Context) -> tuple[int, int]:
    """The searched creation window from `startDate` / `endDate` (yyyy-MM-dd HH:mm:ss), epoch milliseconds."""

    def millis(name: str, default: int) -> int:
        text = ctx.query.get(name)
        if text is None:
            return default
        try:
            return int(datetime.datetime.strptime(text, _DATE_TIME_FORMAT).timestamp() * 1000)
        except ValueError as error:
            raise ApiFailure("11", name) from error

    return millis("startDate", 0), millis("endDate", 2**63)


def search_subscriptions(ctx: Context, request: Mapping[str, typing.Any]) -> dict[str, typing.Any]:
    wanted = {field: ctx.query[name] for name, field in _FILTERS.items() if name in ctx.query}
    first, last = _created_within(ctx)
    found = [
        details_view(ctx, subscription)
        for subscription in bill_all(ctx)
        if all(subscription[field] == value for field, value in wanted.items())
        and first <= subscription["createdDate"] <= last
    ]
    return page_of(ctx, found)


def retrieve_subscription(ctx: Context, request: Mapping[str, typing.Any]) -> dict[str, typing.Any]:
    return details_view(ctx, _path_subscription(ctx))


def activate_subscription(ctx: Context, request: Mapping[str, typing.Any]) -> dict[str, typing.Any]:
    activate(ctx, _path_subscription(ctx))
    return {}


def cancel_subscription(ctx: Context, request: Mapping[str, typing.Any]) -> dict[str, typing.Any]:
    cancel(ctx, _path_subscription(ctx))
    return {}


def upgrade_subscription(ctx: Context, request: Mapping[str, typing.Any]) -> dict[str, typing.Any]:
    subscription = _path_subscription(ctx)
    plan = load_plan(ctx, request["newPricingPlanReferenceCode"])
    successor = upgrade(
        ctx,
        subscription,
        plan,
        at_next_period=request["upgradePeriod"] == "NEXT_PERIOD",
        use_trial=_flag(request.get("useTrial")),
        reset_count=_flag(request.get("resetRecurrenceCount")),
    )
    return summary_view(successor)


def _flag(value: object) -> bool:
    """A boolean sent as JSON `true` or, as Jackson also reads it, the text "true"."""
    return value is True or value == "true"


def retry_subscription_payment(ctx: Context, request: Mapping[str, typing.Any]) -> dict[str, typing.Any]:
    return retry_order(ctx, request["referenceCode"], str(request.get("locale") or "tr"))


def retrieve_order(ctx: Context, request: Mapping[str, typing.Any]) -> dict[str, typing.Any]:
    reference_code = ctx.path_params.get("orderReferenceCode", "")
    link = ctx.store.get(ORDERS, reference_code, ctx.merchant)
    if link is None:
        raise ApiFailure("201440")
    subscription = load_subscription(ctx, link["subscriptionReferenceCode"])
    return order_view(next(order for order in subscription["orders"] if order["referenceCode"] == reference_code))


def delete_customer(ctx: Context, request: Mapping[str, typing.Any]) -> dict[str, typing.Any]:
    customer = path_customer(ctx)
    for subscription in bill_all(ctx):
        if (
            subscription["customerReferenceCode"] == customer["referenceCode"]
            and subscription["subscriptionStatus"] in RUNNING
        ):
            raise ApiFailure("201422")
    ctx.store.delete(CUSTOMERS, customer["referenceCode"], ctx.merchant)
    return {}


HANDLERS: dict[str, Handler] = {
    **CATALOGUE_HANDLERS,
    **FORM_HANDLERS,
    "deleteSubscriptionCustomer": delete_customer,
    "initializeSubscription": initialize_subscription,
    "initializeSubscriptionWithCustomer": initialize_with_customer,
    "searchSubscriptions": search_subscriptions,
    "retrieveSubscription": retrieve_subscription,
    "activateSubscription": activate_subscription,
    "cancelSubscription": cancel_subscription,
    "upgradeSubscription": upgrade_subscription,
    "retrySubscriptionPayment": retry_subscription_payment,
    "retrieveSubscriptionOrder": retrieve_order,
}
# iyzico answers these `{status, systemTime, data}` (or its failure fields), without locale and conversationId.
ANSWERS_WITHOUT_ECHO = frozenset(HANDLERS) - FORM_INITIALIZATIONS
