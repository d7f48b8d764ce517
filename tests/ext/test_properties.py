"""Hypothesis properties of signing, verification, amounts, backoff and redaction."""

from __future__ import annotations

from decimal import Decimal

import httpx
import pytest
from hypothesis import given
from hypothesis import strategies as st

from iyzico_client.models.payment_card import PaymentCard
from iyzico_ext import RetryPolicy, SignatureVerificationError
from iyzico_ext._auth import IyzicoAuth
from iyzico_ext._logging import redact
from iyzico_ext._luhn import luhn_check_digit
from iyzico_ext._money import signature_amount_text
from iyzico_ext._operations import operations
from iyzico_ext._routing import Router
from iyzico_ext._secret import SecretKey
from iyzico_ext._signing import parse_authorization_header, request_signature
from iyzico_ext._verify import verify_response_signature
from tests.numbers import decimals_in_range

from .conftest import BASE_URL, CANARY_API_KEY, PAYMENT_FIELDS, signed_payment

SECRET = "secret-for-properties"
# Signing any path at all: only requests that name no operation reach arbitrary paths, and those are
# sent (unverified) only with verification turned off.
AUTH = IyzicoAuth(CANARY_API_KEY, SecretKey(SECRET), Router.for_base_url(httpx.URL(BASE_URL)), verify_signatures=False)
paths = st.lists(
    st.text(
        alphabet=st.characters(codec="utf-8", exclude_categories=["Cc", "Cs"], exclude_characters="?#/"), min_size=1
    ),
    min_size=1,
).map(lambda segments: "/" + "/".join(segments))
bodies = st.text().map(lambda text: text.encode("utf-8"))


pans = st.text(alphabet="0123456789", min_size=15, max_size=18).map(lambda partial: partial + luhn_check_digit(partial))


@given(path=paths, body=bodies)
def test_sign_then_verify_round_trip(path: str, body: bytes) -> None:
    request = httpx.Request("POST", httpx.URL(BASE_URL).join(httpx.URL(path=path)), content=body)
    signed = next(AUTH.auth_flow(request))
    parts = parse_authorization_header(signed.headers["authorization"])
    assert parts is not None
    # What a server recomputes over the raw path and bytes it received:
    assert (
        request_signature(SecretKey(SECRET), parts.random_key, signed.url.raw_path, signed.content) == parts.signature
    )


def _flip(data: bytes, index: int) -> bytes:
    index %= len(data)
    return data[:index] + bytes([data[index] ^ 0x01]) + data[index + 1 :]


@given(
    body=st.binary(min_size=1),
    path=st.binary(min_size=2).map(lambda raw: b"/" + raw.replace(b"?", b"").replace(b"#", b"") + b"x"),
    random_key=st.text(alphabet="0123456789abcdef", min_size=8, max_size=24),
    part=st.sampled_from(["body", "path", "random_key", "secret"]),
    index=st.integers(min_value=0),
)
def test_flipping_any_byte_breaks_the_signature(
    body: bytes, path: bytes, random_key: str, part: str, index: int
) -> None:
    secret = SECRET.encode()
    original = request_signature(SecretKey(SECRET), random_key, path, body)
    changed = {"body": body, "path": path, "random_key": random_key.encode(), "secret": secret}
    changed[part] = _flip(changed[part], index if part != "path" else max(index, 1))
    if b"?" in changed["path"] or b"#" in changed["path"]:
        return  # a flip that creates a query separator changes what "the path" is; not a signing property
    again = request_signature(
        SecretKey(changed["secret"].decode("latin-1")),  # the canary is ASCII: a flipped bit stays ASCII
        changed["random_key"].decode("latin-1"),
        changed["path"],
        changed["body"],
    )
    assert again != original


RETRIEVE = operations()["retrievePayment"]


@given(
    field=st.sampled_from(PAYMENT_FIELDS),
    value=st.text(min_size=1) | st.decimals(allow_nan=False, allow_infinity=False, places=2),
)
def test_response_verification_fails_when_a_signed_field_changes(field: str, value: object) -> None:
    body = signed_payment(SECRET)
    if str(value) == str(body[field]) or value == body[field]:
        return
    body[field] = value
    with pytest.raises(SignatureVerificationError):
        verify_response_signature(RETRIEVE, body, SecretKey(SECRET), conversation_id=None)


@given(amount=decimals_in_range())
def test_amount_text_is_plain_and_exact(amount: Decimal) -> None:
    text = signature_amount_text(amount)
    assert "e" not in text.lower()
    assert Decimal(text) == amount
    assert not (("." in text) and text.endswith("0"))


@given(
    retry_number=st.integers(min_value=0, max_value=40), jitter=st.floats(min_value=0, max_value=1, exclude_max=True)
)
def test_backoff_stays_in_bounds(retry_number: int, jitter: float) -> None:
    delay = RetryPolicy(random=lambda: jitter).backoff(retry_number)
    base = min(0.5 * 2**retry_number, 8.0)
    assert 0.75 * base <= delay <= base


@given(seconds=st.integers(min_value=0, max_value=600))
def test_retry_after_is_honoured_up_to_60_seconds(seconds: int) -> None:
    response = httpx.Response(503, headers={"retry-after": str(seconds)})
    delay = RetryPolicy().delay(response, 0)
    assert delay == (seconds if seconds <= 60 else None)


@given(pan=pans, cvc=st.text(alphabet="0123456789", min_size=3, max_size=4))
def test_card_numbers_and_cvcs_never_show(pan: str, cvc: str) -> None:
    card = PaymentCard(card_number=pan, cvc=cvc, card_holder_name="A", expire_month="12", expire_year="2099")
    masked = redact(card.to_dict())
    assert isinstance(masked, dict)
    assert pan not in repr(card)
    assert pan not in repr(masked)
    assert masked["cvc"] == "***"
    assert masked["cardNumber"].startswith(pan[:6])
    assert masked["cardNumber"].endswith(pan[-4:])
