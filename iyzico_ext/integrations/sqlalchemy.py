"""`SqlAlchemyJournal`: the payment journal and the webhook store on any SQLAlchemy engine (extra `sqlalchemy`).

    client = IyzicoClient(..., journal=SqlAlchemyJournal(create_engine("postgresql+psycopg://...")))

Its two tables are created on first use (or add `journal_tables(metadata)` to your own metadata and
let your migrations create them). Each write is its own transaction on a connection of its own, so it
is committed before the payment request leaves, whatever transaction your code has open.
"""

from __future__ import annotations

import time

import sqlalchemy as sa
import sqlalchemy.exc

from .._journal import UNSETTLED_STATES, IntentState, PaymentIntent, intent_from_row, intent_row

__all__ = ["SqlAlchemyJournal", "journal_tables"]


def journal_tables(metadata: sa.MetaData) -> tuple[sa.Table, sa.Table]:
    """The intents table and the webhook deliveries table, defined on `metadata`."""
    amount = sa.Numeric(20, 2, asdecimal=True)
    intents = sa.Table(
        "iyzico_payment_intents",
        metadata,
        sa.Column("intent_id", sa.String(32), primary_key=True),
        sa.Column("operation_id", sa.String(64), nullable=False),
        sa.Column("conversation_id", sa.String(255), nullable=False),
        sa.Column("created_at", sa.Float, nullable=False),
        sa.Column("price", amount),
        sa.Column("paid_price", amount),
        sa.Column("currency", sa.String(3)),
        sa.Column("basket_id", sa.String(255)),
        sa.Column("payment_id", sa.String(64)),
        sa.Column("payment_transaction_id", sa.String(64)),
        sa.Column("state", sa.String(16), nullable=False, index=True),
        sa.Column("result_payment_id", sa.String(64)),
        sa.Column("detail", sa.Text),
        sa.Column("settled_at", sa.Float),
    )
    deliveries = sa.Table(
        "iyzico_webhook_deliveries",
        metadata,
        sa.Column("delivery_key", sa.String(255), primary_key=True),
        sa.Column("received_at", sa.Float, nullable=False),
    )
    return intents, deliveries


class SqlAlchemyJournal:
    """`JournalStore` and `WebhookStore` on a SQLAlchemy `Engine`."""

    def __init__(self, engine: sa.Engine, *, create_tables: bool = True) -> None:
        self.engine = engine
        metadata = sa.MetaData()
        self._intents, self._deliveries = journal_tables(metadata)
        if create_tables:
            metadata.create_all(engine)

    def __repr__(self) -> str:
        return f"SqlAlchemyJournal({self.engine.url.render_as_string(hide_password=True)!r})"

    def record_intent(self, intent: PaymentIntent) -> None:
        with self.engine.begin() as connection:
            connection.execute(self._intents.insert().values(**intent_row(intent)))

    def record_outcome(
        self, intent_id: str, state: IntentState, *, result_payment_id: str | None, detail: str | None
    ) -> None:
        with self.engine.begin() as connection:
            connection.execute(
                self._intents.update()
                .where(self._intents.c.intent_id == intent_id)
                .values(state=state, result_payment_id=result_payment_id, detail=detail, settled_at=time.time())
            )

    def _select(self, *where: sa.ColumnElement[bool]) -> list[PaymentIntent]:
        query = sa.select(self._intents).where(*where).order_by(self._intents.c.created_at)
        with self.engine.connect() as connection:
            return [intent_from_row(row) for row in connection.execute(query).mappings()]

    def unsettled(self) -> list[PaymentIntent]:
        return self._select(self._intents.c.state.in_(UNSETTLED_STATES))

    def get(self, intent_id: str) -> PaymentIntent | None:
        found = self._select(self._intents.c.intent_id == intent_id)
        return found[0] if found else None

    def intents(self) -> list[PaymentIntent]:
        return self._select()

    def first_delivery(self, key: str) -> bool:
        try:
            with self.engine.begin() as connection:
                connection.execute(self._deliveries.insert().values(delivery_key=key, received_at=time.time()))
        except sqlalchemy.exc.IntegrityError:
            return False
        return True
