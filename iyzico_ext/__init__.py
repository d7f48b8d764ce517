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
    MismatchedPaymentOutcome,
    PaymentOutcomeUnknown,
    RateLimitError,
    RequestValidationError,
    ResponseMismatchError,
    ResponseVerificationError,
    SignatureVerificationError,
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

__all__ = [
    # the client
    "IyzicoClient",
    "ClientOptions",
    "RetryPolicy",
    "SecretKey",
    "SANDBOX_URL",
    "LIVE_URL",
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
    # errors
    "IyzicoError",
    "RequestValidationError",
    "IyzicoAPIError",
    "CardDeclinedError",
    "InvalidRequestError",
    "AuthenticationError",
    "RateLimitError",
    "ResponseVerificationError",
    "SignatureVerificationError",
    "ResponseMismatchError",
    "IyzicoConnectionError",
    "IyzicoTimeoutError",
    "PaymentOutcomeUnknown",
    "UnverifiedPaymentOutcome",
    "MismatchedPaymentOutcome",
]

if typing.TYPE_CHECKING:
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
    from ._reconcile_pending import ReconciledIntent, reconcile_pending, reconcile_pending_async
    from ._webhooks import ThreedsCallback, WebhookEvent, verify_threeds_callback, verify_webhook

# Loaded on first use, to keep `import iyzico_ext` cheap (import time is a benchmark target): webhooks and
# 3-D Secure callbacks are verified in other handlers than the calls.
_LAZY = {
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
}


def __getattr__(name: str) -> object:
    if name not in _LAZY:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    public = getattr(importlib.import_module(_LAZY[name], __name__), name)
    public.__module__ = __name__
    globals()[name] = public
    return public


# httpx style: public objects say they live in `iyzico_ext`, so reprs and docs show the public path.
for _name in __all__:
    _public = globals().get(_name)
    if isinstance(_public, type | types.FunctionType):  # not inspect: a 12 ms import without httpx's CLI extras
        _public.__module__ = "iyzico_ext"
del _name, _public
