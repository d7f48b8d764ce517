"""Verifying what iyzico sends to *you*: the 3-D Secure callback form and webhook notifications.

Both are checked in constant time and only then turned into a typed object; nothing unverified is
returned. Formulas (iyzico-api.md b.2 and h):

* 3-D Secure callback (browser form POST to callbackUrl): hex HMAC-SHA256(secret,
  "conversationData:conversationId:mdStatus:paymentId:status"); only mdStatus 1 means the card
  holder authenticated, so anything else raises `ThreedsNotAuthenticatedError` by default.
* Webhook header `X-IYZ-SIGNATURE-V3`: hex HMAC-SHA256(secret, secret + iyziEventType + paymentId +
  paymentConversationId + status) for API payments ("direct" format), and secret + iyziEventType +
  iyziPaymentId + token + paymentConversationId + status for checkout form / pay with iyzico ("hpp",
  recognised by its `token`). Subscription notifications have no known formula and are refused.
"""

from __future__ import annotations

import hashlib
import hmac
import typing
from collections.abc import Mapping

import attrs

from ._body import JSONObject, parse_json_object
from ._exceptions import SignatureVerificationError, ThreedsNotAuthenticatedError
from ._secret import SecretKey
from ._signing import response_signature, signature_field_text, signatures_equal

__all__ = ["ThreedsCallback", "WebhookEvent", "verify_threeds_callback", "verify_webhook"]

_CALLBACK_FIELDS = ("conversationData", "conversationId", "mdStatus", "paymentId", "status")
_DIRECT_FIELDS = ("iyziEventType", "paymentId", "paymentConversationId", "status")
_HPP_FIELDS = ("iyziEventType", "iyziPaymentId", "token", "paymentConversationId", "status")
_AUTHENTICATED_MD_STATUS = "1"
WebhookFormat = typing.Literal["direct", "hpp"]


def _secret(secret_key: str | SecretKey) -> SecretKey:
    return secret_key if isinstance(secret_key, SecretKey) else SecretKey(secret_key)


@attrs.frozen
class ThreedsCallback:
    """A verified 3-D Secure callback; complete the payment with `paymentId` (and `conversationData`)."""

    status: str
    payment_id: str
    conversation_id: str
    conversation_data: str
    md_status: str

    @property
    def authenticated(self) -> bool:
        return self.status == "success" and self.md_status == _AUTHENTICATED_MD_STATUS


def verify_threeds_callback(
    form: Mapping[str, str], secret_key: str | SecretKey, *, require_authenticated: bool = True
) -> ThreedsCallback:
    """Verify the form iyzico's bank page POSTs to your callbackUrl.

    Raises `SignatureVerificationError` when the signature is missing or wrong, and (unless
    `require_authenticated=False`) `ThreedsNotAuthenticatedError` when mdStatus is not 1.
    """
    expected = response_signature(_secret(secret_key).reveal(), form, _CALLBACK_FIELDS)
    if not signatures_equal(expected, form.get("signature")):
        raise SignatureVerificationError(
            "3-D Secure callback: signature missing or wrong", recipes_tried=("callbackUrl form",)
        )
    callback = ThreedsCallback(
        status=form.get("status", ""),
        payment_id=form.get("paymentId", ""),
        conversation_id=form.get("conversationId", ""),
        conversation_data=form.get("conversationData", ""),
        md_status=form.get("mdStatus", ""),
    )
    if require_authenticated and not callback.authenticated:
        raise ThreedsNotAuthenticatedError(
            md_status=callback.md_status, status=callback.status, conversation_id=callback.conversation_id or None
        )
    return callback


@attrs.frozen
class WebhookEvent:
    """A verified iyzico notification about a payment."""

    format: WebhookFormat
    event_type: str
    status: str
    payment_conversation_id: str
    payment_id: str
    token: str | None
    merchant_id: str | None
    reference_code: str | None
    event_time_ms: int | None
    payload: JSONObject = attrs.field(repr=False)


def _text(payload: JSONObject, key: str) -> str:
    return signature_field_text(payload.get(key))


def _optional_text(payload: JSONObject, key: str) -> str | None:
    return None if payload.get(key) is None else _text(payload, key)


def verify_webhook(body: bytes, signature: str | None, secret_key: str | SecretKey) -> WebhookEvent:
    """Verify a webhook's `X-IYZ-SIGNATURE-V3` header against its raw body, then parse it.

    Raises `SignatureVerificationError` when the header is missing or wrong, or the body is not a
    payment notification.
    """
    payload = parse_json_object(body)
    if payload is None or "paymentConversationId" not in payload:
        raise SignatureVerificationError("webhook: not a payment notification that can be verified")
    webhook_format: WebhookFormat = "hpp" if payload.get("token") is not None else "direct"
    fields = _HPP_FIELDS if webhook_format == "hpp" else _DIRECT_FIELDS
    secret = _secret(secret_key).reveal()
    message = secret + "".join(_text(payload, field) for field in fields).encode("utf-8")
    expected = hmac.new(secret, message, hashlib.sha256).hexdigest()
    if not signatures_equal(expected, signature):
        raise SignatureVerificationError(
            f"webhook: X-IYZ-SIGNATURE-V3 missing or wrong ({webhook_format} format)",
            recipes_tried=(f"X-IYZ-SIGNATURE-V3 {webhook_format}",),
        )
    event_time = payload.get("iyziEventTime")
    return WebhookEvent(
        format=webhook_format,
        event_type=_text(payload, "iyziEventType"),
        status=_text(payload, "status"),
        payment_conversation_id=_text(payload, "paymentConversationId"),
        payment_id=_text(payload, "iyziPaymentId" if webhook_format == "hpp" else "paymentId"),
        token=_optional_text(payload, "token"),
        merchant_id=_optional_text(payload, "merchantId"),
        reference_code=_optional_text(payload, "iyziReferenceCode"),
        event_time_ms=event_time if isinstance(event_time, int) and not isinstance(event_time, bool) else None,
        payload=payload,
    )
