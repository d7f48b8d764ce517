"""Basic payments (card payments sent without buyer, address or basket objects) and the 3-D Secure completion
from the bank's MD and PaRes (the Java SDK's ThreedsComplete).

A basic request stands for a full payment request: its amount is one VIRTUAL basket item (itemId `BASIC`,
the emulator's choice: iyzico's basic answers carry no item list) and its buyer the `buyerEmail`, `buyerId` and
`buyerIp`. The payment and 3-D Secure handlers then run on that request, so a basic payment is an ordinary
stored payment (retrievePayment, refunds, cancels, the reports and the webhooks see it), and the answer is cut
down to iyzico's basic shape: the payment's single `paymentTransactionId` instead of the item list.
"""

from __future__ import annotations

import typing
from collections.abc import Mapping

from ._context import Context
from ._failures import ApiFailure
from ._hosted import create_threeds_payment, initialize_threeds, initialize_threeds_pre_auth
from ._payments import create_payment, create_post_auth_payment, create_pre_auth_payment

__all__ = ["BASIC_ITEM_ID", "HANDLERS", "basic_answer", "payment_request"]

BASIC_ITEM_ID = "BASIC"
# What a basic request shares with the full payment request it stands for.
_PAYMENT_FIELDS = (
    *("locale", "conversationId", "price", "paidPrice", "currency", "installment", "paymentCard"),
    *("callbackUrl", "posOrderId", "connectorName"),
)
# The fields of iyzico's BasicPaymentResource (iyzipay-php BasicPaymentResourceMapper, java BasicPaymentResource).
_BASIC_FIELDS = (
    *("price", "paidPrice", "installment", "currency", "paymentId", "merchantCommissionRate"),
    *("merchantCommissionRateAmount", "iyziCommissionFee", "cardType", "cardAssociation", "cardFamily"),
    *("cardToken", "cardUserKey", "binNumber", "authCode", "connectorName", "phase"),
)


def payment_request(request: Mapping[str, typing.Any]) -> dict[str, typing.Any]:
    """The full payment request a basic request stands for: one item for the whole price, the buyer's fields."""
    full = {name: request[name] for name in _PAYMENT_FIELDS if name in request}
    item = {"id": BASIC_ITEM_ID, "name": BASIC_ITEM_ID, "category1": BASIC_ITEM_ID, "itemType": "VIRTUAL"}
    full["basketItems"] = [{**item, "price": request.get("price")}]
    full["buyer"] = {"email": request.get("buyerEmail"), "id": request.get("buyerId"), "ip": request.get("buyerIp")}
    return full


def basic_answer(answer: Mapping[str, typing.Any], request: Mapping[str, typing.Any]) -> dict[str, typing.Any]:
    """A payment handler's answer in the basic shape (a failure passes through as it is)."""
    if answer.get("status") == "failure":
        return dict(answer)
    basic = {name: answer[name] for name in _BASIC_FIELDS if name in answer}
    items = answer.get("itemTransactions") or ()
    if items:
        basic["paymentTransactionId"] = items[0]["paymentTransactionId"]
    if request.get("connectorName"):
        basic["connectorName"] = request["connectorName"]
    return basic


def create_basic_payment(ctx: Context, request: Mapping[str, typing.Any]) -> dict[str, typing.Any]:
    return basic_answer(create_payment(ctx, payment_request(request)), request)


def create_basic_pre_auth_payment(ctx: Context, request: Mapping[str, typing.Any]) -> dict[str, typing.Any]:
    return basic_answer(create_pre_auth_payment(ctx, payment_request(request)), request)


def create_basic_post_auth_payment(ctx: Context, request: Mapping[str, typing.Any]) -> dict[str, typing.Any]:
    return basic_answer(create_post_auth_payment(ctx, request), request)


def initialize_basic_threeds(ctx: Context, request: Mapping[str, typing.Any]) -> dict[str, typing.Any]:
    return initialize_threeds(ctx, payment_request(request))


def initialize_basic_threeds_pre_auth(ctx: Context, request: Mapping[str, typing.Any]) -> dict[str, typing.Any]:
    return initialize_threeds_pre_auth(ctx, payment_request(request))


def create_basic_threeds_payment(ctx: Context, request: Mapping[str, typing.Any]) -> dict[str, typing.Any]:
    return basic_answer(create_threeds_payment(ctx, request), request)


def complete_threeds(ctx: Context, request: Mapping[str, typing.Any]) -> dict[str, typing.Any]:
    """The bank's answer, forwarded by the merchant: `md` names the payment (the callback's paymentId), `paRes`
    is the callback's conversationData and `termUrl` the payment's callbackUrl; then the auth call's rules."""
    payment_id = request.get("md")
    if not payment_id:
        raise ApiFailure("5002")
    document = ctx.store.get("threeds", str(payment_id), ctx.merchant)
    if document is None:
        raise ApiFailure("5015")
    if request.get("termUrl") != document["request"].get("callbackUrl"):
        raise ApiFailure("5022", "termUrl")
    if request.get("paRes") != document["conversationData"]:
        raise ApiFailure("5022", "paRes")
    return create_threeds_payment(ctx, {**request, "paymentId": str(payment_id), "conversationData": request["paRes"]})


HANDLERS = {
    "createBasicPayment": create_basic_payment,
    "createBasicPreAuthPayment": create_basic_pre_auth_payment,
    "createBasicPostAuthPayment": create_basic_post_auth_payment,
    "initializeBasicThreeds": initialize_basic_threeds,
    "initializeBasicThreedsPreAuth": initialize_basic_threeds_pre_auth,
    "createBasicThreedsPayment": create_basic_threeds_payment,
    "completeThreeds": complete_threeds,
}
