"""The official `iyzipay` package (PyPI 1.0.46) against the emulator on a loopback port.

iyzipay opens `http.client.HTTPSConnection(base_url)`; inside this test only, that name is pointed at
`HTTPConnection` so the package talks plain HTTP to 127.0.0.1 (iyzico-api.md: the reference captures did
the same). Every answer must be a success, and its signature must check out with the package's own helper.
"""

from __future__ import annotations

import http.client
import json
import typing
from collections.abc import Iterator

import iyzipay
import pytest
from iyzipay.iyzipay_resource import IyzipayResource

from iyzico_ext.sandbox import DEFAULT_API_KEY, DEFAULT_SECRET_KEY, create_app
from iyzico_ext.sandbox._server import ServerThread

from .conftest import NEXT_YEAR

PAYMENT_FIELDS = ("paymentId", "currency", "basketId", "conversationId", "paidPrice", "price")


@pytest.fixture
def options(monkeypatch: pytest.MonkeyPatch) -> Iterator[dict[str, str]]:
    opened: list[http.client.HTTPConnection] = []

    class PlainConnection(http.client.HTTPConnection):
        """iyzipay never closes its connections; remember them so the test can."""

        def __init__(self, host: str) -> None:
            super().__init__(host)
            opened.append(self)

    monkeypatch.setattr(http.client, "HTTPSConnection", PlainConnection)
    app = create_app()
    with ServerThread(app) as url:
        yield {"api_key": DEFAULT_API_KEY, "secret_key": DEFAULT_SECRET_KEY, "base_url": url.removeprefix("http://")}
        for connection in opened:
            connection.close()


def _read(response: typing.Any) -> dict[str, typing.Any]:
    body: dict[str, typing.Any] = json.loads(response.read().decode("utf-8"))
    response.close()
    assert body["status"] == "success", body
    return body


def _signed_by(body: dict[str, typing.Any], fields: tuple[str, ...]) -> bool:
    # The package's helper takes the values as text; amounts go through its own `strip_zero` like its samples.
    strip_zero = IyzipayResource.strip_zero
    values = [strip_zero(str(body[f])) if isinstance(body[f], float) else str(body[f]) for f in fields]
    expected = IyzipayResource.calculate_hmac_sha256_signature(values, DEFAULT_SECRET_KEY)
    return bool(expected == body["signature"])


def _payment_request() -> dict[str, typing.Any]:
    address = {"contactName": "Jane Doe", "city": "Istanbul", "country": "Turkey", "address": "Nidakule Göztepe"}
    return {
        "locale": "tr",
        "conversationId": "123456789",
        "price": "1",
        "paidPrice": "1.2",
        "currency": "TRY",
        "installment": "1",
        "basketId": "B67832",
        "paymentChannel": "WEB",
        "paymentGroup": "PRODUCT",
        "paymentCard": {
            "cardHolderName": "John Doe",
            "cardNumber": "5528790000000008",
            "expireMonth": "12",
            "expireYear": NEXT_YEAR,
            "cvc": "123",
            "registerCard": "0",
        },
        "buyer": {
            "id": "BY789",
            "name": "John",
            "surname": "Doe",
            "gsmNumber": "+905350000000",
            "email": "email@email.com",
            "identityNumber": "74300864791",
            "registrationAddress": "Nidakule Göztepe, Merdivenköy Mah. Bora Sok. No:1",
            "ip": "85.34.78.112",
            "city": "Istanbul",
            "country": "Turkey",
        },
        "shippingAddress": address,
        "billingAddress": address,
        "basketItems": [
            {"id": "BI101", "name": "Binocular", "category1": "Collectibles", "itemType": "PHYSICAL", "price": "0.3"},
            {"id": "BI102", "name": "Game code", "category1": "Game", "itemType": "VIRTUAL", "price": "0.5"},
            {"id": "BI103", "name": "Usb", "category1": "Electronics", "itemType": "PHYSICAL", "price": "0.2"},
        ],
    }


def test_official_package_is_accepted_and_verifies_signatures(options: dict[str, str]) -> None:
    payment = _read(iyzipay.Payment().create(_payment_request(), options))
    assert _signed_by(payment, PAYMENT_FIELDS)
    retrieved = _read(
        iyzipay.Payment().retrieve(
            {"locale": "tr", "conversationId": "123456789", "paymentId": payment["paymentId"]}, options
        )
    )
    assert _signed_by(retrieved, PAYMENT_FIELDS)
    transaction_id = payment["itemTransactions"][0]["paymentTransactionId"]
    _read(
        iyzipay.Refund().create(
            {
                "locale": "tr",
                "paymentTransactionId": transaction_id,
                "price": "0.1",
                "ip": "85.34.78.112",
                "currency": "TRY",
            },
            options,
        )
    )
    _read(
        iyzipay.Payment().refund(
            {"locale": "tr", "paymentId": payment["paymentId"], "price": "0.2", "ip": "85.34.78.112"}, options
        )
    )
    second = _read(iyzipay.Payment().create(_payment_request(), options))
    _read(iyzipay.Cancel().create({"locale": "tr", "paymentId": second["paymentId"], "ip": "85.34.78.112"}, options))
    _read(iyzipay.BinNumber().retrieve({"locale": "tr", "binNumber": "552879"}, options))
    _read(iyzipay.InstallmentInfo().retrieve({"locale": "tr", "binNumber": "552879", "price": "100"}, options))
    form = _payment_request()
    form["callbackUrl"] = "https://www.merchant.com/callback"
    del form["paymentCard"], form["installment"], form["paymentChannel"]
    started = _read(iyzipay.CheckoutFormInitialize().create(form, options))
    assert _signed_by(started, ("conversationId", "token"))
    _read(iyzipay.ApiTest().retrieve(options))
