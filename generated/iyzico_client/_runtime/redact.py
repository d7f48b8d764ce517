# Hand-written: copied unchanged by scripts/generate.py from spec/runtime/redact.py. Edit it there.
"""Reprs that never show a card number, CVC or identity number (fields the spec marks
`x-iyzico-sensitive`): generated models use them as attrs `repr=`. `iyzico_client.types` re-exports them.
"""

from __future__ import annotations

from .unset import Unset

__all__ = ["redact_pan", "redact_secret"]


def redact_pan(value: object) -> str:
    """Repr of a card number: at most the BIN (first six) and the last four digits."""
    if not isinstance(value, str):
        return repr(value)
    if len(value) < 13:
        return repr("*" * len(value))
    return repr(value[:6] + "*" * (len(value) - 10) + value[-4:])


def redact_secret(value: object) -> str:
    """Repr of a CVC or identity number: never the value."""
    return repr(value) if isinstance(value, Unset) else "'***'"
