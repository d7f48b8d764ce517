"""The default journal store: one SQLite file, safe across threads and processes.

Every write is its own transaction in WAL mode with `synchronous=FULL`, so an intent is on disk before
the payment request leaves, and a process killed in the middle of a write leaves either the whole row
or none of it (SQLite's journal rolls a torn write back on the next open). The same file remembers
handled webhooks (`WebhookStore`).
"""

from __future__ import annotations

import os
import sqlite3
import threading
import time

from ._journal import INTENT_COLUMNS, UNSETTLED_STATES, IntentState, PaymentIntent, intent_from_row, intent_row

__all__ = ["SqliteJournal"]

_BUSY_TIMEOUT_SECONDS = 10.0  # another process holding the write lock (two workers sharing the file)
_SCHEMA = (
    "CREATE TABLE IF NOT EXISTS iyzico_payment_intents ("
    "intent_id TEXT PRIMARY KEY, operation_id TEXT NOT NULL, conversation_id TEXT NOT NULL, "
    "created_at REAL NOT NULL, price TEXT, paid_price TEXT, currency TEXT, basket_id TEXT, payment_id TEXT, "
    "payment_transaction_id TEXT, state TEXT NOT NULL, result_payment_id TEXT, detail TEXT, settled_at REAL)",
    "CREATE INDEX IF NOT EXISTS iyzico_payment_intents_state ON iyzico_payment_intents (state, created_at)",
    "CREATE TABLE IF NOT EXISTS iyzico_webhook_deliveries (delivery_key TEXT PRIMARY KEY, received_at REAL NOT NULL)",
)
_COLUMNS = ", ".join(INTENT_COLUMNS)
_UNSETTLED = ", ".join("?" for _ in UNSETTLED_STATES)


class SqliteJournal:
    """`JournalStore` and `WebhookStore` in a SQLite file (created with its tables on first use)."""

    def __init__(self, path: str | os.PathLike[str]) -> None:
        self.path = os.fspath(path)
        self._lock = threading.Lock()
        self._connection = sqlite3.connect(
            self.path, timeout=_BUSY_TIMEOUT_SECONDS, isolation_level=None, check_same_thread=False
        )
        self._connection.row_factory = sqlite3.Row
        self._connection.execute("PRAGMA journal_mode=WAL")
        self._connection.execute("PRAGMA synchronous=FULL")
        with self._lock, self._connection:
            for statement in _SCHEMA:
                self._connection.execute(statement)

    def __repr__(self) -> str:
        return f"SqliteJournal({self.path!r})"

    def _write(self, statement: str, parameters: tuple[object, ...] | dict[str, object]) -> int:
        with self._lock:
            self._connection.execute("BEGIN IMMEDIATE")
            try:
                changed = self._connection.execute(statement, parameters).rowcount
            except BaseException:
                self._connection.execute("ROLLBACK")
                raise
            self._connection.execute("COMMIT")
            return changed

    def record_intent(self, intent: PaymentIntent) -> None:
        """Store a new intent (state `pending`), durably, before the call leaves."""
        placeholders = ", ".join(f":{column}" for column in INTENT_COLUMNS)
        self._write(f"INSERT INTO iyzico_payment_intents ({_COLUMNS}) VALUES ({placeholders})", intent_row(intent))  # noqa: S608 (column names are constants)

    def record_outcome(
        self, intent_id: str, state: IntentState, *, result_payment_id: str | None, detail: str | None
    ) -> None:
        """Set the intent's state, the paymentId found (if any) and a short reason."""
        self._write(
            "UPDATE iyzico_payment_intents SET state = ?, result_payment_id = ?, detail = ?, settled_at = ? "
            "WHERE intent_id = ?",
            (state, result_payment_id, detail, time.time(), intent_id),
        )

    def _select(self, where: str, parameters: tuple[object, ...]) -> list[PaymentIntent]:
        with self._lock:
            rows = self._connection.execute(
                f"SELECT {_COLUMNS} FROM iyzico_payment_intents WHERE {where} ORDER BY created_at",  # noqa: S608 (constants)
                parameters,
            ).fetchall()
        return [intent_from_row(row) for row in rows]

    def unsettled(self) -> list[PaymentIntent]:
        """Every intent still `pending` or `unknown`, oldest first."""
        return self._select(f"state IN ({_UNSETTLED})", UNSETTLED_STATES)

    def get(self, intent_id: str) -> PaymentIntent | None:
        """One intent by id, or `None`."""
        found = self._select("intent_id = ?", (intent_id,))
        return found[0] if found else None

    def intents(self) -> list[PaymentIntent]:
        """Every intent, oldest first (for reports and tests)."""
        return self._select("1 = 1", ())

    def first_delivery(self, key: str) -> bool:
        """Record a webhook's key; True when it was not recorded before (atomic)."""
        return (
            self._write(
                "INSERT OR IGNORE INTO iyzico_webhook_deliveries (delivery_key, received_at) VALUES (?, ?)",
                (key, time.time()),
            )
            == 1
        )

    def close(self) -> None:
        """Close the database connection."""
        with self._lock:
            self._connection.close()
