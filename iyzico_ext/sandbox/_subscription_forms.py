"""The hosted subscription forms: a customer starts a subscription, or replaces a card, on iyzico's page.

Initialize keeps the request under a token (a UUID) and answers `checkoutFormContent`: HTML for the
merchant's page, a link to the emulator's form and a script that follows it (iyzico's draws its form inside
the merchant's page). The form shows the plan (or what the card will pay for), asks for a card and the test
cards it can be; a typing mistake or a refused card shows the error and keeps what was typed (not the CVC).
Submitted, it starts the subscription as initializeSubscription would, or stores the new card, then posts
the browser to the merchant's `callbackUrl`: `token` (and `status: success` for a card update), as the
hosted checkout form does. retrieveSubscriptionCheckoutForm then answers the subscription the form started.
"""

from __future__ import annotations

import datetime
import html
import typing
import uuid
from collections.abc import Mapping
from decimal import Decimal

from starlette.requests import Request
from starlette.responses import HTMLResponse, Response

from ._context import Context
from ._failures import ApiFailure, failure_body
from ._hosted import TOKEN_LIFETIME_SECONDS, safe_callback_url
from ._page_style import Locale, escape, locale_of, page, text

# The pages' building blocks, shared with the checkout and 3-D Secure pages.
from ._pages import _auto_post, _error_page, _lookup, _merchant, _test_cards_panel, card_fields
from ._rules import read_raw_card
from ._store import Document
from ._subscription_billing import (
    RUNNING,
    Start,
    bill_all,
    keep_card,
    load_subscription,
    replace_card,
    start_subscription,
    summary_view,
    validate_card,
)
from ._subscription_catalogue import PLANS, find_or_create_customer, load_customer, load_plan

__all__ = ["FORM_HANDLERS", "FORM_INITIALIZATIONS", "subscription_form_page"]

FORMS = "subscription-form"
Purpose = typing.Literal["subscription", "card-update"]
# Fields of the form shown again after an error; the CVC is always typed again.
_KEPT_FIELDS = ("cardHolderName", "cardNumber", "expireMonth", "expireYear")
_CENT = Decimal("0.01")


def _content(url: str) -> str:
    """`checkoutFormContent`: what the merchant's page embeds to send the customer to the form."""
    return (
        f'<a id="iyzipay-checkout-form" href="{html.escape(url)}">iyzico</a><script>window.location.href'
        ' = document.getElementById("iyzipay-checkout-form").href;</script>'
    )


def _initialize(
    ctx: Context, request: Mapping[str, typing.Any], purpose: Purpose, scope: Mapping[str, str]
) -> dict[str, typing.Any]:
    safe_callback_url(request.get("callbackUrl"), hosted=True)
    token = str(uuid.uuid4())
    document = {
        "purpose": purpose,
        "request": dict(request),
        "scope": dict(scope),
        "state": "INIT",
        "conversationId": ctx.conversation_id,
        "expiresAt": (ctx.now + datetime.timedelta(seconds=TOKEN_LIFETIME_SECONDS)).isoformat(),
    }
    ctx.store.put(FORMS, token, ctx.merchant, document, ctx.conversation_id)
    url = f"{ctx.base_url}/_sandbox/subscription-form/{token}"
    return {"token": token, "checkoutFormContent": _content(url), "tokenExpireTime": TOKEN_LIFETIME_SECONDS}


def initialize_checkout_form(ctx: Context, request: Mapping[str, typing.Any]) -> dict[str, typing.Any]:
    load_plan(ctx, request["pricingPlanReferenceCode"])
    return _initialize(ctx, request, "subscription", {})


def initialize_card_update(ctx: Context, request: Mapping[str, typing.Any]) -> dict[str, typing.Any]:
    customer = load_customer(ctx, request["customerReferenceCode"])
    return _initialize(ctx, request, "card-update", {"customerReferenceCode": customer["referenceCode"]})


def initialize_card_update_with_subscription(ctx: Context, request: Mapping[str, typing.Any]) -> dict[str, typing.Any]:
    subscription = load_subscription(ctx, request["subscriptionReferenceCode"])
    if subscription["subscriptionStatus"] not in RUNNING:
        raise ApiFailure("201431")
    return _initialize(ctx, request, "card-update", {"subscriptionReferenceCode": subscription["referenceCode"]})


def retrieve_checkout_form(ctx: Context, request: Mapping[str, typing.Any]) -> dict[str, typing.Any]:
    document = ctx.store.get(FORMS, ctx.path_params.get("token", ""), ctx.merchant)
    if document is None or document["purpose"] != "subscription":
        raise ApiFailure("201600")
    if document["state"] != "DONE":
        raise ApiFailure("201601")
    return summary_view(load_subscription(ctx, document["subscriptionReferenceCode"]))


# -- what submitting the form does ---------------------------------------------------------------------------


def _subscribe(ctx: Context, document: Document, form: Mapping[str, str]) -> dict[str, str]:
    request = document["request"]
    plan = load_plan(ctx, request["pricingPlanReferenceCode"])
    card = read_raw_card(form, now=ctx.today)
    validate_card(card, plan["currencyCode"])
    customer = find_or_create_customer(ctx, request["customer"])
    stored = keep_card(ctx, customer, card)
    subscription = start_subscription(ctx, plan, customer, stored, Start(request["subscriptionInitialStatus"]))
    document["subscriptionReferenceCode"] = subscription["referenceCode"]
    return {}


def _replace_card(ctx: Context, document: Document, form: Mapping[str, str]) -> dict[str, str]:
    card = read_raw_card(form, now=ctx.today)
    scope = document["scope"]
    if "subscriptionReferenceCode" in scope:
        subscriptions = [load_subscription(ctx, scope["subscriptionReferenceCode"])]
        customer = load_customer(ctx, subscriptions[0]["customerReferenceCode"])
    else:
        customer = load_customer(ctx, scope["customerReferenceCode"])
        subscriptions = [s for s in bill_all(ctx) if s["customerReferenceCode"] == customer["referenceCode"]]
    for currency in {subscription["currencyCode"] for subscription in subscriptions} or {"TRY"}:
        validate_card(card, currency)
    stored = keep_card(ctx, customer, card, default="customerReferenceCode" in scope)
    replace_card(ctx, subscriptions, stored)
    return {"status": "success"}


_COMPLETE = {"subscription": _subscribe, "card-update": _replace_card}


# -- the page ---------------------------------------------------------------------------------------------


def _plan_panel(ctx: Context, document: Document, locale: Locale) -> str:
    request = document["request"]
    plan = ctx.store.get(PLANS, request["pricingPlanReferenceCode"], ctx.merchant)
    if plan is None:
        return ""
    count = plan["recurrenceCount"]
    rows = (
        (text(locale, "plan"), plan["name"]),
        (text(locale, "period_price"), f"{plan['price'].quantize(_CENT)} {plan['currencyCode']}"),
        (text(locale, "period"), text(locale, plan["paymentInterval"], count=plan["paymentIntervalCount"])),
        (text(locale, "trial"), text(locale, "days", count=plan["trialPeriodDays"])),
        (text(locale, "payments"), count if count is not None else text(locale, "until_cancelled")),
        (text(locale, "subscriber"), f"{request['customer']['name']} {request['customer']['surname']}"),
    )
    body = "".join(f'<tr><td>{escape(name)}</td><td class="amount">{escape(value)}</td></tr>' for name, value in rows)
    return f"<h2>{escape(text(locale, 'subscription'))}</h2><table>{body}</table>"


def _form_page(
    ctx: Context, document: Document, kept: Mapping[str, str], error: str | None = None, status_code: int = 200
) -> HTMLResponse:
    locale = locale_of(document["request"])
    subscribing = document["purpose"] == "subscription"
    intro = "" if subscribing else f"<p>{escape(text(locale, 'card_update_intro'))}</p>"
    error_line = f'<p class="error" role="alert">{escape(error)}</p>' if error else ""
    content = (
        intro
        + error_line
        + '<form method="post" autocomplete="on">'
        + card_fields(locale, kept)
        + f"<p class='muted'>{escape(text(locale, 'card_validation'))}</p>"
        + f'<button type="submit">{escape(text(locale, "subscribe" if subscribing else "update_card"))}</button>'
        + "</form>"
    )
    panels = (
        (_plan_panel(ctx, document, locale), _test_cards_panel(locale)) if subscribing else (_test_cards_panel(locale),)
    )
    title = text(locale, "subscription" if subscribing else "card_update")
    return page(locale, title, content, merchant=_merchant(ctx), aside=panels, status_code=status_code)


def _usable(ctx: Context, document: Document) -> bool:
    return document["state"] == "INIT" and ctx.now <= datetime.datetime.fromisoformat(document["expiresAt"])


async def subscription_form_page(request: Request) -> Response:
    token = request.path_params["token"]
    found = _lookup(request, FORMS, token)
    if found is None or not _usable(found[1], found[2]):
        locale = locale_of(found[2]["request"]) if found is not None else "tr"
        return _error_page(ApiFailure("201600"), locale, 404)
    sandbox, context, document = found
    if request.method == "GET":
        return _form_page(context, document, {})
    form = {name: value for name, value in (await request.form()).items() if isinstance(value, str)}
    kept = {name: form[name] for name in _KEPT_FIELDS if name in form}
    try:
        with sandbox.store.transaction():
            posted = _COMPLETE[document["purpose"]](context, document, form)
            document["state"] = "DONE"
            context.store.put(FORMS, token, context.merchant, document, document["conversationId"])
    except ApiFailure as failure:
        message = str(failure_body(failure, locale_of(document["request"]))["errorMessage"])
        return _form_page(context, document, kept, message, 400)
    sandbox.notify(context.notifications)
    callback_url = safe_callback_url(document["request"]["callbackUrl"], hosted=True)
    return _auto_post(callback_url, {"token": token, **posted}, locale_of(document["request"]))


FORM_HANDLERS = {
    "initializeSubscriptionCheckoutForm": initialize_checkout_form,
    "retrieveSubscriptionCheckoutForm": retrieve_checkout_form,
    "initializeSubscriptionCardUpdate": initialize_card_update,
    "initializeSubscriptionCardUpdateWithSubscription": initialize_card_update_with_subscription,
}
# They answer at the top level, with locale and conversationId.
FORM_INITIALIZATIONS = frozenset(FORM_HANDLERS) - {"retrieveSubscriptionCheckoutForm"}
