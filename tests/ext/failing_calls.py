"""Failing calls of every kind that handles a secret, a card number, a CVC or an identity number.

Each entry runs one call that raises: a request refused by validation, an iyzico failure, a payment
whose outcome is unknown (after a read error, a 5xx, a wrong signature, a mismatched echo, a number
out of range), a forged or refused webhook or 3-D Secure callback, a client that cannot be built, and
the emulator's own checks of the merchant's key. Requests are the spec's request examples with the
suite's canaries put in (tests/canaries.py). Used by tests/ext/test_no_secret_in_frames.py, in
process and under `pytest --showlocals` in a subprocess; nothing here binds a canary to a local name.
"""

from __future__ import annotations

import asyncio
import base64
import contextlib
import datetime
import os
import socket
import sqlite3
import threading
import typing
from collections.abc import Callable, Iterator, Mapping
from decimal import Decimal
from unittest import mock

import attrs
import httpx

from iyzico_ext import (
    LIVE_URL,
    CardDeclinedError,
    InvalidRequestError,
    IyzicoClient,
    MismatchedPaymentOutcome,
    PaymentOutcomeUnknown,
    RequestValidationError,
    SignatureVerificationError,
    ThreedsNotAuthenticatedError,
    UnverifiedPaymentOutcome,
    verify_subscription_webhook,
    verify_threeds_callback,
    verify_webhook,
)
from iyzico_ext._constants import ENV_SECRET_KEY
from iyzico_ext._secret import SecretKey
from iyzico_ext._signing import response_signature
from iyzico_ext.sandbox import create_app
from iyzico_ext.sandbox._auth import authenticate
from iyzico_ext.sandbox._failures import ApiFailure
from iyzico_ext.testing.strategies import generated_function
from tests.canaries import (
    CANARY_API_KEY,
    CANARY_CVC,
    CANARY_IDENTITY,
    CANARY_LIVE_API_KEY,
    CANARY_PAN,
    CANARY_SECRET,
)
from tests.sandbox._example_walk import example_arguments

from .conftest import BASE_URL, FakeIyzico, Reply, SleepRecorder, json_response, signed_payment

__all__ = ["FAILING_CALLS", "FailingCall"]


class FailingCall(typing.NamedTuple):
    run: Callable[[], object]
    raises: type[BaseException]


# The canaries, and a card that has not expired (the seed example's has).
_CANARIES_IN = {
    "cardNumber": CANARY_PAN,
    "cvc": CANARY_CVC,
    "identityNumber": CANARY_IDENTITY,
    "expireYear": str(datetime.date.today().year + 2),
}


def _request(operation_id: str, top: Mapping[str, object] | None = None, **changes: str) -> typing.Any:
    """The spec's example for the operation as its model, canaries in, `changes` applied at any depth
    and `top` to the request's own members."""
    body = example_arguments(operation_id, {}, {**_CANARIES_IN, **changes})["body"]
    return attrs.evolve(body, **(top or {}))


def _client(*replies: Reply) -> IyzicoClient:
    fake = FakeIyzico()
    fake.script.extend(replies)
    transport = httpx.MockTransport(fake)
    return IyzicoClient(
        CANARY_API_KEY,
        CANARY_SECRET,
        BASE_URL,
        transport=transport,
        async_transport=transport,
        retry=SleepRecorder().policy(),
    )


def _sync(
    operation_id: str, *replies: Reply, top: Mapping[str, object] | None = None, **changes: str
) -> Callable[[], object]:
    return lambda: generated_function(operation_id)(
        client=_client(*replies), body=_request(operation_id, top, **changes)
    )


def _async(operation_id: str, *replies: Reply, **changes: str) -> Callable[[], object]:
    return lambda: asyncio.run(
        generated_function(operation_id, "asyncio")(
            client=_client(*replies), body=_request(operation_id, None, **changes)
        )
    )


@contextlib.contextmanager
def _hanging_up_server() -> Iterator[str]:
    """A loopback server that reads a request and closes the connection without answering."""
    listener = socket.create_server(("127.0.0.1", 0))

    def serve() -> None:
        with contextlib.suppress(OSError):
            while True:
                connection, _ = listener.accept()
                with connection:
                    connection.recv(65536)

    threading.Thread(target=serve, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{listener.getsockname()[1]}"
    finally:
        listener.close()


def _over_the_network(asynchronous: bool) -> object:
    """createPayment through the default HTTP/1.1 transports, to a server that hangs up after reading."""
    with _hanging_up_server() as url:
        client = IyzicoClient(CANARY_API_KEY, CANARY_SECRET, url, retry=SleepRecorder().policy())
        if asynchronous:

            async def pay() -> object:
                try:
                    return await generated_function("createPayment", "asyncio")(
                        client=client, body=_request("createPayment")
                    )
                finally:
                    await client.aclose()  # the event loop's aiohttp session ends with it

            return asyncio.run(pay())
        with client:
            return generated_function("createPayment")(client=client, body=_request("createPayment"))


def _float_in_additional_properties() -> object:
    body = _request("createPayment")
    body.additional_properties["surcharge"] = 1.5  # a float cannot be written as money
    return generated_function("createPayment")(client=_client(), body=body)


def _failure(code: str) -> httpx.Response:
    return json_response(200, {"status": "failure", "errorCode": code, "errorMessage": "x", "errorGroup": None})


def _wrong_signature() -> httpx.Response:
    body = signed_payment(CANARY_SECRET, conversationId="123456789", price=Decimal("1.0"))
    body["signature"] = "0" * 64
    return json_response(200, body)


def _another_payment() -> httpx.Response:
    return json_response(200, signed_payment(CANARY_SECRET, price=Decimal("999.0")))


def _huge_amount() -> httpx.Response:
    return json_response(200, b'{"status":"success","paymentId":"1","price":1e999999999,"signature":"00"}')


_WEBHOOK = b'{"paymentConversationId":"c","paymentId":1,"status":"SUCCESS","iyziEventType":"API_AUTH"}'
_SUBSCRIPTION_WEBHOOK = (
    b'{"orderReferenceCode":"ba562488-4956-4817-acc5-d67b6c7de0a0","customerReferenceCode":'
    b'"3bb6d0b5-b53c-4732-a641-6fa3f8d39c21","subscriptionReferenceCode":"85eaa655-c3fd-4053-9e9b-dacc9e201c5f",'
    b'"iyziEventType":"subscription.order.failure"}'
)
_WEBHOOK_WITH_AN_OBJECT = b'{"paymentConversationId":{},"paymentId":1,"status":"SUCCESS","iyziEventType":"API_AUTH"}'


def _callback(md_status: str, *, signed: bool) -> dict[str, object]:
    form: dict[str, object] = {
        "status": "success" if md_status == "1" else "failure",
        "paymentId": "25000001",
        "conversationData": "a1b2",
        "conversationId": "123456789",
        "mdStatus": md_status,
    }
    fields = ("conversationData", "conversationId", "mdStatus", "paymentId", "status")
    form["signature"] = response_signature(SecretKey(CANARY_SECRET), form, fields) if signed else "0" * 64
    return form


def _from_env_without_api_key() -> object:
    with mock.patch.dict(os.environ, {ENV_SECRET_KEY: CANARY_SECRET}, clear=True):
        return IyzicoClient.from_env()


_FORGED_AUTHORIZATION = "IYZWSv2 " + base64.b64encode(
    f"apiKey:{CANARY_API_KEY}&randomKey:r&signature:{'0' * 64}".encode()
).decode("ascii")


def _sample_values_to_the_live_api() -> object:
    """The spec's example (iyzico's sample buyer, with the canaries) sent to the live URL: refused unsent."""
    client = IyzicoClient(CANARY_LIVE_API_KEY, CANARY_SECRET, LIVE_URL, transport=httpx.MockTransport(FakeIyzico()))
    return generated_function("createPayment")(client=client, body=_request("createPayment"))


def _emulator_refuses_a_forged_request() -> object:
    return authenticate({CANARY_API_KEY: SecretKey(CANARY_SECRET)}, _FORGED_AUTHORIZATION, b"/payment/auth", b"{}")


FAILING_CALLS: dict[str, FailingCall] = {
    # Refused before sending: the request JSON (card, CVC, identity number) was in the checks' frames.
    "expired card, createPayment": FailingCall(_sync("createPayment", expireYear="2001"), RequestValidationError),
    "expired card, createPayment (asyncio)": FailingCall(
        _async("createPayment", expireYear="2001"), RequestValidationError
    ),
    "expired card, createPreAuthPayment": FailingCall(
        _sync("createPreAuthPayment", expireYear="2001"), RequestValidationError
    ),
    "expired card, createCard": FailingCall(_sync("createCard", expireYear="2001"), RequestValidationError),
    "expired card, initializeThreeds": FailingCall(
        _sync("initializeThreeds", expireYear="2001"), RequestValidationError
    ),
    "basket sum, initializeCheckoutForm": FailingCall(
        _sync("initializeCheckoutForm", top={"price": Decimal("7.0")}), RequestValidationError
    ),
    "buyer e-mail, initializePayWithIyzico": FailingCall(
        _sync("initializePayWithIyzico", email="not an e-mail"), RequestValidationError
    ),
    "a float in additional properties, createPayment": FailingCall(_float_in_additional_properties, TypeError),
    "iyzico's sample values to the live API, createPayment": FailingCall(
        _sample_values_to_the_live_api, RequestValidationError
    ),
    # iyzico answered `status: failure`.
    "declined, createPayment": FailingCall(_sync("createPayment", _failure("10051")), CardDeclinedError),
    "refused, createSubMerchant": FailingCall(_sync("createSubMerchant", _failure("2001")), InvalidRequestError),
    "refused, createCard": FailingCall(_sync("createCard", _failure("2001")), InvalidRequestError),
    # The bytes left: the outcome is unknown.
    "read error, createPayment": FailingCall(
        _sync("createPayment", httpx.ReadError("connection reset")), PaymentOutcomeUnknown
    ),
    "read timeout, createPayment (asyncio)": FailingCall(
        _async("createPayment", httpx.ReadTimeout("slow")), PaymentOutcomeUnknown
    ),
    "HTTP 500, createPayment": FailingCall(
        _sync("createPayment", httpx.Response(500, text="<html>oops</html>")), PaymentOutcomeUnknown
    ),
    "wrong signature, createPayment": FailingCall(_sync("createPayment", _wrong_signature()), UnverifiedPaymentOutcome),
    "another payment's response, createPayment": FailingCall(
        _sync("createPayment", _another_payment()), MismatchedPaymentOutcome
    ),
    "server hangs up, createPayment over HTTP/1.1": FailingCall(
        lambda: _over_the_network(False), PaymentOutcomeUnknown
    ),
    "server hangs up, createPayment over HTTP/1.1 (asyncio)": FailingCall(
        lambda: _over_the_network(True), PaymentOutcomeUnknown
    ),
    "amount 1e999999999 in the response, createPayment": FailingCall(
        _sync("createPayment", _huge_amount()), PaymentOutcomeUnknown
    ),
    "amount 1e999999999 in the response, createPayment (asyncio)": FailingCall(
        _async("createPayment", _huge_amount()), PaymentOutcomeUnknown
    ),
    # What iyzico sends to the merchant, verified with the key given as a plain string.
    "forged webhook": FailingCall(
        lambda: verify_webhook(_WEBHOOK, "0" * 64, CANARY_SECRET), SignatureVerificationError
    ),
    "webhook with an object field": FailingCall(
        lambda: verify_webhook(_WEBHOOK_WITH_AN_OBJECT, "0" * 64, CANARY_SECRET), SignatureVerificationError
    ),
    "forged subscription webhook": FailingCall(
        lambda: verify_subscription_webhook(_SUBSCRIPTION_WEBHOOK, "0" * 64, CANARY_SECRET, merchant_id=3382172),
        SignatureVerificationError,
    ),
    "3-D Secure callback, mdStatus 0": FailingCall(
        lambda: verify_threeds_callback(_callback("0", signed=True), CANARY_SECRET), ThreedsNotAuthenticatedError
    ),
    "forged 3-D Secure callback": FailingCall(
        lambda: verify_threeds_callback(_callback("1", signed=False), CANARY_SECRET), SignatureVerificationError
    ),
    "3-D Secure callback with a file part": FailingCall(
        lambda: verify_threeds_callback({**_callback("1", signed=True), "paymentId": object()}, CANARY_SECRET),
        SignatureVerificationError,
    ),
    # Building a client fails after it was given the key.
    "IyzicoClient with a plain http:// base_url": FailingCall(
        lambda: IyzicoClient(CANARY_API_KEY, CANARY_SECRET, "http://example.com"), ValueError
    ),
    "IyzicoClient.from_env without an API key": FailingCall(_from_env_without_api_key, ValueError),
    # The emulator's own frames around the merchant's key.
    "emulator: forged request signature": FailingCall(_emulator_refuses_a_forged_request, ApiFailure),
    "emulator: unusable --db path": FailingCall(
        lambda: create_app({CANARY_API_KEY: CANARY_SECRET}, db_path="/nonexistent/iyzico/state.db"), sqlite3.Error
    ),
}
