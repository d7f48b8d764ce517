"""Decimals inside the bounds every reader applies (`types.AMOUNT_MAX_MAGNITUDE`, `types.NUMBER_MAX_TEXT`).

Any such value is written by `json_dumps` in at most 31 + 1 + 20 + 1 characters and read back exactly;
the values outside are the refused ones of tests/ext/test_untrusted_numbers.py.
"""

from __future__ import annotations

from decimal import Decimal

from hypothesis import strategies as st

from iyzico_client.types import AMOUNT_MAX_MAGNITUDE

__all__ = ["decimals_in_range"]

_MAX_PLACES = 20


def decimals_in_range() -> st.SearchStrategy[Decimal]:
    """Finite decimals below 10^AMOUNT_MAX_MAGNITUDE with up to 20 places, in every exponent spelling."""
    bound = 10**AMOUNT_MAX_MAGNITUDE - 1
    return st.integers(min_value=0, max_value=_MAX_PLACES).flatmap(
        lambda places: st.decimals(min_value=-bound, max_value=bound, places=places)
    )
