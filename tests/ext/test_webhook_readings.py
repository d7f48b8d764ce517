"""Webhooks and 3-D Secure callbacks refuse every other reading of a signed text that they can tell apart.

iyzico's `X-IYZ-SIGNATURE-V3` signs a plain concatenation and the callback signature a `:`-joined one,
so one signature verifies every way of cutting the same text into fields. These tests take a genuine,
signed notification, cut its signed text differently (moving characters across each boundary, and
across formats), and send every such reading with the genuine signature: only the genuine reading
verifies, except for the two ambiguities the protocol leaves (README, Security): digits moving
between paymentId and paymentConversationId, and the event types iyzico sends in both formats read
in the other one. Fields of the wrong type are refused as such, never with a TypeError.
"""

from __future__ import annotations

import contextlib
import itertools
import json
import typing
import uuid

import pytest
from hypothesis import given
from hypothesis import strategies as st

from iyzico_ext import SignatureVerificationError, WebhookEvent, verify_threeds_callback, verify_webhook
from iyzico_ext._secret import SecretKey
from iyzico_ext._signing import response_signature
from iyzico_ext._webhooks import _DIRECT_EVENT_TYPES, _HPP_EVENT_TYPES, _PAYMENT_STATUSES

from .conftest import CANARY_SECRET

SECRET = SecretKey(CANARY_SECRET)
DIRECT = ("iyziEventType", "paymentId", "paymentConversationId", "status")
HPP = ("iyziEventType", "iyziPaymentId", "token", "paymentConversationId", "status")
SHARED_EVENT_TYPES = _DIRECT_EVENT_TYPES & _HPP_EVENT_TYPES

Reading = tuple[tuple[str, ...], tuple[str, ...]]  # (field names, values)

_ids = st.integers(min_value=0, max_value=10**10).map(str)
_uuids = st.builds(lambda: str(uuid.uuid4()))
# Merchants' conversation ids: digits, text, UUIDs, and UUIDs with more text around them.
_conversation_ids = st.one_of(
    st.text(alphabet="0123456789abcdefABCDEF-_:.", max_size=8),
    _uuids,
    st.tuples(st.text(alphabet="0123456789", max_size=3), _uuids, st.text(alphabet="abc123", max_size=3)).map("".join),
)


@st.composite
def genuine_readings(draw: st.DrawFn) -> Reading:
    if draw(st.booleans()):
        event_type = draw(st.sampled_from(sorted(_DIRECT_EVENT_TYPES)))
        values = (event_type, draw(_ids), draw(_conversation_ids), draw(st.sampled_from(sorted(_PAYMENT_STATUSES))))
        return DIRECT, values
    event_type = draw(st.sampled_from(sorted(_HPP_EVENT_TYPES)))
    status = draw(st.sampled_from(sorted(_PAYMENT_STATUSES)))
    return HPP, (event_type, draw(_ids), draw(_uuids), draw(_conversation_ids), status)


def _signed(reading: Reading) -> tuple[bytes, str]:
    names, values = reading
    payload = dict(zip(names, values, strict=True))
    signature = SECRET.hmac_sha256_hex("".join(values).encode(), prefix_key=True)
    return json.dumps(payload).encode(), signature


def _cuts(text: str, count: int) -> typing.Iterator[tuple[str, ...]]:
    """Every way of cutting `text` into `count` pieces (pieces may be empty)."""
    for points in itertools.combinations_with_replacement(range(len(text) + 1), count - 1):
        bounds = (0, *points, len(text))
        yield tuple(text[start:end] for start, end in itertools.pairwise(bounds))


def _other_readings(genuine: Reading) -> typing.Iterator[Reading]:
    """Every reading of the genuine text in either format whose event type is a known prefix and whose
    status is a known suffix (`_boundary_moves` tries the others)."""
    text = "".join(genuine[1])
    for event_type in _DIRECT_EVENT_TYPES | _HPP_EVENT_TYPES:
        for status in _PAYMENT_STATUSES:
            fits = len(event_type) + len(status) <= len(text)
            if not (fits and text.startswith(event_type) and text.endswith(status)):
                continue
            middle = text[len(event_type) : len(text) - len(status)]
            for names in (DIRECT, HPP):
                for pieces in _cuts(middle, len(names) - 2):
                    reading = (names, (event_type, *pieces, status))
                    if reading != genuine:
                        yield reading


def _boundary_moves(genuine: Reading) -> typing.Iterator[Reading]:
    """The genuine reading with one boundary between two neighbouring fields moved, by any distance."""
    names, values = genuine
    for index in range(len(values) - 1):
        joined = values[index] + values[index + 1]
        for cut in range(len(joined) + 1):
            moved = (*values[:index], joined[:cut], joined[cut:], *values[index + 2 :])
            if moved != values:
                yield names, moved


def _key(event: WebhookEvent) -> tuple[object, ...]:
    return event.format, event.event_type, event.payment_id, event.token, event.payment_conversation_id, event.status


def _as_reading(event: WebhookEvent) -> Reading:
    if event.format == "direct":
        return DIRECT, (event.event_type, event.payment_id, event.payment_conversation_id, event.status)
    token = event.token or ""
    return HPP, (event.event_type, event.payment_id, token, event.payment_conversation_id, event.status)


def _left_open_by_the_protocol(reading: Reading, genuine: Reading) -> bool:
    """The two ambiguities the README documents."""
    (names, values), (genuine_names, genuine_values) = reading, genuine
    if names == genuine_names == DIRECT:  # digits moved between paymentId and paymentConversationId
        return values[0] == genuine_values[0] and values[3] == genuine_values[3]
    return values[0] in SHARED_EVENT_TYPES  # an event type iyzico sends in both formats, read in the other


@given(genuine=genuine_readings())
def test_only_the_genuine_reading_verifies_apart_from_what_the_protocol_leaves_open(genuine: Reading) -> None:
    body, signature = _signed(genuine)
    assert _as_reading(verify_webhook(body, signature, SECRET)) == genuine
    for reading in itertools.chain(_boundary_moves(genuine), _other_readings(genuine)):
        forged, _ = _signed(reading)
        try:
            event = verify_webhook(forged, signature, SECRET)
        except SignatureVerificationError:
            continue
        assert _as_reading(event) == reading
        assert _left_open_by_the_protocol(reading, genuine), reading


def test_the_issue_example_is_the_ambiguity_the_readme_names() -> None:
    genuine = (DIRECT, ("API_AUTH", "25000012", "34", "SUCCESS"))
    body, signature = _signed(genuine)
    shifted, _ = _signed((DIRECT, ("API_AUTH", "2500001", "234", "SUCCESS")))
    assert _key(verify_webhook(shifted, signature, SECRET)) == ("direct", "API_AUTH", "2500001", None, "234", "SUCCESS")
    assert _key(verify_webhook(body, signature, SECRET))[2:5] == ("25000012", None, "34")


@pytest.mark.parametrize(
    ("change", "rule"),
    [
        ({"iyziEventType": "API_AUTH", "token": "5e2c09c9-8a4b-4cb0-9d3e-7a1b2c3d4e5f"}, "comes without a token"),
        ({"iyziEventType": "CHECKOUT_FORM_AUTH"}, "comes with a token"),
        ({"iyziEventType": "SUBSCRIPTION_ORDER_SUCCESS"}, "iyziEventType is not one"),
        ({"status": "success"}, "status is not a payment status"),
        ({"paymentId": "12a"}, "paymentId must be an id of digits"),
        ({"paymentId": -1}, "paymentId must be an id of digits"),
        ({"paymentId": 1.5}, "paymentId must be an id of digits"),
        ({"paymentId": True}, "paymentId must be an id of digits"),
        ({"iyziPaymentId": 2}, "paymentId and iyziPaymentId differ"),
        ({"paymentId": None, "iyziPaymentId": None}, "paymentId or iyziPaymentId is required"),
        ({"merchantId": "shop"}, "merchantId must be an id of digits"),
        ({"iyziEventTime": "yesterday"}, "iyziEventTime must be an integer"),
    ],
)
def test_a_webhook_field_of_the_wrong_shape_is_refused_naming_the_rule(change: dict[str, object], rule: str) -> None:
    payload = {"iyziEventType": "API_AUTH", "paymentId": 1, "iyziPaymentId": 1, "paymentConversationId": "c"}
    payload = {**payload, "status": "SUCCESS", **change}
    with pytest.raises(SignatureVerificationError, match=rule):
        verify_webhook(json.dumps(payload).encode(), "0" * 64, SECRET)


_json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=5),
    lambda inner: st.lists(inner, max_size=2) | st.dictionaries(st.text(max_size=3), inner, max_size=2),
    max_leaves=4,
)


@given(genuine=genuine_readings(), data=st.data())
def test_any_json_value_in_any_field_is_refused_or_verified_never_a_crash(
    genuine: Reading, data: st.DataObject
) -> None:
    names, values = genuine
    payload: dict[str, object] = dict(zip(names, values, strict=True))
    payload[data.draw(st.sampled_from([*names, "merchantId", "iyziEventTime", "iyziReferenceCode"]))] = data.draw(
        _json_values
    )
    _, signature = _signed(genuine)
    with contextlib.suppress(SignatureVerificationError):
        verify_webhook(json.dumps(payload).encode(), signature, SECRET)


# -- 3-D Secure callback ---------------------------------------------------------------------------------

CALLBACK_FIELDS = ("conversationData", "conversationId", "mdStatus", "paymentId", "status")
_callback_texts = st.text(alphabet="abc019:-", max_size=6)


def _signed_form(values: tuple[str, ...]) -> dict[str, object]:
    form: dict[str, object] = dict(zip(CALLBACK_FIELDS, values, strict=True))
    form["signature"] = response_signature(SECRET, form, CALLBACK_FIELDS)
    return form


@given(
    data=_callback_texts,
    conversation_id=_callback_texts,
    md_status=st.sampled_from("012345678"),
    payment_id=_ids,
    status=st.sampled_from(["success", "failure"]),
)
def test_a_callback_verifies_in_its_one_reading_only(
    data: str, conversation_id: str, md_status: str, payment_id: str, status: str
) -> None:
    genuine = (data, conversation_id, md_status, payment_id, status)
    form = _signed_form(genuine)
    text = ":".join(genuine)
    colons = [index for index, char in enumerate(text) if char == ":"]
    readings = set()
    for separators in itertools.combinations(colons, 4):
        bounds = (-1, *separators, len(text))
        readings.add(tuple(text[start + 1 : end] for start, end in itertools.pairwise(bounds)))
    accepted = []
    for reading in readings:
        try:
            verify_threeds_callback(
                {**dict(zip(CALLBACK_FIELDS, reading, strict=True)), "signature": form["signature"]},
                SECRET,
                require_authenticated=False,
            )
        except SignatureVerificationError:
            continue
        accepted.append(reading)
    # A ':' in conversationData or conversationId makes the text ambiguous: refused in every reading.
    assert accepted == ([] if ":" in data + conversation_id else [genuine])


@pytest.mark.parametrize(
    ("change", "rule"),
    [
        ({"paymentId": object()}, "paymentId must be a string"),
        ({"conversationId": ["a", "b"]}, "conversationId must be absent or a string"),
        ({"mdStatus": "01"}, "mdStatus must be one digit"),
        ({"status": "SUCCESS"}, "status must be success or failure"),
        ({"paymentId": "1 OR 1"}, "paymentId must be an id of digits"),
        ({"conversationId": "a:b"}, "must not contain ':'"),
    ],
)
def test_a_callback_field_of_the_wrong_shape_is_refused_naming_the_rule(change: dict[str, object], rule: str) -> None:
    form = {**_signed_form(("d", "c", "1", "25000001", "success")), **change}
    with pytest.raises(SignatureVerificationError, match=rule):
        verify_threeds_callback(form, SECRET)
