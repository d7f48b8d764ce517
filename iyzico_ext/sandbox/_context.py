"""What an operation handler gets besides the body: the store, who is calling, when, where, path and query."""

from __future__ import annotations

import datetime
import typing
from collections.abc import Callable, Mapping

import attrs

from ._store import Store

__all__ = ["Context", "Handler", "Notification"]


@attrs.frozen
class Notification:
    """A webhook to send once the request's transaction has committed."""

    merchant: str
    payload: dict[str, typing.Any]


@attrs.frozen
class Context:
    """One request as a handler sees it; the body is the handler's other argument."""

    store: Store
    merchant: str
    conversation_id: str | None
    base_url: str
    now: datetime.datetime
    path_params: Mapping[str, str] = attrs.field(factory=dict)
    query: Mapping[str, str] = attrs.field(factory=dict)
    notifications: list[Notification] = attrs.field(factory=list)

    @property
    def today(self) -> datetime.date:
        return self.now.date()

    @property
    def epoch_millis(self) -> int:
        return int(self.now.timestamp() * 1000)


Handler = Callable[[Context, Mapping[str, typing.Any]], dict[str, typing.Any]]
