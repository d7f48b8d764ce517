"""A friendlier client: a default locale, environments that cannot be mixed up, error 1000 explained, one
version, a generated parser that still raises the client's errors, and docstrings on every public name."""

from __future__ import annotations

import hashlib
import inspect
import json
import tomllib
from collections.abc import Callable, Mapping
from pathlib import Path

import httpx
import pytest

import iyzico_ext
from iyzico_client._runtime.responses import parse_success, unexpected_status
from iyzico_client.api.bin_installment import check_bin
from iyzico_client.api.payment import create_payment
from iyzico_client.api.reporting import retrieve_payment_details_report
from iyzico_client.models import CheckBinRequest, Locale, PaymentResource
from iyzico_client.types import PARSED_JSON_EXTENSION
from iyzico_ext import (
    LIVE_URL,
    SANDBOX_URL,
    AuthenticationError,
    IyzicoClient,
    MalformedPaymentOutcome,
    MalformedResponseError,
)
from iyzico_ext._call import CallContext
from iyzico_ext._constants import CLIENT_VERSION_HEADER
from iyzico_ext._guarantees import AnswerErrors
from iyzico_ext._operations import operations
from tests.canaries import CANARY_LIVE_API_KEY

from .conftest import CANARY_API_KEY, CANARY_PAN, CANARY_SECRET, FakeIyzico, json_response, payment_request

MakeClient = Callable[..., IyzicoClient]
ROOT = Path(__file__).resolve().parents[2]


def _sent(fake: FakeIyzico) -> dict[str, object]:
    body: dict[str, object] = json.loads(fake.requests[-1].content)
    return body


def test_a_default_locale_goes_into_every_request_that_sets_none(make_client: MakeClient, fake: FakeIyzico) -> None:
    client = make_client(locale="en")
    assert client.locale == "en"
    fake.script.append(json_response(200, {"status": "success", "binNumber": "552608"}))
    check_bin.sync(client=client, body=CheckBinRequest(bin_number="552608"))
    assert fake.requests[-1].content.startswith(b'{"locale":"en",')  # spliced in before signing
    assert fake.bad_signatures == 0
    fake.script.append(json_response(200, {"status": "success", "binNumber": "552608"}))
    check_bin.sync(client=client, body=CheckBinRequest(bin_number="552608", locale=Locale.TR))
    assert _sent(fake)["locale"] == "tr"  # a request's own locale wins
    fake.script.append(json_response(200, {"status": "success", "payments": []}))
    retrieve_payment_details_report.sync(client=client, payment_id="1")
    assert fake.requests[-1].url.params["locale"] == "en"


def test_without_a_default_locale_nothing_is_added(make_client: MakeClient, fake: FakeIyzico) -> None:
    fake.script.append(json_response(200, {"status": "success", "binNumber": "552608"}))
    check_bin.sync(client=make_client(), body=CheckBinRequest(bin_number="552608"))
    assert "locale" not in _sent(fake)


def test_an_unknown_locale_is_refused() -> None:
    with pytest.raises(ValueError, match="locale must be one of tr, en"):
        IyzicoClient(CANARY_API_KEY, CANARY_SECRET, locale="de")


def test_keys_of_the_other_environment_are_refused_at_construction() -> None:
    with pytest.raises(ValueError, match=r"sandbox API key .* cannot be used against the live URL"):
        IyzicoClient(CANARY_API_KEY, CANARY_SECRET, LIVE_URL)
    with pytest.raises(ValueError, match="looks like a live key, which cannot be used against the sandbox URL"):
        IyzicoClient(CANARY_LIVE_API_KEY, CANARY_SECRET, SANDBOX_URL)
    IyzicoClient(CANARY_LIVE_API_KEY, CANARY_SECRET, LIVE_URL).close()
    IyzicoClient("any-key", CANARY_SECRET, "http://127.0.0.1:8099").close()  # an emulator: any key


def test_error_1000_says_what_was_signed_never_the_secret(make_client: MakeClient, fake: FakeIyzico) -> None:
    fake.secret = "another-secret"  # the fake now refuses our signature, as iyzico does for a wrong key
    fake.script.append(json_response(200, {"status": "success", "binNumber": "552608"}))
    with pytest.raises(AuthenticationError) as caught:
        check_bin.sync(client=make_client(), body=CheckBinRequest(bin_number="552608"))
    error, sent = caught.value, fake.requests[-1]
    assert error.error_code == "1000"
    assert error.signed is not None
    assert error.signed.path == "/payment/bin/check"
    assert error.signed.body_length == len(sent.content)
    assert error.signed.body_sha256 == hashlib.sha256(sent.content).hexdigest()
    assert error.signed.random_key
    assert error.signed.random_key in str(error)
    assert "secret key" in str(error)
    assert "trailing newline" in str(error)
    assert CANARY_SECRET not in str(error)
    assert CANARY_SECRET not in repr(error.signed)


def test_error_1000_of_a_card_payment_hides_the_body_hash(make_client: MakeClient, fake: FakeIyzico) -> None:
    fake.secret = "another-secret"
    with pytest.raises(AuthenticationError) as caught:
        create_payment.sync(client=make_client(), body=payment_request())
    assert caught.value.signed is not None
    assert caught.value.signed.body_sha256 is None
    assert "carries a card number" in str(caught.value)
    assert CANARY_PAN not in str(caught.value)


def test_the_version_is_written_once() -> None:
    metadata = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    assert "version" in metadata["project"]["dynamic"]
    assert metadata["tool"]["hatch"]["version"]["path"] == "iyzico_ext/_version.py"
    assert CLIENT_VERSION_HEADER[1] == f"iyzico-typed-python-{iyzico_ext.__version__}"


def _response(status: int, body: object, extensions: Mapping[str, object]) -> httpx.Response:
    request = httpx.Request("POST", "https://sandbox-api.iyzipay.com/payment/auth", extensions=dict(extensions))
    return httpx.Response(status, request=request, extensions={PARSED_JSON_EXTENSION: body})


def test_what_the_generated_parser_cannot_read_becomes_the_clients_error() -> None:
    operation = operations()["createPayment"]
    context = CallContext("POST", "/payment/auth", operation)
    errors = {"iyzico_client.response_errors": AnswerErrors(context)}
    garbled = {"status": "success", "paymentId": "25000001", "itemTransactions": "x"}
    with pytest.raises(MalformedPaymentOutcome) as caught:
        parse_success(_response(200, garbled, errors), PaymentResource.from_dict)
    assert dict(caught.value.ids) == {"paymentId": "25000001"}
    retrieve = CallContext("POST", "/payment/detail", operations()["retrievePayment"])
    unusable = unexpected_status(_response(201, {}, {"iyzico_client.response_errors": AnswerErrors(retrieve)}))
    assert isinstance(unusable, MalformedResponseError)
    assert "HTTP 201" in str(unusable)
    with pytest.raises(ValueError, match="required field missing"):  # no client to ask: the model's error
        parse_success(_response(200, {"status": "success"}, {}), PaymentResource.from_dict)


def test_every_public_name_of_iyzico_ext_has_a_docstring() -> None:
    undocumented = [
        name
        for name in iyzico_ext.__all__
        if callable(getattr(iyzico_ext, name)) and not inspect.getdoc(getattr(iyzico_ext, name))
    ]
    assert undocumented == []
    assert inspect.getdoc(IyzicoClient.__init__)
    assert "locale" in (IyzicoClient.__init__.__doc__ or "")
    public_methods = [
        f"{name}.{member}"
        for name in iyzico_ext.__all__
        if inspect.isclass(getattr(iyzico_ext, name)) and getattr(iyzico_ext, name).__module__ == "iyzico_ext"
        for member, value in vars(getattr(iyzico_ext, name)).items()
        # handle_request / handle_async_request: httpx's transport interface, documented there
        if not member.startswith(("_", "handle_"))
        and (inspect.isfunction(value) or isinstance(value, property))
        and not inspect.getdoc(value)
    ]
    assert public_methods == []
