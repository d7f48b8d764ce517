"""Every journal store keeps the same contract: SQLite (the default), SQLAlchemy and the Django ORM."""

from __future__ import annotations

import pathlib
import threading
import time
import uuid
from collections.abc import Iterator
from decimal import Decimal

import pytest
import sqlalchemy as sa

from iyzico_client.api.payment import create_payment
from iyzico_ext import (
    IyzicoClient,
    JournalStore,
    PaymentIntent,
    PaymentOutcomeUnknown,
    SqliteJournal,
    reconcile_pending,
)
from iyzico_ext.integrations.django.journal import DjangoJournal
from iyzico_ext.integrations.django.models import PaymentIntentRecord, WebhookDelivery
from iyzico_ext.integrations.sqlalchemy import SqlAlchemyJournal
from iyzico_ext.sandbox import DEFAULT_API_KEY, DEFAULT_SECRET_KEY
from iyzico_ext.sandbox.embedded import IN_PROCESS_URL, in_process_sandbox
from iyzico_ext.sandbox.transport import InProcessAsyncTransport, InProcessTransport
from tests.shop import payment_request

STORES = ("sqlite", "sqlalchemy", "django")


@pytest.fixture(params=STORES)
def store(request: pytest.FixtureRequest, tmp_path: pathlib.Path) -> Iterator[JournalStore]:
    if request.param == "sqlite":
        sqlite = SqliteJournal(tmp_path / "journal.sqlite3")
        yield sqlite
        sqlite.close()
    elif request.param == "sqlalchemy":
        engine = sa.create_engine(f"sqlite:///{tmp_path / 'journal-sa.sqlite3'}")
        yield SqlAlchemyJournal(engine)
        engine.dispose()
    else:
        PaymentIntentRecord.objects.all().delete()
        WebhookDelivery.objects.all().delete()
        yield DjangoJournal(using="journal")


def intent(**changes: object) -> PaymentIntent:
    fields: dict[str, object] = {
        "intent_id": uuid.uuid4().hex,
        "operation_id": "createPayment",
        "conversation_id": "c-1",
        "created_at": time.time(),
        "price": Decimal("1.0"),
        "paid_price": Decimal("1.20"),
        "currency": "TRY",
        "basket_id": "B1",
        **changes,
    }
    return PaymentIntent(**fields)  # type: ignore[arg-type]


def test_an_intent_round_trips_exactly(store: JournalStore) -> None:
    written = intent(payment_id="25000001", payment_transaction_id="27000001")
    store.record_intent(written)
    read = store.get(written.intent_id)
    assert read == written
    assert store.unsettled() == [written]


def test_outcomes_settle_intents_and_order_is_by_creation(store: JournalStore) -> None:
    older, newer = intent(created_at=1.0), intent(created_at=2.0)
    store.record_intent(newer)
    store.record_intent(older)
    assert [found.intent_id for found in store.unsettled()] == [older.intent_id, newer.intent_id]
    store.record_outcome(older.intent_id, "succeeded", result_payment_id="25000009", detail=None)
    store.record_outcome(newer.intent_id, "unknown", result_payment_id=None, detail="ended without an answer")
    assert [found.intent_id for found in store.unsettled()] == [newer.intent_id]
    settled = store.get(older.intent_id)
    assert settled is not None
    assert (settled.state, settled.result_payment_id, settled.settled) == ("succeeded", "25000009", True)
    assert [found.intent_id for found in store.intents()] == [older.intent_id, newer.intent_id]
    assert store.get("no-such-intent") is None


def test_webhook_keys_are_recorded_once_even_when_racing(store: JournalStore) -> None:
    assert hasattr(store, "first_delivery")
    results: list[bool] = []
    barrier = threading.Barrier(4)

    def deliver() -> None:
        barrier.wait()
        results.append(store.first_delivery("THREE_DS_AUTH:25000001:SUCCESS"))

    threads = [threading.Thread(target=deliver) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(results) == [False, False, False, True]


def test_a_client_journals_and_reconciles_through_the_store(store: JournalStore) -> None:
    with in_process_sandbox() as sandbox:
        transport = InProcessTransport(sandbox.app)
        with IyzicoClient(
            DEFAULT_API_KEY, DEFAULT_SECRET_KEY, IN_PROCESS_URL, transport=transport, journal=store
        ) as client:
            sandbox.arm_fault("createPayment", "drop-after-commit")
            with pytest.raises(PaymentOutcomeUnknown):
                create_payment.sync(client=client, body=payment_request("c-store"))
            [result] = reconcile_pending(client, settle_after=0)
        transport.close()
        assert result.settlement == "charged"
        [charged] = sandbox.ledger("c-store")
        [journaled] = store.intents()
        assert (journaled.state, journaled.result_payment_id) == ("succeeded", charged["paymentId"])


def test_the_django_journal_refuses_to_write_inside_a_transaction_of_its_alias() -> None:
    from django.db import transaction

    journal = DjangoJournal(using="journal")
    with transaction.atomic(using="journal"), pytest.raises(RuntimeError, match="durable"):
        journal.record_intent(intent())


@pytest.mark.anyio
async def test_the_django_journal_inside_an_event_loop_stops_the_payment_before_it_leaves() -> None:
    from django.core.exceptions import SynchronousOnlyOperation

    with in_process_sandbox() as sandbox:
        client = IyzicoClient(
            DEFAULT_API_KEY,
            DEFAULT_SECRET_KEY,
            IN_PROCESS_URL,
            async_transport=InProcessAsyncTransport(sandbox.app),
            journal=DjangoJournal(using="journal"),
        )
        with pytest.raises(SynchronousOnlyOperation):
            await create_payment.asyncio(client=client, body=payment_request("c-async-django"))
        await client.aclose()
        assert sandbox.ledger("c-async-django") == []


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"
