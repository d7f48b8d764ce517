"""Alternative payment methods (Sofort, iDEAL, QIWI, giropay): initialize, the method's page, retrieve.

Initialize checks the order like a card payment and keeps it under the new paymentId; nothing is charged.
The buyer answers on the emulator's page of the payment method: paying books the payment (no card: the payer's
bank account, with fixed sandbox values) through the same ledger as card payments, so refunds, cancels and the
reports see it; giving up records the failure. Either way the browser is posted back to the merchant's
callback or error URL and a PAYMENT_API webhook goes out. Retrieve answers INIT_APM, SUCCESS or FAILURE.
"""

from __future__ import annotations

import datetime
import typing
from collections.abc import Mapping

from ._context import Context
from ._failures import ApiFailure
from ._hosted import TOKEN_LIFETIME_SECONDS, checkout_state, safe_callback_url
from ._payments import book_payment, new_payment_id, payment_event
from ._rules import read_amount, read_order
from ._store import Document

__all__ = ["HANDLERS", "KIND", "pay_apm"]

KIND = "apm"
_PENDING = "INIT_APM"  # the docs' webhook status list names it; no official answer shows it
_EVENT = "PAYMENT_API"
# The payer's account as the emulator's payment method page reports it: a sandbox bank, and the IBAN that ISO
# 13616 uses as its German example (never a real account).
_PAYER_ACCOUNT = {
    "bankName": "Sandbox Bank AG",
    "bankCode": "37040044",
    "bic": "COBADEFFXXX",
    "accountNumber": "0532013000",
    "iban": "DE89370400440532013000",
}


def _method_fields(request: Mapping[str, typing.Any]) -> dict[str, typing.Any]:
    return {
        "apm": request.get("apmType"),
        "countryCode": request.get("countryCode"),
        "accountHolderName": request.get("accountHolderName"),
    }


def _order_fields(request: Mapping[str, typing.Any]) -> dict[str, typing.Any]:
    return {
        "price": read_amount(request.get("price"), "price"),
        "paidPrice": read_amount(request.get("paidPrice"), "paidPrice"),
        "currency": request.get("currency", "TRY"),
        "basketId": request.get("basketId"),
    }


def initialize_apm(ctx: Context, request: Mapping[str, typing.Any]) -> dict[str, typing.Any]:
    read_order(ctx.store, ctx.merchant, request)
    safe_callback_url(request.get("merchantCallbackUrl"), hosted=True)
    safe_callback_url(request.get("merchantErrorUrl"), hosted=True)
    payment_id = new_payment_id(ctx)
    redirect_url = f"{ctx.base_url}/_sandbox/apm/{payment_id}"
    expires = ctx.now + datetime.timedelta(seconds=TOKEN_LIFETIME_SECONDS)
    document = {
        "request": dict(request),
        "redirectUrl": redirect_url,
        "state": "INIT",
        "conversationId": ctx.conversation_id,
        "expiresAt": expires.isoformat(),
    }
    ctx.store.put(KIND, payment_id, ctx.merchant, document, ctx.conversation_id)
    return {
        "paymentId": payment_id,
        "redirectUrl": redirect_url,
        "paymentStatus": _PENDING,
        **_order_fields(request),
        **_method_fields(request),
    }


def pay_apm(ctx: Context, payment_id: str, document: Document, *, paid: bool) -> tuple[str, dict[str, str]]:
    """The buyer paid (or gave up) on the payment method's page; returns (where the browser goes, its form)."""
    checkout_state(ctx, document)
    request = document["request"]
    if paid:
        order = read_order(ctx.store, ctx.merchant, request)
        extra = {
            **_method_fields(request),
            **_PAYER_ACCOUNT,
            "paymentPurpose": request.get("merchantOrderId") or payment_id,
            "mobilePhone": (request.get("buyer") or {}).get("gsmNumber"),
        }
        book_payment(ctx, order, phase="AUTH", payment_id=payment_id, extra=extra)
    document["state"] = "SUCCESS" if paid else "FAILURE"
    ctx.store.put(KIND, payment_id, ctx.merchant, document, document["conversationId"])
    payment_event(ctx, payment_id, _EVENT, status=document["state"])
    target = request["merchantCallbackUrl"] if paid else request["merchantErrorUrl"]
    return safe_callback_url(target, hosted=True), {"paymentId": payment_id, "status": "success" if paid else "failure"}


def retrieve_apm(ctx: Context, request: Mapping[str, typing.Any]) -> dict[str, typing.Any]:
    payment_id = str(request.get("paymentId") or "")
    if not payment_id:
        raise ApiFailure("5002")
    document = ctx.store.get(KIND, payment_id, ctx.merchant)
    if document is None:
        raise ApiFailure("5015")
    initialized = document["request"]
    common = {"paymentId": payment_id, "redirectUrl": document["redirectUrl"], **_method_fields(initialized)}
    if document["state"] == "SUCCESS":
        payment = ctx.store.get("payment", payment_id, ctx.merchant)
        assert payment is not None  # booked in the same transaction as the SUCCESS state
        return {**payment["resource"], **common, "paymentStatus": "SUCCESS"}
    status = _PENDING if document["state"] == "INIT" else "FAILURE"
    return {**_order_fields(initialized), **common, "paymentStatus": status}


HANDLERS = {"initializeApm": initialize_apm, "retrieveApm": retrieve_apm}
