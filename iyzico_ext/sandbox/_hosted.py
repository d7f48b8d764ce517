"""3-D Secure and the hosted pages (Checkout Form, Pay with iyzico): the API calls and the browser steps.

3-D Secure: initialize keeps the request and answers with base64 HTML that sends the buyer's browser to
the emulator's bank page; the bank step records `mdStatus` and posts the signed callback fields to the
merchant's `callbackUrl`; the auth call (v1 or v2) then takes the money.
Hosted pages: initialize keeps the request under a token; the buyer pays on the emulator's page, which
posts the token to `callbackUrl`; retrieve answers with the signed result.
"""

from __future__ import annotations

import base64
import datetime
import html
import secrets
import typing
import uuid
from collections.abc import Mapping

from .._secret import SecretKey
from .._signing import response_signature
from ._cards import INSTALLMENT_COUNTS, installment_total
from ._context import Context
from ._failures import ApiFailure, failure_body
from ._payments import charge, new_payment_id, payment_event, registration_request
from ._rules import read_amount, read_card, read_order, read_raw_card
from ._store import Document

__all__ = [
    "CALLBACK_SIGNATURE_FIELDS",
    "HANDLERS",
    "TOKEN_LIFETIME_SECONDS",
    "checkout_state",
    "pay_checkout",
    "threeds_bank_step",
]

# iyzico-api.md b.2: the browser POST to callbackUrl is signed over these form fields, in this order.
CALLBACK_SIGNATURE_FIELDS = ("conversationData", "conversationId", "mdStatus", "paymentId", "status")
TOKEN_LIFETIME_SECONDS = 1800


def threeds_page_url(ctx: Context, payment_id: str) -> str:
    return f"{ctx.base_url}/_sandbox/threeds/{payment_id}"


def checkout_page_url(ctx: Context, token: str) -> str:
    return f"{ctx.base_url}/_sandbox/checkout/{token}"


def _threeds_redirect_html(url: str) -> str:
    """What iyzico's `threeDSHtmlContent` does: a form that takes the browser to the bank's page."""
    return (
        '<!doctype html><html><body onload="document.forms[0].submit()">'
        f'<form method="get" action="{html.escape(url)}">'
        '<noscript><button type="submit">Continue to your bank</button></noscript></form></body></html>'
    )


def _initialize_threeds(ctx: Context, request: Mapping[str, typing.Any], phase: str) -> dict[str, typing.Any]:
    read_order(ctx.store, ctx.merchant, request)
    card = read_card(ctx.store, ctx.merchant, request.get("paymentCard") or {}, now=ctx.today)
    if card.outcome.threeds_initialize_fails:
        raise ApiFailure("10214")
    payment_id = new_payment_id(ctx)
    document = {
        "request": dict(request),
        "phase": phase,
        "state": "INIT",
        "mdStatus": None,
        "conversationData": secrets.token_hex(12),
        "conversationId": ctx.conversation_id,
    }
    ctx.store.put("threeds", payment_id, ctx.merchant, document, ctx.conversation_id)
    page = _threeds_redirect_html(threeds_page_url(ctx, payment_id))
    return {"paymentId": payment_id, "threeDSHtmlContent": base64.b64encode(page.encode()).decode("ascii")}


def initialize_threeds(ctx: Context, request: Mapping[str, typing.Any]) -> dict[str, typing.Any]:
    return _initialize_threeds(ctx, request, "AUTH")


def initialize_threeds_pre_auth(ctx: Context, request: Mapping[str, typing.Any]) -> dict[str, typing.Any]:
    return _initialize_threeds(ctx, request, "PRE_AUTH")


def threeds_bank_step(
    ctx: Context, payment_id: str, document: Document, secret: SecretKey, *, authenticated: bool
) -> tuple[str, dict[str, str]]:
    """The buyer answered the bank: record mdStatus; returns (callbackUrl, signed form fields)."""
    if document["state"] != "INIT":
        raise ApiFailure("5018")
    card = read_card(ctx.store, ctx.merchant, document["request"].get("paymentCard") or {}, now=ctx.today)
    md_status = card.outcome.md_status if authenticated else "0"
    document.update(state="CALLBACK", mdStatus=md_status)
    ctx.store.put("threeds", payment_id, ctx.merchant, document, document["conversationId"])
    fields = {
        "status": "success" if md_status == "1" else "failure",
        "paymentId": payment_id,
        "conversationData": document["conversationData"],
        "conversationId": document["conversationId"] or "",
        "mdStatus": md_status,
    }
    fields["signature"] = response_signature(secret, fields, CALLBACK_SIGNATURE_FIELDS)
    return str(document["request"]["callbackUrl"]), fields


def _authenticated_threeds(ctx: Context, payment_id: object) -> Document:
    if not payment_id:
        raise ApiFailure("5002")
    document = ctx.store.get("threeds", str(payment_id), ctx.merchant)
    if document is None:
        raise ApiFailure("5015")
    if document["state"] == "INIT":
        raise ApiFailure("5021")
    if document["state"] == "DONE":
        raise ApiFailure("5018", "payment already completed")
    if document["mdStatus"] != "1":
        raise ApiFailure("10210")
    return document


def _complete_threeds(ctx: Context, payment_id: str, document: Document) -> dict[str, typing.Any]:
    request = document["request"]
    order = read_order(ctx.store, ctx.merchant, request)
    card_request = request.get("paymentCard") or {}
    card = read_card(ctx.store, ctx.merchant, card_request, now=ctx.today)
    register = registration_request(card_request, request)
    resource = charge(
        ctx, order, card, phase=document["phase"], payment_id=payment_id, register=register, extra={"mdStatus": 1}
    )
    document["state"] = "DONE"
    ctx.store.put("threeds", payment_id, ctx.merchant, document, document["conversationId"])
    payment_event(ctx, resource, "THREE_DS_AUTH")
    return resource


def create_threeds_payment(ctx: Context, request: Mapping[str, typing.Any]) -> dict[str, typing.Any]:
    document = _authenticated_threeds(ctx, request.get("paymentId"))
    if request.get("conversationData") not in (None, document["conversationData"]):
        raise ApiFailure("5022", "conversationData")
    return _complete_threeds(ctx, str(request["paymentId"]), document)


def create_threeds_payment_v2(ctx: Context, request: Mapping[str, typing.Any]) -> dict[str, typing.Any]:
    document = _authenticated_threeds(ctx, request.get("paymentId"))
    initialized = document["request"]
    if read_amount(request.get("paidPrice"), "paidPrice") != read_amount(initialized["paidPrice"], "paidPrice"):
        raise ApiFailure("5022", "paidPrice")
    for field in ("basketId", "currency"):
        if request.get(field) != initialized.get(field, "TRY" if field == "currency" else None):
            raise ApiFailure("5022", field)
    return _complete_threeds(ctx, str(request["paymentId"]), document)


def _initialize_checkout(
    ctx: Context, request: Mapping[str, typing.Any], phase: str, product: str
) -> dict[str, typing.Any]:
    read_order(ctx.store, ctx.merchant, request)
    token = str(uuid.uuid4())  # iyzico's tokens are UUIDs (and its webhook formula relies on that shape)
    expires = ctx.now + datetime.timedelta(seconds=TOKEN_LIFETIME_SECONDS)
    document = {
        "request": dict(request),
        "phase": phase,
        "product": product,
        "state": "INIT",
        "conversationId": ctx.conversation_id,
        "expiresAt": expires.isoformat(),
    }
    ctx.store.put("checkout", token, ctx.merchant, document, ctx.conversation_id)
    url = checkout_page_url(ctx, token)
    response: dict[str, typing.Any] = {"token": token, "tokenExpireTime": TOKEN_LIFETIME_SECONDS}
    if product == "PWI":
        response["payWithIyzicoPageUrl"] = url
    else:
        response["paymentPageUrl"] = url
        response["checkoutFormContent"] = (
            f'<script type="text/javascript">window.location.href = "{html.escape(url)}";</script>'
        )
    return response


def initialize_checkout_form(ctx: Context, request: Mapping[str, typing.Any]) -> dict[str, typing.Any]:
    return _initialize_checkout(ctx, request, "AUTH", "CF")


def initialize_checkout_form_pre_auth(ctx: Context, request: Mapping[str, typing.Any]) -> dict[str, typing.Any]:
    return _initialize_checkout(ctx, request, "PRE_AUTH", "CF")


def initialize_pay_with_iyzico(ctx: Context, request: Mapping[str, typing.Any]) -> dict[str, typing.Any]:
    return _initialize_checkout(ctx, request, "AUTH", "PWI")


def checkout_state(ctx: Context, document: Document) -> None:
    """Refuse a token whose page has expired or was already used."""
    if document["state"] != "INIT":
        raise ApiFailure("5018", "this payment page has already been used")
    if ctx.now > datetime.datetime.fromisoformat(document["expiresAt"]):
        raise ApiFailure("5017")


def pay_checkout(ctx: Context, token: str, document: Document, form: Mapping[str, str]) -> str:
    """The buyer submitted the hosted page: charge (or record the decline); returns the callbackUrl.

    A malformed card raises `ApiFailure` and changes nothing (the page shows the form again); a bank
    decline is recorded, as iyzico does, and retrieve then reports `paymentStatus: FAILURE`.
    """
    checkout_state(ctx, document)
    request = document["request"]
    card = read_raw_card(form, now=ctx.today)
    installment = int(form.get("installment") or 1)
    if installment not in INSTALLMENT_COUNTS:
        raise ApiFailure("11", "installment")
    order = read_order(ctx.store, ctx.merchant, request)
    if installment > 1:
        order = order._replace(installment=installment, paid_price=installment_total(order.paid_price, installment))
    try:
        resource = charge(ctx, order, card, phase=document["phase"])
    except ApiFailure as decline:
        document.update(state="FAILURE", errorCode=decline.code)
    else:
        document.update(state="SUCCESS", paymentId=resource["paymentId"])
        event = "PWI_TKN_AUTH" if document["product"] == "PWI" else "CHECKOUT_FORM_AUTH"
        payment_event(ctx, resource, event, token=token)
    ctx.store.put("checkout", token, ctx.merchant, document, document["conversationId"])
    return str(request["callbackUrl"])


def retrieve_checkout_form(ctx: Context, request: Mapping[str, typing.Any]) -> dict[str, typing.Any]:
    token = str(request.get("token") or "")
    document = ctx.store.get("checkout", token, ctx.merchant)
    if document is None:
        raise ApiFailure("5017")
    common = {"token": token, "callbackUrl": document["request"]["callbackUrl"]}
    if document["state"] == "INIT":
        raise ApiFailure("5023")
    if document["state"] == "FAILURE":
        initialized = document["request"]
        error = failure_body(ApiFailure(document["errorCode"]), str(request.get("locale") or "tr"))
        del error["status"]
        return {
            **common,
            **error,
            "paymentStatus": "FAILURE",
            "price": read_amount(initialized["price"], "price"),
            "paidPrice": read_amount(initialized["paidPrice"], "paidPrice"),
            "currency": initialized.get("currency", "TRY"),
            "basketId": initialized.get("basketId"),
        }
    payment = ctx.store.get("payment", document["paymentId"], ctx.merchant)
    assert payment is not None  # written in the same transaction as the SUCCESS state
    return {**payment["resource"], **common, "paymentStatus": "SUCCESS"}


HANDLERS = {
    "initializeThreeds": initialize_threeds,
    "initializeThreedsPreAuth": initialize_threeds_pre_auth,
    "createThreedsPayment": create_threeds_payment,
    "createThreedsPaymentV2": create_threeds_payment_v2,
    "initializeCheckoutForm": initialize_checkout_form,
    "initializeCheckoutFormPreAuth": initialize_checkout_form_pre_auth,
    "initializePayWithIyzico": initialize_pay_with_iyzico,
    "retrieveCheckoutForm": retrieve_checkout_form,
}
