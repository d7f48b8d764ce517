"""The payment journal: intents written before money-moving calls leave, outcomes after, settled by reconcile."""

from __future__ import annotations

import asyncio
import logging
import uuid
from decimal import Decimal

import pytest

from iyzico_client.api.cancel_refund import cancel_payment, refund_payment, refund_payment_item
from iyzico_client.api.payment import create_payment, create_post_auth_payment, create_pre_auth_payment
from iyzico_client.models import (
    CancelPaymentRequest,
    CreatePostAuthPaymentRequest,
    RefundPaymentItemRequest,
    RefundPaymentRequest,
)
from iyzico_ext import (
    CardDeclinedError,
    IyzicoClient,
    PaymentOutcomeUnknown,
    SqliteJournal,
    reconcile_pending,
    reconcile_pending_async,
)
from iyzico_ext.sandbox import DEFAULT_API_KEY, DEFAULT_SECRET_KEY
from iyzico_ext.sandbox.embedded import IN_PROCESS_URL
from tests.canaries import CANARY_IDENTITY, CANARY_PAN
from tests.journal.conftest import JournaledShop
from tests.shop import payment_request

DECLINED_CARD = "4111111111111129"


def test_a_payment_is_written_before_it_leaves_and_settled_by_its_answer(shop: JournaledShop) -> None:
    payment = create_payment.sync(client=shop.client, body=payment_request())
    assert payment is not None
    [intent] = shop.journal.intents()
    assert intent.operation_id == "createPayment"
    assert intent.conversation_id == payment.conversation_id
    assert (intent.price, intent.paid_price, intent.currency) == (payment.price, payment.paid_price, "TRY")
    assert intent.basket_id == payment.basket_id
    assert (intent.state, intent.result_payment_id) == ("succeeded", payment.payment_id)
    assert shop.journal.unsettled() == []


def test_the_journal_file_holds_no_card_data(shop: JournaledShop) -> None:
    create_payment.sync(client=shop.client, body=payment_request())
    shop.client.close()
    stored = b"".join(path.read_bytes() for path in shop.journal_path.parent.iterdir())
    for secret in (CANARY_PAN, CANARY_IDENTITY, "5528790000000008", DEFAULT_SECRET_KEY, "cvc", "123,"):
        assert secret.encode() not in stored


def test_a_generated_conversation_id_is_journaled(shop: JournaledShop) -> None:
    payment = create_payment.sync(client=shop.client, body=payment_request(conversationId=None))
    assert payment is not None
    [intent] = shop.journal.intents()
    assert len(intent.conversation_id) == 32
    assert intent.conversation_id == payment.conversation_id


def test_a_decline_is_settled_as_failed(shop: JournaledShop) -> None:
    conversation_id = uuid.uuid4().hex
    request = payment_request(conversation_id)
    request.payment_card.card_number = DECLINED_CARD
    with pytest.raises(CardDeclinedError):
        create_payment.sync(client=shop.client, body=request)
    [intent] = shop.journal.intents()
    assert (intent.state, intent.detail) == ("failed", "errorCode 10051")


@pytest.mark.parametrize(
    ("fault", "settlement"), [("drop-after-commit", "charged"), ("drop-before-commit", "not_charged")]
)
def test_an_unknown_outcome_is_reconciled(shop: JournaledShop, fault: str, settlement: str) -> None:
    shop.sandbox.arm_fault("createPayment", fault)
    conversation_id = uuid.uuid4().hex
    request = payment_request(conversation_id)
    with pytest.raises(PaymentOutcomeUnknown):
        create_payment.sync(client=shop.client, body=request)
    [intent] = shop.journal.unsettled()
    assert intent.state == "unknown"
    [result] = reconcile_pending(shop.client, settle_after=0)
    assert result.settlement == settlement
    ledger = shop.sandbox.ledger(conversation_id)
    assert len(ledger) == (1 if settlement == "charged" else 0)
    [settled] = shop.journal.intents()
    assert settled.state == ("succeeded" if settlement == "charged" else "failed")
    if ledger:
        assert result.payment is not None
        assert result.payment.payment_id == ledger[0]["paymentId"]
        assert settled.result_payment_id == ledger[0]["paymentId"]
    assert shop.journal.unsettled() == []


def test_not_found_settles_only_after_the_grace_period(shop: JournaledShop) -> None:
    shop.sandbox.arm_fault("createPayment", "drop-before-commit")
    with pytest.raises(PaymentOutcomeUnknown):
        create_payment.sync(client=shop.client, body=payment_request())
    [result] = reconcile_pending(shop.client)  # default grace: the client's call deadline
    assert result.settlement == "unknown"
    assert "in flight" in result.reason
    assert len(shop.journal.unsettled()) == 1


def test_a_pending_intent_left_by_a_crash_is_reconciled_by_conversation_id(shop: JournaledShop) -> None:
    # What a process killed after sending leaves: an intent and a payment, no outcome.
    conversation_id = uuid.uuid4().hex
    request = payment_request(conversation_id)
    plain = IyzicoClient(
        DEFAULT_API_KEY, DEFAULT_SECRET_KEY, IN_PROCESS_URL, transport=shop.client._options["transport"]
    )
    payment = create_payment.sync(client=plain, body=request)
    assert payment is not None
    from iyzico_ext import PaymentIntent

    intent = PaymentIntent(
        intent_id=uuid.uuid4().hex,
        operation_id="createPayment",
        conversation_id=request.conversation_id,  # type: ignore[arg-type]
        created_at=0.0,
        price=request.price,
        paid_price=request.paid_price,
        currency="TRY",
        basket_id=request.basket_id,  # type: ignore[arg-type]
    )
    shop.journal.store.record_intent(intent)
    [result] = reconcile_pending(shop.client)
    assert (result.settlement, result.payment and result.payment.payment_id) == ("charged", payment.payment_id)


def test_post_auth_is_reconciled_by_payment_id(shop: JournaledShop) -> None:
    pre_auth = create_pre_auth_payment.sync(client=shop.client, body=payment_request())
    shop.sandbox.arm_fault("createPostAuthPayment", "drop-after-commit")
    capture = CreatePostAuthPaymentRequest(payment_id=pre_auth.payment_id, paid_price=pre_auth.paid_price)
    with pytest.raises(PaymentOutcomeUnknown):
        create_post_auth_payment.sync(client=shop.client, body=capture)
    [result] = reconcile_pending(shop.client, settle_after=0)
    assert result.intent.payment_id == pre_auth.payment_id
    assert result.settlement == "charged"


@pytest.mark.parametrize("fault", ["drop-after-commit", "drop-before-commit"])
def test_refunds_and_cancels_of_a_payment_settle_through_its_report(shop: JournaledShop, fault: str) -> None:
    refunded = create_payment.sync(client=shop.client, body=payment_request())
    cancelled = create_payment.sync(client=shop.client, body=payment_request())
    assert refunded is not None
    assert cancelled is not None
    assert isinstance(refunded.payment_id, str)
    assert isinstance(cancelled.payment_id, str)
    shop.sandbox.arm_fault("refundPayment", fault)
    shop.sandbox.arm_fault("cancelPayment", fault)
    with pytest.raises(PaymentOutcomeUnknown):
        refund_payment.sync(
            client=shop.client,
            body=RefundPaymentRequest(payment_id=refunded.payment_id, price=refunded.paid_price),
        )
    with pytest.raises(PaymentOutcomeUnknown):
        cancel_payment.sync(client=shop.client, body=CancelPaymentRequest(payment_id=cancelled.payment_id))
    results = reconcile_pending(shop.client, settle_after=0)
    happened = fault == "drop-after-commit"
    assert [result.settlement for result in results] == ["charged" if happened else "not_charged"] * 2
    assert reconcile_pending(shop.client, settle_after=0) == []


def test_item_refunds_name_no_payment_and_stay_unknown(shop: JournaledShop) -> None:
    payment = create_payment.sync(client=shop.client, body=payment_request())
    assert payment is not None
    assert isinstance(payment.item_transactions, list)
    shop.sandbox.arm_fault("refundPaymentItem", "drop-after-commit")
    item = payment.item_transactions[0]
    with pytest.raises(PaymentOutcomeUnknown):
        refund_payment_item.sync(
            client=shop.client,
            body=RefundPaymentItemRequest(
                payment_transaction_id=str(item.payment_transaction_id), price=Decimal("0.01")
            ),
        )
    [result] = reconcile_pending(shop.client, settle_after=0)
    assert result.settlement == "unknown"
    assert "reconcile_refund" in result.reason


def test_a_journal_that_cannot_write_stops_the_payment_before_it_leaves(shop: JournaledShop) -> None:
    shop.journal.store.close()  # type: ignore[attr-defined]
    conversation_id = uuid.uuid4().hex
    request = payment_request(conversation_id)
    with pytest.raises(Exception, match="closed"):
        create_payment.sync(client=shop.client, body=request)
    assert shop.sandbox.ledger(conversation_id) == []


def test_reconcile_pending_needs_a_journal() -> None:
    client = IyzicoClient(DEFAULT_API_KEY, DEFAULT_SECRET_KEY, IN_PROCESS_URL)
    with pytest.raises(ValueError, match="journal"):
        reconcile_pending(client)


def test_a_path_opens_a_sqlite_journal(shop: JournaledShop) -> None:
    assert isinstance(shop.journal.store, SqliteJournal)
    assert shop.journal.store.path == str(shop.journal_path)


@pytest.mark.anyio
async def test_a_call_cancelled_after_sending_keeps_its_conversation_id(
    loopback_shop: JournaledShop, caplog: pytest.LogCaptureFixture
) -> None:
    shop = loopback_shop
    shop.sandbox.arm_fault("createPayment", "delay", delay=0.5)
    request = payment_request(conversationId=None)  # the client generates it
    with caplog.at_level(logging.WARNING, logger="iyzico"), pytest.raises(TimeoutError):
        await asyncio.wait_for(create_payment.asyncio(client=shop.client, body=request), 0.1)
    [intent] = shop.journal.unsettled()
    assert intent.state == "unknown"
    assert "without an answer" in (intent.detail or "")
    [warning] = [record for record in caplog.records if record.levelno == logging.WARNING]
    assert intent.conversation_id in warning.getMessage()
    await asyncio.sleep(0.6)  # whatever the emulator does with the abandoned request, it has done it now
    [result] = await reconcile_pending_async(shop.client, settle_after=0)
    charged = shop.sandbox.ledger(intent.conversation_id)
    assert result.settlement == ("charged" if charged else "not_charged")
    assert shop.journal.unsettled() == []
    await shop.client.aclose()


@pytest.mark.anyio
async def test_without_a_journal_a_cancelled_call_still_logs_its_conversation_id(
    caplog: pytest.LogCaptureFixture,
) -> None:
    from iyzico_ext.sandbox.embedded import in_process_sandbox

    with in_process_sandbox() as sandbox:
        sandbox.arm_fault("createPayment", "delay", delay=0.3)
        task = asyncio.create_task(create_payment.asyncio(client=sandbox.client, body=payment_request("conv-cancel-1")))
        await asyncio.sleep(0.05)
        task.cancel()
        with caplog.at_level(logging.WARNING, logger="iyzico"), pytest.raises(asyncio.CancelledError):
            await task
        await asyncio.sleep(0.4)
    warnings = [record.getMessage() for record in caplog.records if record.levelno == logging.WARNING]
    assert any("'conv-cancel-1'" in message and "reconcile" in message for message in warnings)
