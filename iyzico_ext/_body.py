"""Reading JSON bodies the way the generated client does (exact Decimal numbers), without raising."""

from __future__ import annotations

import json
import typing
from decimal import Decimal

__all__ = ["JSONObject", "parse_json_object"]

JSONObject = dict[str, typing.Any]


def _refuse_constant(name: str) -> typing.NoReturn:
    raise ValueError(f"{name} is not valid JSON")


def parse_json_object(content: bytes) -> JSONObject | None:
    """The body as a JSON object with `Decimal` numbers, or `None` when it is not one."""
    if not content:
        return None
    try:
        value = json.loads(content, parse_float=Decimal, parse_constant=_refuse_constant)
    except (ValueError, RecursionError):  # JSONDecodeError and UnicodeDecodeError are ValueErrors
        return None
    return value if isinstance(value, dict) else None
