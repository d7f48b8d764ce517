"""Reconciliation, webhooks and the 3-D Secure callback, verification switch, logging, deadline, errors."""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import Callable
from decimal import Decimal

import httpx
import pytest

from iyzico_client.api.bin_installment import check_bin
from iyzico_client.api.payment import create_payment, retrieve_payment
from iyzico_client.models.check_bin_request import CheckBinRequest
from iyzico_client.models.retrieve_payment_request import RetrievePaymentRequest
from iyzico_ext import (
    AuthenticationError,
    CardDeclinedError,
    IyzicoClient,
    IyzicoConnectionError,
    ResponseMismatchError,
    SignatureVerificationError,
    ThreedsNotAuthenticatedError,
    reconcile_payment,
    reconcile_payment_async,
    verify_threeds_callback,
    verify_webhook,
)
from iyzico_ext._logging import configure_logging_from_env, logger
from iyzico_ext._secret import SecretKey
from iyzico_ext._signing import response_signature

from .conftest import (
    CANARY_PAN,
    CANARY_SECRET,
    FakeIyzico,
    SleepRecorder,
    json_response,
    payment_request,
    signed_payment,
)

MakeClient = Callable[..., IyzicoClient]


def _failure(code: str, group: str | None = None) -> httpx.Response:
    return json_response(200, {"status": "failure", "errorCode": code, "errorMessage": "m", "errorGroup": group})


def test_reconcile_finds_the_payment(make_client: MakeClient, fake: FakeIyzico) -> None:
    payment = reconcile_payment(make_client(), "conv-1", price=Decimal("1.00"), currency="TRY")
    assert payment is not None
    assert payment.conversation_id == "conv-1"
    sent = json.loads(fake.requests[0].content)
    assert sent["paymentConversationId"] == "conv-1"


def test_reconcile_async_finds_the_payment(make_client: MakeClient) -> None:
    payment = asyncio.run(reconcile_payment_async(make_client(), "conv-2"))
    assert payment is not None


def test_reconcile_says_not_found(make_client: MakeClient, fake: FakeIyzico) -> None:
    fake.script.append(_failure("5015"))
    assert reconcile_payment(make_client(), "conv-3") is None


def test_reconcile_checks_amounts(make_client: MakeClient) -> None:
    with pytest.raises(ResponseMismatchError) as mismatch:
        reconcile_payment(make_client(), "conv-4", paid_price=Decimal("99"))
    assert mismatch.value.fields == ("paidPrice",)


def test_reconcile_retries_a_failing_lookup_then_raises(make_client: MakeClient, fake: FakeIyzico) -> None:
    fake.script.extend(httpx.Response(503) for _ in range(3))
    with pytest.raises(IyzicoConnectionError):
        reconcile_payment(make_client(), "conv-5")
    assert fake.sends == 3


def test_error_codes_choose_the_subclass(make_client: MakeClient, fake: FakeIyzico) -> None:
    fake.script.extend([_failure("1001"), _failure("9999", "DO_NOT_HONOUR")])
    client = make_client()
    with pytest.raises(AuthenticationError) as auth:
        create_payment.sync(client=client, body=payment_request())
    assert auth.value.error_code == "1001"
    assert auth.value.conversation_id == "123456789"
    with pytest.raises(CardDeclinedError) as declined:
        create_payment.sync(client=client, body=payment_request())
    assert declined.value.error_group == "DO_NOT_HONOUR"


def test_verification_off_is_explicit_and_logged_once(
    make_client: MakeClient, fake: FakeIyzico, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.WARNING, logger="iyzico"):
        client = make_client(verify_signatures=False)
    assert [record.levelno for record in caplog.records] == [logging.WARNING]
    body = signed_payment(CANARY_SECRET)
    del body["signature"]
    fake.script.append(json_response(200, body))
    assert retrieve_payment.sync(client=client, body=_retrieve()) is not None


def _retrieve() -> RetrievePaymentRequest:
    return RetrievePaymentRequest(conversation_id="123456789", payment_id="25149157")


def test_deadline_stops_retries(make_client: MakeClient, fake: FakeIyzico, clock: SleepRecorder) -> None:
    fake.script.extend(httpx.ConnectError("refused") for _ in range(3))
    client = make_client(retry=clock.policy(deadline=1.2))
    with pytest.raises(IyzicoConnectionError):
        retrieve_payment.sync(client=client, body=_retrieve())
    assert clock.slept == [0.5]  # the next wait (1 s) would end after the deadline
    assert fake.sends == 2


def test_logging_redacts_and_skips_card_bodies(make_client: MakeClient, caplog: pytest.LogCaptureFixture) -> None:
    client = make_client()
    with caplog.at_level(logging.DEBUG, logger="iyzico"):
        create_payment.sync(client=client, body=payment_request())
        check_bin.sync(client=client, body=CheckBinRequest(bin_number="552879"))
    text = caplog.text
    assert "createPayment" in text
    assert "conversationId=123456789" in text
    assert "bodies not logged" in text
    assert "552879" in text  # the BIN check's body is logged
    assert CANARY_PAN not in text
    assert "IYZWSv2" not in text


def test_iyzico_log_env_installs_one_handler() -> None:
    before = list(logger.handlers)
    try:
        configure_logging_from_env({"IYZICO_LOG": "debug"})
        configure_logging_from_env({"IYZICO_LOG": "debug"})
        assert len(logger.handlers) == len(before) + 1
        assert logger.level == logging.DEBUG
    finally:
        logger.handlers[:] = before
        logger.setLevel(logging.NOTSET)


CALLBACK_SECRET = "callback-secret"


def _callback(md_status: str) -> dict[str, str]:
    form = {"status": "success", "paymentId": "1", "conversationData": "", "conversationId": "c", "mdStatus": md_status}
    fields = ("conversationData", "conversationId", "mdStatus", "paymentId", "status")
    form["signature"] = response_signature(SecretKey(CALLBACK_SECRET), form, fields)
    return form


def test_callback_requires_md_status_1() -> None:
    with pytest.raises(ThreedsNotAuthenticatedError) as refused:
        verify_threeds_callback(_callback("0"), CALLBACK_SECRET)
    assert refused.value.md_status == "0"
    assert not verify_threeds_callback(_callback("4"), CALLBACK_SECRET, require_authenticated=False).authenticated


def test_callback_with_a_forged_signature_is_refused() -> None:
    form = {**_callback("1"), "paymentId": "2"}
    with pytest.raises(SignatureVerificationError):
        verify_threeds_callback(form, CALLBACK_SECRET)


@pytest.mark.parametrize("signature", [None, "", "00" * 32])
def test_webhook_with_a_bad_signature_is_refused(signature: str | None) -> None:
    payload = b'{"paymentConversationId":"c","paymentId":1,"status":"SUCCESS","iyziEventType":"API_AUTH"}'
    with pytest.raises(SignatureVerificationError):
        verify_webhook(payload, signature, CANARY_SECRET)


def test_webhook_without_a_payment_is_refused() -> None:
    with pytest.raises(SignatureVerificationError):
        verify_webhook(b'{"subscriptionReferenceCode":"s"}', "x", CANARY_SECRET)
