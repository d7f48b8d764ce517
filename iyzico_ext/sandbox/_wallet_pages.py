"""The buyer's pages of the alternative payment methods and wallets: a payment method's page (APM), BKM Express,
Pecco and iyziup.

They look and behave like the hosted checkout page (`_pages`, `_page_style`): the SANDBOX banner, the merchant,
the basket, Turkish or English by the initialize request's `locale`; a typing mistake shows the error and keeps
what was typed (never the CVC). Every page has two buttons (`decision` = `pay` or `cancel`): paying or giving
up ends, as at iyzico, with an auto-submitting form that posts to the merchant's URL. The initialize answers'
HTML posts the browser to its page; such a POST (without a decision) is redirected to the page's own URL.
"""

from __future__ import annotations

import typing
from collections.abc import Awaitable, Callable, Mapping

import attrs
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from ._apm import KIND as APM_KIND
from ._apm import pay_apm
from ._bkm import KIND as BKM_KIND
from ._bkm import is_basic, listed_totals, pay_bkm
from ._context import Context
from ._failures import ApiFailure, failure_body
from ._hosted import abandon_page, checkout_state, forces_threeds
from ._iyziup import CONSUMER_FIELDS, check_iyziup_form, consumer_defaults, pay_iyziup
from ._iyziup import KIND as IYZIUP_KIND
from ._page_style import Locale, escape, locale_of, page, text
from ._pages import (
    _auto_post,
    _basket_panel,
    _error_page,
    _field,
    _forced_threeds_step,
    _merchant,
    _money,
    _test_cards_panel,
    card_fields,
    installment_select,
    open_page,
)
from ._pecco import KIND as PECCO_KIND
from ._pecco import authorize_pecco
from ._store import Document

__all__ = ["WALLET_PAGE_ROUTES"]

_CONSUMER_LABELS = {
    "name": "name",
    "surname": "surname",
    "email": "email",
    "gsmNumber": "gsm_number",
    "contactName": "contact_name",
    "address": "address",
    "city": "city",
    "country": "country",
    "zipCode": "zip_code",
}
_APM_NAMES = {"SOFORT": "Sofort", "IDEAL": "iDEAL", "QIWI": "QIWI", "GIROPAY": "giropay"}


class Callback(typing.NamedTuple):
    """Where the browser goes when the page is done, and what it posts there."""

    url: str
    fields: dict[str, str]


Step = Callback | Response  # a Response: an intermediate step (the bank's 3-D Secure question)


@attrs.frozen
class _WalletPage:
    kind: str
    title: Callable[[Document, Locale], str]
    inputs: Callable[[Context, Document, Locale, Mapping[str, str]], str]
    submit: Callable[[Context, str, Document, Mapping[str, str]], Step]
    pay_label: str = "pay"
    aside: Callable[[Document, Locale], tuple[str, ...]] = lambda document, locale: ()


def _amount(document: Document) -> str:
    request = document["request"]
    return _money(request.get("paidPrice"), str(request.get("currency") or "TRY"))


def _render(
    spec: _WalletPage,
    context: Context,
    document: Document,
    kept: Mapping[str, str],
    error: str | None = None,
    status_code: int = 200,
) -> Response:
    locale = locale_of(document["request"])
    error_line = f'<p class="error" role="alert">{escape(error)}</p>' if error else ""
    content = (
        f'{error_line}<form method="post" autocomplete="on">{spec.inputs(context, document, locale, kept)}'
        f'<button name="decision" value="pay">{escape(text(locale, spec.pay_label))}</button>'
        f'<button class="secondary" name="decision" value="cancel">{escape(text(locale, "cancel_payment"))}</button>'
        "</form>"
    )
    return page(
        locale,
        spec.title(document, locale),
        content,
        merchant=_merchant(context),
        aside=spec.aside(document, locale),
        status_code=status_code,
    )


def _endpoint(spec: _WalletPage) -> Callable[[Request], Awaitable[Response]]:
    async def endpoint(request: Request) -> Response:
        key = request.path_params["key"]
        opened = await open_page(request, spec.kind, key, missing="5017", answer_field="decision")
        if isinstance(opened, Response):
            return opened
        sandbox, context, document, locale, form = opened
        if request.method == "GET":
            try:
                checkout_state(context, document)
            except ApiFailure as failure:
                return _error_page(failure, locale)
            return _render(spec, context, document, {})
        try:
            with sandbox.store.transaction():
                step = spec.submit(context, key, document, form)
        except ApiFailure as failure:
            kept = {name: value for name, value in form.items() if name not in ("cvc", "decision")}
            return _render(spec, context, document, kept, str(failure_body(failure, locale)["errorMessage"]), 400)
        if isinstance(step, Response):
            return step
        sandbox.notify(context.notifications)
        return _auto_post(step.url, step.fields, locale)

    return endpoint


def _paying(form: Mapping[str, str]) -> bool:
    return form.get("decision") == "pay"


def _basket(document: Document, locale: Locale) -> tuple[str, ...]:
    return (_basket_panel(document["request"], locale),)


def _basket_and_test_cards(document: Document, locale: Locale) -> tuple[str, ...]:
    return (_basket_panel(document["request"], locale), _test_cards_panel(locale))


def _apm_name(document: Document) -> str:
    method = str(document["request"].get("apmType"))
    return _APM_NAMES.get(method, method)


def _apm_inputs(context: Context, document: Document, locale: Locale, kept: Mapping[str, str]) -> str:
    holder = document["request"].get("accountHolderName", "")
    intro = text(locale, "apm_intro", amount=_amount(document), holder=holder, method=_apm_name(document))
    return f"<p>{escape(intro)}</p>"


def _apm_submit(context: Context, key: str, document: Document, form: Mapping[str, str]) -> Step:
    return Callback(*pay_apm(context, key, document, paid=_paying(form)))


def _pecco_inputs(context: Context, document: Document, locale: Locale, kept: Mapping[str, str]) -> str:
    return f"<p>{escape(text(locale, 'pecco_intro', amount=_amount(document)))}</p>"


def _pecco_submit(context: Context, key: str, document: Document, form: Mapping[str, str]) -> Step:
    return Callback(*authorize_pecco(context, key, document, authorized=_paying(form)))


def _listed_select(document: Document, locale: Locale, chosen: str) -> str:
    """The instalment counts of a basic BKM payment (their totals depend on the card's bank: see the panel)."""
    options = "".join(
        f'<option value="{count}"{" selected" if str(count) == chosen else ""}>'
        f"{escape(text(locale, 'single_payment') if count == 1 else text(locale, 'n_installments', count=count))}"
        "</option>"
        for count in document["request"]["enabledInstallments"]
    )
    return f'<label>{escape(text(locale, "installments"))}<select name="installment">{options}</select></label>'


def _listed_panel(document: Document, locale: Locale) -> tuple[str, ...]:
    currency = str(document["request"].get("currency") or "TRY")
    rows = "".join(
        f"<tr><td>{bank}</td><td>{count}</td><td class='amount'>{escape(_money(total, currency))}</td></tr>"
        for bank, totals in listed_totals(document["request"]).items()
        for count, total in sorted(totals.items())
    )
    table = (
        f"<h2>{escape(text(locale, 'listed_installments'))}</h2><table><tr><th>{escape(text(locale, 'bank_code'))}"
        f"</th><th>{escape(text(locale, 'installments'))}</th><th class='amount'>{escape(text(locale, 'total'))}</th>"
        f"</tr>{rows}</table>"
    )
    return (table, _test_cards_panel(locale))


def _bkm_inputs(context: Context, document: Document, locale: Locale, kept: Mapping[str, str]) -> str:
    chosen = kept.get("installment", "1")
    installments = _listed_select(document, locale, chosen) if is_basic(document) else None
    return (
        f"<p>{escape(text(locale, 'bkm_intro'))}</p>"
        + card_fields(locale, kept)
        + (installments or installment_select(document, locale, chosen))
    )


def _bkm_aside(document: Document, locale: Locale) -> tuple[str, ...]:
    return _listed_panel(document, locale) if is_basic(document) else _basket_and_test_cards(document, locale)


def _bkm_submit(context: Context, key: str, document: Document, form: Mapping[str, str]) -> Step:
    return Callback(pay_bkm(context, key, document, form, paid=_paying(form)), {"token": key})


def _iyziup_inputs(context: Context, document: Document, locale: Locale, kept: Mapping[str, str]) -> str:
    values = kept or consumer_defaults(document)
    consumer = "".join(_field(locale, _CONSUMER_LABELS[name], name, values) for name, _ in CONSUMER_FIELDS)
    return (
        f"<fieldset><legend>{escape(text(locale, 'your_details'))}</legend>{consumer}</fieldset>"
        + card_fields(locale, kept)
        + installment_select(document, locale, kept.get("installment", "1"))
    )


def _iyziup_submit(context: Context, key: str, document: Document, form: Mapping[str, str]) -> Step:
    if not _paying(form):
        return Callback(abandon_page(context, key, document), {"token": key})
    card = check_iyziup_form(context, document, form)
    md_status = None
    if forces_threeds(document):
        if "threeds" not in form:
            return _forced_threeds_step(context, document, locale_of(document["request"]), card, form)
        md_status = card.outcome.md_status if form["threeds"] == "authenticate" else "0"
    return Callback(pay_iyziup(context, key, document, form, md_status=md_status), {"token": key})


_PAGES = {
    APM_KIND: _WalletPage(
        APM_KIND,
        lambda document, locale: text(locale, "apm_title", method=_apm_name(document)),
        _apm_inputs,
        _apm_submit,
        aside=_basket,
    ),
    BKM_KIND: _WalletPage(
        BKM_KIND, lambda document, locale: text(locale, "bkm_express"), _bkm_inputs, _bkm_submit, aside=_bkm_aside
    ),
    PECCO_KIND: _WalletPage(
        PECCO_KIND,
        lambda document, locale: text(locale, "pecco"),
        _pecco_inputs,
        _pecco_submit,
        pay_label="authorize",
        aside=_basket,
    ),
    IYZIUP_KIND: _WalletPage(
        IYZIUP_KIND,
        lambda document, locale: text(locale, "iyziup"),
        _iyziup_inputs,
        _iyziup_submit,
        aside=_basket_and_test_cards,
    ),
}
WALLET_PAGE_ROUTES = [
    Route(f"/_sandbox/{kind}/{{key}}", _endpoint(spec), methods=["GET", "POST"]) for kind, spec in _PAGES.items()
]
