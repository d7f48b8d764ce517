"""No dummy values in live: every value iyzico publishes as a sample is refused before sending to the live API.

Each documented sample value is put, on its own, into an otherwise real-looking request in a member the guard
reads, and sent through `IyzicoClient` with the live base URL: refused with a `RequestValidationError` naming
that member and saying why, nothing sent. `sample_values="warn"` sends it with a WARNING instead; against the
sandbox URL and the emulator the values stay welcome; real-looking requests (hypothesis) go through.
"""

from __future__ import annotations

import logging
import typing

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from iyzico_client.models import Buyer, CreatePaymentRequest, CreateSubMerchantRequest
from iyzico_ext import LIVE_URL, SANDBOX_URL, AuthenticationError, IyzicoClient, RequestValidationError
from iyzico_ext._sample_values import SAMPLES, find_sample_values
from iyzico_ext.sandbox.embedded import SandboxHandle
from iyzico_ext.testing import strategies as iyzico_st
from iyzico_ext.testing.strategies import generated_function
from tests.canaries import CANARY_API_KEY, CANARY_LIVE_API_KEY, CANARY_SECRET
from tests.sandbox.conftest import payment_body
from tests.sandbox.readiness_reference import real_order

# A Luhn-valid card number that is none of iyzico's test cards.
_REAL_LOOKING_CARD = "5168881234567899"
_AMEX_PREFIXES = ("34", "37")


def _real_sub_merchant() -> dict[str, typing.Any]:
    return {
        "subMerchantType": "LIMITED_OR_JOINT_STOCK_COMPANY",
        "subMerchantExternalId": "SATICI-88",
        "name": "Yılmaz Kitap",
        "email": "muhasebe@yilmazkitap.com.tr",
        "gsmNumber": "+905442220918",
        "address": "Atatürk Cd. No:40 Bornova İzmir",
        "iban": "TR300006401284736592018475",
        "taxOffice": "Bornova",
        "taxNumber": "5180337465",
        "legalCompanyTitle": "Yılmaz Kitap Ltd. Şti.",
        "currency": "TRY",
    }


class Placed(typing.NamedTuple):
    operation_id: str
    body: dict[str, typing.Any]
    field: str


def _placed(member: str, value: str) -> Placed:
    """A real-looking request carrying `value` in `member` (as the guard's rule reads it), and its field path."""
    if member in ("iban", "taxNumber", "legalCompanyTitle"):
        return Placed("createSubMerchant", {**_real_sub_merchant(), member: value}, member)
    body = real_order(_REAL_LOOKING_CARD)
    card, buyer, address = body["paymentCard"], body["buyer"], body["shippingAddress"]
    if member == "cardNumber":
        card.update(cardNumber=value, cvc="4415" if value.startswith(_AMEX_PREFIXES) else "415")
        return Placed("createPayment", body, "paymentCard.cardNumber")
    if member == "cardHolderName":
        card["cardHolderName"] = value
        return Placed("createPayment", body, "paymentCard.cardHolderName")
    if member == "name+surname":
        buyer["name"], _, buyer["surname"] = value.partition(" ")
        return Placed("createPayment", body, "buyer.name")
    if member == "contactName+contactSurname":
        address["contactName"] = value
        return Placed("createPayment", body, "shippingAddress.contactName")
    if member == "address":
        address["address"] = value
        return Placed("createPayment", body, "shippingAddress.address")
    if member.startswith("."):
        body[member[1:]] = value
        return Placed("createPayment", body, member[1:])
    buyer[member.removeprefix("buyer.")] = value
    return Placed("createPayment", body, f"buyer.{member.removeprefix('buyer.')}")


_MODELS: dict[str, typing.Any] = {"createPayment": CreatePaymentRequest, "createSubMerchant": CreateSubMerchantRequest}
CASES = [
    pytest.param(sample.kind, member, value, id=f"{member}-{index}")  # ids without the values (the leak scan)
    for sample in SAMPLES
    for member in sample.members
    for index, value in enumerate(sample.values)
]


def _live_client(sent: list[httpx.Request], **options: typing.Any) -> IyzicoClient:
    def iyzico(request: httpx.Request) -> httpx.Response:
        sent.append(request)
        return httpx.Response(200, json={"status": "failure", "errorCode": "1001", "errorMessage": "unknown key"})

    return IyzicoClient(CANARY_LIVE_API_KEY, CANARY_SECRET, LIVE_URL, transport=httpx.MockTransport(iyzico), **options)


def _send(client: IyzicoClient, placed: Placed) -> object:
    body = _MODELS[placed.operation_id].from_dict(placed.body)
    return generated_function(placed.operation_id)(client=client, body=body)


def test_every_member_of_the_catalogue_is_placed_somewhere() -> None:
    members = {member for sample in SAMPLES for member in sample.members}
    assert len(CASES) > 80
    for member in members:
        assert _placed(member, "x").field  # every member has a placement


@pytest.mark.parametrize(("kind", "member", "value"), CASES)
def test_the_live_guard_refuses_each_documented_sample_value(kind: str, member: str, value: str) -> None:
    sent: list[httpx.Request] = []
    placed = _placed(member, value)
    with pytest.raises(RequestValidationError) as refused:
        _send(_live_client(sent), placed)
    assert refused.value.field == placed.field
    assert refused.value.rule.startswith(f"is {kind}; a live request must carry real data")
    assert "sample_values='warn'" in refused.value.rule
    if value.isdigit():  # card and identity numbers never appear in an error
        assert value not in str(refused.value)
    assert refused.value.operation_id == placed.operation_id
    assert sent == []


def test_sample_values_warn_is_a_documented_switch(caplog: pytest.LogCaptureFixture) -> None:
    sent: list[httpx.Request] = []
    placed = _placed("identityNumber", "74300864791")
    with caplog.at_level(logging.WARNING, logger="iyzico"), pytest.raises(AuthenticationError):
        _send(_live_client(sent, sample_values="warn"), placed)
    assert len(sent) == 1
    warnings = [record.getMessage() for record in caplog.records if record.levelno == logging.WARNING]
    assert warnings == [
        "createPayment to the live API carries iyzico's sample values: buyer.identityNumber (iyzico's sample "
        "identity number); sent anyway (sample_values='warn')"
    ]
    with pytest.raises(ValueError, match="sample_values must be 'refuse' or 'warn'"):
        IyzicoClient(CANARY_API_KEY, CANARY_SECRET, SANDBOX_URL, sample_values=typing.cast(typing.Any, "off"))


def test_the_guard_is_on_by_default_with_the_live_url_from_the_environment() -> None:
    environment = {
        "IYZIPAY_API_KEY": CANARY_LIVE_API_KEY,
        "IYZIPAY_SECRET_KEY": CANARY_SECRET,
        "IYZIPAY_BASE_URL": LIVE_URL,
    }
    with pytest.raises(RequestValidationError, match=r"^buyer\.ip: is iyzico's sample buyer IP address"):
        _send(IyzicoClient.from_env(environment), _placed("ip", "85.34.78.112"))


def test_the_sandbox_url_sends_sample_values() -> None:
    sent: list[httpx.Request] = []

    def iyzico(request: httpx.Request) -> httpx.Response:
        sent.append(request)
        return httpx.Response(200, json={"status": "failure", "errorCode": "1001", "errorMessage": "unknown key"})

    client = IyzicoClient(CANARY_API_KEY, CANARY_SECRET, SANDBOX_URL, transport=httpx.MockTransport(iyzico))
    with pytest.raises(AuthenticationError):
        _send(client, Placed("createPayment", payment_body(), ""))
    assert len(sent) == 1


def test_the_emulator_welcomes_sample_values(iyzico_sandbox: SandboxHandle) -> None:
    _send(iyzico_sandbox.client, Placed("createPayment", payment_body(), ""))
    assert [entry["price"] for entry in iyzico_sandbox.ledger("conv-1")] == [payment_body()["price"]]


# A buyer's address as iyzico sees it: routable on the internet (not a private, loopback or documentation one).
_PUBLIC_IPS = st.ip_addresses(v=4).filter(lambda address: address.is_global).map(str)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    request=iyzico_st.from_model(
        CreatePaymentRequest,
        payment_card=iyzico_st.payment_cards(iyzico_st.synthetic_card_numbers()),
        buyer=iyzico_st.from_model(Buyer, ip=_PUBLIC_IPS),
    )
)
def test_real_looking_requests_go_to_the_live_api(request: CreatePaymentRequest) -> None:
    assert find_sample_values(request.to_dict()) == []
    sent: list[httpx.Request] = []
    with pytest.raises(AuthenticationError):
        generated_function("createPayment")(client=_live_client(sent), body=request)
    assert len(sent) == 1
