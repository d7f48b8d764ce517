"""Exact money: the canonical text iyzico's response signatures use for amounts."""

from __future__ import annotations

import decimal
from decimal import Decimal

from iyzico_client.types import check_int_magnitude, check_magnitude

__all__ = ["signature_amount_text"]


def signature_amount_text(amount: Decimal | int) -> str:
    """Write an amount the way iyzico's response signatures expect it.

    Plain decimal notation without trailing zeros and never in exponent form:
    `Decimal("1.0")` -> `"1"`, `Decimal("100.50")` -> `"100.5"`, `Decimal("1E+2")` -> `"100"`.
    This is Java's `BigDecimal.stripTrailingZeros().toPlainString()`, which iyzico uses.
    An amount out of range (`AmountOutOfRangeError`) is refused before it is written out: in plain
    digits `1E+999999999` is a gigabyte.
    """
    if isinstance(amount, bool):
        raise TypeError("a bool is not an amount")
    if isinstance(amount, int):
        return str(check_int_magnitude(amount))
    if not amount.is_finite():
        raise ValueError("amount must be finite")
    if check_magnitude(amount).is_zero():
        return "0"
    # normalize() rounds to the context's precision (28 digits by default); give it enough for this amount.
    exact = decimal.Context(prec=len(amount.as_tuple().digits), Emax=decimal.MAX_EMAX, Emin=decimal.MIN_EMIN)
    return format(amount.normalize(exact), "f")
