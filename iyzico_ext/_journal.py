"""The payment journal: every money-moving call is written down before it leaves, and its outcome after.

iyzico has no idempotency keys, so a payment whose process dies (or whose task is cancelled) between
sending and reading the answer would otherwise be forgotten. With a journal configured
(`IyzicoClient(..., journal="payments.sqlite3")`), the auth flow records an intent (operation,
conversationId, amounts, basketId, the payment it acts on; never card data) before the first byte is
sent, and the outcome when it is known: `succeeded`, `failed` (iyzico answered `status: failure`, so
nothing moved) or `unknown`. An intent still `pending` or `unknown` is settled later by
`reconcile_pending` through iyzico's retrieve call.

The auth flow reaches it through `_recorder.CallRecorder`, the one hook of the call path (this module is
only imported when a journal is configured).
"""

from __future__ import annotations

import os
import time
import typing
import uuid
from decimal import Decimal

import attrs

from ._call import CallContext

__all__ = [
    "IntentState",
    "JournalStore",
    "PaymentIntent",
    "PaymentJournal",
    "WebhookStore",
    "UNSETTLED_STATES",
    "INTENT_COLUMNS",
    "intent_from_row",
    "intent_row",
]

IntentState = typing.Literal["pending", "unknown", "succeeded", "failed"]
# `pending`: written before sending, nothing heard since (the process may have died);
# `unknown`: the call ended without a usable answer (cancelled, PaymentOutcomeUnknown).
UNSETTLED_STATES: typing.Final[tuple[IntentState, ...]] = ("pending", "unknown")


def _amount(value: object) -> Decimal | None:
    return value if isinstance(value, Decimal) else Decimal(value) if isinstance(value, int) else None


def _text(value: object) -> str | None:
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    return value if isinstance(value, str) and value else None


@attrs.frozen
class PaymentIntent:
    """One money-moving call as the journal knows it. Holds no card data, key or identity number."""

    intent_id: str
    operation_id: str
    conversation_id: str
    created_at: float
    price: Decimal | None = None
    paid_price: Decimal | None = None
    currency: str | None = None
    basket_id: str | None = None
    payment_id: str | None = None  # the payment the call acts on (3-D Secure auth, post-auth, cancel, refund)
    payment_transaction_id: str | None = None
    state: IntentState = "pending"
    result_payment_id: str | None = None  # the paymentId iyzico answered with (or reconciliation found)
    detail: str | None = None  # why it failed or is unknown, or how it was settled
    settled_at: float | None = None

    @property
    def settled(self) -> bool:
        """Whether the outcome is known: `succeeded` or `failed`."""
        return self.state not in UNSETTLED_STATES

    @classmethod
    def for_call(cls, context: CallContext, conversation_id: str) -> PaymentIntent:
        sent: dict[str, typing.Any] = context.sent.value if context.sent is not None else {}
        return cls(
            intent_id=uuid.uuid4().hex,
            operation_id=context.label,
            conversation_id=conversation_id,
            created_at=time.time(),
            price=_amount(sent.get("price")),
            paid_price=_amount(sent.get("paidPrice")),
            currency=_text(sent.get("currency")),
            basket_id=_text(sent.get("basketId")),
            payment_id=_text(sent.get("paymentId")),
            payment_transaction_id=_text(sent.get("paymentTransactionId")),
        )


class JournalStore(typing.Protocol):
    """Where intents are kept. Each method is one atomic write or read; implementations must be thread safe.

    `SqliteJournal` (a file path), `SqlAlchemyJournal` and `DjangoJournal` implement it.
    """

    def record_intent(self, intent: PaymentIntent) -> None:
        """Store a new intent (state `pending`); it must be durable when this returns."""
        ...

    def record_outcome(
        self, intent_id: str, state: IntentState, *, result_payment_id: str | None, detail: str | None
    ) -> None:
        """Set the intent's state, the paymentId found (if any) and a short reason."""
        ...

    def unsettled(self) -> list[PaymentIntent]:
        """Every intent still `pending` or `unknown`, oldest first."""
        ...

    def get(self, intent_id: str) -> PaymentIntent | None:
        """One intent by id."""
        ...

    def intents(self) -> list[PaymentIntent]:
        """Every intent, oldest first (reports, audits, tests)."""
        ...


class WebhookStore(typing.Protocol):
    """Remembers which webhooks were handled, by their natural key, so a redelivery is answered without effect."""

    def first_delivery(self, key: str) -> bool:
        """Record `key`; True when it was not recorded before (atomic: two racing calls never both get True)."""
        ...


@attrs.frozen
class PaymentJournal:
    """The journal of one client: its store plus the recording steps the auth flow calls."""

    store: JournalStore

    def unsettled(self) -> list[PaymentIntent]:
        """Every intent still `pending` or `unknown`, oldest first."""
        return self.store.unsettled()

    def get(self, intent_id: str) -> PaymentIntent | None:
        """One intent by id, or `None`."""
        return self.store.get(intent_id)

    def intents(self) -> list[PaymentIntent]:
        """Every intent, oldest first."""
        return self.store.intents()

    @classmethod
    def of(cls, journal: str | os.PathLike[str] | JournalStore | None) -> PaymentJournal | None:
        """The journal for `IyzicoClient(journal=...)`: a path opens (or creates) a `SqliteJournal` there."""
        if journal is None:
            return None
        if isinstance(journal, str | os.PathLike):
            from ._journal_sqlite import SqliteJournal

            return cls(SqliteJournal(journal))
        return cls(journal)


# The columns every SQL store keeps (amounts as exact decimal text), shared by the SQLite, SQLAlchemy and
# Django stores so that the three agree on what an intent looks like at rest.
INTENT_COLUMNS: typing.Final = (
    "intent_id",
    "operation_id",
    "conversation_id",
    "created_at",
    "price",
    "paid_price",
    "currency",
    "basket_id",
    "payment_id",
    "payment_transaction_id",
    "state",
    "result_payment_id",
    "detail",
    "settled_at",
)
_AMOUNT_COLUMNS = frozenset({"price", "paid_price"})


def intent_row(intent: PaymentIntent) -> dict[str, object]:
    """The intent as column values (amounts as decimal text)."""
    row: dict[str, object] = attrs.asdict(intent)
    for column in _AMOUNT_COLUMNS:
        row[column] = None if row[column] is None else str(row[column])
    return row


def intent_from_row(row: typing.Mapping[typing.Any, typing.Any]) -> PaymentIntent:
    values = {column: row[column] for column in INTENT_COLUMNS}
    for column in _AMOUNT_COLUMNS:
        values[column] = None if values[column] is None else Decimal(values[column])
    return PaymentIntent(**values)
