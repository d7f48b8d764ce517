"""`DjangoJournal`: the payment journal and the webhook store in your Django database.

Each write is its own durable transaction (`transaction.atomic(durable=True)`), committed before the
payment request leaves. Inside one of your own transactions (`ATOMIC_REQUESTS`, `atomic()` around the
call) a journal write would be rolled back with it, so it is refused; give the journal a database alias
of its own (the same database under a second name in DATABASES) and pass it as `using`. Django's ORM is
synchronous: use it with the client's sync calls (in an async view, wrap the call in `sync_to_async`); from
inside an event loop Django refuses the write, and the payment is not sent.
"""

from __future__ import annotations

import time
import typing

from django.db import IntegrityError, transaction

from ..._journal import UNSETTLED_STATES, IntentState, PaymentIntent, intent_from_row, intent_row
from .models import PaymentIntentRecord, WebhookDelivery

__all__ = ["DjangoJournal"]


class DjangoJournal:
    """`JournalStore` and `WebhookStore` on the iyzico app's models (run `migrate` first)."""

    def __init__(self, using: str = "default") -> None:
        self.using = using

    def __repr__(self) -> str:
        return f"DjangoJournal(using={self.using!r})"

    def _records(self) -> typing.Any:  # a Django QuerySet (Django has no type information)
        return PaymentIntentRecord.objects.using(self.using)

    def record_intent(self, intent: PaymentIntent) -> None:
        with transaction.atomic(using=self.using, durable=True):
            self._records().create(**intent_row(intent))

    def record_outcome(
        self, intent_id: str, state: IntentState, *, result_payment_id: str | None, detail: str | None
    ) -> None:
        with transaction.atomic(using=self.using, durable=True):
            self._records().filter(intent_id=intent_id).update(
                state=state, result_payment_id=result_payment_id, detail=detail, settled_at=time.time()
            )

    def _intents(self, **where: object) -> list[PaymentIntent]:
        rows = self._records().filter(**where).order_by("created_at").values()
        return [intent_from_row(row) for row in rows]

    def unsettled(self) -> list[PaymentIntent]:
        return self._intents(state__in=UNSETTLED_STATES)

    def get(self, intent_id: str) -> PaymentIntent | None:
        found = self._intents(intent_id=intent_id)
        return found[0] if found else None

    def intents(self) -> list[PaymentIntent]:
        return self._intents()

    def first_delivery(self, key: str) -> bool:
        try:
            with transaction.atomic(using=self.using, durable=True):
                WebhookDelivery.objects.using(self.using).create(delivery_key=key)
        except IntegrityError:
            return False
        return True
