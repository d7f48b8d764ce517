"""After `PaymentOutcomeUnknown`: find out whether the payment, refund or cancel happened, by its conversationId.

iyzico has no idempotency keys, so a money-moving call that failed ambiguously must not be resent
blindly. `reconcile_payment` looks the payment up with `retrievePayment` by
`paymentConversationId` (a safe, retried call whose signature and echo are verified like any other),
checks the amounts you expected, and returns the payment, or `None` when iyzico has no such payment.
`reconcile_refund` and `reconcile_cancel` read the payment details report of the payment (its answer is
bound to the paymentId asked for) and return the refund or cancel made under the conversationId, or
`None`. Wait a little (the read timeout) before calling them, so an in-flight call has finished.
"""

from __future__ import annotations

import typing
from decimal import Decimal

import attrs

from iyzico_client.models.payment_resource import PaymentResource
from iyzico_client.types import Unset

from ._client import IyzicoClient
from ._constants import PAYMENT_NOT_FOUND_CODES
from ._exceptions import InvalidRequestError, ResponseMismatchError

if typing.TYPE_CHECKING:
    from iyzico_client.models.payment_details_report_resource import PaymentDetailsReportResource
    from iyzico_client.models.reported_cancel import ReportedCancel
    from iyzico_client.models.reported_payment import ReportedPayment
    from iyzico_client.models.reported_refund import ReportedRefund
    from iyzico_client.models.retrieve_payment_request import RetrievePaymentRequest

__all__ = [
    "ReconciledRefund",
    "reconcile_cancel",
    "reconcile_cancel_async",
    "reconcile_payment",
    "reconcile_payment_async",
    "reconcile_refund",
    "reconcile_refund_async",
]

_OPERATION = "retrievePayment"


@attrs.frozen
class _Expected:
    """What the caller knows about the payment; `None` means "do not check"."""

    price: Decimal | None = None
    paid_price: Decimal | None = None
    currency: str | None = None
    basket_id: str | None = None

    def check(self, payment: PaymentResource, conversation_id: str) -> PaymentResource:
        found = {
            "price": payment.price,
            "paidPrice": payment.paid_price,
            "currency": payment.currency,
            "basketId": payment.basket_id,
        }
        wanted = {
            "price": self.price,
            "paidPrice": self.paid_price,
            "currency": self.currency,
            "basketId": self.basket_id,
        }
        differing = tuple(name for name, value in wanted.items() if value is not None and found[name] != value)
        if differing:
            raise ResponseMismatchError(
                f"{_OPERATION}: the payment found for this conversationId differs in {', '.join(differing)}",
                fields=differing,
                operation_id=_OPERATION,
                conversation_id=conversation_id,
            )
        return payment


def _lookup(conversation_id: str) -> RetrievePaymentRequest:
    from iyzico_client.models.retrieve_payment_request import RetrievePaymentRequest  # on first use, as above

    # The request's own conversationId is the payment's too, so the echo check binds the answer to it.
    return RetrievePaymentRequest(conversation_id=conversation_id, payment_conversation_id=conversation_id)


def _raise_unless_not_found(error: InvalidRequestError) -> None:
    if error.error_code not in PAYMENT_NOT_FOUND_CODES:
        raise error


def reconcile_payment(
    client: IyzicoClient,
    conversation_id: str,
    *,
    price: Decimal | None = None,
    paid_price: Decimal | None = None,
    currency: str | None = None,
    basket_id: str | None = None,
) -> PaymentResource | None:
    """The verified payment made under `conversation_id`, or `None` if iyzico has none.

    Raises `ResponseMismatchError` when the payment found differs from the expected amounts,
    currency or basket, and any other `IyzicoError` of the lookup itself (never resend while the
    lookup fails).
    """
    from iyzico_client.api.payment import retrieve_payment  # on first use: `import iyzico_ext` stays cheap

    expected = _Expected(price, paid_price, currency, basket_id)
    try:
        payment = retrieve_payment.sync(client=client, body=_lookup(conversation_id))
    except InvalidRequestError as error:
        _raise_unless_not_found(error)
        return None
    return expected.check(payment, conversation_id)


async def reconcile_payment_async(
    client: IyzicoClient,
    conversation_id: str,
    *,
    price: Decimal | None = None,
    paid_price: Decimal | None = None,
    currency: str | None = None,
    basket_id: str | None = None,
) -> PaymentResource | None:
    """The asyncio twin of `reconcile_payment`."""
    from iyzico_client.api.payment import retrieve_payment  # on first use: `import iyzico_ext` stays cheap

    expected = _Expected(price, paid_price, currency, basket_id)
    try:
        payment = await retrieve_payment.asyncio(client=client, body=_lookup(conversation_id))
    except InvalidRequestError as error:
        _raise_unless_not_found(error)
        return None
    return expected.check(payment, conversation_id)


_REPORT = "retrievePaymentDetailsReport"


@attrs.frozen
class ReconciledRefund:
    """A refund iyzico made under one conversationId: an item refund, or an amount spread over items."""

    payment_id: str
    conversation_id: str
    amount: Decimal
    refunds: tuple[ReportedRefund, ...]


def _refund_in(
    report: PaymentDetailsReportResource, payment_id: str, conversation_id: str, price: Decimal | None
) -> ReconciledRefund | None:
    refunds = tuple(
        refund
        for payment in _payments(report)
        for item in _listed(payment.item_transactions)
        for refund in _listed(item.refunds)
        if refund.refund_conversation_id == conversation_id
    )
    if not refunds:
        return None
    amount = sum((_amount(refund.refund_price) for refund in refunds), Decimal(0))
    if price is not None and amount != price:
        raise ResponseMismatchError(
            f"{_REPORT}: the refund made under this conversationId is {amount}, not {price}",
            fields=("refundPrice",),
            operation_id=_REPORT,
            conversation_id=conversation_id,
        )
    return ReconciledRefund(payment_id, conversation_id, amount, refunds)


def _cancel_in(report: PaymentDetailsReportResource, conversation_id: str) -> ReportedCancel | None:
    cancels = [
        cancel
        for payment in _payments(report)
        for cancel in _listed(payment.cancels)
        if cancel.cancel_conversation_id == conversation_id
    ]
    return cancels[0] if cancels else None


_Listed = typing.TypeVar("_Listed")


def _listed(values: list[_Listed] | Unset) -> list[_Listed]:
    return [] if isinstance(values, Unset) else values


def _payments(report: PaymentDetailsReportResource) -> list[ReportedPayment]:
    return _listed(report.payments)


def _amount(value: Decimal | Unset) -> Decimal:
    return Decimal(0) if isinstance(value, Unset) else value


def reconcile_refund(
    client: IyzicoClient, conversation_id: str, *, payment_id: str, price: Decimal | None = None
) -> ReconciledRefund | None:
    """The refund iyzico made under `conversation_id` on payment `payment_id`, or `None` if it made none.

    `price`, when given, must be what was refunded (`ResponseMismatchError` otherwise). Any other
    `IyzicoError` of the report call itself is raised: never refund again while the lookup fails.
    """
    from iyzico_client.api.reporting import retrieve_payment_details_report  # on first use, as above

    report = retrieve_payment_details_report.sync(client=client, payment_id=payment_id)
    return _refund_in(report, payment_id, conversation_id, price)


async def reconcile_refund_async(
    client: IyzicoClient, conversation_id: str, *, payment_id: str, price: Decimal | None = None
) -> ReconciledRefund | None:
    """The asyncio twin of `reconcile_refund`."""
    from iyzico_client.api.reporting import retrieve_payment_details_report  # on first use, as above

    report = await retrieve_payment_details_report.asyncio(client=client, payment_id=payment_id)
    return _refund_in(report, payment_id, conversation_id, price)


def reconcile_cancel(client: IyzicoClient, conversation_id: str, *, payment_id: str) -> ReportedCancel | None:
    """The cancel of payment `payment_id` made under `conversation_id`, or `None` if there is none."""
    from iyzico_client.api.reporting import retrieve_payment_details_report  # on first use, as above

    return _cancel_in(retrieve_payment_details_report.sync(client=client, payment_id=payment_id), conversation_id)


async def reconcile_cancel_async(
    client: IyzicoClient, conversation_id: str, *, payment_id: str
) -> ReportedCancel | None:
    """The asyncio twin of `reconcile_cancel`."""
    from iyzico_client.api.reporting import retrieve_payment_details_report  # on first use, as above

    report = await retrieve_payment_details_report.asyncio(client=client, payment_id=payment_id)
    return _cancel_in(report, conversation_id)
