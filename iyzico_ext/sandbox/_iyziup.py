"""iyziup: initialize, the iyziup page, retrieve by token; and the Protected Shopping badge's script.

Initialize checks the order (`price` is the sum of the order items) and keeps it under a token (kind
`iyziup`) as the checkout request it stands for (the items as basket items, `merchantOrderId` as basketId).
On the emulator's iyziup page the buyer gives name, e-mail, phone and address (prefilled from the merchant's
`initialConsumer`) and a test card, with a 3-D Secure step first when `forceThreeDS` is 1 and only cards of
`enabledCardFamily` when set; the charge is the hosted page's (`pay_checkout`), the token is posted to the
merchant's `callbackUrl` and a CHECKOUT_FORM_AUTH webhook goes out. Retrieve answers the order: the consumer,
the addresses and the payment, with `orderResponseStatus` payment_completed or payment_failed.
"""

from __future__ import annotations

import datetime
import json
import secrets
import typing
import uuid
from collections.abc import Mapping

from ._context import Context
from ._failures import ApiFailure
from ._hosted import (
    TOKEN_LIFETIME_SECONDS,
    _enabled_installments,
    checkout_card,
    checkout_state,
    hosted_outcome,
    pay_checkout,
    safe_callback_url,
)
from ._page_style import escape
from ._rules import Card, read_amount, read_order
from ._store import Document

__all__ = ["CONSUMER_FIELDS", "HANDLERS", "KIND", "check_iyziup_form", "consumer_defaults", "pay_iyziup"]

KIND = "iyziup"
_EVENT = "CHECKOUT_FORM_AUTH"
_SHOP_KIND = "protected-shop"
# The buyer's fields on the iyziup page: (form field, required).
CONSUMER_FIELDS = (
    *(("name", True), ("surname", True), ("email", True), ("gsmNumber", True)),
    *(("contactName", True), ("address", True), ("city", True), ("country", True), ("zipCode", False)),
)
_PERSON_FIELDS = ("name", "surname", "email", "gsmNumber")
_ADDRESS_FIELDS = ("contactName", "address", "city", "country", "zipCode")
_ITEM_FIELDS = ("id", "name", "category1", "category2", "itemType", "price")
_CHECKOUT_FIELDS = (
    *("locale", "conversationId", "price", "paidPrice", "currency", "callbackUrl", "enabledInstallments"),
    *("forceThreeDS", "paymentGroup", "paymentSource"),
)
_CORNERS = {
    "bottomLeft": ("bottom", "left"),
    "bottomRight": ("bottom", "right"),
    "topLeft": ("top", "left"),
    "topRight": ("top", "right"),
}
_PROTECTED_SHOPPING_URL = "https://www.iyzico.com/korumali-alisveris"
_BADGE_TEXT = {"tr": "iyzico Korumalı Alışveriş", "en": "iyzico Protected Shopping"}


def _checkout_request(request: Mapping[str, typing.Any]) -> dict[str, typing.Any]:
    """The hosted-page request an iyziup order stands for (without the buyer's address: iyziup asks for it)."""
    order = {name: request[name] for name in _CHECKOUT_FIELDS if name in request}
    order["basketId"] = request.get("merchantOrderId")
    order["basketItems"] = [
        {name: item[name] for name in _ITEM_FIELDS if name in item} for item in request.get("orderItems") or ()
    ]
    return order


def initialize_iyziup_form(ctx: Context, request: Mapping[str, typing.Any]) -> dict[str, typing.Any]:
    order_request = _checkout_request(request)
    # The address is the buyer's to give on the iyziup page: the order is checked as if it had one.
    read_order(ctx.store, ctx.merchant, {**order_request, "shippingAddress": {"givenOn": "iyziup"}})
    safe_callback_url(request.get("callbackUrl"), hosted=True)
    for page in ("termsUrl", "preSalesContractUrl"):
        if request.get(page):
            safe_callback_url(request[page], hosted=False)
    if request.get("shippingPrice") is not None:
        read_amount(request["shippingPrice"], "shippingPrice", positive=False)
    _enabled_installments(request)
    token = str(uuid.uuid4())
    expires = ctx.now + datetime.timedelta(seconds=TOKEN_LIFETIME_SECONDS)
    document = {
        "request": order_request,
        "initialConsumer": request.get("initialConsumer") or {},
        "enabledCardFamily": request.get("enabledCardFamily"),
        "kind": KIND,
        "event": _EVENT,
        "product": "IYZIUP",
        "phase": "AUTH",
        "state": "INIT",
        "conversationId": ctx.conversation_id,
        "expiresAt": expires.isoformat(),
    }
    ctx.store.put(KIND, token, ctx.merchant, document, ctx.conversation_id)
    url = f"{ctx.base_url}/_sandbox/iyziup/{token}"
    content = f'<form method="get" action="{escape(url)}"><button type="submit">iyziup ile öde</button></form>'
    return {"token": token, "content": content, "tokenExpireTime": TOKEN_LIFETIME_SECONDS}


def consumer_defaults(document: Document) -> dict[str, str]:
    """The page's consumer fields as the merchant's `initialConsumer` (and its first address) fill them."""
    known = document["initialConsumer"]
    address: Mapping[str, typing.Any] = next(iter(known.get("addressList") or ()), {})
    line = " ".join(part for part in (address.get("addressLine1"), address.get("addressLine2")) if part)
    values = {
        **{name: known.get(name) for name in ("name", "surname", "email", "gsmNumber")},
        **{name: address.get(name) for name in ("contactName", "city", "country", "zipCode")},
        "address": line,
    }
    return {name: str(value) for name, value in values.items() if value}


def _consumer(form: Mapping[str, str]) -> dict[str, str]:
    """The buyer's fields from the page: 3/5 for the e-mail, 25 for the phone, 11 for another missing field."""
    values = {name: form.get(name, "").strip() for name, _ in CONSUMER_FIELDS}
    for name, required in CONSUMER_FIELDS:
        if required and not values[name]:
            raise ApiFailure({"email": "3", "gsmNumber": "25"}.get(name, "11"), name)
    if "@" not in values["email"]:
        raise ApiFailure("5")
    return values


def check_iyziup_form(ctx: Context, document: Document, form: Mapping[str, str]) -> Card:
    """What the buyer typed on the iyziup page, checked (the token's state, the buyer's fields, the card and
    the merchant's card family) before anything happens; the card."""
    checkout_state(ctx, document)
    _consumer(form)
    card, _ = checkout_card(ctx, document, form)
    family = document["enabledCardFamily"]
    if family and (card.issuer is None or card.issuer.card_family.casefold() != str(family).casefold()):
        raise ApiFailure("11", "enabledCardFamily")
    return card


def pay_iyziup(
    ctx: Context, token: str, document: Document, form: Mapping[str, str], *, md_status: str | None = None
) -> str:
    """The buyer submitted the iyziup page: record who they are and where the order goes, then charge the card
    (`md_status`: the 3-D Secure answer when the merchant forced it). Returns the merchant's callbackUrl."""
    check_iyziup_form(ctx, document, form)
    consumer = _consumer(form)
    address = {name: consumer[name] for name in _ADDRESS_FIELDS if consumer[name]}
    person = {name: consumer[name] for name in _PERSON_FIELDS}
    document["consumer"] = person
    document["request"].update(shippingAddress=address, billingAddress=address, buyer={**person, "id": token})
    return pay_checkout(ctx, token, document, form, md_status=md_status)


def retrieve_iyziup_form(ctx: Context, request: Mapping[str, typing.Any]) -> dict[str, typing.Any]:
    token = str(request.get("token") or "")
    document = ctx.store.get(KIND, token, ctx.merchant)
    if document is None:
        raise ApiFailure("5017")
    outcome = hosted_outcome(ctx, token, document, str(request.get("locale") or "tr"))
    initialized = document["request"]
    paid = outcome["paymentStatus"] == "SUCCESS"
    return {
        "orderResponseStatus": "payment_completed" if paid else "payment_failed",
        "token": token,
        "callbackUrl": initialized["callbackUrl"],
        "consumer": document.get("consumer"),
        "shippingAddress": initialized.get("shippingAddress"),
        "billingAddress": initialized.get("billingAddress"),
        "paymentDetail": {name: value for name, value in outcome.items() if name not in ("token", "callbackUrl")},
    }


def _protected_shop(ctx: Context) -> str:
    """The merchant's protected shop id: made on the first request, the same ever after."""
    shop = ctx.store.get(_SHOP_KIND, ctx.merchant, ctx.merchant)
    if shop is None:
        shop = {"protectedShopId": f"PS-{secrets.token_hex(4).upper()}"}
        ctx.store.put(_SHOP_KIND, ctx.merchant, ctx.merchant, shop)
    return str(shop["protectedShopId"])


def retrieve_protected_overlay_script(ctx: Context, request: Mapping[str, typing.Any]) -> dict[str, typing.Any]:
    vertical, horizontal = _CORNERS[str(request.get("position"))]
    text = _BADGE_TEXT["en" if request.get("locale") == "en" else "tr"]
    shop_id = _protected_shop(ctx)
    script = (
        '<script>(function(){var badge=document.createElement("a");'
        f"badge.href={json.dumps(_PROTECTED_SHOPPING_URL)};badge.textContent={json.dumps(text)};"
        f"badge.dataset.protectedShopId={json.dumps(shop_id)};"
        f'badge.style.cssText="position:fixed;z-index:2147483647;{vertical}:16px;{horizontal}:16px";'
        "document.body.appendChild(badge);})();</script>"
    )
    return {"protectedShopId": shop_id, "overlayScript": script}


HANDLERS = {
    "initializeIyziupForm": initialize_iyziup_form,
    "retrieveIyziupForm": retrieve_iyziup_form,
    "retrieveProtectedOverlayScript": retrieve_protected_overlay_script,
}
