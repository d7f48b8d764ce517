"""Subscription webhooks: the (unconfirmed) formula, the typed event, and every refusal.

The formula is pinned here by a hand-written HMAC, apart from the library's code: HMAC-SHA256 keyed with the
secret key over merchantId + secretKey + iyziEventType + subscriptionReferenceCode + orderReferenceCode +
customerReferenceCode (the third-party iyzico-js client's; iyzico has not published one).
"""

from __future__ import annotations

import hashlib
import hmac
import json
import typing

import pytest
from hypothesis import given
from hypothesis import strategies as st

from iyzico_ext import SecretKey, SignatureVerificationError, verify_subscription_webhook, verify_webhook
from iyzico_ext.sandbox import webhook_signature

SECRET = "subscription-test-secret"
MERCHANT_ID = 3382172
PAYLOAD: dict[str, typing.Any] = {
    "orderReferenceCode": "ba562488-4956-4817-acc5-d67b6c7de0a0",
    "customerReferenceCode": "3bb6d0b5-b53c-4732-a641-6fa3f8d39c21",
    "subscriptionReferenceCode": "85eaa655-c3fd-4053-9e9b-dacc9e201c5f",
    "iyziReferenceCode": "a2077643-bab7-4b73-85a5-7676c78d7c66",
    "iyziEventType": "subscription.order.success",
    "iyziEventTime": 1756375200000,
}
SIGNED = ("iyziEventType", "subscriptionReferenceCode", "orderReferenceCode", "customerReferenceCode")


def _by_hand(payload: dict[str, typing.Any], merchant_id: int = MERCHANT_ID) -> str:
    text = str(merchant_id) + SECRET + "".join(str(payload[name]) for name in SIGNED)
    return hmac.new(SECRET.encode(), text.encode(), hashlib.sha256).hexdigest()


def _body(payload: dict[str, typing.Any]) -> bytes:
    return json.dumps(payload).encode()


def test_the_formula_is_the_documented_one_and_the_emulator_signs_with_it() -> None:
    assert webhook_signature(SecretKey(SECRET), PAYLOAD, merchant_id=MERCHANT_ID) == _by_hand(PAYLOAD)
    event = verify_subscription_webhook(_body(PAYLOAD), _by_hand(PAYLOAD), SECRET, merchant_id=str(MERCHANT_ID))
    assert (event.event_type, event.paid, event.merchant_id) == ("subscription.order.success", True, "3382172")
    assert (event.subscription_reference_code, event.order_reference_code, event.customer_reference_code) == (
        PAYLOAD["subscriptionReferenceCode"],
        PAYLOAD["orderReferenceCode"],
        PAYLOAD["customerReferenceCode"],
    )
    assert (event.reference_code, event.event_time_ms) == (PAYLOAD["iyziReferenceCode"], 1756375200000)
    failed = {**PAYLOAD, "iyziEventType": "subscription.order.failure"}
    assert not verify_subscription_webhook(_body(failed), _by_hand(failed), SECRET, merchant_id=MERCHANT_ID).paid


@given(field=st.sampled_from(SIGNED), data=st.data())
def test_a_signed_field_changed_is_refused(field: str, data: st.DataObject) -> None:
    changed = {**PAYLOAD, field: data.draw(st.sampled_from(_others(field)), label="value")}
    with pytest.raises(SignatureVerificationError):
        verify_subscription_webhook(_body(changed), _by_hand(PAYLOAD), SECRET, merchant_id=MERCHANT_ID)


def _others(field: str) -> list[str]:
    if field == "iyziEventType":
        return ["subscription.order.failure"]
    return [value for name, value in PAYLOAD.items() if name in SIGNED and value != PAYLOAD[field]]


def test_another_merchant_or_key_does_not_verify() -> None:
    with pytest.raises(SignatureVerificationError):
        verify_subscription_webhook(_body(PAYLOAD), _by_hand(PAYLOAD), SECRET, merchant_id=MERCHANT_ID + 1)
    with pytest.raises(SignatureVerificationError):
        verify_subscription_webhook(_body(PAYLOAD), _by_hand(PAYLOAD), "another-secret", merchant_id=MERCHANT_ID)
    with pytest.raises(SignatureVerificationError):
        verify_subscription_webhook(_body(PAYLOAD), None, SECRET, merchant_id=MERCHANT_ID)


@pytest.mark.parametrize(
    ("change", "rule"),
    [
        ({"iyziEventType": "API_AUTH"}, "iyziEventType"),
        ({"iyziEventType": None}, "iyziEventType must be a string"),
        ({"orderReferenceCode": "ba562488-4956-4817-acc5"}, "orderReferenceCode must be a UUID"),
        ({"customerReferenceCode": {"nested": "object"}}, "customerReferenceCode must be a string"),
        ({"subscriptionReferenceCode": 12}, "subscriptionReferenceCode must be a string"),
        ({"iyziEventTime": "1756375200000"}, "iyziEventTime must be an integer"),
    ],
)
def test_shapes_iyzico_never_sends_are_refused_before_the_hmac(change: dict[str, object], rule: str) -> None:
    shaped = {**PAYLOAD, **change}
    with pytest.raises(SignatureVerificationError, match=rule):
        verify_subscription_webhook(_body(shaped), _by_hand(PAYLOAD), SECRET, merchant_id=MERCHANT_ID)


def test_each_verifier_refuses_the_other_format() -> None:
    with pytest.raises(SignatureVerificationError, match="verify_subscription_webhook"):
        verify_webhook(_body(PAYLOAD), _by_hand(PAYLOAD), SECRET)
    payment = {"paymentConversationId": "c", "paymentId": 1, "status": "SUCCESS", "iyziEventType": "API_AUTH"}
    with pytest.raises(SignatureVerificationError):
        verify_subscription_webhook(_body(payment), "0" * 64, SECRET, merchant_id=MERCHANT_ID)
    with pytest.raises(SignatureVerificationError, match="JSON object"):
        verify_subscription_webhook(b"[1, 2]", "0" * 64, SECRET, merchant_id=MERCHANT_ID)


@pytest.mark.parametrize("merchant_id", ["", "33821a", -1, True, 1.5])
def test_the_merchant_id_must_be_digits(merchant_id: typing.Any) -> None:
    with pytest.raises(ValueError, match="merchant_id"):
        verify_subscription_webhook(_body(PAYLOAD), _by_hand(PAYLOAD), SECRET, merchant_id=merchant_id)
