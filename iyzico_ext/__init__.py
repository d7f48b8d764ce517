"""Hand-written trust layer around the generated `iyzico_client`.

    from iyzico_client.api.payment import create_payment
    from iyzico_ext import IyzicoClient

    payment = create_payment.sync(client=IyzicoClient.from_env(), body=request)

returns a `PaymentResource` whose signature and echo were verified, or raises an `IyzicoError`.
"""

from __future__ import annotations

import importlib
import types
import typing

from ._client import ClientOptions, IyzicoClient
from ._constants import LIVE_URL, SANDBOX_URL
from ._exceptions import (
    AuthenticationError,
    CardDeclinedError,
    InvalidRequestError,
    IyzicoAPIError,
    IyzicoConnectionError,
    IyzicoError,
    IyzicoTimeoutError,
    MalformedPaymentOutcome,
    MalformedResponseError,
    MismatchedPaymentOutcome,
    PaymentOutcomeUnknown,
    RateLimitError,
    RequestValidationError,
    ResponseMismatchError,
    ResponseVerificationError,
    SignatureVerificationError,
    SignedRequest,
    ThreedsNotAuthenticatedError,
    UnverifiedPaymentOutcome,
)
from ._reconcile import (
    ReconciledRefund,
    reconcile_cancel,
    reconcile_cancel_async,
    reconcile_payment,
    reconcile_payment_async,
    reconcile_refund,
    reconcile_refund_async,
)
from ._retry import RetryPolicy
from ._secret import SecretKey
from ._version import __version__

__all__ = [
    "__version__",
    # the client
    "IyzicoClient",
    "ClientOptions",
    "RetryPolicy",
    "SecretKey",
    "SANDBOX_URL",
    "LIVE_URL",
    # requests that are easy to build right
    "Basket",
    "address",
    "basket_item",
    "buyer",
    "marketplace_item",
    "payment_card",
    "payment_request",
    # after an ambiguous payment, refund or cancel call
    "reconcile_payment",
    "reconcile_payment_async",
    "reconcile_refund",
    "reconcile_refund_async",
    "ReconciledRefund",
    "reconcile_cancel",
    "reconcile_cancel_async",
    # the payment journal: intents written before money-moving calls leave, settled after a crash
    "PaymentJournal",
    "PaymentIntent",
    "JournalStore",
    "SqliteJournal",
    "reconcile_pending",
    "reconcile_pending_async",
    "ReconciledIntent",
    "WebhookStore",
    # the three requests iyzico sends you, handled (adapters: iyzico_ext.integrations.*)
    "handle_threeds_callback",
    "handle_threeds_callback_async",
    "handle_checkout_callback",
    "handle_checkout_callback_async",
    "handle_webhook",
    "ThreedsPaid",
    "CheckoutPaid",
    "WebhookAccepted",
    "Refusal",
    "ExpectedPayment",
    "MemoryWebhookStore",
    # browser callbacks and server-to-server notifications
    "verify_threeds_callback",
    "ThreedsCallback",
    "ThreedsNotAuthenticatedError",
    "verify_webhook",
    "WebhookEvent",
    # subscriptions: every item of a paged list, and the order notifications
    "iterate_pages",
    "iterate_pages_async",
    "verify_subscription_webhook",
    "SubscriptionWebhookEvent",
    # errors
    "IyzicoError",
    "RequestValidationError",
    "IyzicoAPIError",
    "CardDeclinedError",
    "InvalidRequestError",
    "AuthenticationError",
    "SignedRequest",
    "RateLimitError",
    "ResponseVerificationError",
    "SignatureVerificationError",
    "ResponseMismatchError",
    "MalformedResponseError",
    "IyzicoConnectionError",
    "IyzicoTimeoutError",
    "PaymentOutcomeUnknown",
    "UnverifiedPaymentOutcome",
    "MismatchedPaymentOutcome",
    "MalformedPaymentOutcome",
]

if typing.TYPE_CHECKING:
    from ._builders import Basket, address, basket_item, buyer, marketplace_item, payment_card, payment_request
    from ._handlers import (
        CheckoutPaid,
        ExpectedPayment,
        MemoryWebhookStore,
        Refusal,
        ThreedsPaid,
        WebhookAccepted,
        handle_checkout_callback,
        handle_checkout_callback_async,
        handle_threeds_callback,
        handle_threeds_callback_async,
        handle_webhook,
    )
    from ._journal import JournalStore, PaymentIntent, PaymentJournal, WebhookStore
    from ._journal_sqlite import SqliteJournal
    from ._paging import iterate_pages, iterate_pages_async
    from ._reconcile_pending import ReconciledIntent, reconcile_pending, reconcile_pending_async
    from ._webhooks import (
        SubscriptionWebhookEvent,
        ThreedsCallback,
        WebhookEvent,
        verify_subscription_webhook,
        verify_threeds_callback,
        verify_webhook,
    )

# Loaded on first use, to keep `import iyzico_ext` cheap (import time is a benchmark target): webhooks and
# 3-D Secure callbacks are verified in other handlers than the calls.
_LAZY = {
    "Basket": "._builders",
    "address": "._builders",
    "basket_item": "._builders",
    "buyer": "._builders",
    "marketplace_item": "._builders",
    "payment_card": "._builders",
    "payment_request": "._builders",
    "CheckoutPaid": "._handlers",
    "ExpectedPayment": "._handlers",
    "MemoryWebhookStore": "._handlers",
    "Refusal": "._handlers",
    "ThreedsPaid": "._handlers",
    "WebhookAccepted": "._handlers",
    "handle_checkout_callback": "._handlers",
    "handle_checkout_callback_async": "._handlers",
    "handle_threeds_callback": "._handlers",
    "handle_threeds_callback_async": "._handlers",
    "handle_webhook": "._handlers",
    "SqliteJournal": "._journal_sqlite",
    "JournalStore": "._journal",
    "PaymentIntent": "._journal",
    "PaymentJournal": "._journal",
    "WebhookStore": "._journal",
    "ReconciledIntent": "._reconcile_pending",
    "reconcile_pending": "._reconcile_pending",
    "reconcile_pending_async": "._reconcile_pending",
    "ThreedsCallback": "._webhooks",
    "WebhookEvent": "._webhooks",
    "verify_threeds_callback": "._webhooks",
    "verify_webhook": "._webhooks",
    "SubscriptionWebhookEvent": "._webhooks",
    "verify_subscription_webhook": "._webhooks",
    "iterate_pages": "._paging",
    "iterate_pages_async": "._paging",
}


def __getattr__(name: str) -> object:
    if name not in _LAZY:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    public = getattr(importlib.import_module(_LAZY[name], __name__), name)
    public.__module__ = __name__
    globals()[name] = public
    return public


def _present_publicly(names: list[str]) -> None:
    """httpx style: public objects say they live in `iyzico_ext`, so reprs and docs show the public path."""
    for name in names:
        public = globals().get(name)
        if isinstance(public, type | types.FunctionType):  # not inspect: a 12 ms import without httpx's CLI extras
            public.__module__ = "iyzico_ext"


_present_publicly(__all__)
