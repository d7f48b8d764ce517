"""The trust layer's JSON reader (msgspec) agrees with the generated client's (`json_loads`, stdlib)."""

from __future__ import annotations

import json
import typing
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from iyzico_client.types import AmountOutOfRangeError, json_dumps, json_loads
from iyzico_ext._body import parse_json_object
from tests.numbers import decimals_in_range

_leaves = (
    st.none() | st.booleans() | st.integers(min_value=-(10**30), max_value=10**30) | decimals_in_range() | st.text()
)
_values = st.recursive(
    _leaves, lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(), children, max_size=4)
)
# Number spellings json_dumps never writes (exponents, signs, leading zeros of a fraction).
_number_texts = st.from_regex(r"-?(0|[1-9][0-9]{0,25})(\.[0-9]{1,20})?([eE][-+]?[0-9]{1,3})?", fullmatch=True)


def _same(left: object, right: object) -> bool:
    """Equal, and every number of the same type with the same exact text (Decimal("1.0") != "1.00" here)."""
    if isinstance(left, Decimal) or isinstance(right, Decimal):
        return type(left) is type(right) and str(left) == str(right)
    if isinstance(left, dict) and isinstance(right, dict):
        return list(left) == list(right) and all(_same(left[key], right[key]) for key in left)
    if isinstance(left, list) and isinstance(right, list):
        return len(left) == len(right) and all(_same(a, b) for a, b in zip(left, right, strict=True))
    return type(left) is type(right) and left == right


@given(st.dictionaries(st.text(), _values, max_size=6))
def test_objects_json_dumps_writes_read_exactly_like_json_loads(value: dict[str, typing.Any]) -> None:
    text = json_dumps(value)
    assert _same(parse_json_object(text), json_loads(text))


@given(_number_texts)
def test_every_number_spelling_reads_like_json_loads(number: str) -> None:
    """Both readers agree, on the bounds too: a number out of range is refused by both."""
    text = f'{{"n":{number},"list":[{number}]}}'.encode()
    try:
        expected = json_loads(text)
    except AmountOutOfRangeError:
        assert parse_json_object(text) is None
    else:
        assert _same(parse_json_object(text), expected)


@pytest.mark.parametrize(
    "text",
    [
        b'{"a":1,"a":2}',
        b' {"a": [1, 2.50, -0, -0.0, 1E30, 1E-30]} ',
        '{"şehir":"İstanbul"}'.encode(),
        b'{"e":"\\u00e7"}',
    ],
)
def test_edge_cases_read_like_json_loads(text: bytes) -> None:
    assert _same(parse_json_object(text), json_loads(text))


@pytest.mark.parametrize(
    "text",
    [b"", b"[]", b'"text"', b"1", b"{", b'{"a":NaN}', b'{"a":Infinity}', b"{} x", b'{"a":1,}', b'{"a":"\xff"}'],
)
def test_anything_but_a_json_object_is_none(text: bytes) -> None:
    assert parse_json_object(text) is None


def test_deep_nesting_is_none_not_a_crash() -> None:
    assert parse_json_object(b'{"a":' + b"[" * 100_000 + b"]" * 100_000 + b"}") is None


def test_stdlib_and_msgspec_agree_on_what_is_malformed_except_two_documented_cases() -> None:
    # The stdlib accepts these; msgspec (stricter) does not. Neither ever comes from iyzico.
    for text in [b'{"a":"\\ud800"}', b'\xef\xbb\xbf{"a":1}']:
        assert json.loads(text) is not None
        assert parse_json_object(text) is None


def test_repeated_number_texts_share_one_decimal_and_keep_their_exact_text() -> None:
    body = parse_json_object(b'{"a":1.10,"b":1.1,"c":1.10,"d":-0.0}')
    assert body is not None
    assert [str(body[key]) for key in "abcd"] == ["1.10", "1.1", "1.10", "-0.0"]
    assert body["a"] is body["c"]  # cached: a Decimal is immutable, so sharing it is safe
