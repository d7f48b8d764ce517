"""The emulator's long-lived parts: merchants' credentials, the store, armed faults, the webhook sender."""

from __future__ import annotations

import datetime
from collections.abc import Callable, Mapping, Sequence

import httpx

from .._secret import SecretKey
from ._clock import ClockHook, SandboxClock
from ._context import Notification
from ._faults import FaultPlan
from ._store import Store
from ._webhooks import WebhookSender, merchant_number

__all__ = ["DEFAULT_API_KEY", "DEFAULT_SECRET_KEY", "Sandbox"]

DEFAULT_API_KEY = "sandbox-api-key"
DEFAULT_SECRET_KEY = "sandbox-secret-key"  # noqa: S105 - a published, fake credential of the local emulator


class Sandbox:
    """Everything the routes share. `close()` releases the database and stops the webhook thread."""

    def __init__(
        self,
        credentials: Mapping[str, str | SecretKey] | None = None,
        *,
        db_path: str | None = None,
        webhook_url: str | None = None,
        webhook_transport: httpx.BaseTransport | None = None,
        clock: Callable[[], datetime.datetime] = datetime.datetime.now,
        clock_hooks: Sequence[ClockHook] = (),
    ) -> None:
        self.credentials = {
            api_key: SecretKey.of(secret)
            for api_key, secret in (credentials or {DEFAULT_API_KEY: DEFAULT_SECRET_KEY}).items()
        }
        del credentials  # plain secret keys: not kept in this frame while the rest of the setup may raise
        self.store = Store(db_path)
        self.faults = FaultPlan()
        self.webhooks = WebhookSender(webhook_url, transport=webhook_transport) if webhook_url else None
        self.clock = SandboxClock(clock)
        self._clock_hooks = tuple(clock_hooks)

    def advance_clock(self, delta: datetime.timedelta) -> None:
        """Move the emulator's clock forward and run what fell due (one store transaction)."""
        before = self.clock()
        self.clock.advance(delta)
        with self.store.transaction():
            for hook in self._clock_hooks:
                hook(self, before, self.clock())

    def secret_for(self, merchant: str) -> SecretKey:
        return self.credentials[merchant]

    def notify(self, notifications: list[Notification]) -> None:
        if self.webhooks is None:
            return
        for notification in notifications:
            merchant_id = merchant_number(notification.merchant)
            self.webhooks.send(self.secret_for(notification.merchant), notification.payload, merchant_id=merchant_id)

    def close(self) -> None:
        if self.webhooks is not None:
            self.webhooks.close()
        self.store.close()
