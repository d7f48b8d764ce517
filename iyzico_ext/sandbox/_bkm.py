"""BKM Express: initialize (full and basic), the BKM Express page, retrieve by token.

Initialize checks the order and keeps it under a token (kind `bkm`), answering base64 HTML that posts the
buyer's browser to the emulator's BKM Express page. There the buyer pays with a test card (BKM Express is a
wallet of cards; typing one in stands for choosing one) or gives up; the token is then posted to the merchant's
`callbackUrl`, a BKM_AUTH webhook goes out, and retrieve answers the payment or the failure.

* Full BKM: a checkout-form basket without `paidPrice`: BKM Express charges `price`, or the instalment total of
  the emulator's banks for the count the buyer picks (`enabledInstallments`), exactly as the hosted page does.
* Basic BKM: an amount and the merchant's own instalment prices per bank (`installmentDetails`): a card of a
  listed bank pays the listed total for the chosen count; a single payment is `price` unless listed.
"""

from __future__ import annotations

import base64
import datetime
import typing
import uuid
from collections.abc import Mapping
from decimal import Decimal

from ._basic import basic_answer, payment_request
from ._context import Context
from ._failures import ApiFailure
from ._hosted import (
    TOKEN_LIFETIME_SECONDS,
    _enabled_installments,
    _threeds_redirect_html,
    abandon_page,
    checkout_card,
    checkout_state,
    hosted_outcome,
    pay_checkout,
    safe_callback_url,
)
from ._payments import charge, new_payment_id, payment_event
from ._rules import read_amount, read_installment, read_order
from ._store import Document

__all__ = ["HANDLERS", "KIND", "is_basic", "listed_totals", "pay_bkm"]

KIND = "bkm"
_EVENT = "BKM_AUTH"


def _start(ctx: Context, order_request: Mapping[str, typing.Any], *, basic: bool) -> dict[str, typing.Any]:
    """Keep the order under a new token; the answer's HTML takes the buyer to the BKM Express page."""
    safe_callback_url(order_request.get("callbackUrl"), hosted=True)
    read_order(ctx.store, ctx.merchant, order_request)
    token = str(uuid.uuid4())
    expires = ctx.now + datetime.timedelta(seconds=TOKEN_LIFETIME_SECONDS)
    document = {
        "request": dict(order_request),
        "basic": basic,
        "kind": KIND,
        "event": _EVENT,
        "product": "BKM",
        "phase": "AUTH",
        "state": "INIT",
        "conversationId": ctx.conversation_id,
        "expiresAt": expires.isoformat(),
    }
    ctx.store.put(KIND, token, ctx.merchant, document, ctx.conversation_id)
    page = _threeds_redirect_html(f"{ctx.base_url}/_sandbox/bkm/{token}")
    return {"token": token, "htmlContent": base64.b64encode(page.encode()).decode("ascii")}


def initialize_bkm(ctx: Context, request: Mapping[str, typing.Any]) -> dict[str, typing.Any]:
    _enabled_installments(request)
    return _start(ctx, {**request, "paidPrice": request.get("price")}, basic=False)


def listed_totals(request: Mapping[str, typing.Any]) -> dict[int, dict[int, Decimal]]:
    """{bank code: {instalment count: total}} of a basic request's `installmentDetails` (11 for a count iyzico
    does not offer, 5005 for a total that is not > 0); a bank and count listed twice: the first listing counts."""
    totals: dict[int, dict[int, Decimal]] = {}
    for detail in request.get("installmentDetails") or ():
        bank = totals.setdefault(int(detail["bankId"]), {})
        for price in detail["installmentPrices"]:
            count = read_installment(price["installmentNumber"])
            bank.setdefault(count, read_amount(price["totalPrice"], "totalPrice"))
    return totals


def initialize_basic_bkm(ctx: Context, request: Mapping[str, typing.Any]) -> dict[str, typing.Any]:
    totals = listed_totals(request)
    counts = sorted({1, *(count for bank in totals.values() for count in bank)})
    order_request = {
        **payment_request(request),
        "paidPrice": request.get("price"),
        "enabledInstallments": counts,
        "installmentDetails": request.get("installmentDetails") or [],
    }
    return _start(ctx, order_request, basic=True)


def is_basic(document: Document) -> bool:
    return bool(document["basic"])


def _pay_basic(ctx: Context, token: str, document: Document, form: Mapping[str, str]) -> str:
    """A basic BKM payment: the merchant's listed total for the card's bank and the chosen count."""
    checkout_state(ctx, document)
    request = document["request"]
    card, installment = checkout_card(ctx, document, form)
    bank = listed_totals(request).get(card.issuer.bank_code if card.issuer else -1, {})
    if installment > 1 and installment not in bank:
        raise ApiFailure("11", "installment")
    order = read_order(ctx.store, ctx.merchant, request)
    order = order._replace(installment=installment, paid_price=bank.get(installment, order.price))
    try:
        resource = charge(ctx, order, card, phase="AUTH")
    except ApiFailure as decline:
        document.update(state="FAILURE", errorCode=decline.code)
        if int(decline.code) >= 10_000:
            payment_event(ctx, new_payment_id(ctx), _EVENT, token=token, status="FAILURE")
    else:
        document.update(state="SUCCESS", paymentId=resource["paymentId"])
        payment_event(ctx, resource["paymentId"], _EVENT, token=token)
    ctx.store.put(KIND, token, ctx.merchant, document, document["conversationId"])
    return safe_callback_url(request.get("callbackUrl"), hosted=True)


def pay_bkm(ctx: Context, token: str, document: Document, form: Mapping[str, str], *, paid: bool) -> str:
    """The buyer paid with a card (or gave up) on the BKM Express page; returns the merchant's callbackUrl."""
    if not paid:
        return abandon_page(ctx, token, document)
    if is_basic(document):
        return _pay_basic(ctx, token, document, form)
    return pay_checkout(ctx, token, document, form)


def _document(ctx: Context, request: Mapping[str, typing.Any]) -> tuple[str, Document]:
    token = str(request.get("token") or "")
    document = ctx.store.get(KIND, token, ctx.merchant)
    if document is None:
        raise ApiFailure("5017")
    return token, document


def retrieve_bkm(ctx: Context, request: Mapping[str, typing.Any]) -> dict[str, typing.Any]:
    token, document = _document(ctx, request)
    return hosted_outcome(ctx, token, document, str(request.get("locale") or "tr"))


def retrieve_basic_bkm(ctx: Context, request: Mapping[str, typing.Any]) -> dict[str, typing.Any]:
    token, document = _document(ctx, request)
    outcome = hosted_outcome(ctx, token, document, str(request.get("locale") or "tr"))
    kept = ("token", "callbackUrl", "paymentStatus", "errorCode", "errorMessage", "errorGroup")
    return {**basic_answer(outcome, document["request"]), **{name: outcome.get(name) for name in kept}}


HANDLERS = {
    "initializeBkm": initialize_bkm,
    "retrieveBkm": retrieve_bkm,
    "initializeBasicBkm": initialize_basic_bkm,
    "retrieveBasicBkm": retrieve_basic_bkm,
}
