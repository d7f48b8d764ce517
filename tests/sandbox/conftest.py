"""Fixtures for the emulator's own tests: an in-process app and a raw signed caller.

`Caller` signs whatever bytes it is given (IYZWSv2 via `_signing`), so tests can send any JSON style,
tampered bodies or wrong keys, and reads answers with exact decimals.
"""

from __future__ import annotations

import contextlib
import copy
import datetime
import json
import typing
from collections.abc import Iterator
from decimal import Decimal

import attrs
import httpx
import pytest
from starlette.applications import Starlette

from iyzico_client.types import json_dumps, json_loads
from iyzico_ext._secret import SecretKey
from iyzico_ext._signing import authorization_header, new_random_key, request_signature
from iyzico_ext.sandbox import DEFAULT_API_KEY, DEFAULT_SECRET_KEY, create_app
from iyzico_ext.sandbox.transport import InProcessTransport

BASE_URL = "http://127.0.0.1"
NEXT_YEAR = str(datetime.date.today().year + 1)

_PAYMENT: dict[str, typing.Any] = {
    "locale": "en",
    "conversationId": "conv-1",
    "price": Decimal("1.0"),
    "paidPrice": Decimal("1.2"),
    "currency": "TRY",
    "installment": 1,
    "basketId": "B67832",
    "paymentChannel": "WEB",
    "paymentGroup": "PRODUCT",
    "paymentCard": {
        "cardHolderName": "John Doe",
        "cardNumber": "5528790000000008",
        "expireMonth": "12",
        "expireYear": NEXT_YEAR,
        "cvc": "123",
        "registerCard": 0,
    },
    "buyer": {
        "id": "BY789",
        "name": "John",
        "surname": "Doe",
        "identityNumber": "74300864791",
        "email": "email@email.com",
        "registrationAddress": "Nidakule Göztepe, Merdivenköy Mah. Bora Sok. No:1",
        "ip": "85.34.78.112",
        "city": "Istanbul",
        "country": "Turkey",
    },
    "shippingAddress": {"contactName": "Jane Doe", "city": "Istanbul", "country": "Turkey", "address": "Bora Sok."},
    "billingAddress": {"contactName": "Jane Doe", "city": "Istanbul", "country": "Turkey", "address": "Bora Sok."},
    "basketItems": [
        {
            "id": "BI101",
            "name": "Binocular",
            "category1": "Collectibles",
            "itemType": "PHYSICAL",
            "price": Decimal("0.3"),
        },
        {"id": "BI102", "name": "Game code", "category1": "Game", "itemType": "VIRTUAL", "price": Decimal("0.5")},
        {"id": "BI103", "name": "Usb", "category1": "Electronics", "itemType": "PHYSICAL", "price": Decimal("0.2")},
    ],
}


def payment_body(**changes: typing.Any) -> dict[str, typing.Any]:
    """A valid Non-3DS payment request (plain, non-marketplace), with top-level fields replaced."""
    body = copy.deepcopy(_PAYMENT)
    body.update(changes)
    return body


def checkout_body(**changes: typing.Any) -> dict[str, typing.Any]:
    """A valid hosted-page (checkout form / pay with iyzico) initialize request: no card, a callbackUrl."""
    body = payment_body(**{"callbackUrl": "https://shop.example/cf", **changes})
    for field in ("paymentCard", "installment", "paymentChannel"):
        body.pop(field)
    return body


def with_card(body: dict[str, typing.Any], **card: str) -> dict[str, typing.Any]:
    body["paymentCard"] = {**body["paymentCard"], **card}
    return body


@attrs.define
class Caller:
    """Sends signed requests to the emulator and returns the parsed answer."""

    http: httpx.Client
    api_key: str = DEFAULT_API_KEY
    secret_key: str = DEFAULT_SECRET_KEY

    def raw(self, method: str, path: str, content: bytes, headers: dict[str, str] | None = None) -> httpx.Response:
        random_key = new_random_key()
        signature = request_signature(SecretKey(self.secret_key), random_key, path, content)
        all_headers = {
            "Authorization": authorization_header(self.api_key, random_key, signature),
            "Content-Type": "application/json",
            **(headers or {}),
        }
        return self.http.request(method, path, content=content, headers=all_headers)

    def __call__(
        self, path: str, body: dict[str, typing.Any] | None = None, *, method: str = "POST", **headers: str
    ) -> dict[str, typing.Any]:
        content = b"" if body is None else json_dumps(body)
        response = self.raw(method, path, content, headers)
        assert response.status_code == 200, response.text
        answer: dict[str, typing.Any] = json_loads(response.content)
        return answer

    def ok(self, path: str, body: dict[str, typing.Any] | None = None, **kwargs: typing.Any) -> dict[str, typing.Any]:
        answer = self(path, body, **kwargs)
        assert answer["status"] == "success", answer
        return answer

    def fails(
        self, path: str, body: dict[str, typing.Any] | None, code: str, **kwargs: typing.Any
    ) -> dict[str, typing.Any]:
        answer = self(path, body, **kwargs)
        assert (answer["status"], answer.get("errorCode")) == ("failure", code), answer
        return answer


@pytest.fixture
def app() -> Iterator[Starlette]:
    application = create_app()
    yield application
    application.state.sandbox.close()


@pytest.fixture
def http(app: Starlette) -> Iterator[httpx.Client]:
    with httpx.Client(transport=InProcessTransport(app), base_url=BASE_URL) as client:
        yield client


@pytest.fixture
def call(http: httpx.Client) -> Caller:
    return Caller(http)


def ledger(http: httpx.Client) -> list[dict[str, typing.Any]]:
    payments: list[dict[str, typing.Any]] = json.loads(http.get("/_sandbox/ledger").content, parse_float=Decimal)[
        "payments"
    ]
    return payments


def register_sub_merchant(call: Caller, external_id: str = "sm-1") -> str:
    """A PERSONAL sub-merchant registered with the emulator; its subMerchantKey."""
    answer = call.ok(
        "/onboarding/submerchant",
        {
            "subMerchantExternalId": external_id,
            "subMerchantType": "PERSONAL",
            "name": "Shop",
            "email": "shop@example.com",
            "iban": "TR180006200119000006672315",
            "contactName": "Ada",
            "contactSurname": "Lovelace",
            "identityNumber": "11111111111",
            "address": "Istanbul",
            "currency": "TRY",
        },
    )
    key: str = answer["subMerchantKey"]
    return key


@attrs.frozen
class WebhookCapture:
    """An emulator whose webhooks go to a recording merchant, a caller on it, and what was received."""

    app: Starlette
    http: httpx.Client
    call: Caller
    received: list[httpx.Request]

    def events(self) -> list[typing.Any]:
        """The received notifications, each verified with the emulator's default secret key."""
        from iyzico_ext import verify_webhook

        self.app.state.sandbox.webhooks.wait_idle()
        return [verify_webhook(r.content, r.headers["X-IYZ-SIGNATURE-V3"], DEFAULT_SECRET_KEY) for r in self.received]


@contextlib.contextmanager
def capturing_webhooks() -> Iterator[WebhookCapture]:
    received: list[httpx.Request] = []

    def merchant(request: httpx.Request) -> httpx.Response:
        received.append(request)
        return httpx.Response(200)

    app = create_app(webhook_url="https://shop.example/hook", webhook_transport=httpx.MockTransport(merchant))
    try:
        with httpx.Client(transport=InProcessTransport(app), base_url=BASE_URL) as http:
            yield WebhookCapture(app, http, Caller(http), received)
    finally:
        app.state.sandbox.close()
