"""Every exception the client raises, all rooted at `IyzicoError`::

    IyzicoError
    ├── RequestValidationError          bad input, caught before a single byte was sent (also a ValueError)
    ├── IyzicoAPIError                  iyzico answered `status: failure` (.error_code, .error_message, ...)
    │   ├── CardDeclinedError           the bank declined the card (errorCode 10xxx, has an errorGroup)
    │   ├── InvalidRequestError         iyzico's own validation and business rules (e.g. 12, 5062)
    │   ├── AuthenticationError         1000 invalid signature, 1001 unknown API key
    │   └── RateLimitError              50000 "Request Limit Exceeded", or HTTP 429
    ├── ResponseVerificationError       the response cannot be trusted
    │   ├── SignatureVerificationError  signature missing or wrong (.recipes_tried)
    │   ├── ResponseMismatchError       signed, but about another payment than the one requested
    │   └── MalformedResponseError      a success lacking a field the operation guarantees, or unreadable
    ├── IyzicoConnectionError           no usable response: transport failure, 5xx, non-JSON body
    │   └── IyzicoTimeoutError          ... because a timeout or the call's deadline ran out
    ├── PaymentOutcomeUnknown           a money-moving call may or may not have moved money (.ids)
    │   ├── UnverifiedPaymentOutcome    ... and its response failed signature verification
    │   ├── MismatchedPaymentOutcome    ... and its response was about another payment
    │   └── MalformedPaymentOutcome     ... and its success response was malformed
    └── ThreedsNotAuthenticatedError    a genuine 3-D Secure callback without mdStatus 1: do not complete

Those three are also `SignatureVerificationError` / `ResponseMismatchError` / `MalformedResponseError`: a
bad response to a payment call is both a trust failure and an unknown outcome, and either `except` clause
catches it.

Messages never contain a request body, a card number, a key or a whole response body; they name the
operation, the HTTP status and iyzico's error code. Each carries `.conversation_id` (what to reconcile
with) and `.operation_id`.
"""

from __future__ import annotations

import types
import typing
from collections.abc import Mapping

from ._text import printable

__all__ = [
    "AuthenticationError",
    "CardDeclinedError",
    "InvalidRequestError",
    "IyzicoAPIError",
    "IyzicoConnectionError",
    "IyzicoError",
    "IyzicoTimeoutError",
    "MalformedPaymentOutcome",
    "MalformedResponseError",
    "MismatchedPaymentOutcome",
    "PaymentOutcomeUnknown",
    "RateLimitError",
    "RequestValidationError",
    "ResponseMismatchError",
    "ResponseVerificationError",
    "SignatureVerificationError",
    "SignedRequest",
    "ThreedsNotAuthenticatedError",
    "UnverifiedPaymentOutcome",
    "api_error_from_body",
]

_AUTHENTICATION_CODES = frozenset({"1000", "1001"})
_RATE_LIMIT_CODE = "50000"
_BANK_CODES = range(10000, 20000)
_MAX_ERROR_MESSAGE = 300  # iyzico's messages are short; a longer one is not echoed whole


class IyzicoError(Exception):
    """Root of every error raised by `iyzico_ext`."""

    def __init__(self, message: str, *, operation_id: str | None = None, conversation_id: str | None = None):
        super().__init__(message)
        self.message = message
        self.operation_id = operation_id
        self.conversation_id = conversation_id

    def __str__(self) -> str:
        return self.message

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.message!r})"


class RequestValidationError(IyzicoError, ValueError):
    """A request field breaks a rule iyzico would reject it for; nothing was sent."""

    def __init__(self, field: str, rule: str, *, operation_id: str | None = None):
        super().__init__(f"{field}: {rule}", operation_id=operation_id)
        self.field = field
        self.rule = rule


class IyzicoAPIError(IyzicoError):
    """iyzico processed the request and answered `status: failure`."""

    def __init__(
        self,
        *,
        error_code: str | None,
        error_message: str | None,
        error_group: str | None,
        http_status: int,
        operation_id: str | None = None,
        conversation_id: str | None = None,
    ):
        # The response's text is the server's: escaped, so a logged error stays one line.
        shown = printable((error_message or "")[:_MAX_ERROR_MESSAGE])
        group = f" [{printable(error_group)}]" if error_group else ""
        where = f" on {operation_id}" if operation_id else ""
        super().__init__(
            f"iyzico error {printable(error_code or '-')}{group}{where} (HTTP {http_status}): {shown}",
            operation_id=operation_id,
            conversation_id=conversation_id,
        )
        self.error_code = error_code
        self.error_message = error_message
        self.error_group = error_group
        self.http_status = http_status


class CardDeclinedError(IyzicoAPIError):
    """The card's bank declined (errorCode = bank code + 10000; map on `.error_group`, as iyzico advises)."""


class InvalidRequestError(IyzicoAPIError):
    """iyzico rejected the request under its validation or business rules."""


class SignedRequest(typing.NamedTuple):
    """What the client signed for a request iyzico refused with 1000 (never the secret key)."""

    path: str
    body_length: int
    body_sha256: str | None  # None when the body carries a card number (its hash is not shown)
    random_key: str


class AuthenticationError(IyzicoAPIError):
    """Wrong key pair, or a sandbox key used against live (or the reverse). For error 1000 (iyzico could not
    verify the request signature) `.signed` says what this client signed and the message the usual causes."""

    signed: SignedRequest | None = None


class RateLimitError(IyzicoAPIError):
    """iyzico's request limit was exceeded (errorCode 50000 or HTTP 429)."""


class ResponseVerificationError(IyzicoError):
    """The response arrived but cannot be trusted."""


class SignatureVerificationError(ResponseVerificationError):
    """A signed operation's response had no signature, or one that matches no documented recipe."""

    def __init__(
        self,
        message: str,
        *,
        recipes_tried: tuple[str, ...] = (),
        operation_id: str | None = None,
        conversation_id: str | None = None,
    ):
        super().__init__(message, operation_id=operation_id, conversation_id=conversation_id)
        self.recipes_tried = recipes_tried


class _ResponseFieldsError(ResponseVerificationError):
    """A response refused for some of its fields (`.fields`)."""

    def __init__(
        self,
        message: str,
        *,
        fields: tuple[str, ...] = (),
        operation_id: str | None = None,
        conversation_id: str | None = None,
    ):
        super().__init__(message, operation_id=operation_id, conversation_id=conversation_id)
        self.fields = fields


class ResponseMismatchError(_ResponseFieldsError):
    """The response's conversationId, amounts, basketId or currency differ from the request's (`.fields`)."""


class MalformedResponseError(_ResponseFieldsError):
    """A success response lacks a field the operation guarantees, or holds one that cannot be read (`.fields`)."""


class IyzicoConnectionError(IyzicoError):
    """No usable response: the connection failed, iyzico answered 5xx, or the body was not iyzico JSON."""


class IyzicoTimeoutError(IyzicoConnectionError):
    """A connect/read/write/pool timeout, or the call's overall deadline, ran out."""


class PaymentOutcomeUnknown(IyzicoError):
    """A money-moving call failed after its bytes may have reached iyzico.

    Do not resend blindly: look the payment up with `reconcile_payment(client, err.conversation_id)`.
    `.ids` holds the ids the answer showed, as read (e.g. `{"paymentId": "25000012"}`), when there was one.
    """

    conversation_id: str
    ids: Mapping[str, str] = types.MappingProxyType({})


class UnverifiedPaymentOutcome(SignatureVerificationError, PaymentOutcomeUnknown):
    """A money-moving call's response failed signature verification."""


class MismatchedPaymentOutcome(ResponseMismatchError, PaymentOutcomeUnknown):
    """A money-moving call's response was signed but about another payment (a replay, or a mix-up)."""


class MalformedPaymentOutcome(MalformedResponseError, PaymentOutcomeUnknown):
    """A money-moving call's success response lacked a guaranteed field or held an unreadable one."""


class ThreedsNotAuthenticatedError(IyzicoError):
    """The 3-D Secure callback is genuine, but the card holder did not authenticate (mdStatus != 1)."""

    def __init__(self, *, md_status: str, status: str, conversation_id: str | None):
        super().__init__(
            f"3-D Secure not authenticated (mdStatus {md_status!r}, status {status!r}); do not complete the payment",
            conversation_id=conversation_id,
        )
        self.md_status = md_status
        self.status = status


def _text(body: Mapping[str, typing.Any], key: str) -> str | None:
    value = body.get(key)
    return None if value is None else str(value)


def _api_error_class(error_code: str | None) -> type[IyzicoAPIError]:
    if error_code in _AUTHENTICATION_CODES:
        return AuthenticationError
    if error_code == _RATE_LIMIT_CODE:
        return RateLimitError
    if error_code is not None and error_code.isdigit() and int(error_code) in _BANK_CODES:
        return CardDeclinedError
    return InvalidRequestError


def api_error_from_body(
    body: Mapping[str, typing.Any], *, http_status: int, operation_id: str | None
) -> IyzicoAPIError:
    """The `IyzicoAPIError` subclass for a `status: failure` body, chosen by `errorCode`."""
    error_code = _text(body, "errorCode")
    error_class = _api_error_class(error_code)
    if error_class is InvalidRequestError and body.get("errorGroup"):
        # Bank errors always come with an errorGroup; iyzico advises mapping on the group.
        error_class = CardDeclinedError
    return error_class(
        error_code=error_code,
        error_message=_text(body, "errorMessage"),
        error_group=_text(body, "errorGroup"),
        http_status=http_status,
        operation_id=operation_id,
        conversation_id=_text(body, "conversationId"),
    )
