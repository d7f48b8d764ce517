"""Error 1000 explained: what this client signed, and why iyzico may not have verified it.

"Invalid signature" is the error iyzico's users ask about most. iyzico says nothing more than the code,
so the client adds what it knows: the path it signed, the length and SHA-256 of the body bytes it signed
and sent (not shown for a body with a card number), the random key, never the secret, and the usual causes.
"""

from __future__ import annotations

import hashlib

import httpx

from ._exceptions import AuthenticationError, IyzicoAPIError, SignedRequest
from ._operations import Operation
from ._signing import parse_authorization_header, signed_path

__all__ = ["explained"]

_INVALID_SIGNATURE = "1000"
_USUAL_CAUSES = (
    "Usual causes: the secret key is not the one of this API key (each environment has its own pair: sandbox "
    "keys start with 'sandbox-' and work only on sandbox-api.iyzipay.com); the secret key carries stray "
    "whitespace (a trailing newline from a file or an environment variable); a proxy or another library "
    "changed the body or the path after it was signed."
)


def _signed(request: httpx.Request, operation: Operation | None) -> SignedRequest:
    parts = parse_authorization_header(request.headers.get("authorization", ""))
    body = bytes(request.content)
    shown = operation is None or not operation.carries_card
    return SignedRequest(
        path=signed_path(request.url.raw_path).decode("ascii", "replace"),
        body_length=len(body),
        body_sha256=hashlib.sha256(body).hexdigest() if shown else None,
        random_key=parts.random_key if parts else "",
    )


def explained(error: IyzicoAPIError, request: httpx.Request, operation: Operation | None) -> IyzicoAPIError:
    """`error`, and for error 1000 with what was signed (`.signed`) and the usual causes in its message."""
    if not isinstance(error, AuthenticationError) or error.error_code != _INVALID_SIGNATURE:
        return error
    signed = _signed(request, operation)
    digest = f"SHA-256 {signed.body_sha256}" if signed.body_sha256 else "SHA-256 not shown: it carries a card number"
    error.signed = signed
    error.message += (
        f". This client signed the path {signed.path!r} and a body of {signed.body_length} bytes ({digest}) "
        f"with the random key {signed.random_key!r}, and sent exactly those bytes. {_USUAL_CAUSES}"
    )
    error.args = (error.message,)
    return error
