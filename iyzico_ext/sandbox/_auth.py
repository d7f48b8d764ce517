"""IYZWSv2 verification over the raw bytes received, whatever JSON style the client used."""

from __future__ import annotations

from collections.abc import Mapping

from .._secret import SecretKey
from .._signing import parse_authorization_header, request_signature_matches
from ._failures import ApiFailure

__all__ = ["authenticate"]


def authenticate(credentials: Mapping[str, SecretKey], authorization: str | None, path: bytes, body: bytes) -> str:
    """The caller's API key; `ApiFailure` 1001 for an unknown key, 1000 for a missing or bad signature.

    `body` is exactly what arrived (empty, `null` or `{}` on a GET are all fine: they are what was signed).
    """
    parts = parse_authorization_header(authorization or "")
    if parts is None:
        raise ApiFailure("1000", "missing or malformed IYZWSv2 Authorization header")
    secret = credentials.get(parts.api_key)
    if secret is None:
        raise ApiFailure("1001")
    if not request_signature_matches(secret, parts.random_key, path, body, parts.signature):
        raise ApiFailure("1000")
    return parts.api_key
