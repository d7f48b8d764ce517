"""Exact money: every amount is a `Decimal`, read from a Decimal, an int or numeric text, never a float.

iyzico amounts are decimals and a float cannot hold them exactly, so every `type: number` of the spec is a
Decimal in the generated models (scripts/_generator_patches.py makes the generator say so), validated by
`check_amount` at construction and read with `to_decimal`. Numbers from outside are bounded before any
arithmetic or formatting: "1e999999999" is 11 bytes of JSON but a gigabyte once written out in plain
digits, and a long digit string costs time to read. `iyzico_client.types` re-exports the public names.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from typing import Any

from .unset import Unset

__all__ = [
    "AMOUNT_MAX_MAGNITUDE",
    "NUMBER_MAX_TEXT",
    "AmountOutOfRangeError",
    "FloatNotAllowedError",
    "check_amount",
    "check_int_magnitude",
    "check_magnitude",
    "decimal_from_json",
    "int_from_json",
    "to_decimal",
]


class FloatNotAllowedError(TypeError):
    """A float was given where money (a Decimal) is expected."""


_DECIMAL_TEXT = re.compile(r"-?[0-9]+(\.[0-9]+)?")

AMOUNT_MAX_MAGNITUDE = 30  # the leading digit's place, as a power of ten, either side of the point
NUMBER_MAX_TEXT = 64  # characters of one number's text (a JSON number or a numeric string)
_INT_LIMIT = 10 ** (AMOUNT_MAX_MAGNITUDE + 1)


class AmountOutOfRangeError(ValueError):
    """A number too large, too small or too long to be an amount, refused before any arithmetic."""


def check_magnitude(value: Decimal) -> Decimal:
    """`value` (finite) if its leading digit's place is within 10^±AMOUNT_MAX_MAGNITUDE: no arithmetic."""
    if -AMOUNT_MAX_MAGNITUDE <= value.adjusted() <= AMOUNT_MAX_MAGNITUDE:
        return value
    raise AmountOutOfRangeError(
        f"amount out of range: its leading digit is at 10^{value.adjusted()} "
        f"(at most 10^{AMOUNT_MAX_MAGNITUDE}, at least 10^-{AMOUNT_MAX_MAGNITUDE})"
    )


def check_int_magnitude(value: int) -> int:
    """`value` if it has at most AMOUNT_MAX_MAGNITUDE + 1 digits (one comparison, no conversion)."""
    if -_INT_LIMIT < value < _INT_LIMIT:
        return value
    raise AmountOutOfRangeError(f"amount out of range: more than {AMOUNT_MAX_MAGNITUDE + 1} digits")


def _short_number_text(text: str) -> str:
    if len(text) <= NUMBER_MAX_TEXT:
        return text
    raise AmountOutOfRangeError(f"a number written with {len(text)} characters (at most {NUMBER_MAX_TEXT})")


def decimal_from_json(text: str) -> Decimal:
    """A JSON number with a fraction or an exponent as an exact, bounded Decimal (a parser's float hook)."""
    try:
        value = Decimal(_short_number_text(text))
    except InvalidOperation:  # an exponent beyond what Decimal can hold at all
        raise AmountOutOfRangeError(f"a number beyond 10^±{AMOUNT_MAX_MAGNITUDE}") from None
    return check_magnitude(value)


def int_from_json(text: str) -> int:
    """A JSON integer, its text bounded before conversion (a parser's int hook)."""
    return int(_short_number_text(text))


def to_decimal(value: object) -> Decimal:
    """Read a money value: a Decimal, an int, or numeric text like "100.0" (never a float), bounded."""
    if type(value) is int:  # an amount written without a fraction (iyzico writes zeros as 0): the common case here
        return Decimal(check_int_magnitude(value))
    if isinstance(value, Decimal):
        if not value.is_finite():
            raise ValueError(f"amount must be finite, got {value}")
        return check_magnitude(value)
    if isinstance(value, bool):
        raise TypeError("a bool is not an amount")
    if isinstance(value, int):
        return Decimal(check_int_magnitude(value))
    if isinstance(value, float):
        raise FloatNotAllowedError(
            f"a float ({value!r}) cannot hold money exactly; pass a Decimal such as Decimal({str(value)!r})"
        )
    if isinstance(value, str) and _DECIMAL_TEXT.fullmatch(_short_number_text(value)):
        return check_magnitude(Decimal(value))
    raise TypeError(f"expected a decimal amount, got {type(value).__name__}")


def check_amount(instance: object, attribute: Any, value: Any) -> None:
    """attrs validator for money fields: refuses floats (and anything else that is not exact) at construction."""
    if isinstance(value, Unset) or (
        isinstance(value, Decimal)
        and value.is_finite()
        and -AMOUNT_MAX_MAGNITUDE <= value.adjusted() <= AMOUNT_MAX_MAGNITUDE
    ):
        return
    try:
        to_decimal(value)
    except (FloatNotAllowedError, AmountOutOfRangeError) as error:
        raise type(error)(f"{type(instance).__name__}.{attribute.name}: {error}") from None
    if isinstance(value, int) and not isinstance(value, bool):
        return
    raise TypeError(f"{type(instance).__name__}.{attribute.name}: expected a Decimal, got {type(value).__name__}")
