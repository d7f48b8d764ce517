"""Fail closed: only the spec's operations are sent, each checked against its own rules, and nothing bypasses
the trust layer (no unsigned request, no answer that is not bound to its request).
"""

from __future__ import annotations

from collections.abc import Callable

import httpx
import pytest

from iyzico_client import AuthenticatedClient, Client
from iyzico_client.api.health import check_api_health
from iyzico_client.api.payment import create_payment, retrieve_payment
from iyzico_client.api.reporting import retrieve_payment_details_report
from iyzico_client.types import OPERATION_EXTENSION
from iyzico_ext import IyzicoClient, IyzicoConnectionError, RequestValidationError, ResponseMismatchError
from iyzico_ext._operations import load_spec

from .conftest import BASE_URL, FakeIyzico, json_response, payment_request, retrieve_request, signed_payment

MakeClient = Callable[..., IyzicoClient]


@pytest.mark.parametrize(
    ("method", "path", "extensions"),
    [
        ("POST", "/payment/auth", {}),  # the right path, but no operation named: refused all the same
        ("GET", "/v2/reporting/payment/unknown", {}),
        ("POST", "/payment/auth", {OPERATION_EXTENSION: "noSuchOperation"}),
        ("POST", "/payment/auth", {OPERATION_EXTENSION: "checkApiHealth"}),  # a safe read's rules for a payment
        ("GET", "/payment/test/../auth", {OPERATION_EXTENSION: "checkApiHealth"}),
        ("GET", "/v2/reporting/payment/details/1", {OPERATION_EXTENSION: "retrievePaymentDetailsReport"}),
    ],
)
def test_a_request_that_is_not_the_operation_it_names_sends_nothing(
    method: str, path: str, extensions: dict[str, str], make_client: MakeClient, fake: FakeIyzico
) -> None:
    client = make_client()
    with pytest.raises(RequestValidationError) as refused:
        client.get_httpx_client().request(method, path, content=b"{}", extensions=extensions)
    assert refused.value.field == "request"
    assert fake.sends == 0


@pytest.mark.anyio
async def test_the_async_client_refuses_the_same(make_client: MakeClient, fake: FakeIyzico) -> None:
    client = make_client()
    with pytest.raises(RequestValidationError):
        await client.get_async_httpx_client().post("/payment/auth", content=b"{}")
    assert fake.sends == 0


def test_with_verification_off_an_unnamed_request_is_sent_unverified(make_client: MakeClient, fake: FakeIyzico) -> None:
    client = make_client(verify_signatures=False)
    fake.script.append(json_response(200, {"status": "success", "anything": 1}))
    response = client.get_httpx_client().post("/custom/path", content=b"{}")
    assert response.json() == {"status": "success", "anything": 1}
    assert fake.sends == 1
    assert fake.bad_signatures == 0  # still signed


# The generated clients, as a user might build them by mistake (they cannot sign).
PLAIN_CLIENTS: dict[str, Callable[[], Client | AuthenticatedClient]] = {
    "Client": lambda: Client(base_url=BASE_URL),
    "AuthenticatedClient": lambda: AuthenticatedClient(base_url=BASE_URL, token="made-up-bearer-token"),
}


@pytest.mark.parametrize("name", sorted(PLAIN_CLIENTS))
def test_the_generated_clients_refuse_to_send_unsigned(name: str) -> None:
    sent: list[httpx.Request] = []
    plain = PLAIN_CLIENTS[name]()
    plain.set_httpx_client(httpx.Client(base_url=BASE_URL, transport=httpx.MockTransport(sent.append)))  # type: ignore[arg-type]  # never called
    with pytest.raises(TypeError, match="IyzicoClient"):
        create_payment.sync(client=plain, body=payment_request())
    with pytest.raises(TypeError, match="IyzicoClient"):
        check_api_health.sync(client=plain)
    assert sent == []


@pytest.mark.anyio
async def test_the_generated_clients_refuse_to_send_unsigned_async() -> None:
    with pytest.raises(TypeError, match="IyzicoClient"):
        await check_api_health.asyncio(client=Client(base_url=BASE_URL))


@pytest.mark.parametrize("setter", ["set_httpx_client", "set_async_httpx_client"])
def test_an_httpx_client_of_ones_own_is_refused(setter: str, make_client: MakeClient) -> None:
    client = make_client()
    own: httpx.Client | httpx.AsyncClient = httpx.Client() if setter == "set_httpx_client" else httpx.AsyncClient()
    with pytest.raises(TypeError, match="transport="):
        getattr(client, setter)(own)


def test_a_retrieve_answered_with_another_payment_is_refused(make_client: MakeClient, fake: FakeIyzico) -> None:
    """The retrieve names payment 25149157; a validly signed answer about another payment is a replay."""
    fake.script.append(json_response(200, signed_payment(fake.secret, paymentId="99999999")))
    with pytest.raises(ResponseMismatchError) as mismatch:
        retrieve_payment.sync(client=make_client(), body=retrieve_request())
    assert mismatch.value.fields == ("paymentId",)


def test_a_report_listing_another_payment_is_refused(make_client: MakeClient, fake: FakeIyzico) -> None:
    """Query parameters bind the answer too: every reported payment must be the one asked for."""
    fake.script.append(json_response(200, {"status": "success", "payments": [{"paymentId": 1}, {"paymentId": 2}]}))
    with pytest.raises(ResponseMismatchError) as mismatch:
        retrieve_payment_details_report.sync(client=make_client(), payment_id="1")
    assert mismatch.value.fields == ("payments[].paymentId",)
    assert fake.requests[0].url.params["paymentId"] == "1"


def test_a_bodyless_get_signs_the_path_without_its_query(make_client: MakeClient, fake: FakeIyzico) -> None:
    fake.script.append(json_response(200, {"status": "success", "conversationId": "c-1", "payments": []}))
    retrieve_payment_details_report.sync(client=make_client(), payment_id="25223114", conversation_id="c-1")
    (sent,) = fake.requests
    assert sent.content == b""
    assert sent.url.query == b"conversationId=c-1&paymentId=25223114"
    assert fake.bad_signatures == 0  # FakeIyzico checked randomKey + path (no query) + empty body


def test_a_success_with_another_http_status_is_not_a_success(make_client: MakeClient, fake: FakeIyzico) -> None:
    fake.script.append(json_response(202, {"status": "success"}))
    with pytest.raises(IyzicoConnectionError, match="HTTP 202"):
        check_api_health.sync(client=make_client())


def test_the_trust_layer_reads_no_spec_document(make_client: MakeClient) -> None:
    """The operation table carries what the trust layer needs: `openapi.json` is left to the emulator."""
    load_spec.cache_clear()
    create_payment.sync(client=make_client(), body=payment_request())
    retrieve_payment.sync(client=make_client(), body=retrieve_request())
    assert load_spec.cache_info().currsize == 0
