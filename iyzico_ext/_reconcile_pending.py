"""`reconcile_pending`: settle every journal intent whose outcome is not known, through iyzico's own answers.

Per intent the answer is `charged` (the call took effect: with the verified payment for payments),
`not_charged` or `unknown` (with the reason). Payments (Non-3DS, pre-auth) are looked up by their
conversationId, 3-D Secure completions and captures by the paymentId they acted on (`retrievePayment`);
cancels and refunds of a known payment in its payment details report, under the call's conversationId
(`reconcile_refund`, `reconcile_cancel`). Item refunds name no payment, so they stay `unknown` with that
reason: call `reconcile_refund` with the payment's id. "Not found" only settles an intent once it is
older than `settle_after` seconds (default: the client's call deadline): a younger one may still be in
flight in another process, or still being processed by iyzico.
"""

from __future__ import annotations

import functools
import time
import typing

import attrs

from iyzico_client.models.payment_resource import PaymentResource
from iyzico_client.types import Unset

from ._client import IyzicoClient
from ._constants import PAYMENT_NOT_FOUND_CODES
from ._exceptions import InvalidRequestError, IyzicoError
from ._journal import PaymentIntent, PaymentJournal
from ._reconcile import (
    _Expected,
    reconcile_cancel,
    reconcile_cancel_async,
    reconcile_refund,
    reconcile_refund_async,
)
from ._steps import ApiCall, Flow, run_async, run_sync

if typing.TYPE_CHECKING:
    from iyzico_client.models.retrieve_payment_request import RetrievePaymentRequest

__all__ = ["ReconciledIntent", "Settlement", "reconcile_pending", "reconcile_pending_async"]

Settlement = typing.Literal["charged", "not_charged", "unknown"]
_BY_CONVERSATION = frozenset({"createPayment", "createPreAuthPayment"})
_BY_PAYMENT_ID = frozenset({"createThreedsPayment", "createThreedsPaymentV2", "createPostAuthPayment"})
_REFUNDS_OF_A_PAYMENT = frozenset({"refundPayment", "initializeRefundToBalance"})
_CANCELS = frozenset({"cancelPayment"})
_PAID_STATUSES = frozenset({"SUCCESS"})


@attrs.frozen
class ReconciledIntent:
    """What reconciliation found out about one intent."""

    intent: PaymentIntent
    settlement: Settlement
    payment: PaymentResource | None = None
    reason: str = ""


def _request(intent: PaymentIntent) -> RetrievePaymentRequest:
    from iyzico_client.models.retrieve_payment_request import RetrievePaymentRequest  # on first use

    if intent.operation_id in _BY_CONVERSATION:
        return RetrievePaymentRequest(
            conversation_id=intent.conversation_id, payment_conversation_id=intent.conversation_id
        )
    return RetrievePaymentRequest(conversation_id=intent.conversation_id, payment_id=intent.payment_id or "")


def _text(value: object) -> str | None:
    return None if isinstance(value, Unset) or value is None else str(value)


def _judge_found(intent: PaymentIntent, payment: PaymentResource | None) -> ReconciledIntent:
    if payment is None:  # the auth flow turns every non-200 into an error; this is a typing guard
        return ReconciledIntent(intent, "unknown", reason="retrievePayment returned no payment")
    status = _text(payment.payment_status)
    if status is not None and status not in _PAID_STATUSES:
        return ReconciledIntent(intent, "not_charged", payment, f"the payment's status is {status}")
    if intent.operation_id == "createPostAuthPayment" and _text(payment.phase) != "POST_AUTH":
        return ReconciledIntent(intent, "not_charged", payment, f"the payment is still in phase {_text(payment.phase)}")
    if intent.operation_id in _BY_CONVERSATION:
        expected = _Expected(intent.price, intent.paid_price, intent.currency, intent.basket_id)
        try:
            expected.check(payment, intent.conversation_id)
        except IyzicoError as mismatch:
            return ReconciledIntent(intent, "unknown", payment, f"a payment differs from the intent: {mismatch}")
    return ReconciledIntent(intent, "charged", payment, f"found paymentId {_text(payment.payment_id)}")


def _not_found(intent: PaymentIntent, settle_after: float, now: float) -> ReconciledIntent:
    if now - intent.created_at < settle_after:
        return ReconciledIntent(
            intent, "unknown", reason=f"not found yet; it may still be in flight (settles after {settle_after:g} s)"
        )
    return ReconciledIntent(intent, "not_charged", reason="iyzico has no such payment")


def _unsupported(intent: PaymentIntent) -> ReconciledIntent:
    if intent.payment_transaction_id:  # an item refund: its payment's report tells
        hint = "call reconcile_refund with the payment's id"
    else:  # a cross-booking: iyzico has no lookup by conversationId
        hint = "check the merchant panel for its conversationId"
    reason = f"{intent.operation_id} names no payment to look up; {hint}"
    return ReconciledIntent(intent, "unknown", reason=reason)


def _record(journal: PaymentJournal, result: ReconciledIntent) -> ReconciledIntent:
    if result.settlement != "unknown":
        payment_id = _text(result.payment.payment_id) if result.payment is not None else None
        journal.store.record_outcome(
            result.intent.intent_id,
            "succeeded" if result.settlement == "charged" else "failed",
            result_payment_id=payment_id,
            detail=f"reconciled: {result.reason}",
        )
    elif result.intent.state == "pending":
        # Known now to have ended without an answer; keeps the reason for whoever looks next.
        journal.store.record_outcome(
            result.intent.intent_id, "unknown", result_payment_id=None, detail=f"reconcile: {result.reason}"
        )
    return result


def _settle(intent: PaymentIntent, answer: PaymentResource | IyzicoError | None, grace: float) -> ReconciledIntent:
    if isinstance(answer, InvalidRequestError) and answer.error_code in PAYMENT_NOT_FOUND_CODES:
        return _not_found(intent, grace, time.time())
    if isinstance(answer, IyzicoError):
        return _lookup_failed(intent, answer)
    return _judge_found(intent, answer)


def _lookup_failed(intent: PaymentIntent, error: IyzicoError) -> ReconciledIntent:
    return ReconciledIntent(intent, "unknown", reason=f"the lookup failed: {type(error).__name__}: {error}")


def _settle_reversal(intent: PaymentIntent, answer: object, grace: float) -> ReconciledIntent:
    """A refund or cancel: found in the payment's report under its conversationId, or not (yet)."""
    if isinstance(answer, IyzicoError):
        return _lookup_failed(intent, answer)
    if answer is None:
        if time.time() - intent.created_at < grace:
            return ReconciledIntent(intent, "unknown", reason="not in the report yet; it may still be in flight")
        return ReconciledIntent(intent, "not_charged", reason="the payment's report shows no such refund or cancel")
    amount = getattr(answer, "amount", None)
    done = f"refunded {amount}" if amount is not None else "cancelled"
    return ReconciledIntent(intent, "charged", reason=f"{done} under this conversationId (payment details report)")


class _Lookup(typing.NamedTuple):
    call: ApiCall[typing.Any]
    settle: typing.Callable[[PaymentIntent, typing.Any, float], ReconciledIntent]


def _lookup(client: IyzicoClient, intent: PaymentIntent) -> _Lookup | None:
    """The call that tells what became of the intent, and how to read its answer; `None` when none can."""
    from iyzico_client.api.payment import retrieve_payment  # on first use: `import iyzico_ext` stays cheap

    if intent.operation_id in _BY_CONVERSATION or (intent.operation_id in _BY_PAYMENT_ID and intent.payment_id):
        body = _request(intent)
        call = ApiCall(
            functools.partial(retrieve_payment.sync, client=client, body=body),
            functools.partial(retrieve_payment.asyncio, client=client, body=body),
        )
        return _Lookup(call, _settle)
    payment_id, conversation_id = intent.payment_id, intent.conversation_id
    if payment_id and intent.operation_id in _REFUNDS_OF_A_PAYMENT:
        refund: ApiCall[typing.Any] = ApiCall(
            functools.partial(reconcile_refund, client, conversation_id, payment_id=payment_id),
            functools.partial(reconcile_refund_async, client, conversation_id, payment_id=payment_id),
        )
        return _Lookup(refund, _settle_reversal)
    if payment_id and intent.operation_id in _CANCELS:
        cancel: ApiCall[typing.Any] = ApiCall(
            functools.partial(reconcile_cancel, client, conversation_id, payment_id=payment_id),
            functools.partial(reconcile_cancel_async, client, conversation_id, payment_id=payment_id),
        )
        return _Lookup(cancel, _settle_reversal)
    return None


def _flow(client: IyzicoClient, settle_after: float | None) -> Flow[typing.Any, list[ReconciledIntent]]:
    """The whole reconciliation; its driver (sync or async) makes one lookup at a time."""
    if client.journal is None:
        raise ValueError("reconcile_pending needs a journal: IyzicoClient(..., journal='payments.sqlite3')")
    journal = client.journal
    grace = client.retry_policy.deadline if settle_after is None else settle_after
    results = []
    for intent in journal.unsettled():
        lookup = _lookup(client, intent)
        result = _unsupported(intent) if lookup is None else lookup.settle(intent, (yield lookup.call), grace)
        results.append(_record(journal, result))
    return results


def reconcile_pending(client: IyzicoClient, *, settle_after: float | None = None) -> list[ReconciledIntent]:
    """Settle every `pending` or `unknown` intent of the client's journal; one result per intent, oldest first.

    Charged and not-charged results are written back to the journal; `unknown` ones stay for the next run.
    A lookup that fails (iyzico unreachable) leaves its intent `unknown` and goes on with the others.
    """
    return run_sync(_flow(client, settle_after))


async def reconcile_pending_async(client: IyzicoClient, *, settle_after: float | None = None) -> list[ReconciledIntent]:
    """The asyncio twin of `reconcile_pending`."""
    return await run_async(_flow(client, settle_after))
