"""Signals the iyzico views send (`sender` is the `IyzicoEndpoints`; `result` the handler's result).

* `payment_completed` - a verified payment (`ThreedsPaid` or `CheckoutPaid`): mark the order paid;
* `payment_refused` - a `Refusal` from a browser callback;
* `webhook_received` - a new, verified `WebhookAccepted` (not sent for a redelivery).
"""

from __future__ import annotations

from django.dispatch import Signal

__all__ = ["payment_completed", "payment_refused", "webhook_received"]

payment_completed = Signal()
payment_refused = Signal()
webhook_received = Signal()
