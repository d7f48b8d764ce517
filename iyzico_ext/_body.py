"""Reading JSON bodies the way the generated client does (exact Decimal numbers), without raising.

The trust layer parses every response body once (the generated parser then reuses the value), so
this is on every call's path: msgspec's C decoder reads the ~9 KB payment response about 30 % faster
than `json.loads(..., parse_float=Decimal)`, with the same result for every valid JSON text (numbers
with a fraction or an exponent become `Decimal` from their exact text, integers stay `int`, the last
of duplicate keys wins, NaN and Infinity are refused). It is stricter on two malformed inputs the
stdlib accepts: a lone UTF-16 surrogate escape and a byte-order mark, neither of which iyzico sends.

Numbers are bounded as they are read (`types.decimal_from_json`, the generated parser's hook too): a
number written with more than `NUMBER_MAX_TEXT` characters, or whose leading digit lies beyond
10^±`AMOUNT_MAX_MAGNITUDE`, makes the whole body unreadable, before any arithmetic or formatting of it
(`1e999999999` would otherwise cost a gigabyte once written out for a signature). Integers have no hook
in msgspec; CPython bounds them at 4300 digits, and every use of one as an amount checks its range.

Most numbers of a response repeat (`0.0` fills half a payment's item fields; rates and item prices
recur), so their `Decimal`s come from a bounded cache: a `Decimal` is immutable and built exactly
from its text whatever the context, so sharing one is safe, and it halves the parse.
"""

from __future__ import annotations

import functools
import json
import typing

import httpx

from iyzico_client.types import RedactedBytes, decimal_from_json

if typing.TYPE_CHECKING:
    import msgspec

__all__ = ["JSONObject", "parse_json_object", "with_first_member"]

JSONObject = dict[str, typing.Any]

_DECIMALS_CACHED = 4096  # distinct number texts kept (a few hundred KB at most)


@functools.cache
def _decoder() -> msgspec.json.Decoder[typing.Any]:
    import msgspec  # on the first response, not at `import iyzico_ext` (import time is a target)

    return msgspec.json.Decoder(float_hook=functools.lru_cache(maxsize=_DECIMALS_CACHED)(decimal_from_json))


def parse_json_object(content: bytes) -> JSONObject | None:
    """The body as a JSON object with bounded `Decimal` numbers (the generated parser's rules), or `None`."""
    if not content:
        return None
    try:
        value = _decoder().decode(content)
    # msgspec.DecodeError, UnicodeDecodeError and AmountOutOfRangeError (raised by the hook, re-raised by
    # msgspec as a ValidationError) are ValueErrors.
    except (ValueError, RecursionError):
        return None
    return value if isinstance(value, dict) else None


def with_first_member(request: httpx.Request, name: str, value: str) -> httpx.Request:
    """A copy of `request` whose JSON object body gains `name: value` as its first member, bytes otherwise kept
    (the client adds a money-moving call's conversationId and its default locale this way, before signing).

    No part of the body (which may carry a card number) is bound to a name here.
    """
    opening = request.content.index(b"{") + 1
    separator = b"" if request.content[opening:].lstrip().startswith(b"}") else b","
    member = json.dumps(name).encode("ascii") + b":" + json.dumps(value).encode("ascii") + separator
    headers = httpx.Headers(request.headers)
    del headers["content-length"]  # recomputed by httpx for the new body
    return httpx.Request(
        request.method,
        request.url,
        headers=headers,
        content=RedactedBytes(request.content[:opening] + member + request.content[opening:]),
        extensions=request.extensions,
    )
