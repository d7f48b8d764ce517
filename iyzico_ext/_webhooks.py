"""Verifying what iyzico sends to *you*: the 3-D Secure callback form and webhook notifications.

Both are checked in constant time and only then turned into a typed object; nothing unverified is
returned. Formulas (iyzico-api.md b.2 and h):

* 3-D Secure callback (browser form POST to callbackUrl): hex HMAC-SHA256(secret,
  "conversationData:conversationId:mdStatus:paymentId:status"); only mdStatus 1 means the card
  holder authenticated, so anything else raises `ThreedsNotAuthenticatedError` by default.
* Webhook header `X-IYZ-SIGNATURE-V3`: hex HMAC-SHA256(secret, secret + iyziEventType + paymentId +
  paymentConversationId + status) for API payments ("direct" format), and secret + iyziEventType +
  iyziPaymentId + token + paymentConversationId + status for checkout form / pay with iyzico ("hpp").
* Subscription notifications (`verify_subscription_webhook`): hex HMAC-SHA256(secret, merchantId + secret +
  iyziEventType + subscriptionReferenceCode + orderReferenceCode + customerReferenceCode). UNCONFIRMED:
  iyzico publishes no formula; this is the one the third-party iyzico-js client implements, kept in one
  constant (`SUBSCRIPTION_SIGNATURE_FORMULA`) to change when iyzico confirms another. The payload carries
  no merchantId: the caller passes its own (the merchant panel shows it).

Both formulas join fields that the signature does not delimit (the webhook's not at all, the
callback's with a `:` that free text may contain), so one signature can verify several readings of
the same text: paymentId `25000012` + conversation `34` is also `2500001` + `234`. Before the HMAC is
computed, every signed field must therefore have the one shape that pins its boundaries: ids are
digits, the event type and status come from iyzico's published lists (no status is a suffix of
another), the token is a UUID, the callback's status and mdStatus are known values, and a callback
field holding `:` is refused; the format is tied to the event type (an event type that iyzico sends
in only one format cannot be re-read as the other); anything that is not a string (a JSON object, a
multipart file part) is refused. What remains ambiguous is written in the README's Security section:
acting on a notification means re-fetching the payment through the signed retrieve call.
"""

from __future__ import annotations

import re
import typing
from collections.abc import Mapping

import attrs

from ._body import JSONObject, parse_json_object
from ._exceptions import SignatureVerificationError, ThreedsNotAuthenticatedError
from ._secret import SecretKey
from ._signing import response_signature_matches

__all__ = [
    "SUBSCRIPTION_SIGNATURE_FORMULA",
    "SubscriptionWebhookEvent",
    "ThreedsCallback",
    "WebhookEvent",
    "subscription_signed_text",
    "verify_subscription_webhook",
    "verify_threeds_callback",
    "verify_webhook",
]

WebhookFormat = typing.Literal["direct", "hpp"]

_CALLBACK_FIELDS = ("conversationData", "conversationId", "mdStatus", "paymentId", "status")
_CALLBACK_STATUSES = frozenset({"success", "failure"})
_AUTHENTICATED_MD_STATUS = "1"
_SIGNATURE_SEPARATOR = ":"

# iyzico-api.md d.25/d.26 and iyzico's webhook page. Some event types come in both formats; for those
# the presence of `token` decides, and the README says what that leaves open.
_DIRECT_EVENT_TYPES = frozenset(
    {
        "PAYMENT_API",
        "API_AUTH",
        "THREE_DS_AUTH",
        "THREE_DS_CALLBACK",
        "BKM_AUTH",
        "BALANCE",
        "CONTACTLESS_AUTH",
        "CONTACTLESS_REFUND",
        "REFUND_RETRY_FAILURE",
        "REFUND_RETRY_SUCCESS",
    }
)
_HPP_EVENT_TYPES = frozenset(
    {
        "CHECKOUT_FORM_AUTH",
        "BANK_TRANSFER_AUTH",
        "BKM_AUTH",
        "BALANCE",
        "CONTACTLESS_AUTH",
        "CONTACTLESS_REFUND",
        "CREDIT_PAYMENT_AUTH",
        "CREDIT_PAYMENT_PENDING",
        "CREDIT_PAYMENT_INIT",
        "PWI_TKN_FUND",
        "PWI_TKN_AUTH",
        "PWI_TKN_THREEDS_AUTH",
    }
)
# iyzico-api.md d.10: paymentStatus, with the values only webhooks carry.
_PAYMENT_STATUSES = frozenset(
    {
        "SUCCESS",
        "FAILURE",
        "INIT_THREEDS",
        "CALLBACK_THREEDS",
        "BKM_POS_SELECTED",
        "INIT_APM",
        "INIT_BANK_TRANSFER",
        "INIT_CREDIT",
        "PENDING_CREDIT",
        "INIT_CONTACTLESS",
    }
)
_EVENT_TYPES = _DIRECT_EVENT_TYPES | _HPP_EVENT_TYPES
_ID = re.compile(r"[0-9]{1,20}")
_ID_LIMIT = 10**20
_MD_STATUS = re.compile(r"[0-9]")
_TOKEN = re.compile(r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}")


def _refused(what: str, rule: str) -> typing.NoReturn:
    # The message names the field and the rule, never the value (it may be an attacker's log line).
    raise SignatureVerificationError(f"{what}: refused, {rule}")


def _string(source: Mapping[str, object], key: str, what: str, *, optional: bool = False) -> str:
    value = source.get(key)
    if value is None and optional:
        return ""
    if not isinstance(value, str):
        _refused(what, f"{key} must be {'absent or ' if optional else ''}a string")
    return value


def _payment_id(source: Mapping[str, object], key: str, what: str) -> str | None:
    """An id as iyzico writes it (a JSON integer or a string of digits) as text; `None` when absent."""
    value = source.get(key)
    if value is None:
        return None
    if isinstance(value, int) and not isinstance(value, bool) and 0 <= value < _ID_LIMIT:
        return str(value)
    if isinstance(value, str) and _ID.fullmatch(value):
        return value
    _refused(what, f"{key} must be an id of digits")


# -- 3-D Secure callback ----------------------------------------------------------------------------------


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
        """Whether the card holder authenticated (mdStatus 1)."""
        return self.status == "success" and self.md_status == _AUTHENTICATED_MD_STATUS


def _callback_fields(form: Mapping[str, object]) -> ThreedsCallback:
    what = "3-D Secure callback"
    conversation_data = _string(form, "conversationData", what, optional=True)
    conversation_id = _string(form, "conversationId", what, optional=True)
    if _SIGNATURE_SEPARATOR in conversation_data or _SIGNATURE_SEPARATOR in conversation_id:
        # "a:b" + ":" + "c" and "a" + ":" + "b:c" are signed alike.
        _refused(what, "conversationData and conversationId must not contain ':'")
    md_status = _string(form, "mdStatus", what)
    if not _MD_STATUS.fullmatch(md_status):
        _refused(what, "mdStatus must be one digit")
    payment_id = _string(form, "paymentId", what)
    if not _ID.fullmatch(payment_id):
        _refused(what, "paymentId must be an id of digits")
    status = _string(form, "status", what)
    if status not in _CALLBACK_STATUSES:
        _refused(what, "status must be success or failure")
    return ThreedsCallback(
        status=status,
        payment_id=payment_id,
        conversation_id=conversation_id,
        conversation_data=conversation_data,
        md_status=md_status,
    )


def verify_threeds_callback(
    form: Mapping[str, object], secret_key: str | SecretKey, *, require_authenticated: bool = True
) -> ThreedsCallback:
    """Verify the form iyzico's bank page POSTs to your callbackUrl.

    Raises `SignatureVerificationError` when the signature is missing or wrong or a field has a shape
    iyzico never sends (not a string, a `:` in conversationData or conversationId, an unknown status),
    and (unless `require_authenticated=False`) `ThreedsNotAuthenticatedError` when mdStatus is not 1.
    """
    secret_key = SecretKey.of(secret_key)  # the plain key does not stay in this frame
    callback = _callback_fields(form)
    signed = {
        "conversationData": callback.conversation_data,
        "conversationId": callback.conversation_id,
        "mdStatus": callback.md_status,
        "paymentId": callback.payment_id,
        "status": callback.status,
    }
    if not response_signature_matches(secret_key, signed, _CALLBACK_FIELDS, form.get("signature")):
        raise SignatureVerificationError(
            "3-D Secure callback: signature missing or wrong", recipes_tried=("callbackUrl form",)
        )
    if require_authenticated and not callback.authenticated:
        raise ThreedsNotAuthenticatedError(
            md_status=callback.md_status, status=callback.status, conversation_id=callback.conversation_id or None
        )
    return callback


# -- webhooks -----------------------------------------------------------------------------------------


@attrs.frozen
class WebhookEvent:
    """A verified iyzico notification about a payment.

    The signature covers `event_type`, `payment_id`, `token` (hpp format), `payment_conversation_id`
    and `status`, nothing else: `merchant_id`, `reference_code`, `event_time_ms` and the rest of
    `payload` are as received, unproven. Re-fetch the payment before acting on it (README, Security).
    """

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


def _webhook_format(payload: JSONObject, event_type: str) -> WebhookFormat:
    has_token = payload.get("token") is not None
    if event_type not in _EVENT_TYPES:
        _refused("webhook", "iyziEventType is not one iyzico sends for payments")
    if has_token and event_type not in _HPP_EVENT_TYPES:
        _refused("webhook", "this iyziEventType comes without a token (direct format)")
    if not has_token and event_type not in _DIRECT_EVENT_TYPES:
        _refused("webhook", "this iyziEventType comes with a token (hpp format)")
    return "hpp" if has_token else "direct"


def _one_payment_id(payload: JSONObject) -> str:
    """The payment's id: `paymentId` and `iyziPaymentId` name the same payment wherever both appear
    (iyzico's example; its samples sign either), so two different values are refused."""
    payment_id = _payment_id(payload, "paymentId", "webhook")
    iyzi_payment_id = _payment_id(payload, "iyziPaymentId", "webhook")
    if payment_id is not None and iyzi_payment_id is not None and payment_id != iyzi_payment_id:
        _refused("webhook", "paymentId and iyziPaymentId differ")
    found = payment_id if payment_id is not None else iyzi_payment_id
    if found is None:
        _refused("webhook", "paymentId or iyziPaymentId is required")
    return found


def _webhook_event(payload: JSONObject) -> WebhookEvent:
    """The notification's fields, each checked for the shape that pins it inside the signed text."""
    if "subscriptionReferenceCode" in payload:
        _refused("webhook", "this is a subscription notification: verify it with verify_subscription_webhook")
    event_type = _string(payload, "iyziEventType", "webhook")
    webhook_format = _webhook_format(payload, event_type)
    payment_id = _one_payment_id(payload)
    token = None
    if webhook_format == "hpp":
        token = _string(payload, "token", "webhook")
        if not _TOKEN.fullmatch(token):
            _refused("webhook", "token must be a UUID")
    conversation_id = _string(payload, "paymentConversationId", "webhook", optional=True)
    status = _string(payload, "status", "webhook")
    if status not in _PAYMENT_STATUSES:
        _refused("webhook", "status is not a payment status iyzico sends")
    merchant_id = _payment_id(payload, "merchantId", "webhook")
    reference_code = _string(payload, "iyziReferenceCode", "webhook", optional=True) or None
    event_time = payload.get("iyziEventTime")
    if event_time is not None and (isinstance(event_time, bool) or not isinstance(event_time, int)):
        _refused("webhook", "iyziEventTime must be an integer")
    return WebhookEvent(
        format=webhook_format,
        event_type=event_type,
        status=status,
        payment_conversation_id=conversation_id,
        payment_id=payment_id,
        token=token,
        merchant_id=merchant_id,
        reference_code=reference_code,
        event_time_ms=event_time,
        payload=payload,
    )


def verify_webhook(body: bytes, signature: str | None, secret_key: str | SecretKey) -> WebhookEvent:
    """Verify a webhook's `X-IYZ-SIGNATURE-V3` header against its raw body, then parse it.

    Raises `SignatureVerificationError` when the header is missing or wrong, the body is not a
    payment notification (subscription notifications included: their formula is not known), or a
    field has a shape iyzico never sends (module docstring).
    """
    secret_key = SecretKey.of(secret_key)  # the plain key does not stay in this frame
    payload = parse_json_object(body)
    if payload is None:
        _refused("webhook", "the body must be a JSON object with numbers in range")
    event = _webhook_event(payload)
    signed = event.event_type + event.payment_id + (event.token or "") + event.payment_conversation_id + event.status
    if not secret_key.signs(signed.encode("utf-8"), signature, prefix_key=True):
        raise SignatureVerificationError(
            f"webhook: X-IYZ-SIGNATURE-V3 missing or wrong ({event.format} format)",
            recipes_tried=(f"X-IYZ-SIGNATURE-V3 {event.format}",),
        )
    return event


# -- subscription webhooks ------------------------------------------------------------------------------------

SECRET_KEY_PART: typing.Final = "<secretKey>"  # noqa: S105 - a placeholder in a formula, not a key
# The signed text of a subscription notification, field by field; SECRET_KEY_PART is where the key goes.
# UNCONFIRMED (iyzico-api.md h: not established by iyzico's sources): the formula of the third-party
# iyzico-js client. When iyzico confirms another, change this constant; the emulator signs with it too.
SUBSCRIPTION_SIGNATURE_FORMULA: typing.Final = (
    "merchantId",
    SECRET_KEY_PART,
    "iyziEventType",
    "subscriptionReferenceCode",
    "orderReferenceCode",
    "customerReferenceCode",
)
SUBSCRIPTION_EVENT_TYPES: typing.Final = frozenset({"subscription.order.success", "subscription.order.failure"})
_PAID_EVENT = "subscription.order.success"
_SUBSCRIPTION_REFERENCES = ("subscriptionReferenceCode", "orderReferenceCode", "customerReferenceCode")


def subscription_signed_text(values: Mapping[str, str]) -> tuple[bytes, bytes]:
    """(the text before the secret key, the text after it) that a subscription notification's signature covers."""
    at = SUBSCRIPTION_SIGNATURE_FORMULA.index(SECRET_KEY_PART)
    before = "".join(values[name] for name in SUBSCRIPTION_SIGNATURE_FORMULA[:at])
    after = "".join(values[name] for name in SUBSCRIPTION_SIGNATURE_FORMULA[at + 1 :])
    return before.encode("utf-8"), after.encode("utf-8")


@attrs.frozen
class SubscriptionWebhookEvent:
    """A verified iyzico notification about one order (billing period) of a subscription.

    `subscription.order.success`: the order was paid; `subscription.order.failure`: its charge was declined
    and the subscription is UNPAID (retry the order with retrySubscriptionPayment once the card is fixed).
    The signature (formula unconfirmed, `SUBSCRIPTION_SIGNATURE_FORMULA`) covers `event_type` and the three
    reference codes; `reference_code`, `event_time_ms` and the rest of `payload` are as received, unproven.
    Before acting on one, read the order (retrieveSubscriptionOrder) or the subscription.
    """

    event_type: str
    subscription_reference_code: str
    order_reference_code: str
    customer_reference_code: str
    merchant_id: str
    reference_code: str | None
    event_time_ms: int | None
    payload: JSONObject = attrs.field(repr=False)

    @property
    def paid(self) -> bool:
        """True when the event is a renewal that charged the card (`subscription.order.success`)."""
        return self.event_type == _PAID_EVENT


def _merchant_id(value: object) -> str:
    if isinstance(value, int) and not isinstance(value, bool) and 0 <= value < _ID_LIMIT:
        return str(value)
    if isinstance(value, str) and _ID.fullmatch(value):
        return value
    raise ValueError("merchant_id must be your iyzico merchant id: digits (the merchant panel shows it)")


def _subscription_event(payload: JSONObject, merchant_id: str) -> SubscriptionWebhookEvent:
    what = "subscription webhook"
    event_type = _string(payload, "iyziEventType", what)
    if event_type not in SUBSCRIPTION_EVENT_TYPES:
        _refused(what, "iyziEventType is not one iyzico sends for subscription orders")
    references = {}
    for name in _SUBSCRIPTION_REFERENCES:
        references[name] = _string(payload, name, what)
        if not _TOKEN.fullmatch(references[name]):
            _refused(what, f"{name} must be a UUID")
    event_time = payload.get("iyziEventTime")
    if event_time is not None and (isinstance(event_time, bool) or not isinstance(event_time, int)):
        _refused(what, "iyziEventTime must be an integer")
    return SubscriptionWebhookEvent(
        event_type=event_type,
        subscription_reference_code=references["subscriptionReferenceCode"],
        order_reference_code=references["orderReferenceCode"],
        customer_reference_code=references["customerReferenceCode"],
        merchant_id=merchant_id,
        reference_code=_string(payload, "iyziReferenceCode", what, optional=True) or None,
        event_time_ms=event_time,
        payload=payload,
    )


def verify_subscription_webhook(
    body: bytes, signature: str | None, secret_key: str | SecretKey, *, merchant_id: int | str
) -> SubscriptionWebhookEvent:
    """Verify a subscription notification's `X-IYZ-SIGNATURE-V3` header against its raw body, then parse it.

    `merchant_id` is your iyzico merchant id (not in the payload, part of the signed text). Raises
    `SignatureVerificationError` when the header is missing or wrong, the body is not a subscription
    notification (payment notifications: `verify_webhook`), or a field has a shape iyzico never sends.
    """
    secret_key = SecretKey.of(secret_key)  # the plain key does not stay in this frame
    merchant = _merchant_id(merchant_id)
    payload = parse_json_object(body)
    if payload is None:
        _refused("subscription webhook", "the body must be a JSON object with numbers in range")
    event = _subscription_event(payload, merchant)
    values = {
        "merchantId": merchant,
        "iyziEventType": event.event_type,
        "subscriptionReferenceCode": event.subscription_reference_code,
        "orderReferenceCode": event.order_reference_code,
        "customerReferenceCode": event.customer_reference_code,
    }
    before_key, after_key = subscription_signed_text(values)
    if not secret_key.signs(after_key, signature, prefix_key=True, before_key=before_key):
        raise SignatureVerificationError(
            "subscription webhook: X-IYZ-SIGNATURE-V3 missing or wrong (formula unconfirmed: see "
            "SUBSCRIPTION_SIGNATURE_FORMULA)",
            recipes_tried=("X-IYZ-SIGNATURE-V3 subscription",),
        )
    return event
