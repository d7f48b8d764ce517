"""Reading JSON bodies the way the generated client does (exact Decimal numbers), without raising."""

from __future__ import annotations

import typing

from iyzico_client.types import json_loads

__all__ = ["JSONObject", "parse_json_object"]

JSONObject = dict[str, typing.Any]


def parse_json_object(content: bytes) -> JSONObject | None:
    """The body as a JSON object with `Decimal` numbers (the generated parser's rules), or `None`."""
    if not content:
        return None
    try:
        value = json_loads(content)
    except (ValueError, RecursionError):  # JSONDecodeError and UnicodeDecodeError are ValueErrors
        return None
    return value if isinstance(value, dict) else None
