"""IYZWSv2 over the raw bytes (any JSON style), credentials, and schema failures mapped to iyzico codes."""

from __future__ import annotations

import json

import pytest

from iyzico_client.types import json_dumps, json_loads
from iyzico_ext._secret import SecretKey

from .conftest import Caller, ledger, payment_body, with_card


def _answer(response: object) -> dict[str, object]:
    import httpx

    assert isinstance(response, httpx.Response)
    assert response.status_code == 200
    body: dict[str, object] = json_loads(response.content)
    return body


@pytest.mark.parametrize(
    "encode",
    [
        pytest.param(json_dumps, id="compact"),
        pytest.param(lambda body: json.dumps(body, default=str).encode(), id="python-spaced-escaped"),
        pytest.param(lambda body: json.dumps(body, default=str, ensure_ascii=False, indent=2).encode(), id="raw-utf8"),
    ],
)
def test_any_json_style_authenticates(call: Caller, encode: object) -> None:
    assert callable(encode)
    answer = _answer(call.raw("POST", "/payment/auth", encode(payment_body())))
    assert answer["status"] == "success"


@pytest.mark.parametrize("body", [b"", b"null", b"{}"])
def test_get_health_with_any_empty_body(call: Caller, body: bytes) -> None:
    assert _answer(call.raw("GET", "/payment/test", body))["status"] == "success"


def test_unknown_api_key_is_1001(call: Caller) -> None:
    call.api_key = "someone-else"
    call.fails("/payment/auth", payment_body(), "1001")


def test_wrong_secret_is_1000_and_changes_nothing(call: Caller) -> None:
    call.secret_key = "wrong"
    call.fails("/payment/auth", payment_body(), "1000")
    assert ledger(call.http) == []


def test_tampered_body_is_1000(call: Caller) -> None:
    signed = json_dumps(payment_body())
    tampered = signed.replace(b'"paidPrice":1.2', b'"paidPrice":0.1')
    response = call.http.post("/payment/auth", content=tampered, headers={"Authorization": _header_for(call, signed)})
    assert _answer(response)["errorCode"] == "1000"
    assert ledger(call.http) == []


def _header_for(call: Caller, content: bytes) -> str:
    from iyzico_ext._signing import authorization_header, request_signature

    signature = request_signature(SecretKey(call.secret_key), "rnd123", "/payment/auth", content)
    return authorization_header(call.api_key, "rnd123", signature)


def test_missing_header_is_1000(call: Caller) -> None:
    response = call.http.post("/payment/auth", content=json_dumps(payment_body()))
    assert _answer(response)["errorCode"] == "1000"


def test_query_string_is_not_signed(call: Caller) -> None:
    content = json_dumps(payment_body())
    response = call.http.post(
        "/payment/auth?x=1", content=content, headers={"Authorization": _header_for(call, content)}
    )
    assert _answer(response)["status"] == "success"


def test_not_json_is_11(call: Caller) -> None:
    assert _answer(call.raw("POST", "/payment/auth", b"{nope"))["errorCode"] == "11"


def test_numeric_strings_accepted_like_iyzico(call: Caller) -> None:
    body = payment_body(price="1", paidPrice="1.2", installment="1")
    body["basketItems"] = [{**item, "price": str(item["price"])} for item in body["basketItems"]]
    call.ok("/payment/auth", body)


def test_error_message_follows_locale(call: Caller) -> None:
    english = call.fails("/payment/auth", with_card(payment_body(locale="en"), cardNumber="5528790000000009"), "12")
    turkish = call.fails("/payment/auth", with_card(payment_body(locale="tr"), cardNumber="5528790000000009"), "12")
    assert english["errorMessage"] == "Invalid card number"  # docs.iyzico.com general error codes
    assert turkish["errorMessage"] == "Kart numarası geçersizdir"
    assert english["locale"] == "en"
    assert english["conversationId"] == "conv-1"


def _without_buyer_field(name: str) -> dict[str, object]:
    body = payment_body()
    del body["buyer"][name]
    return body


def _with_buyer_field(name: str, value: str) -> dict[str, object]:
    body = payment_body()
    body["buyer"][name] = value
    return body


@pytest.mark.parametrize(
    ("body", "code"),
    [
        pytest.param(_without_buyer_field("email"), "3", id="3-email-missing"),
        pytest.param(_with_buyer_field("email", "not-an-email"), "5", id="5-email-format"),
        pytest.param(_without_buyer_field("identityNumber"), "8", id="8-identity-missing"),
        pytest.param(payment_body(installment=13), "11", id="11-invalid-request"),
        pytest.param(with_card(payment_body(), cardNumber="abc"), "12", id="12-card-pattern"),
        pytest.param(with_card(payment_body(), expireMonth="ab"), "13", id="13-month-pattern"),
        pytest.param(with_card(payment_body(), expireYear="abc"), "14", id="14-year-pattern"),
        pytest.param(with_card(payment_body(), cvc="12a"), "15", id="15-cvc-pattern"),
    ],
)
def test_schema_failures_map_to_iyzico_codes(call: Caller, body: dict[str, object], code: str) -> None:
    call.fails("/payment/auth", body, code)
    assert ledger(call.http) == []
