"""3-D Secure and the hosted pages (Checkout Form, Pay with iyzico): the API calls and the browser steps.

3-D Secure: initialize keeps the order and a summary of the card (never its CVC; the number only when the
buyer asked to store the card, which iyzico's vault then keeps) and answers with base64 HTML that takes
the buyer's browser to the emulator's bank page; the bank step records `mdStatus` and posts the signed
callback fields to the merchant's `callbackUrl`; the auth call (v1 or v2) then takes the money.
Hosted pages: initialize keeps the request under a token; the buyer pays on the emulator's page (only the
instalment counts the merchant enabled, the card user's stored cards, a 3-D Secure step when forced),
which posts the token to `callbackUrl`; retrieve answers with the signed result.
"""

from __future__ import annotations

import base64
import datetime
import html
import secrets
import typing
import urllib.parse
import uuid
from collections.abc import Mapping, Sequence

from .._secret import SecretKey
from .._signing import response_signature
from ._card_blacklist import refuse_blacklisted
from ._cards import INSTALLMENT_COUNTS, CardOutcome, bin_info, installment_total
from ._cardstorage import stored_cards
from ._context import Context
from ._failures import ApiFailure, failure_body
from ._guard import is_loopback
from ._payments import charge, declined_attempt, new_payment_id, payment_event, registration_request
from ._rules import Card, read_amount, read_card, read_installment, read_order, read_raw_card
from ._store import Document

__all__ = [
    "CALLBACK_SIGNATURE_FIELDS",
    "HANDLERS",
    "TOKEN_LIFETIME_SECONDS",
    "abandon_page",
    "checkout_card",
    "checkout_state",
    "hosted_outcome",
    "offered_installments",
    "pay_checkout",
    "safe_callback_url",
    "threeds_bank_step",
]

# iyzico-api.md b.2: the browser POST to callbackUrl is signed over these form fields, in this order.
CALLBACK_SIGNATURE_FIELDS = ("conversationData", "conversationId", "mdStatus", "paymentId", "status")
TOKEN_LIFETIME_SECONDS = 1800
_BIN_DIGITS = 8
_THREEDS_EVENT = "THREE_DS_AUTH"


def threeds_page_url(ctx: Context, payment_id: str) -> str:
    return f"{ctx.base_url}/_sandbox/threeds/{payment_id}"


def checkout_page_url(ctx: Context, token: str) -> str:
    return f"{ctx.base_url}/_sandbox/checkout/{token}"


def safe_callback_url(value: object, *, hosted: bool) -> str:
    """The merchant's `callbackUrl` if a browser may be sent there; `ApiFailure` 11 otherwise (23 when missing).

    Only http(s) URLs with a host: a `javascript:` or `data:` URL would run script in the buyer's browser
    once the page posts to it. The hosted pages need HTTPS, as iyzico's docs say for Checkout Form and Pay
    with iyzico; plain http is let through for loopback hosts only, so a local shop can be driven end to end.
    """
    if not value:
        raise ApiFailure("23")
    if not isinstance(value, str):
        raise ApiFailure("11", "callbackUrl")
    url = urllib.parse.urlsplit(value)
    if url.scheme not in ("http", "https") or not url.hostname:
        raise ApiFailure("11", "callbackUrl must be an http(s) URL")
    if hosted and url.scheme == "http" and not is_loopback(url.hostname):
        raise ApiFailure("11", "callbackUrl must be HTTPS")
    return value


def _threeds_redirect_html(url: str) -> str:
    """What iyzico's `threeDSHtmlContent` does: a form that posts the browser to the bank's page."""
    return (
        '<!doctype html><html><body onload="document.forms[0].submit()">'
        f'<form method="post" action="{html.escape(url)}">'
        '<noscript><button type="submit">Continue to your bank</button></noscript></form></body></html>'
    )


def _card_summary(card: Card, register: Mapping[str, typing.Any] | None) -> dict[str, typing.Any]:
    """What a pending 3-D Secure payment keeps of the card: no CVC, and the number only to store the card."""
    if card.card_token is not None:
        return {"cardUserKey": card.card_user_key, "cardToken": card.card_token}
    summary: dict[str, typing.Any] = {
        "bin": card.number[:_BIN_DIGITS],
        "lastFour": card.number[-4:],
        "holderName": card.holder_name,
        "expireMonth": card.expire_month,
        "expireYear": card.expire_year,
        "outcome": card.outcome._asdict(),
    }
    if register is not None:
        summary["number"] = card.number
    return summary


def _summarised_card(ctx: Context, summary: Mapping[str, typing.Any]) -> Card:
    if "cardToken" in summary:
        return read_card(ctx.store, ctx.merchant, summary, now=ctx.today)
    return Card(
        number=summary.get("number") or summary["bin"] + summary["lastFour"],
        holder_name=summary["holderName"],
        expire_month=summary["expireMonth"],
        expire_year=summary["expireYear"],
        issuer=bin_info(summary["bin"]),
        outcome=CardOutcome(**summary["outcome"]),
    )


def _initialize_threeds(ctx: Context, request: Mapping[str, typing.Any], phase: str) -> dict[str, typing.Any]:
    read_order(ctx.store, ctx.merchant, request)
    safe_callback_url(request.get("callbackUrl"), hosted=False)
    card_request = request.get("paymentCard") or {}
    card = read_card(ctx.store, ctx.merchant, card_request, now=ctx.today)
    if card.outcome.threeds_initialize_fails:
        raise ApiFailure("10214")
    refuse_blacklisted(ctx, card)  # the bank step keeps only part of the number: refused here, not at the end
    payment_id = new_payment_id(ctx)
    register = registration_request(card_request, request)
    document = {
        "request": {key: value for key, value in request.items() if key != "paymentCard"},
        "card": _card_summary(card, register),
        "register": register,
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


def threeds_card(ctx: Context, document: Document) -> Card:
    """The card of a pending 3-D Secure payment, as far as the emulator kept it."""
    return _summarised_card(ctx, document["card"])


def threeds_bank_step(
    ctx: Context, payment_id: str, document: Document, secret: SecretKey, *, authenticated: bool
) -> tuple[str, dict[str, str]]:
    """The buyer answered the bank: record mdStatus; returns (callbackUrl, signed form fields)."""
    if document["state"] != "INIT":
        raise ApiFailure("5018")
    md_status = threeds_card(ctx, document).outcome.md_status if authenticated else "0"
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
    return safe_callback_url(document["request"].get("callbackUrl"), hosted=False), fields


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


def _complete_threeds(
    ctx: Context, payment_id: str, document: Document, request: Mapping[str, typing.Any]
) -> dict[str, typing.Any]:
    order = read_order(ctx.store, ctx.merchant, document["request"])
    card = threeds_card(ctx, document)
    answer: dict[str, typing.Any] = {}
    try:
        resource = charge(
            ctx,
            order,
            card,
            phase=document["phase"],
            payment_id=payment_id,
            register=document.get("register"),
            extra={"mdStatus": 1},
        )
    except ApiFailure as failure:
        answer = declined_attempt(ctx, failure, request, _THREEDS_EVENT, payment_id=payment_id)
        resource = None
    document["state"] = "DONE"
    document["card"].pop("number", None)  # in the vault by now, if it was to be stored
    ctx.store.put("threeds", payment_id, ctx.merchant, document, document["conversationId"])
    if resource is None:
        return answer
    payment_event(ctx, payment_id, _THREEDS_EVENT)
    return resource


def create_threeds_payment(ctx: Context, request: Mapping[str, typing.Any]) -> dict[str, typing.Any]:
    document = _authenticated_threeds(ctx, request.get("paymentId"))
    if request.get("conversationData") not in (None, document["conversationData"]):
        raise ApiFailure("5022", "conversationData")
    return _complete_threeds(ctx, str(request["paymentId"]), document, request)


def create_threeds_payment_v2(ctx: Context, request: Mapping[str, typing.Any]) -> dict[str, typing.Any]:
    document = _authenticated_threeds(ctx, request.get("paymentId"))
    initialized = document["request"]
    if read_amount(request.get("paidPrice"), "paidPrice") != read_amount(initialized["paidPrice"], "paidPrice"):
        raise ApiFailure("5022", "paidPrice")
    for field in ("basketId", "currency"):
        if request.get(field) != initialized.get(field, "TRY" if field == "currency" else None):
            raise ApiFailure("5022", field)
    return _complete_threeds(ctx, str(request["paymentId"]), document, request)


def _enabled_installments(request: Mapping[str, typing.Any]) -> list[int] | None:
    """The merchant's `enabledInstallments`, each a count iyzico offers (11 otherwise); `None` when absent."""
    enabled = request.get("enabledInstallments")
    if enabled is None:
        return None
    if not isinstance(enabled, list) or not enabled:
        raise ApiFailure("11", "enabledInstallments")
    return sorted({read_installment(count) for count in enabled})


def _initialize_checkout(
    ctx: Context, request: Mapping[str, typing.Any], phase: str, product: str
) -> dict[str, typing.Any]:
    read_order(ctx.store, ctx.merchant, request)
    safe_callback_url(request.get("callbackUrl"), hosted=True)
    _enabled_installments(request)
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


def offered_installments(document: Document) -> Sequence[int]:
    """The instalment counts the hosted page offers: the merchant's `enabledInstallments`, else all."""
    return _enabled_installments(document["request"]) or INSTALLMENT_COUNTS


def checkout_stored_cards(ctx: Context, document: Document) -> list[dict[str, typing.Any]]:
    """The stored cards of the card user the merchant named (`cardUserKey`), for the page to offer."""
    user_key = document["request"].get("cardUserKey")
    return stored_cards(ctx, str(user_key)) if user_key else []


def checkout_card(ctx: Context, document: Document, form: Mapping[str, str]) -> tuple[Card, int]:
    """The card and instalment count the buyer chose; `ApiFailure` (shown on the page) when malformed."""
    installment = read_installment(form.get("installment") or None)
    if installment not in offered_installments(document):
        raise ApiFailure("11", "installment")
    stored_token = form.get("cardToken")
    if stored_token:
        user_key = document["request"].get("cardUserKey")
        card = read_card(ctx.store, ctx.merchant, {"cardUserKey": user_key, "cardToken": stored_token}, now=ctx.today)
    else:
        card = read_raw_card(form, now=ctx.today)
    return card, installment


def forces_threeds(document: Document) -> bool:
    return str(document["request"].get("forceThreeDS") or "0") == "1"


def _register_owner(document: Document, form: Mapping[str, str]) -> Mapping[str, typing.Any] | None:
    if form.get("registerCard") != "1" or form.get("cardToken"):
        return None
    request = document["request"]
    buyer = request.get("buyer") or {}
    return {"cardUserKey": request.get("cardUserKey"), "email": buyer.get("email"), "externalId": buyer.get("id")}


def pay_checkout(
    ctx: Context, token: str, document: Document, form: Mapping[str, str], *, md_status: str | None = None
) -> str:
    """The buyer submitted the hosted page: charge (or record the decline); returns the callbackUrl.

    `md_status` is the 3-D Secure answer when the page went through the bank step (forced by the
    merchant). A malformed card raises `ApiFailure` and changes nothing (the page shows the form again);
    a bank decline or a failed 3-D Secure step is recorded, as iyzico does: retrieve then reports
    `paymentStatus: FAILURE` and a FAILURE webhook goes out.
    """
    checkout_state(ctx, document)
    request = document["request"]
    card, installment = checkout_card(ctx, document, form)
    order = read_order(ctx.store, ctx.merchant, request)
    if installment > 1:
        order = order._replace(installment=installment, paid_price=installment_total(order.paid_price, installment))
    # Other hosted pages (BKM Express, iyziup) keep their documents under their own kind, with their own event.
    event = document.get("event") or ("PWI_TKN_AUTH" if document["product"] == "PWI" else "CHECKOUT_FORM_AUTH")
    extra = None if md_status is None else {"mdStatus": int(md_status)}
    try:
        if md_status not in (None, "1"):
            raise ApiFailure("10210")
        register = _register_owner(document, form)
        resource = charge(ctx, order, card, phase=document["phase"], register=register, extra=extra)
    except ApiFailure as decline:
        document.update(state="FAILURE", errorCode=decline.code, mdStatus=md_status)
        if int(decline.code) >= 10_000:
            payment_event(ctx, new_payment_id(ctx), event, token=token, status="FAILURE")
    else:
        document.update(state="SUCCESS", paymentId=resource["paymentId"])
        payment_event(ctx, resource["paymentId"], event, token=token)
    ctx.store.put(document.get("kind", "checkout"), token, ctx.merchant, document, document["conversationId"])
    return safe_callback_url(request.get("callbackUrl"), hosted=True)


def abandon_page(ctx: Context, token: str, document: Document) -> str:
    """The buyer gave up on a hosted page (BKM Express, iyziup): a failure retrieve reports (5024); returns the
    callbackUrl the browser goes back to."""
    checkout_state(ctx, document)
    document.update(state="FAILURE", errorCode="5024")
    ctx.store.put(document.get("kind", "checkout"), token, ctx.merchant, document, document["conversationId"])
    return safe_callback_url(document["request"].get("callbackUrl"), hosted=True)


def retrieve_checkout_form(ctx: Context, request: Mapping[str, typing.Any]) -> dict[str, typing.Any]:
    token = str(request.get("token") or "")
    document = ctx.store.get("checkout", token, ctx.merchant)
    if document is None:
        raise ApiFailure("5017")
    return hosted_outcome(ctx, token, document, str(request.get("locale") or "tr"))


def hosted_outcome(ctx: Context, token: str, document: Document, locale: str) -> dict[str, typing.Any]:
    """What a retrieve by token answers for a hosted payment page's document (checkout form, Pay with iyzico,
    BKM Express): 5023 before the buyer paid, else the payment or the failure, with `paymentStatus`."""
    common = {"token": token, "callbackUrl": document["request"]["callbackUrl"]}
    if document["state"] == "INIT":
        raise ApiFailure("5023")
    if document["state"] == "FAILURE":
        initialized = document["request"]
        error = failure_body(ApiFailure(document["errorCode"]), locale)
        del error["status"]
        return {
            **common,
            **error,
            "paymentStatus": "FAILURE",
            "mdStatus": None if document.get("mdStatus") is None else int(document["mdStatus"]),
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
