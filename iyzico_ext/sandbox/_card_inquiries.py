"""Questions about a card before paying: its reward points (loyalty) and its instalment table as HTML."""

from __future__ import annotations

import typing
from collections.abc import Mapping
from decimal import Decimal

from ._bins import is_sandbox_test_bin
from ._context import Context
from ._failures import ApiFailure
from ._lookups import retrieve_installment_info
from ._page_style import escape, locale_of
from ._rules import read_card

__all__ = ["HANDLERS"]

# What every sandbox credit card holds (iyzipay-php's recorded answer: 1000 points, 10.00 TRY); debit and
# prepaid cards collect none.
_POINTS = Decimal(1000)
_LIRA_PER_POINT = Decimal("0.01")
_DOMESTIC_CURRENCY = "TRY"
_HEADER = {"tr": "Taksit", "en": "Installments"}


def retrieve_loyalty(ctx: Context, request: Mapping[str, typing.Any]) -> dict[str, typing.Any]:
    card = read_card(ctx.store, ctx.merchant, request.get("paymentCard") or {}, now=ctx.today)
    issuer = card.issuer
    if issuer is None or not is_sandbox_test_bin(card.number):
        raise ApiFailure("10216")  # live cards do not work in the sandbox (as for payments)
    currency = str(request.get("currency") or _DOMESTIC_CURRENCY)
    if issuer.domestic and currency != _DOMESTIC_CURRENCY:
        raise ApiFailure("5184")
    points = _POINTS if issuer.domestic and issuer.card_type == "CREDIT_CARD" else Decimal(0)
    return {
        "points": points,
        "amount": (points * _LIRA_PER_POINT).quantize(_LIRA_PER_POINT),
        "cardBank": issuer.bank_name,
        "cardFamily": issuer.card_family,
        "currency": currency,
    }


def retrieve_installment_html(ctx: Context, request: Mapping[str, typing.Any]) -> dict[str, typing.Any]:
    """retrieveInstallmentInfo's options as a table: a column per card programme, a row per instalment count."""
    details = retrieve_installment_info(ctx, request)["installmentDetails"]
    currency = escape(request.get("currency") or _DOMESTIC_CURRENCY)
    counts = sorted({price["installmentNumber"] for detail in details for price in detail["installmentPrices"]})
    by_count = [{price["installmentNumber"]: price for price in detail["installmentPrices"]} for detail in details]
    header = "".join(f"<th>{escape(detail['cardFamilyName'])}</th>" for detail in details)
    rows = []
    for count in counts:
        cells = "".join(
            f"<td>{options[count]['installmentPrice']} {currency}<br>{options[count]['totalPrice']} {currency}</td>"
            if count in options
            else "<td>-</td>"
            for options in by_count
        )
        rows.append(f"<tr><th>{count}</th>{cells}</tr>")
    table = (
        f'<table class="iyzico-installments"><thead><tr><th>{_HEADER[locale_of(request)]}</th>{header}</tr></thead>'
        f"<tbody>{''.join(rows)}</tbody></table>"
    )
    return {"htmlContent": table}


HANDLERS = {"retrieveLoyalty": retrieve_loyalty, "retrieveInstallmentHtml": retrieve_installment_html}
