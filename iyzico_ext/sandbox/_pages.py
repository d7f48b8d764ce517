"""The browser side: the emulator's home page, the test bank's 3-D Secure page and the hosted payment page.

The payment pages look like a sandbox of iyzico's own (`_page_style`): the SANDBOX banner, the merchant,
the basket, the test cards and what each does, in the initialize request's language. Both flows end the
way iyzico's do: an auto-submitting form that posts to the merchant's `callbackUrl` (the signed 3DS
fields, or the checkout token). A person can use them in a browser; tests follow the same forms with
`iyzico_ext.sandbox.browser` or drive a real headless Chromium.
"""

from __future__ import annotations

import typing
from collections.abc import Mapping, Sequence
from decimal import Decimal

from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response

from ._cards import DOCUMENTED_TEST_CARDS, CardOutcome, installment_total
from ._context import Context
from ._failures import ApiFailure, catalogue_entry, failure_body
from ._hosted import (
    checkout_card,
    checkout_state,
    checkout_stored_cards,
    forces_threeds,
    offered_installments,
    pay_checkout,
    threeds_bank_step,
    threeds_card,
)
from ._page_style import Locale, escape, hidden_inputs, locale_of, page, text
from ._rules import Card, read_amount
from ._state import Sandbox
from ._store import Document
from ._webhooks import merchant_number

__all__ = ["OpenedPage", "card_fields", "checkout_page", "home_page", "installment_select", "open_page", "threeds_page"]

_SMS_CODE = "283126"
# Fields of the hosted form that are shown again after an error; the CVC is always typed again.
_KEPT_FIELDS = ("cardHolderName", "cardNumber", "expireMonth", "expireYear", "installment", "registerCard")


def _auto_post(url: str, fields: Mapping[str, str], locale: Locale) -> HTMLResponse:
    """The last step of both flows: the browser posts `fields` to the merchant's (checked) callbackUrl."""
    return HTMLResponse(
        f'<!doctype html><html lang="{locale}"><body onload="document.forms[0].submit()">'
        f'<form method="post" action="{escape(url)}">{hidden_inputs(fields)}'
        f'<noscript><button type="submit">{escape(text(locale, "return"))}</button></noscript></form></body></html>'
    )


def _lookup(request: Request, kind: str, key: str) -> tuple[Sandbox, Context, Document] | None:
    sandbox: Sandbox = request.app.state.sandbox
    found = sandbox.store.get_for_any_merchant(kind, key)
    if found is None:
        return None
    merchant, document = found
    context = Context(
        store=sandbox.store,
        merchant=merchant,
        conversation_id=document.get("conversationId"),
        base_url=str(request.base_url).rstrip("/"),
        now=sandbox.clock(),
    )
    return sandbox, context, document


def _merchant(context: Context) -> str:
    return f"Sandbox merchant {merchant_number(context.merchant)}"


def _error_page(failure: ApiFailure, locale: Locale, status_code: int = 400) -> HTMLResponse:
    message = failure_body(failure, locale)["errorMessage"]
    content = f'<p class="error" role="alert">{escape(message)}</p>'
    return page(locale, text(locale, "page_unavailable"), content, status_code=status_code)


def _money(amount: object, currency: str) -> str:
    return f"{amount} {currency}"


def _basket_panel(request_fields: Mapping[str, typing.Any], locale: Locale) -> str:
    currency = str(request_fields.get("currency") or "TRY")
    rows = "".join(
        f"<tr><td>{escape(item.get('name', ''))}<br><span class='muted'>{escape(item.get('category1', ''))}</span></td>"
        f'<td class="amount">{escape(_money(item.get("price"), currency))}</td></tr>'
        for item in request_fields.get("basketItems") or ()
        if isinstance(item, Mapping)
    )
    return (
        f"<h2>{escape(text(locale, 'basket'))}</h2><table>"
        f"<tr><th>{escape(text(locale, 'item'))}</th><th class='amount'>{escape(text(locale, 'price'))}</th></tr>"
        f"{rows}"
        f'<tr class="total"><td>{escape(text(locale, "total"))}</td>'
        f'<td class="amount">{escape(_money(request_fields.get("price"), currency))}</td></tr>'
        f'<tr class="total"><td>{escape(text(locale, "to_pay"))}</td>'
        f'<td class="amount">{escape(_money(request_fields.get("paidPrice"), currency))}</td></tr></table>'
    )


def _effect(outcome: CardOutcome, locale: Locale) -> str:
    if outcome.decline_code is not None:
        entry = catalogue_entry(outcome.decline_code)
        message = entry.english if locale == "en" else entry.turkish
        return text(locale, "effect_decline", code=outcome.decline_code, message=message)
    if outcome.threeds_initialize_fails:
        return text(locale, "effect_threeds_init_fails")
    if outcome.md_status != "1":
        return text(locale, "effect_md_status", md_status=outcome.md_status)
    return text(locale, "effect_success" if outcome.reversible else "effect_not_reversible")


def _test_cards_panel(locale: Locale) -> str:
    rows = "".join(
        f'<tr><td>{escape(number)}</td><td class="effect">{escape(_effect(outcome, locale))}</td></tr>'
        for number, outcome in DOCUMENTED_TEST_CARDS
    )
    return (
        f"<h2>{escape(text(locale, 'test_cards'))}</h2><p class='muted'>{escape(text(locale, 'test_cards_note'))}</p>"
        f'<table class="cards"><tr><th>{escape(text(locale, "card"))}</th><th>{escape(text(locale, "effect"))}</th>'
        f"</tr>{rows}</table>"
    )


async def home_page(request: Request) -> Response:
    """`GET /`: what this server is, and where its admin endpoints are."""
    links = "".join(
        f'<li><a href="{path}"><code>GET {path}</code></a>: {escape(what)}</li>'
        for path, what in (
            ("/_sandbox/ledger", "every payment by conversationId: charged, captured, refunded"),
            ("/_sandbox/faults", "armed faults (POST a JSON order to arm one, DELETE to clear)"),
            ("/_sandbox/webhooks", "notifications sent and their delivery state"),
            ("/_sandbox/readiness.html", "go-live readiness: iyzico's integration checklist, item by item"),
            ("/payment/test", "iyzico's health check"),
        )
    )
    content = (
        "<p>A local emulator of iyzico's payment API (<code>iyzico-typed</code>): point any iyzico client at "
        "this URL with the emulator's API and secret keys. Requests are IYZWSv2-verified, validated against the "
        "spec, answered with iyzico's error codes and test cards, and signed like iyzico's responses.</p>"
        f"<ul>{links}</ul>"
        "<p class='muted'><code>POST /_sandbox/reset</code> (with <code>Content-Type: application/json</code>) "
        "forgets all state. The 3-D Secure bank page and the hosted payment pages open from the URLs that the "
        "initialize calls return.</p>"
    )
    return page("en", "iyzico sandbox emulator", content)


def _bank_name(card: Card) -> str:
    return card.issuer.bank_name if card.issuer is not None else "Test Bank"


def _bank_step(locale: Locale, card: Card, amount: str, action_field: str, hidden: Mapping[str, str]) -> str:
    """The bank's 3-D Secure question: the SMS code, then confirm or cancel (posted as `action_field`)."""
    intro = text(locale, "threeds_intro", bank=_bank_name(card), amount=amount, last_four=card.number[-4:])
    return (
        f"<p>{escape(intro)}</p>"
        f'<form method="post">{hidden_inputs(hidden)}'
        f'<label>{escape(text(locale, "sms_code"))}<input name="smsCode" value="{_SMS_CODE}" '
        'autocomplete="one-time-code" inputmode="numeric"></label>'
        f"<p class='muted'>{escape(text(locale, 'sms_hint'))}</p>"
        f'<button name="{action_field}" value="authenticate">{escape(text(locale, "confirm"))}</button>'
        f'<button class="secondary" name="{action_field}" value="fail">{escape(text(locale, "cancel_auth"))}</button>'
        "</form>"
    )


class OpenedPage(typing.NamedTuple):
    sandbox: Sandbox
    context: Context
    document: Document
    locale: Locale
    form: dict[str, str]


async def open_page(request: Request, kind: str, key: str, *, missing: str, answer_field: str) -> OpenedPage | Response:
    """A browser's request to a page that an initialize answer's HTML leads to: its document and form, or the
    response that ends the request here (the error page of an unknown key `missing`; for the initialize HTML's
    POST, which carries no `answer_field` yet, a redirect that shows the page at its own URL)."""
    found = _lookup(request, kind, key)
    if found is None:
        return _error_page(ApiFailure(missing), "tr", 404)
    sandbox, context, document = found
    form = {name: value for name, value in (await request.form()).items() if isinstance(value, str)}
    if request.method == "POST" and answer_field not in form:
        return RedirectResponse(str(request.url.replace(query="")), status_code=303)
    return OpenedPage(sandbox, context, document, locale_of(document["request"]), form)


async def threeds_page(request: Request) -> Response:
    payment_id = request.path_params["payment_id"]
    opened = await open_page(request, "threeds", payment_id, missing="5015", answer_field="action")
    if isinstance(opened, Response):
        return opened
    sandbox, context, document, locale, form = opened
    if request.method == "GET":
        initialized = document["request"]
        amount = _money(initialized.get("paidPrice"), str(initialized.get("currency") or "TRY"))
        content = _bank_step(locale, threeds_card(context, document), amount, "action", {})
        return page(locale, text(locale, "bank_3ds"), content, merchant=_merchant(context))
    try:
        with sandbox.store.transaction():
            callback_url, fields = threeds_bank_step(
                context,
                payment_id,
                document,
                sandbox.secret_for(context.merchant),
                authenticated=form.get("action") != "fail",
            )
    except ApiFailure as failure:
        return _error_page(failure, locale)
    return _auto_post(callback_url, fields, locale)


def _installment_options(document: Document, locale: Locale, chosen: str) -> str:
    initialized = document["request"]
    currency = str(initialized.get("currency") or "TRY")
    paid = read_amount(initialized.get("paidPrice"), "paidPrice")
    options = []
    for count in offered_installments(document):
        total: Decimal = paid if count == 1 else installment_total(paid, count)
        label = text(locale, "single_payment") if count == 1 else text(locale, "n_installments", count=count)
        selected = " selected" if str(count) == chosen else ""
        shown = f"{label} · {_money(total, currency)}"
        options.append(f'<option value="{count}"{selected}>{escape(shown)}</option>')
    return "".join(options)


def _stored_cards_choice(cards: Sequence[Mapping[str, typing.Any]], locale: Locale, chosen: str) -> str:
    if not cards:
        return ""
    choices = [
        f'<label><input type="radio" name="cardToken" value="{escape(card["cardToken"])}"'
        f"{' checked' if chosen == card['cardToken'] else ''}>"
        f"{escape(card.get('cardAlias') or '')} {escape(card.get('cardBankName') or '')} "
        f"{escape(card['binNumber'][:6])}•• •••• {escape(card['lastFourDigits'])}</label>"
        for card in cards
    ]
    choices.append(
        f'<label><input type="radio" name="cardToken" value=""{" checked" if not chosen else ""}>'
        f"{escape(text(locale, 'new_card'))}</label>"
    )
    legend = f"<legend>{escape(text(locale, 'stored_cards'))}</legend>"
    return f'<fieldset class="stored">{legend}{"".join(choices)}</fieldset>'


def _field(locale: Locale, label_key: str, name: str, kept: Mapping[str, str], **attributes: str) -> str:
    extra = "".join(f' {key.replace("_", "-")}="{escape(value)}"' for key, value in attributes.items())
    return (
        f"<label>{escape(text(locale, label_key))}"
        f'<input name="{name}" value="{escape(kept.get(name, ""))}"{extra}></label>'
    )


def card_fields(locale: Locale, kept: Mapping[str, str], *, cvc: bool = True) -> str:
    """The card's inputs: holder, number, expiry and (to pay, not to store) the CVC, which is never kept."""
    return (
        _field(locale, "card_holder", "cardHolderName", kept, autocomplete="cc-name")
        + _field(locale, "card_number", "cardNumber", kept, autocomplete="cc-number", inputmode="numeric")
        + '<div class="row">'
        + _field(locale, "expire_month", "expireMonth", kept, placeholder="12", autocomplete="cc-exp-month")
        + _field(locale, "expire_year", "expireYear", kept, placeholder="2030", autocomplete="cc-exp-year")
        + (_field(locale, "cvc", "cvc", {}, autocomplete="cc-csc", inputmode="numeric") if cvc else "")
        + "</div>"
    )


def installment_select(document: Document, locale: Locale, chosen: str) -> str:
    """The instalment counts the page offers, each with its total."""
    return (
        f'<label>{escape(text(locale, "installments"))}<select name="installment">'
        + _installment_options(document, locale, chosen)
        + "</select></label>"
    )


def _checkout_form(
    context: Context, document: Document, locale: Locale, kept: Mapping[str, str], error: str | None
) -> str:
    error_line = f'<p class="error" role="alert">{escape(error)}</p>' if error else ""
    register_checked = " checked" if kept.get("registerCard") == "1" else ""
    return (
        error_line
        + '<form method="post" autocomplete="on">'
        + _stored_cards_choice(checkout_stored_cards(context, document), locale, kept.get("cardToken", ""))
        + card_fields(locale, kept)
        + installment_select(document, locale, kept.get("installment", "1"))
        + f'<div class="stored"><label><input type="checkbox" name="registerCard" value="1"{register_checked}>'
        + f"{escape(text(locale, 'register_card'))}</label></div>"
        + f'<button type="submit">{escape(text(locale, "pay"))}</button></form>'
    )


def _checkout_title(document: Document, locale: Locale) -> str:
    return text(locale, "pay_with_iyzico" if document["product"] == "PWI" else "checkout")


def _checkout_response(
    context: Context, document: Document, kept: Mapping[str, str], error: str | None = None, status_code: int = 200
) -> HTMLResponse:
    locale = locale_of(document["request"])
    return page(
        locale,
        _checkout_title(document, locale),
        _checkout_form(context, document, locale, kept, error),
        merchant=_merchant(context),
        aside=(_basket_panel(document["request"], locale), _test_cards_panel(locale)),
        status_code=status_code,
    )


async def checkout_page(request: Request) -> Response:
    token = request.path_params["token"]
    found = _lookup(request, "checkout", token)
    if found is None:
        return _error_page(ApiFailure("5017"), "tr", 404)
    sandbox, context, document = found
    locale = locale_of(document["request"])
    if request.method == "GET":
        try:
            checkout_state(context, document)
        except ApiFailure as failure:
            return _error_page(failure, locale)
        return _checkout_response(context, document, {})
    form = {name: value for name, value in (await request.form()).items() if isinstance(value, str)}
    kept = {name: form[name] for name in (*_KEPT_FIELDS, "cardToken") if name in form}
    try:
        with sandbox.store.transaction():
            if forces_threeds(document) and "threeds" not in form:
                card, _ = checkout_card(context, document, form)  # a malformed card is refused before the bank
                return _forced_threeds_step(context, document, locale, card, form)
            md_status = None
            if forces_threeds(document):
                card, _ = checkout_card(context, document, form)
                md_status = card.outcome.md_status if form["threeds"] == "authenticate" else "0"
            callback_url = pay_checkout(context, token, document, form, md_status=md_status)
    except ApiFailure as failure:
        message = str(failure_body(failure, locale)["errorMessage"])
        return _checkout_response(context, document, kept, message, 400)
    sandbox.notify(context.notifications)
    return _auto_post(callback_url, {"token": token}, locale)


def _forced_threeds_step(
    context: Context, document: Document, locale: Locale, card: Card, form: Mapping[str, str]
) -> HTMLResponse:
    """The merchant forced 3-D Secure: the bank asks before the page charges (the form rides along hidden)."""
    initialized = document["request"]
    amount = _money(initialized.get("paidPrice"), str(initialized.get("currency") or "TRY"))
    content = _bank_step(locale, card, amount, "threeds", form)
    return page(locale, text(locale, "bank_3ds"), content, merchant=_merchant(context))
