"""`UNSET`: a field the answer (or the request) does not carry.

`UNSET` is the single member of an enum, so `value is not UNSET` narrows `str | Unset` to `str` for mypy
and pyright alike (the generator's own plain instance narrows for neither), with a stable repr instead of
a memory address. `iyzico_client.types` re-exports both names.
"""

from __future__ import annotations

import enum
from typing import Final, Literal

__all__ = ["UNSET", "Unset"]


class Unset(enum.Enum):
    """The type of `UNSET`: a field the answer (or the request) does not carry."""

    UNSET = "UNSET"

    def __bool__(self) -> Literal[False]:
        return False

    def __repr__(self) -> str:
        return "UNSET"

    __str__ = __repr__


UNSET: Final = Unset.UNSET
