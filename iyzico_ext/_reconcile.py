"""After `PaymentOutcomeUnknown`: find out whether the payment happened, by its conversationId.

iyzico has no idempotency keys, so a money-moving call that failed ambiguously must not be resent
blindly. `reconcile_payment` looks the payment up with `retrievePayment` by
`paymentConversationId` (a safe, retried call whose signature and echo are verified like any other),
checks the amounts you expected, and returns the payment, or `None` when iyzico has no such payment.
Wait a little (the read timeout) before calling it, so an in-flight charge has finished.
"""

from __future__ import annotations

import typing
from decimal import Decimal

import attrs

from iyzico_client.models.payment_resource import PaymentResource
from iyzico_client.types import Unset

from ._client import IyzicoClient
from ._constants import PAYMENT_NOT_FOUND_CODES
from ._exceptions import InvalidRequestError, IyzicoConnectionError, ResponseMismatchError

if typing.TYPE_CHECKING:
    from iyzico_client.models.retrieve_payment_request import RetrievePaymentRequest

__all__ = ["reconcile_payment", "reconcile_payment_async"]

_OPERATION = "retrievePayment"


@attrs.frozen
class _Expected:
    """What the caller knows about the payment; `None` means "do not check"."""

    price: Decimal | None = None
    paid_price: Decimal | None = None
    currency: str | None = None
    basket_id: str | None = None

    def check(self, payment: PaymentResource | None, conversation_id: str) -> PaymentResource:
        if payment is None:  # the auth flow turns every non-200 into an error; this is a typing guard
            raise IyzicoConnectionError(f"{_OPERATION}: no payment in the response", operation_id=_OPERATION)
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
        differing = tuple(
            name
            for name, value in wanted.items()
            if value is not None and (isinstance(found[name], Unset) or found[name] != value)
        )
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
