"""What every adapter shares: the configuration, and what to answer for each result.

The two browser callbacks end with `303 See Other` to one of your pages: the buyer's browser arrives
there with a top-level GET from your own site, so its session cookie (SameSite=Lax) is sent again,
which it was not on iyzico's cross-site POST. Webhooks get their status code and a short text at once.
"""

from __future__ import annotations

import typing
import urllib.parse
from collections.abc import Callable

import attrs

from .._client import IyzicoClient
from .._handlers import CheckoutPaid, MemoryWebhookStore, OrderLookup, Refusal, ThreedsPaid, WebhookAccepted
from .._journal import WebhookStore

__all__ = ["BrowserResult", "IyzicoEndpoints", "Paid", "webhook_answer"]

Paid = ThreedsPaid | CheckoutPaid
BrowserResult = Paid | Refusal


def _default_webhook_store(endpoints: IyzicoEndpoints) -> WebhookStore:
    journal = endpoints.client.journal
    store = journal.store if journal is not None else None
    # The journal's store remembers webhooks too (shared by every worker); otherwise this process's memory.
    return typing.cast(WebhookStore, store) if hasattr(store, "first_delivery") else MemoryWebhookStore()


@attrs.frozen
class IyzicoEndpoints:
    """How your site answers iyzico: the client, where the buyer goes next, and your hooks.

    `success_url` / `failure_url`: a URL, or a function of the result giving one (a failure URL given as
    text gets `?reason=<Refusal.reason>` added). `on_paid(result)` runs once per verified payment before
    the redirect (mark the order paid there); `on_refused(refusal)` for everything else;
    `on_webhook(accepted)` once per new notification (queue work: iyzico waits only briefly).
    `threeds_order` / `checkout_order` look your order up (by the callback's conversationId / the
    token) so that the amounts are checked; `webhook_store` defaults to the journal's store when the
    client has a journal, else this process's memory.
    """

    client: IyzicoClient
    success_url: str | Callable[[Paid], str]
    failure_url: str | Callable[[Refusal], str]
    on_paid: Callable[[Paid], object] | None = None
    on_refused: Callable[[Refusal], object] | None = None
    on_webhook: Callable[[WebhookAccepted], object] | None = None
    threeds_order: OrderLookup | None = None
    checkout_order: OrderLookup | None = None
    webhook_store: WebhookStore = attrs.field(
        default=attrs.Factory(_default_webhook_store, takes_self=True), repr=False
    )

    def redirect_for(self, result: BrowserResult) -> str:
        if isinstance(result, Refusal):
            if callable(self.failure_url):
                return self.failure_url(result)
            separator = "&" if "?" in self.failure_url else "?"
            return f"{self.failure_url}{separator}{urllib.parse.urlencode({'reason': result.reason})}"
        return self.success_url(result) if callable(self.success_url) else self.success_url

    def browser_hook(self, result: BrowserResult) -> Callable[[typing.Any], object] | None:
        """The user's hook for a browser callback's result (awaited by the async adapters when it is async)."""
        return self.on_refused if isinstance(result, Refusal) else self.on_paid

    def webhook_hook(self, result: WebhookAccepted | Refusal) -> Callable[[typing.Any], object] | None:
        """`on_webhook` for a new, verified notification; nothing for a duplicate or a refusal."""
        if isinstance(result, WebhookAccepted) and not result.duplicate:
            return self.on_webhook
        return None

    def after_browser_callback(self, result: BrowserResult) -> str:
        """For the sync adapters: run the hook, then the URL to redirect the buyer to."""
        hook = self.browser_hook(result)
        if hook is not None:
            hook(result)
        return self.redirect_for(result)

    def after_webhook(self, result: WebhookAccepted | Refusal) -> tuple[int, str]:
        """For the sync adapters: run the hook, then the status and text to answer."""
        hook = self.webhook_hook(result)
        if hook is not None:
            hook(result)
        return webhook_answer(result)


def webhook_answer(result: WebhookAccepted | Refusal) -> tuple[int, str]:
    """Status and short text for a webhook: 200 for a verified one (a duplicate too), 400 for a refused one."""
    if isinstance(result, Refusal):
        return result.http_status, f"refused: {result.reason}"
    return result.http_status, "duplicate" if result.duplicate else "ok"
