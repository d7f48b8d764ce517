"""IYZWSv2 request signatures and iyzico response signatures, as pure functions.

Both the client (`_auth`) and the sandbox emulator use these, so the two sides can never drift.

Request (IYZWSv2)::

    signature = hex(HMAC-SHA256(secret, randomKey + path-without-query + body-bytes))
    Authorization: IYZWSv2 base64("apiKey:" + apiKey + "&randomKey:" + rnd + "&signature:" + signature)

Response::

    signature = hex(HMAC-SHA256(secret, ":".join(field values)))

with amounts in canonical form (`_money.signature_amount_text`), missing fields as "", and fields named by
dotted paths into the body (`_fields`).

The key is a `SecretKey`, which computes and compares the HMACs itself; checks use the `*_matches`
functions, so the signature expected for a forged message never sits in a frame.
"""

from __future__ import annotations

import base64
import binascii
import secrets
import typing
from collections.abc import Iterable, Mapping
from decimal import Decimal

from ._fields import value_at
from ._money import signature_amount_text
from ._secret import SecretKey

__all__ = [
    "AUTHORIZATION_SCHEME",
    "AuthorizationParts",
    "authorization_header",
    "new_random_key",
    "parse_authorization_header",
    "request_signature",
    "request_signature_matches",
    "response_signature",
    "response_signature_matches",
    "response_signature_message",
    "signature_field_text",
    "signed_path",
]

AUTHORIZATION_SCHEME = "IYZWSv2"
_RANDOM_KEY_BYTES = 12  # 24 hex chars; the official clients use 8 to 36 characters


def new_random_key() -> str:
    """A fresh random key from the OS CSPRNG (no shared state, so thread safe)."""
    return secrets.token_hex(_RANDOM_KEY_BYTES)


def signed_path(raw_path: bytes | str) -> bytes:
    """The path part that IYZWSv2 signs: everything before the first `?` (the query is never signed)."""
    path = raw_path.encode("ascii") if isinstance(raw_path, str) else raw_path
    return path.split(b"?", 1)[0].split(b"#", 1)[0]


def request_signature(secret_key: SecretKey, random_key: str, path: bytes | str, body: bytes) -> str:
    """Lowercase hex HMAC-SHA256 over `randomKey + path + body` (the exact bytes sent)."""
    return secret_key.hmac_sha256_hex(random_key.encode("utf-8") + signed_path(path) + body)


def request_signature_matches(
    secret_key: SecretKey, random_key: str, path: bytes | str, body: bytes, signature: object
) -> bool:
    """Whether `signature` is the request's IYZWSv2 signature (constant time)."""
    return secret_key.signs(random_key.encode("utf-8") + signed_path(path) + body, signature)


def authorization_header(api_key: str, random_key: str, signature_hex: str) -> str:
    """The `Authorization` header value: `IYZWSv2 ` + base64 of the three `key:value` parts."""
    auth_string = f"apiKey:{api_key}&randomKey:{random_key}&signature:{signature_hex}"
    return f"{AUTHORIZATION_SCHEME} " + base64.b64encode(auth_string.encode("utf-8")).decode("ascii")


class AuthorizationParts(typing.NamedTuple):
    """The decoded parts of an IYZWSv2 `Authorization` header."""

    api_key: str
    random_key: str
    signature: str


def parse_authorization_header(value: str) -> AuthorizationParts | None:
    """Decode an IYZWSv2 header; `None` when it is not well formed."""
    scheme, _, encoded = value.partition(" ")
    if scheme != AUTHORIZATION_SCHEME or not encoded:
        return None
    try:
        decoded = base64.b64decode(encoded.strip(), validate=True).decode("utf-8")
    except (binascii.Error, UnicodeDecodeError):
        return None
    parts: dict[str, str] = {}
    for item in decoded.split("&"):
        key, sep, part = item.partition(":")
        if not sep:
            return None
        parts[key] = part
    try:
        return AuthorizationParts(parts["apiKey"], parts["randomKey"], parts["signature"])
    except KeyError:
        return None


def signature_field_text(value: object) -> str:
    """One field of a response signature: missing -> "", amounts canonical, text as is."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Decimal | int):
        return signature_amount_text(value)
    if isinstance(value, str):
        return value
    raise TypeError(f"cannot put a {type(value).__name__} into a response signature")


def response_signature_message(body: Mapping[str, object], fields: Iterable[str]) -> str:
    """The `:`-joined text that iyzico signs for a response (values taken from the response itself).

    A field is a dotted path (`data.referenceCode` for enveloped answers); a missing one signs as "".
    """
    return ":".join(signature_field_text(value_at(body, field)) for field in fields)


def response_signature(secret_key: SecretKey, body: Mapping[str, object], fields: Iterable[str]) -> str:
    """Lowercase hex HMAC-SHA256 of `response_signature_message(body, fields)`."""
    return secret_key.hmac_sha256_hex(response_signature_message(body, fields).encode("utf-8"))


def response_signature_matches(
    secret_key: SecretKey, body: Mapping[str, object], fields: Iterable[str], signature: object
) -> bool:
    """Whether `signature` signs `body` over `fields` (constant time). A field that cannot be written
    into a signature (an object, a list, an amount out of range) matches nothing."""
    try:
        message = response_signature_message(body, fields).encode("utf-8")
    except (TypeError, ValueError):
        return False
    return secret_key.signs(message, signature)
