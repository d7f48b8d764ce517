"""Every golden vector that applies to the client, parametrized.

`tests/data/iyzico-vectors.json` is a copy of the team's `shared/reference/vectors.json` (captured from the
official clients), kept in the repository so the suite runs from any checkout.
"""

from __future__ import annotations

import json
import pathlib
import typing
import urllib.parse

import httpx
import pytest

from iyzico_client.types import OPERATION_EXTENSION, json_loads
from iyzico_ext import RequestValidationError, verify_threeds_callback, verify_webhook
from iyzico_ext._auth import IyzicoAuth
from iyzico_ext._operations import operations
from iyzico_ext._routing import Router
from iyzico_ext._secret import SecretKey
from iyzico_ext._signing import authorization_header, request_signature, response_signature
from iyzico_ext._verify import verify_response_signature

VECTORS_PATH = pathlib.Path(__file__).resolve().parents[1] / "data" / "iyzico-vectors.json"
VECTORS: dict[str, typing.Any] = json.loads(VECTORS_PATH.read_text(encoding="utf-8"))
CREDENTIALS = VECTORS["meta"]["credentials"]
ROOT = "https://api.iyzipay.com"


ROUTER = Router.for_base_url(httpx.URL(ROOT))


def _signed(auth: IyzicoAuth, request: httpx.Request) -> httpx.Request:
    return next(auth.auth_flow(request))


def _as_spec_operation(request: httpx.Request) -> bool:
    """Name the spec operation the captured request was (as a generated function would); False if none."""
    for operation in operations().values():
        if ROUTER.path_params(operation, request) is not None:
            request.extensions[OPERATION_EXTENSION] = operation.operation_id
            return True
    return False


def _fixed_auth(api_key: str, secret: str, *, verify_signatures: bool = True) -> IyzicoAuth:
    return IyzicoAuth(
        api_key,
        SecretKey(secret),
        ROUTER,
        verify_signatures=verify_signatures,
        random_key=lambda: CREDENTIALS["randomKey_forced"],
    )


WIRE_VECTORS = [vector for vector in VECTORS["auth_header_vectors"] if vector["authorization"]]


# node's sample checkout form sends an empty basket, which our validation refuses before signing.
REFUSED_BY_VALIDATION = {("node", "checkout_form_initialize"): "basketItems"}


@pytest.mark.parametrize("vector", WIRE_VECTORS, ids=lambda v: f"{v['client']}-{v['name']}")
def test_auth_header_vectors_through_the_auth_flow(vector: dict[str, typing.Any]) -> None:
    content = vector["body"].encode("utf-8") if vector["body_sent"] else b""
    request = httpx.Request(vector["method"], ROOT + vector["request_target"], content=content)
    # Paths the spec does not have (yet) can only be signed with verification off.
    auth = _fixed_auth(CREDENTIALS["apiKey"], CREDENTIALS["secretKey"], verify_signatures=_as_spec_operation(request))
    refused_field = REFUSED_BY_VALIDATION.get((vector["client"], vector["name"]))
    if refused_field:
        with pytest.raises(RequestValidationError) as refused:
            _signed(auth, request)
        assert refused.value.field == refused_field
        signature = request_signature(
            SecretKey(CREDENTIALS["secretKey"]), CREDENTIALS["randomKey_forced"], vector["request_target"], content
        )
        assert (
            authorization_header(CREDENTIALS["apiKey"], CREDENTIALS["randomKey_forced"], signature)
            == (vector["authorization"])
        )
        return
    signed = _signed(auth, request)
    assert signed.content == content  # the signed bytes are the sent bytes
    assert signed.headers["authorization"] == vector["authorization"]


UNIT_VECTORS = [vector for vector in VECTORS["auth_unit_vectors"] if "signature_hex" in vector]


@pytest.mark.parametrize("vector", UNIT_VECTORS, ids=lambda v: v["source"][:40])
def test_auth_unit_vectors(vector: dict[str, typing.Any]) -> None:
    if "uri_given_to_client" in vector:
        # php's vectors: a bodyless call, signed over randomKey + path (no query), as our GETs are.
        request = httpx.Request("GET", vector["uri_given_to_client"])
        auth = _fixed_auth(vector["apiKey"], vector["secretKey"], verify_signatures=_as_spec_operation(request))
        signed = _signed(auth, request)
        assert signed.headers["authorization"] == vector["authorization"]
        return
    body = json.dumps(vector["body_value"]).encode()  # node JSON.stringify()s the body
    signature = request_signature(SecretKey(vector["secretKey"]), vector["randomKey"], vector["uri"], body)
    assert signature == vector["signature_hex"]
    assert authorization_header(vector["apiKey"], vector["randomKey"], signature) == vector["authorization"]


@pytest.mark.parametrize("vector", VECTORS["response_signature_vectors"], ids=lambda v: v["name"])
def test_response_signature_vectors(vector: dict[str, typing.Any]) -> None:
    body = json_loads(vector["response_json"].encode())
    secret = SecretKey(vector["secretKey"])
    assert response_signature(secret, body, vector["fields_in_order"]) == vector["expected_signature_hex"]


# The vectors name their endpoint by path: the spec's POST operations by path.
POST_OPERATIONS = {operation.path: operation for operation in operations().values() if operation.method == "POST"}
SPEC_SIGNED_VECTORS = [
    vector for vector in VECTORS["response_signature_vectors"] if vector["endpoint"] in POST_OPERATIONS
]


@pytest.mark.parametrize("vector", SPEC_SIGNED_VECTORS, ids=lambda v: v["name"])
def test_response_signature_vectors_with_the_spec_recipes(vector: dict[str, typing.Any]) -> None:
    operation = POST_OPERATIONS[vector["endpoint"]]
    body = json_loads(vector["response_json"].encode())
    matched = verify_response_signature(operation, body, SecretKey(vector["secretKey"]), conversation_id=None)
    assert matched is not None
    assert matched.fields == tuple(vector["fields_in_order"])


def test_refund_signature_is_accepted_under_either_recipe_and_logged(caplog: pytest.LogCaptureFixture) -> None:
    operation = operations()["refundPayment"]
    assert not operation.signature_confirmed
    secret = SecretKey("secretKey-TEST")
    for recipe in operation.signature_recipes:
        body: dict[str, object] = {"status": "success", "paymentId": "1", "conversationId": "c", "currency": "TRY"}
        body["signature"] = response_signature(secret, body, recipe.fields)
        with caplog.at_level("INFO", logger="iyzico"):
            assert verify_response_signature(operation, body, secret, conversation_id="c") == recipe
        assert recipe.source in caplog.text


CALLBACK, HPP_WEBHOOK, DIRECT_WEBHOOK = VECTORS["callback_and_webhook_vectors"]


def test_threeds_callback_vector() -> None:
    form = dict(urllib.parse.parse_qsl(CALLBACK["posted"], keep_blank_values=True))
    callback = verify_threeds_callback(form, CALLBACK["secretKey"])
    assert callback.authenticated
    assert callback.payment_id == "22484292"


@pytest.mark.parametrize("vector", [HPP_WEBHOOK, DIRECT_WEBHOOK], ids=["hpp", "direct"])
def test_webhook_vectors(vector: dict[str, typing.Any]) -> None:
    event = verify_webhook(vector["payload"].encode(), vector["expected_signature_hex"], vector["secretKey"])
    assert event.format == ("hpp" if "token" in vector["payload"] else "direct")
    assert event.status == "SUCCESS"
    assert event.payment_conversation_id == "conversationId"
