"""The emulator's state: JSON documents in SQLite (in memory by default, a file with `--db`).

Every request runs inside one transaction (`Store.transaction`), so a request that fails, is rejected or
is faulted "before commit" leaves no trace, and a file database never holds half a payment.
Documents keep money as exact decimals: msgspec writes each `Decimal` as its own text and reads it back
as the same `Decimal`. The documents are the emulator's own (text, integers, Decimals, never a float),
so they go straight to msgspec, without the checks `json_dumps` makes for the wire.
"""

from __future__ import annotations

import contextlib
import functools
import sqlite3
import threading
import typing
from collections.abc import Iterator, Mapping
from decimal import Decimal

import msgspec

__all__ = ["Document", "Store"]

Document = dict[str, typing.Any]

_SCHEMA = """
CREATE TABLE IF NOT EXISTS documents (
    kind TEXT NOT NULL,
    key TEXT NOT NULL,
    merchant TEXT NOT NULL,
    conversation_id TEXT,
    body TEXT NOT NULL,
    PRIMARY KEY (kind, key)
);
CREATE INDEX IF NOT EXISTS documents_by_conversation ON documents (kind, merchant, conversation_id);
CREATE TABLE IF NOT EXISTS counters (name TEXT PRIMARY KEY, value INTEGER NOT NULL);
"""


_ENCODER = msgspec.json.Encoder(decimal_format="number")
_DECODER = msgspec.json.Decoder(float_hook=functools.lru_cache(maxsize=4096)(Decimal))  # repeated amounts


def _load(body: str) -> Document:
    document: Document = _DECODER.decode(body)
    return document


class Store:
    """Documents by (kind, key), owned by a merchant (API key), findable by conversationId."""

    def __init__(self, path: str | None = None) -> None:
        # One connection shared by the event loop and the in-process transports' threads; the lock
        # serialises whole transactions, which is also what keeps SQLite's isolation simple.
        self._connection = sqlite3.connect(path or ":memory:", check_same_thread=False, isolation_level=None)
        if path:
            self._connection.execute("PRAGMA journal_mode=WAL")
            self._connection.execute("PRAGMA synchronous=NORMAL")
        self._connection.executescript(_SCHEMA)
        self._lock = threading.RLock()

    @contextlib.contextmanager
    def transaction(self) -> Iterator[Store]:
        """Run a block atomically: committed when it returns, rolled back when it raises."""
        with self._lock:
            self._connection.execute("BEGIN")
            try:
                yield self
            except BaseException:
                self._connection.execute("ROLLBACK")
                raise
            self._connection.execute("COMMIT")

    def next_id(self, name: str, start: int) -> int:
        """The next number of a named sequence (iyzico's ids are numeric strings)."""
        return self.next_ids(name, start, 1)[0]

    def next_ids(self, name: str, start: int, count: int) -> range:
        """The next `count` numbers of a named sequence, taken in one statement."""
        row = self._connection.execute(
            "INSERT INTO counters (name, value) VALUES (?, ?) "
            "ON CONFLICT (name) DO UPDATE SET value = value + ? RETURNING value",
            (name, start + count - 1, count),
        ).fetchone()
        last = int(row[0])
        return range(last - count + 1, last + 1)

    def put(self, kind: str, key: str, merchant: str, document: Document, conversation_id: str | None = None) -> None:
        body = _ENCODER.encode(document).decode("utf-8")
        self._connection.execute(
            "INSERT INTO documents (kind, key, merchant, conversation_id, body) VALUES (?, ?, ?, ?, ?) "
            "ON CONFLICT (kind, key) DO UPDATE SET body = excluded.body",
            (kind, key, merchant, conversation_id, body),
        )

    def put_each(self, kind: str, merchant: str, documents: Mapping[str, Document]) -> None:
        """`put` for several documents of one kind (by key), in one statement."""
        self._connection.executemany(
            "INSERT INTO documents (kind, key, merchant, conversation_id, body) VALUES (?, ?, ?, NULL, ?) "
            "ON CONFLICT (kind, key) DO UPDATE SET body = excluded.body",
            [(kind, key, merchant, _ENCODER.encode(document).decode("utf-8")) for key, document in documents.items()],
        )

    def delete(self, kind: str, key: str, merchant: str) -> None:
        self._connection.execute(
            "DELETE FROM documents WHERE kind = ? AND key = ? AND merchant = ?", (kind, key, merchant)
        )

    def get(self, kind: str, key: str, merchant: str) -> Document | None:
        """The document, or `None` when it does not exist or belongs to another merchant."""
        row = self._connection.execute(
            "SELECT body FROM documents WHERE kind = ? AND key = ? AND merchant = ?", (kind, key, merchant)
        ).fetchone()
        return _load(row[0]) if row else None

    def get_for_any_merchant(self, kind: str, key: str) -> tuple[str, Document] | None:
        """(merchant, document): for browser pages, which know a token or paymentId but no API key."""
        row = self._connection.execute(
            "SELECT merchant, body FROM documents WHERE kind = ? AND key = ?", (kind, key)
        ).fetchone()
        return (row[0], _load(row[1])) if row else None

    def latest_by_conversation(self, kind: str, merchant: str, conversation_id: str) -> Document | None:
        row = self._connection.execute(
            "SELECT body FROM documents WHERE kind = ? AND merchant = ? AND conversation_id = ? "
            "ORDER BY rowid DESC LIMIT 1",
            (kind, merchant, conversation_id),
        ).fetchone()
        return _load(row[0]) if row else None

    def by_conversation(self, kind: str, merchant: str, conversation_id: str) -> list[Document]:
        """Every document of `kind` stored under this conversationId, oldest first."""
        rows = self._connection.execute(
            "SELECT body FROM documents WHERE kind = ? AND merchant = ? AND conversation_id = ? ORDER BY rowid",
            (kind, merchant, conversation_id),
        ).fetchall()
        return [_load(row[0]) for row in rows]

    def find(self, kind: str, merchant: str, **fields: str) -> Document | None:
        """The first document of `kind` whose top-level fields have these values."""
        clauses = "".join(f" AND json_extract(body, '$.{name}') = ?" for name in fields)
        row = self._connection.execute(
            f"SELECT body FROM documents WHERE kind = ? AND merchant = ?{clauses} LIMIT 1",  # noqa: S608
            (kind, merchant, *fields.values()),
        ).fetchone()
        return _load(row[0]) if row else None

    def all(self, kind: str, conversation_id: str | None = None) -> list[tuple[str, Document]]:
        """(merchant, document) for every document of `kind` (stored under `conversation_id`), oldest first."""
        where, arguments = (
            ("", (kind,)) if conversation_id is None else (" AND conversation_id = ?", (kind, conversation_id))
        )
        with self._lock:
            rows = self._connection.execute(
                f"SELECT merchant, body FROM documents WHERE kind = ?{where} ORDER BY rowid",  # noqa: S608 (fixed text)
                arguments,
            ).fetchall()
        return [(merchant, _load(body)) for merchant, body in rows]

    def reset(self) -> None:
        with self.transaction():
            self._connection.execute("DELETE FROM documents")
            self._connection.execute("DELETE FROM counters")

    def close(self) -> None:
        self._connection.close()
