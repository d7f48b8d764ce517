"""The payment page of an iyzilink product, and its image.

The page shows the product and asks for the buyer's details (the address too unless `addressIgnorable`),
the amount for a flexible link, the card and, with `installmentRequested`, the instalments. A payment is
taken like a hosted checkout form's: a checkout token (a UUID) names it, retrieveCheckoutForm reads it, a
CHECKOUT_FORM_AUTH webhook announces it (iyzico does not document the event type of iyzilink payments),
and the sale is counted in the same transaction as the charge, so a product never sells beyond its stock
or sold limit. A bank's decline is recorded as a failed checkout (and notified), as on the checkout page.
"""

from __future__ import annotations

import base64
import binascii
import typing
import uuid
from collections.abc import Mapping
from decimal import Decimal

import attrs
from starlette.requests import Request
from starlette.responses import Response

from ._cards import installment_total
from ._context import Context
from ._failures import ApiFailure, failure_body
from ._iyzilink import IMAGE_KIND, KIND, check_on_sale, link_urls, record_sale
from ._page_style import Locale, escape, locale_of, page, text
from ._pages import _error_page, _field, _lookup, _merchant, _test_cards_panel, card_fields, installment_select
from ._payments import charge, new_payment_id, payment_event
from ._rules import Order, OrderItem, read_amount, read_installment, read_raw_card
from ._store import Document

__all__ = ["iyzilink_image", "iyzilink_page"]

_EVENT = "CHECKOUT_FORM_AUTH"
_FIRST_BANK_CODE = 10_000
# A one-pixel PNG: the image of a product without one (fast links).
_PLACEHOLDER_IMAGE = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg=="
)
_IMAGE_TYPES = ((b"\x89PNG", "image/png"), (b"\xff\xd8", "image/jpeg"), (b"GIF8", "image/gif"))
_BUYER_FIELDS = ("name", "surname", "email", "gsmNumber")
_ADDRESS_FIELDS = ("address", "city", "country")
# The buyer's details the merchant filled in when it created the product (productBuyerInfo).
_PREFILLED = {"name": "buyerName", "surname": "buyerSurname", "email": "buyerEmail", "gsmNumber": "buyerGsmNumber"}
_PREFILLED_ADDRESS = {"address": "buyerAddress", "city": "buyerCity", "country": "buyerCountry"}
_KEPT_CARD_FIELDS = ("cardHolderName", "cardNumber", "expireMonth", "expireYear", "installment", "amount")


def _offers_installments(link: Mapping[str, typing.Any]) -> bool:
    # A flexible link's amount is the buyer's: no instalment totals to offer before it is typed.
    return bool(link.get("installmentRequested")) and not link.get("flexibleLink")


def _buyer(link: Mapping[str, typing.Any], form: Mapping[str, str]) -> dict[str, str]:
    """The buyer's details from the page; 11 (or 3/5 for the e-mail) when one the page asked for is missing."""
    wanted = _BUYER_FIELDS + (() if link.get("addressIgnorable", True) else _ADDRESS_FIELDS)
    buyer = {name: form.get(name, "").strip() for name in wanted}
    for name in wanted:
        if not buyer[name] and name != "gsmNumber":
            raise ApiFailure("3" if name == "email" else "11", name)
    local, _, domain = buyer["email"].partition("@")
    if not local or "." not in domain:
        raise ApiFailure("5")
    return buyer


def _checkout_request(
    ctx: Context, link: Mapping[str, typing.Any], order: Order, buyer: Mapping[str, str], token: str
) -> dict[str, typing.Any]:
    """What the payment looks like to retrieveCheckoutForm: a checkout form of the one product."""
    item = {
        "id": link["token"],
        "name": link["name"],
        "category1": link.get("categoryType") or "iyzilink",
        "itemType": "VIRTUAL" if link.get("addressIgnorable", True) else "PHYSICAL",
        "price": order.price,
    }
    return {
        "locale": link.get("locale", "tr"),
        "conversationId": token,
        "price": order.price,
        "paidPrice": order.paid_price,
        "currency": order.currency,
        "basketId": link["token"],
        "installment": order.installment,
        "basketItems": [item],
        "buyer": dict(buyer),
        "callbackUrl": link_urls(ctx, link["token"])["url"],
    }


def _sell(ctx: Context, link: Document, form: Mapping[str, str]) -> tuple[str | None, ApiFailure | None]:
    """Charge the buyer and count the sale: (paymentId, None), or (None, the bank's decline), both recorded.

    iyzico's own refusals (a malformed card, a missing detail) raise and record nothing.
    """
    check_on_sale(link)
    buyer = _buyer(link, form)
    amount = read_amount(form.get("amount"), "amount") if link.get("flexibleLink") else Decimal(link["price"])
    installment = read_installment(form.get("installment") or None) if _offers_installments(link) else 1
    card = read_raw_card(form, now=ctx.today)
    paid = amount if installment == 1 else installment_total(amount, installment)
    item = OrderItem(link["token"], amount, None, None, None)
    order = Order(amount, paid, str(link["currencyCode"]), installment, link["token"], "PRODUCT", (item,))
    token = str(uuid.uuid4())
    sale = attrs.evolve(ctx, conversation_id=token)  # each payment is its own checkout, named by its token
    checkout: Document = {
        "request": _checkout_request(ctx, link, order, buyer, token),
        "phase": "AUTH",
        "product": "IYZILINK",
        "conversationId": token,
        "expiresAt": ctx.now.isoformat(),
    }
    try:
        resource = charge(sale, order, card, phase="AUTH")
    except ApiFailure as decline:
        if int(decline.code) < _FIRST_BANK_CODE:
            raise
        checkout.update(state="FAILURE", errorCode=decline.code)
        ctx.store.put("checkout", token, ctx.merchant, checkout, token)
        payment_event(sale, new_payment_id(sale), _EVENT, token=token, status="FAILURE")
        return None, decline
    record_sale(link)
    ctx.store.put(KIND, link["token"], ctx.merchant, link)
    checkout.update(state="SUCCESS", paymentId=resource["paymentId"])
    ctx.store.put("checkout", token, ctx.merchant, checkout, token)
    payment_event(sale, resource["paymentId"], _EVENT, token=token)
    return str(resource["paymentId"]), None


def _prefilled(link: Mapping[str, typing.Any]) -> dict[str, str]:
    info = link.get("productBuyerInfo") or {}
    names = {**_PREFILLED, **_PREFILLED_ADDRESS}
    return {field: str(info[source]) for field, source in names.items() if info.get(source)}


def _buyer_fields(link: Mapping[str, typing.Any], locale: Locale, kept: Mapping[str, str]) -> str:
    labels = {"name": "buyer_name", "surname": "buyer_surname", "email": "buyer_email", "gsmNumber": "buyer_gsm"}
    labels.update(address="buyer_address", city="buyer_city", country="buyer_country")
    wanted = _BUYER_FIELDS + (() if link.get("addressIgnorable", True) else _ADDRESS_FIELDS)
    return f"<h2>{escape(text(locale, 'buyer'))}</h2>" + "".join(
        _field(locale, labels[name], name, kept) for name in wanted
    )


def _amount_field(link: Mapping[str, typing.Any], locale: Locale, kept: Mapping[str, str]) -> str:
    currency = str(link["currencyCode"])
    if not link.get("flexibleLink"):
        return (
            f'<p class="total">{escape(text(locale, "price"))}: {escape(Decimal(link["price"]))} {escape(currency)}</p>'
        )
    presets = ", ".join(str(value) for value in link.get("presetPriceValues") or ())
    hint = f"<p class='muted'>{escape(text(locale, 'preset_amounts', amounts=presets))}</p>" if presets else ""
    shown = {"amount": str(link["price"]), **kept}
    return _field(locale, "amount", "amount", shown, inputmode="decimal") + hint


def _form(ctx: Context, link: Mapping[str, typing.Any], locale: Locale, kept: Mapping[str, str]) -> str:
    installments = ""
    if _offers_installments(link):
        pseudo = {"request": {"paidPrice": link["price"], "currency": link["currencyCode"]}}
        installments = installment_select(pseudo, locale, kept.get("installment", "1"))
    return (
        '<form method="post" autocomplete="on">'
        + _amount_field(link, locale, kept)
        + _buyer_fields(link, locale, kept)
        + f"<h2>{escape(text(locale, 'card'))}</h2>"
        + card_fields(locale, kept)
        + installments
        + f'<button type="submit">{escape(text(locale, "pay"))}</button></form>'
    )


def _product_page(
    ctx: Context, link: Mapping[str, typing.Any], kept: Mapping[str, str], error: str | None = None
) -> Response:
    locale = locale_of(link)
    error_line = f'<p class="error" role="alert">{escape(error)}</p>' if error else ""
    image = link_urls(ctx, link["token"])["imageUrl"]
    content = (
        error_line
        + f"<p>{escape(link['description'])}</p>"
        + f'<img src="{escape(image)}" alt="{escape(link["name"])}" style="max-width:100%;max-height:12rem">'
        + _form(ctx, link, locale, kept)
    )
    return page(
        locale,
        str(link["name"]),
        content,
        merchant=_merchant(ctx),
        aside=(_test_cards_panel(locale),),
        status_code=400 if error else 200,
    )


async def iyzilink_page(request: Request) -> Response:
    found = _lookup(request, KIND, request.path_params["token"])
    if found is None or found[2]["productStatus"] == "DELETED":
        return _error_page(ApiFailure("5017"), "tr", 404)
    sandbox, context, link = found
    locale = locale_of(link)
    if request.method == "GET":
        try:
            check_on_sale(link)
        except ApiFailure as failure:
            return _error_page(failure, locale)
        return _product_page(context, link, _prefilled(link))
    form = {name: value for name, value in (await request.form()).items() if isinstance(value, str)}
    kept = {
        **_prefilled(link),
        **{name: form[name] for name in (*_KEPT_CARD_FIELDS, *_BUYER_FIELDS, *_ADDRESS_FIELDS) if name in form},
    }
    try:
        with sandbox.store.transaction():
            payment_id, decline = _sell(context, link, form)
    except ApiFailure as failure:
        return _product_page(context, link, kept, str(failure_body(failure, locale)["errorMessage"]))
    sandbox.notify(context.notifications)
    if decline is not None:
        return _product_page(context, link, kept, str(failure_body(decline, locale)["errorMessage"]))
    receipt = f"<p>{escape(text(locale, 'payment_number', payment_id=payment_id))}</p>"
    return page(locale, text(locale, "payment_received"), receipt, merchant=_merchant(context))


async def iyzilink_image(request: Request) -> Response:
    found = _lookup(request, IMAGE_KIND, request.path_params["token"])
    try:
        image = base64.b64decode(found[2]["image"], validate=True) if found is not None else _PLACEHOLDER_IMAGE
    except (binascii.Error, ValueError):
        image = _PLACEHOLDER_IMAGE
    media_type = next((kind for magic, kind in _IMAGE_TYPES if image.startswith(magic)), "application/octet-stream")
    return Response(image, media_type=media_type)
