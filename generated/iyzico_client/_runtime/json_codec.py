# Hand-written: copied unchanged by scripts/generate.py from spec/runtime/json_codec.py. Edit it there.
"""The exact JSON codec of requests and answers: a Decimal is written exactly (never in exponent form), a
float is refused, and every non-integer number read is an exact, bounded Decimal.

Request bodies are written by `json_dumps` (through `RequestJSON.dumps`, whose bytes are what IYZWSv2 signs
and what goes on the wire) and answers read by `json_loads`. `iyzico_client.types` re-exports the public
names.
"""

from __future__ import annotations

import functools
import json
import re
from decimal import Decimal
from typing import Any

from .money import AMOUNT_MAX_MAGNITUDE, check_magnitude, decimal_from_json, int_from_json, to_decimal

__all__ = ["RedactedBytes", "RequestJSON", "json_dumps", "json_loads"]


_encode_string = json.encoder.encode_basestring  # C-accelerated; keeps non-ASCII text as UTF-8


def _decimal_text(value: Decimal) -> str:
    if not value.is_finite():
        raise ValueError(f"cannot write {value} as JSON")
    return format(check_magnitude(value), "f")


# `Any` values below: exact `type(...) is` checks (faster than isinstance) do not narrow for mypy.
def _encode(value: Any, out: list[str]) -> None:
    # Exact types first (a request is objects of text and amounts); subclasses take _encode_other.
    kind = type(value)
    if kind is dict:
        _encode_object(value, out)
    elif kind is str:
        out.append(_encode_string(value))
    elif kind is Decimal:
        out.append(_decimal_text(value))
    elif kind is list:
        _encode_array(value, out)
    else:
        _encode_other(value, out)


def _encode_object(value: dict[Any, Any], out: list[str]) -> None:
    separator = "{"
    for key, item in value.items():
        if not isinstance(key, str):
            raise TypeError(f"JSON object keys must be str, got {type(key).__name__}")
        # Text and amount members are written in one piece, without a call per value.
        kind = type(item)
        if kind is str:
            out.append(f"{separator}{_encode_string(key)}:{_encode_string(item)}")
        elif kind is Decimal:
            out.append(f"{separator}{_encode_string(key)}:{_decimal_text(item)}")
        else:
            out.append(f"{separator}{_encode_string(key)}:")
            _encode(item, out)
        separator = ","
    out.append("{}" if separator == "{" else "}")


def _encode_array(value: list[Any] | tuple[Any, ...], out: list[str]) -> None:
    separator = "["
    for item in value:
        out.append(separator)
        _encode(item, out)
        separator = ","
    out.append("[]" if separator == "[" else "]")


def _encode_other(value: object, out: list[str]) -> None:
    if value is None:
        out.append("null")
    elif value is True:
        out.append("true")
    elif value is False:
        out.append("false")
    elif isinstance(value, str):
        out.append(_encode_string(value))
    elif isinstance(value, Decimal):
        out.append(_decimal_text(value))
    elif isinstance(value, int):
        out.append(int.__repr__(value))
    elif isinstance(value, float):
        to_decimal(value)  # raises FloatNotAllowedError
    elif isinstance(value, dict):
        _encode_object(value, out)
    elif isinstance(value, list | tuple):
        _encode_array(value, out)
    else:
        raise TypeError(f"cannot write a {type(value).__name__} as JSON")


# msgspec writes what the encoder above writes, at C speed, for values of the exact types it can be
# trusted with: text, ints that fit 64 bits, bools, None and finite Decimals whose text is plain. `_plain`
# walks the value for the types; the Decimals are checked on msgspec's output instead (it writes `str` of
# a Decimal, which uses exponent form for some, and NaN or Infinity for the non-finite), which is cheaper
# than looking at each one. Anything else (a float to refuse, a subclass, an exponent) takes the encoder
# above, which writes or refuses it.
_INT64_MIN, _UINT64_MAX = -(2**63), 2**64 - 1
_LEAVES = frozenset({str, Decimal, bool, type(None)})
_DIGITS = frozenset(b"0123456789")
# A run of more digits than an amount may have (10^±AMOUNT_MAX_MAGNITUDE): the careful encoder decides.
_LONG_DIGIT_RUN = re.compile(b"[0-9]{" + str(AMOUNT_MAX_MAGNITUDE + 1).encode() + b"}")


def _plain(value: Any) -> bool:
    kind = type(value)
    if kind is dict:
        for key, item in value.items():
            if type(key) is not str or (type(item) not in _LEAVES and not _plain(item)):
                return False
        return True
    if kind is list:
        for item in value:  # noqa: SIM110 (a plain loop is faster than all() over a generator, on every request)
            if type(item) not in _LEAVES and not _plain(item):
                return False
        return True
    if kind is int:
        return bool(_INT64_MIN <= value <= _UINT64_MAX)
    return kind in _LEAVES


# Patterns that start with a literal are searched at memchr speed; each runs only if its first letter occurs.
_EXPONENT_MARK = re.compile(rb"E[+-]")
_NOT_A_NUMBER = re.compile(rb"NaN")
_INFINITY = re.compile(rb"Infinity")


def _numbers_are_plain(encoded: bytes) -> bool:
    """No number in exponent form (a digit, E, a sign), no NaN or Infinity, even in a string (rare), and no
    run of digits longer than an amount may be (a long string of digits takes the careful path too)."""
    if _LONG_DIGIT_RUN.search(encoded):
        return False
    if b"E" in encoded:
        for mark in _EXPONENT_MARK.finditer(encoded):
            if mark.start() and encoded[mark.start() - 1] in _DIGITS:
                return False
    if b"N" in encoded and _NOT_A_NUMBER.search(encoded):
        return False
    return b"I" not in encoded or not _INFINITY.search(encoded)


@functools.cache
def _msgspec_encoder() -> Any:
    import msgspec  # on the first request, not at import (import time is a target)

    return msgspec.json.Encoder(decimal_format="number")


def _json_text(value: object) -> str:
    out: list[str] = []
    _encode(value, out)
    return "".join(out)


def json_dumps(value: object) -> bytes:
    """Compact UTF-8 JSON; a Decimal is written exactly (never in exponent form), a float is refused."""
    if _plain(value):
        encoded: bytes = _msgspec_encoder().encode(value)
        if _numbers_are_plain(encoded):
            return encoded
    return _json_text(value).encode("utf-8")


class RedactedBytes(bytes):
    """Bytes whose repr and str never show the content: a request body, which may carry a card number,
    as the generated code's and httpx's frames hold it (`pytest --showlocals`, error trackers)."""

    __slots__ = ()

    def __repr__(self) -> str:
        return f"<{len(self)} bytes, redacted>"

    __str__ = __repr__


class RequestJSON:
    """The JSON object a request body is written from, in a holder whose repr never shows it.

    Every frame between the caller and the socket (the endpoint's, httpx's, the trust layer's) holds
    this instead of the dict, so a traceback with locals shows how many members it had, not the card
    number, CVC or identity number among them. `value` is the dict itself.
    """

    __slots__ = ("value",)

    def __init__(self, value: dict[str, Any]) -> None:
        self.value = value

    def __repr__(self) -> str:
        return f"RequestJSON(<{len(self.value)} members, redacted>)"

    __str__ = __repr__

    def dumps(self) -> RedactedBytes:
        """`json_dumps(value)`, as `RedactedBytes`. An error keeps its type and message but not the
        frames of the encoder, which held the values."""
        try:
            return RedactedBytes(json_dumps(self.value))
        except Exception as error:
            raise error.with_traceback(None)  # noqa: B904 - the same error, without the encoder's frames


def _refuse_constant(name: str) -> Any:
    raise ValueError(f"{name} is not valid JSON")


def json_loads(data: bytes | str) -> Any:
    """Parse JSON with every non-integer number as an exact Decimal; numbers out of range are refused
    (`AmountOutOfRangeError`, a ValueError) before they are converted."""
    return json.loads(data, parse_float=decimal_from_json, parse_int=int_from_json, parse_constant=_refuse_constant)
