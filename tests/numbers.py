"""Decimals inside the bounds every reader applies (`types.AMOUNT_MAX_MAGNITUDE`, `types.NUMBER_MAX_TEXT`).

Any such value is written by `json_dumps` in at most 31 + 1 + 20 + 1 characters and read back exactly;
the values outside are the refused ones of tests/ext/test_untrusted_numbers.py.
"""

from __future__ import annotations

import re
import typing
from collections.abc import Mapping
from decimal import Decimal

from hypothesis import strategies as st

from iyzico_client.types import AMOUNT_MAX_MAGNITUDE

__all__ = ["decimals_in_range", "exact"]

_MAX_PLACES = 20


def decimals_in_range() -> st.SearchStrategy[Decimal]:
    """Finite decimals below 10^AMOUNT_MAX_MAGNITUDE with up to 20 places, in every exponent spelling."""
    bound = 10**AMOUNT_MAX_MAGNITUDE - 1
    return st.integers(min_value=0, max_value=_MAX_PLACES).flatmap(
        lambda places: st.decimals(min_value=-bound, max_value=bound, places=places)
    )


_DECIMAL_TEXT = re.compile(r"-?[0-9]+(\.[0-9]+)?")


def exact(value: typing.Any) -> typing.Any:
    """Numbers and numeric text as their exact decimal text, so `100.0`, `"100.0"` and Decimal("100.0") agree."""
    if isinstance(value, Mapping):
        return {key: exact(item) for key, item in value.items()}
    if isinstance(value, list):
        return [exact(item) for item in value]
    if isinstance(value, bool) or value is None:
        return value
    if isinstance(value, int | Decimal) or (isinstance(value, str) and _DECIMAL_TEXT.fullmatch(value)):
        return ("decimal", str(Decimal(value)))
    return value
