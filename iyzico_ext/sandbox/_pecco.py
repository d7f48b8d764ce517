"""Pecco (Parsian's e-commerce gateway): initialize, Pecco's page, and the auth call that takes the money.

Initialize checks the order and keeps it under a token (kind `pecco`). On the emulator's Pecco page the buyer
authorises the payment (no card: Pecco's own page asks nothing iyzico sees) or cancels it; the browser then
posts the token and the status to the merchant's `callbackUrl`. Like the 3-D Secure auth call, createPeccoPayment
takes the money of an authorised token once: the payment is booked through the shared ledger (retrieve,
refunds, cancels, reports) under the auth call's conversationId, and a PAYMENT_API webhook goes out.
"""

from __future__ import annotations

import base64
import datetime
import typing
import uuid
from collections.abc import Mapping

from ._context import Context
from ._failures import ApiFailure
from ._hosted import TOKEN_LIFETIME_SECONDS, _threeds_redirect_html, checkout_state, safe_callback_url
from ._payments import book_payment, payment_event
from ._rules import read_order
from ._store import Document

__all__ = ["HANDLERS", "KIND", "authorize_pecco"]

KIND = "pecco"
_EVENT = "PAYMENT_API"
_CANCELLED = "5024"


def initialize_pecco(ctx: Context, request: Mapping[str, typing.Any]) -> dict[str, typing.Any]:
    read_order(ctx.store, ctx.merchant, request)
    safe_callback_url(request.get("callbackUrl"), hosted=True)
    token = str(uuid.uuid4())
    expires = ctx.now + datetime.timedelta(seconds=TOKEN_LIFETIME_SECONDS)
    document = {
        "request": dict(request),
        "state": "INIT",
        "conversationId": ctx.conversation_id,
        "expiresAt": expires.isoformat(),
    }
    ctx.store.put(KIND, token, ctx.merchant, document, ctx.conversation_id)
    url = f"{ctx.base_url}/_sandbox/pecco/{token}"
    return {
        "token": token,
        "tokenExpireTime": TOKEN_LIFETIME_SECONDS,
        "redirectUrl": url,
        "htmlContent": base64.b64encode(_threeds_redirect_html(url).encode()).decode("ascii"),
    }


def authorize_pecco(ctx: Context, token: str, document: Document, *, authorized: bool) -> tuple[str, dict[str, str]]:
    """The buyer authorised (or cancelled) on Pecco's page; returns (the merchant's callbackUrl, its form)."""
    checkout_state(ctx, document)
    document["state"] = "AUTHORIZED" if authorized else "CANCELLED"
    ctx.store.put(KIND, token, ctx.merchant, document, document["conversationId"])
    fields = {"token": token, "status": "success" if authorized else "failure"}
    return safe_callback_url(document["request"].get("callbackUrl"), hosted=True), fields


def create_pecco_payment(ctx: Context, request: Mapping[str, typing.Any]) -> dict[str, typing.Any]:
    token = str(request.get("token") or "")
    document = ctx.store.get(KIND, token, ctx.merchant)
    if document is None or ctx.now > datetime.datetime.fromisoformat(document["expiresAt"]):
        raise ApiFailure("5017")
    state = document["state"]
    if state != "AUTHORIZED":
        raise ApiFailure({"INIT": "5023", "CANCELLED": _CANCELLED}.get(state, "5018"))
    order = read_order(ctx.store, ctx.merchant, document["request"])
    resource = book_payment(ctx, order, phase="AUTH")
    document.update(state="CHARGED", paymentId=resource["paymentId"])
    ctx.store.put(KIND, token, ctx.merchant, document, document["conversationId"])
    payment_event(ctx, resource["paymentId"], _EVENT)
    return {**resource, "token": token}


HANDLERS = {"initializePecco": initialize_pecco, "createPeccoPayment": create_pecco_payment}
