"""The three requests iyzico sends *you*, handled on top of `IyzicoClient`, for any web framework.

* `handle_threeds_callback(client, form)`: the buyer's browser POSTs the bank's answer to your
  callbackUrl. Verify its signature with the client's secret, require mdStatus 1, then complete the
  payment with the auth call (v2 with your amounts when `expected` knows the order, else v1).
* `handle_checkout_callback(client, form)`: the hosted checkout page POSTs a `token`. Retrieve the
  payment with it (a signed response), require `paymentStatus: SUCCESS`, compare with your order.
* `handle_webhook(client, body, headers, store)`: verify `X-IYZ-SIGNATURE-V3` over the raw body, then
  record the notification's natural key so a redelivery is recognised; answer 200 at once.

Each returns a verified result or a `Refusal` (what went wrong, and the HTTP status to answer); nothing
here raises for bad input from the outside world. The framework adapters in `iyzico_ext.integrations`
are a few lines each on top of these.
"""

from __future__ import annotations

import collections
import functools
import threading
import typing
from collections.abc import Callable, Mapping
from decimal import Decimal

import attrs

from iyzico_client.models.checkout_form_resource import CheckoutFormResource
from iyzico_client.models.payment_resource import PaymentResource
from iyzico_client.types import UNSET, Unset

from ._client import IyzicoClient
from ._exceptions import (
    IyzicoAPIError,
    IyzicoError,
    PaymentOutcomeUnknown,
    SignatureVerificationError,
    ThreedsNotAuthenticatedError,
)
from ._journal import WebhookStore
from ._steps import ApiCall, Flow, run_async, run_sync

if typing.TYPE_CHECKING:
    from ._webhooks import ThreedsCallback, WebhookEvent

__all__ = [
    "CheckoutPaid",
    "ExpectedPayment",
    "Refusal",
    "RefusalReason",
    "ThreedsPaid",
    "WebhookAccepted",
    "handle_checkout_callback",
    "handle_checkout_callback_async",
    "handle_threeds_callback",
    "handle_threeds_callback_async",
    "handle_webhook",
    "MemoryWebhookStore",
    "webhook_key",
]

WEBHOOK_SIGNATURE_HEADER: typing.Final = "x-iyz-signature-v3"

RefusalReason = typing.Literal[
    "malformed",  # not the form or body iyzico sends
    "bad_signature",  # the signature is missing or wrong: not from iyzico (answer 400, do nothing)
    "not_authenticated",  # 3-D Secure: genuine, but the card holder did not authenticate (mdStatus != 1)
    "unknown_order",  # `expected` knows no order for it
    "payment_failed",  # iyzico declined or did not complete the payment
    "mismatch",  # the payment differs from your order (amount, currency, basket)
    "outcome_unknown",  # the completing call may or may not have charged: the journal has it, reconcile
    "unavailable",  # iyzico could not be asked (connection, verification of its answer)
]
_HTTP_STATUS: Mapping[RefusalReason, int] = {
    "malformed": 400,
    "bad_signature": 400,
    "not_authenticated": 402,
    "unknown_order": 404,
    "payment_failed": 402,
    "mismatch": 409,
    "outcome_unknown": 502,
    "unavailable": 502,
}


@attrs.frozen
class Refusal:
    """Why an incoming request did not lead to a verified payment."""

    reason: RefusalReason
    message: str
    conversation_id: str | None = None
    error: IyzicoError | None = attrs.field(default=None, repr=False)

    @property
    def http_status(self) -> int:
        """What to answer a webhook or API-style caller (a browser callback redirects instead)."""
        return _HTTP_STATUS[self.reason]


@attrs.frozen
class ExpectedPayment:
    """Your order, as the payment must match it. `conversation_id` binds the retrieve call to it."""

    paid_price: Decimal
    currency: str = "TRY"
    basket_id: str | None = None
    price: Decimal | None = None
    conversation_id: str | None = None


# Looks your order up from what iyzico posted: the callback's conversationId (3-D Secure) or the token
# (checkout form, stored when you initialized it). `None`: no such order.
OrderLookup = Callable[[str], ExpectedPayment | None]


_Paid = typing.TypeVar("_Paid", PaymentResource, CheckoutFormResource)


class _PaymentIds(typing.Generic[_Paid]):
    """The ids user code maps a verified payment to its order with (from the signed, echo-checked payment)."""

    payment: _Paid

    @property
    def conversation_id(self) -> str | None:
        return _text(self.payment.conversation_id)

    @property
    def payment_id(self) -> str | None:
        return _text(self.payment.payment_id)

    @property
    def basket_id(self) -> str | None:
        return _text(self.payment.basket_id)


@attrs.frozen
class ThreedsPaid(_PaymentIds[PaymentResource]):
    """A 3-D Secure payment completed: the verified callback and the verified payment."""

    callback: ThreedsCallback
    payment: PaymentResource


@attrs.frozen
class CheckoutPaid(_PaymentIds[CheckoutFormResource]):
    """A checkout-form payment retrieved with a signed call and `paymentStatus: SUCCESS`."""

    token: str
    payment: CheckoutFormResource


@attrs.frozen
class WebhookAccepted:
    """A verified notification; `duplicate` when its key was seen before (iyzico redelivers until a 2xx)."""

    event: WebhookEvent
    key: str
    duplicate: bool

    http_status: typing.ClassVar[int] = 200


def _text(value: object) -> str | None:
    return None if value is None or isinstance(value, Unset) else str(value)


def _string_fields(form: Mapping[str, object]) -> dict[str, str] | Refusal:
    """The form's fields; a file part, a list or any other non-string value is refused."""
    fields = dict(form.items())
    if not all(isinstance(value, str) for value in fields.values()):
        return Refusal("malformed", "the form holds a value that is not text")
    return typing.cast(dict[str, str], fields)


def _refusal_for(error: IyzicoError, conversation_id: str | None) -> Refusal:
    """The completing call failed: declined, unknown (the journal has it), or iyzico could not be asked."""
    reason: RefusalReason = (
        "outcome_unknown"
        if isinstance(error, PaymentOutcomeUnknown)
        else "payment_failed"
        if isinstance(error, IyzicoAPIError)
        else "unavailable"
    )
    return Refusal(reason, str(error), conversation_id or error.conversation_id, error)


def _unverified(error: IyzicoError) -> Refusal:
    reason: RefusalReason = "bad_signature" if isinstance(error, SignatureVerificationError) else "malformed"
    return Refusal(reason, str(error), None, error)


def _mismatch(
    expected: ExpectedPayment, found: PaymentResource | CheckoutFormResource, conversation_id: str | None
) -> Refusal | None:
    wanted = {
        "paidPrice": expected.paid_price,
        "price": expected.price,
        "currency": expected.currency,
        "basketId": expected.basket_id,
    }
    got = {"paidPrice": found.paid_price, "price": found.price, "currency": found.currency, "basketId": found.basket_id}
    differing = [name for name, value in wanted.items() if value is not None and got[name] != value]
    if not differing:
        return None
    return Refusal("mismatch", f"the payment differs from the order in {', '.join(differing)}", conversation_id)


def _threeds_flow(
    client: IyzicoClient, form: Mapping[str, object], expected: OrderLookup | None
) -> Flow[PaymentResource, ThreedsPaid | Refusal]:
    from iyzico_client.api.threeds import create_threeds_payment, create_threeds_payment_v2
    from iyzico_client.models import CreateThreedsPaymentRequest, CreateThreedsPaymentV2Request, Currency

    from ._webhooks import verify_threeds_callback

    fields = _string_fields(form)
    if isinstance(fields, Refusal):
        return fields
    try:
        callback = verify_threeds_callback(fields, client._secret)
    except ThreedsNotAuthenticatedError as error:
        return Refusal("not_authenticated", str(error), error.conversation_id, error)
    except IyzicoError as error:
        return _unverified(error)
    order = expected(callback.conversation_id) if expected is not None else None
    if expected is not None and order is None:
        return Refusal("unknown_order", "no order for this conversationId", callback.conversation_id)
    call: ApiCall[PaymentResource]
    if order is not None:
        # v2: iyzico checks paidPrice, basketId and currency against the initialized payment, and our echo
        # check compares them (and the conversationId) in the signed answer.
        v2 = CreateThreedsPaymentV2Request(
            payment_id=callback.payment_id,
            paid_price=order.paid_price,
            basket_id=order.basket_id or "",
            currency=Currency(order.currency),
            conversation_id=callback.conversation_id,
        )
        call = ApiCall(
            functools.partial(create_threeds_payment_v2.sync, client=client, body=v2),
            functools.partial(create_threeds_payment_v2.asyncio, client=client, body=v2),
        )
    else:
        v1 = CreateThreedsPaymentRequest(
            payment_id=callback.payment_id,
            conversation_id=callback.conversation_id,
            conversation_data=callback.conversation_data or UNSET,
        )
        call = ApiCall(
            functools.partial(create_threeds_payment.sync, client=client, body=v1),
            functools.partial(create_threeds_payment.asyncio, client=client, body=v1),
        )
    answer = yield call
    if isinstance(answer, IyzicoError):
        return _refusal_for(answer, callback.conversation_id)
    if order is not None:
        mismatch = _mismatch(order, answer, callback.conversation_id)
        if mismatch is not None:
            return mismatch
    return ThreedsPaid(callback, answer)


def handle_threeds_callback(
    client: IyzicoClient, form: Mapping[str, object], *, expected: OrderLookup | None = None
) -> ThreedsPaid | Refusal:
    """Verify the 3-D Secure callback form, require mdStatus 1 and complete the payment.

    `expected(conversationId)` gives your order (then the v2 auth call sends and checks its amounts),
    or `None` for an unknown one; without it the v1 auth call completes what was initialized.
    """
    return run_sync(_threeds_flow(client, form, expected))


async def handle_threeds_callback_async(
    client: IyzicoClient, form: Mapping[str, object], *, expected: OrderLookup | None = None
) -> ThreedsPaid | Refusal:
    """The asyncio twin of `handle_threeds_callback`."""
    return await run_async(_threeds_flow(client, form, expected))


def _checkout_flow(
    client: IyzicoClient, form: Mapping[str, object], expected: OrderLookup | None
) -> Flow[CheckoutFormResource, CheckoutPaid | Refusal]:
    from iyzico_client.api.checkout_form import retrieve_checkout_form
    from iyzico_client.models import RetrieveCheckoutFormRequest

    fields = _string_fields(form)
    if isinstance(fields, Refusal):
        return fields
    token = fields.get("token", "")
    if not token:
        return Refusal("malformed", "the checkout callback carries no token")
    order = expected(token) if expected is not None else None
    if expected is not None and order is None:
        return Refusal("unknown_order", "no order for this token")
    conversation_id = order.conversation_id if order is not None else None
    request = RetrieveCheckoutFormRequest(token=token, conversation_id=conversation_id or UNSET)
    answer = yield ApiCall(
        functools.partial(retrieve_checkout_form.sync, client=client, body=request),
        functools.partial(retrieve_checkout_form.asyncio, client=client, body=request),
    )
    if isinstance(answer, IyzicoError):
        return _refusal_for(answer, conversation_id)
    status = _text(answer.payment_status)
    if status != "SUCCESS":
        code = _text(answer.error_code)
        detail = f" (errorCode {code}: {_text(answer.error_message)})" if code else ""
        return Refusal("payment_failed", f"paymentStatus {status}{detail}", conversation_id)
    if answer.token != token:
        return Refusal("mismatch", "the retrieved payment belongs to another token", conversation_id)
    if order is not None:
        mismatch = _mismatch(order, answer, conversation_id)
        if mismatch is not None:
            return mismatch
    return CheckoutPaid(token, answer)


def handle_checkout_callback(
    client: IyzicoClient, form: Mapping[str, object], *, expected: OrderLookup | None = None
) -> CheckoutPaid | Refusal:
    """Retrieve the checkout-form payment named by the callback's token and require `paymentStatus: SUCCESS`.

    `expected(token)` gives your order (stored under the token when you initialized the form): the
    retrieve call then carries its conversationId and the payment's amounts, currency and basket must match.
    """
    return run_sync(_checkout_flow(client, form, expected))


async def handle_checkout_callback_async(
    client: IyzicoClient, form: Mapping[str, object], *, expected: OrderLookup | None = None
) -> CheckoutPaid | Refusal:
    """The asyncio twin of `handle_checkout_callback`."""
    return await run_async(_checkout_flow(client, form, expected))


def _signature_header(headers: Mapping[str, str]) -> str | None:
    for name, value in headers.items():
        if name.lower() == WEBHOOK_SIGNATURE_HEADER:
            return value
    return None


def webhook_key(event: WebhookEvent) -> str:
    """A notification's natural key: the same payment event redelivered has the same key."""
    return ":".join((event.format, event.event_type, event.payment_id, event.payment_conversation_id, event.status))


def handle_webhook(
    client: IyzicoClient, body: bytes, headers: Mapping[str, str], store: WebhookStore
) -> WebhookAccepted | Refusal:
    """Verify a webhook over its raw body with the client's secret and record it in `store`.

    Answer `http_status` at once and do the work elsewhere (iyzico waits briefly and redelivers on
    anything but 2xx). A verified webhook proves iyzico sent these fields, not that they are current:
    re-fetch the payment (a signed retrieve) before shipping goods on it.
    """
    from ._webhooks import verify_webhook

    try:
        event = verify_webhook(body, _signature_header(headers), client._secret)
    except IyzicoError as error:
        return _unverified(error)
    key = webhook_key(event)
    return WebhookAccepted(event, key, duplicate=not store.first_delivery(key))


class MemoryWebhookStore:
    """A `WebhookStore` in this process's memory (the newest keys, bounded): for tests and single-process apps.

    It forgets on restart; production uses the journal's store (`SqliteJournal` and the others are
    `WebhookStore`s too), shared by every worker.
    """

    def __init__(self, capacity: int = 100_000) -> None:
        self._capacity = capacity
        self._seen: collections.OrderedDict[str, None] = collections.OrderedDict()
        self._lock = threading.Lock()

    def first_delivery(self, key: str) -> bool:
        """Record `key`; True when it was not recorded before (thread safe)."""
        with self._lock:
            if key in self._seen:
                return False
            self._seen[key] = None
            if len(self._seen) > self._capacity:
                self._seen.popitem(last=False)
            return True
