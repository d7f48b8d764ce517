"""Payments and what happens to them afterwards: pre-auth and capture, retrieve, cancel, refunds, approval.

A payment is stored as `{"resource": <the Payment response fields>, ...bookkeeping}`; the resource's
item transactions carry commission and payout fields computed so that, per item,
`paidPrice = iyziCommissionRateAmount + iyziCommissionFee + subMerchantPayoutAmount + merchantPayoutAmount`
and the items add up to the payment.
"""

from __future__ import annotations

import datetime
import secrets
import typing
import uuid
from collections.abc import Callable, Mapping, Sequence
from decimal import ROUND_HALF_UP, Decimal

from ._card_blacklist import refuse_blacklisted
from ._cardstorage import register_card
from ._context import Context, Notification
from ._failures import ApiFailure, failure_body
from ._ledger import record_cancel, record_payment, record_refund
from ._rules import Card, Order, OrderItem, check_card_can_pay, read_amount, read_card, read_order
from ._store import Document
from ._webhooks import merchant_number

__all__ = [
    "HANDLERS",
    "book_payment",
    "charge",
    "declined_attempt",
    "refund_remainder",
    "refundable_payment",
    "payment_event",
    "new_payment_id",
    "public_resource",
    "registration_request",
]

_CENT = Decimal("0.01")
_IYZI_COMMISSION_RATE = Decimal("0.0349")
_IYZI_COMMISSION_FEE = Decimal("0.25")
_BLOCKAGE_DAYS = 7
_FIRST_PAYMENT_ID = 25_000_000
_FIRST_TRANSACTION_ID = 27_000_000
_FIRST_BANK_CODE = 10_000
Phase = typing.Literal["AUTH", "PRE_AUTH", "POST_AUTH"]
# A Non-3DS payment's webhook event type (iyzipay-php's captured sandbox payload; the docs' Direct list).
_NON_THREEDS_EVENT = "API_AUTH"


def _cents(amount: Decimal) -> Decimal:
    return amount.quantize(_CENT, ROUND_HALF_UP)


def _shares(total: Decimal, weights: Sequence[Decimal]) -> list[Decimal]:
    """Split `total` in proportion to `weights`, in whole cents that add up to it exactly and are never negative:
    each share rounded down, the cents left over going to the shares that lost the most (largest remainder).
    Rounding every share to the nearest cent instead can overshoot a small total spread over many items."""
    cents = int(total.scaleb(2))
    weight_sum = sum(weights, Decimal(0))
    exact = [cents * weight / weight_sum for weight in weights]
    floors = [int(share) for share in exact]
    by_remainder = sorted(range(len(exact)), key=lambda index: exact[index] - floors[index], reverse=True)
    for index in by_remainder[: cents - sum(floors)]:
        floors[index] += 1
    return [Decimal(share).scaleb(-2) for share in floors]


def _payouts(paid: Decimal, rate_amount: Decimal, fee: Decimal, sub_merchant_payout: Decimal) -> dict[str, Decimal]:
    """Where an item's paid amount goes: iyzico's commission and fee, the sub-merchant, the merchant the rest."""
    return {
        "paidPrice": paid,
        "iyziCommissionRateAmount": rate_amount,
        "iyziCommissionFee": fee,
        "blockageRateAmountMerchant": Decimal(0),
        "blockageRateAmountSubMerchant": Decimal(0),
        "subMerchantPayoutAmount": sub_merchant_payout,
        "merchantPayoutAmount": paid - rate_amount - fee - sub_merchant_payout,
    }


def _sub_merchant_fields(key: str, sub_merchant_price: Decimal, item_price: Decimal) -> dict[str, typing.Any]:
    return {
        "subMerchantKey": key,
        "subMerchantPrice": sub_merchant_price,
        "subMerchantPayoutRate": _cents(sub_merchant_price * 100 / item_price),
    }


def _item_transaction(
    item: OrderItem, paid: Decimal, fee: Decimal, transaction_id: str, currency: str, resolved: str
) -> dict[str, typing.Any]:
    payouts = _payouts(paid, _cents(paid * _IYZI_COMMISSION_RATE), fee, item.sub_merchant_price or Decimal(0))
    transaction: dict[str, typing.Any] = {
        "itemId": item.item_id,
        "paymentTransactionId": transaction_id,
        "transactionStatus": 1 if item.sub_merchant_key else 2,
        "price": item.price,
        "merchantCommissionRate": _cents((paid - item.price) * 100 / item.price),
        "merchantCommissionRateAmount": paid - item.price,
        "blockageRate": Decimal(0),
        "blockageResolvedDate": resolved,
        "withholdingTax": item.withholding_tax,
        **payouts,
        "convertedPayout": {**payouts, "iyziConversionRate": 0, "iyziConversionRateAmount": 0, "currency": currency},
    }
    if item.sub_merchant_key:
        transaction.update(_sub_merchant_fields(item.sub_merchant_key, payouts["subMerchantPayoutAmount"], item.price))
    return {key: value for key, value in transaction.items() if value is not None}


def _item_transactions(
    order: Order, paid_price: Decimal, transaction_ids: Sequence[str], now: datetime.datetime
) -> list[dict[str, typing.Any]]:
    weights = [item.price for item in order.items]
    paid_shares = _shares(paid_price, weights)
    fee_shares = _shares(_IYZI_COMMISSION_FEE, weights)
    resolved = (now + datetime.timedelta(days=_BLOCKAGE_DAYS)).strftime("%Y-%m-%d %H:%M:%S")
    return [
        _item_transaction(item, paid, fee, transaction_id, order.currency, resolved)
        for item, paid, fee, transaction_id in zip(order.items, paid_shares, fee_shares, transaction_ids, strict=True)
    ]


def _payment_totals(
    order: Order, paid_price: Decimal, items: Sequence[Mapping[str, typing.Any]]
) -> dict[str, typing.Any]:
    return {
        "price": order.price,
        "paidPrice": paid_price,
        "merchantCommissionRate": _cents((paid_price - order.price) * 100 / order.price),
        "merchantCommissionRateAmount": paid_price - order.price,
        "iyziCommissionRateAmount": sum((item["iyziCommissionRateAmount"] for item in items), Decimal(0)),
        "iyziCommissionFee": _IYZI_COMMISSION_FEE,
    }


def _order_document(order: Order) -> dict[str, typing.Any]:
    """What is needed to re-price the items later (post-auth with a different amount)."""
    return {
        "price": order.price,
        "currency": order.currency,
        "installment": order.installment,
        "basketId": order.basket_id,
        "paymentGroup": order.payment_group,
        "items": [item._asdict() for item in order.items],
    }


def _order_from_document(document: Mapping[str, typing.Any]) -> Order:
    return Order(
        price=document["price"],
        paid_price=Decimal(0),
        currency=document["currency"],
        installment=document["installment"],
        basket_id=document["basketId"],
        payment_group=document["paymentGroup"],
        items=tuple(OrderItem(**item) for item in document["items"]),
    )


def new_payment_id(ctx: Context) -> str:
    return str(ctx.store.next_id("paymentId", _FIRST_PAYMENT_ID))


def charge(
    ctx: Context,
    order: Order,
    card: Card,
    *,
    phase: Phase,
    payment_id: str | None = None,
    register: Mapping[str, typing.Any] | None = None,
    extra: Mapping[str, typing.Any] | None = None,
) -> dict[str, typing.Any]:
    """Take (or pre-authorise) the money: the bank's answer, then the stored payment. Returns the resource."""
    check_card_can_pay(card, order)
    refuse_blacklisted(ctx, card)
    card_user_key, card_token = card.card_user_key, card.card_token
    if register is not None:
        card_user_key, card_token = register_card(ctx, register, card)
    issuer = card.issuer
    card_fields = {
        "cardType": issuer.card_type if issuer else None,
        "cardAssociation": issuer.card_association if issuer else None,
        "cardFamily": issuer.card_family if issuer else None,
        "cardUserKey": card_user_key,
        "cardToken": card_token,
        "binNumber": card.number[:6],
        "lastFourDigits": card.number[-4:],
    }
    extra = {**card_fields, **(extra or {})}
    return book_payment(ctx, order, phase=phase, payment_id=payment_id, reversible=card.outcome.reversible, extra=extra)


def book_payment(
    ctx: Context,
    order: Order,
    *,
    phase: Phase,
    payment_id: str | None = None,
    reversible: bool = True,
    extra: Mapping[str, typing.Any] | None = None,
) -> dict[str, typing.Any]:
    """Store a payment the payer's side approved (a card's bank, an alternative payment method), with its item
    transactions and ledger rows, so retrieve, refunds, cancels and the reports see it. Returns the resource."""
    payment_id = payment_id or new_payment_id(ctx)
    numbers = ctx.store.next_ids("paymentTransactionId", _FIRST_TRANSACTION_ID, len(order.items))
    transaction_ids = [str(number) for number in numbers]
    items = _item_transactions(order, order.paid_price, transaction_ids, ctx.now)
    resource: dict[str, typing.Any] = {
        **_payment_totals(order, order.paid_price, items),
        "installment": order.installment,
        "paymentId": payment_id,
        "fraudStatus": 1,
        "basketId": order.basket_id,
        "currency": order.currency,
        "itemTransactions": items,
        "authCode": f"{secrets.randbelow(1_000_000):06d}",
        "phase": phase,
        "hostReference": f"mock{secrets.token_hex(8)}",
        **(extra or {}),
    }
    resource = {key: value for key, value in resource.items() if value is not None}
    _name_sub_merchants(ctx, items)
    document: Document = {
        "resource": resource,
        "order": _order_document(order),
        "reversible": reversible,
        "cancelled": False,
        "refunded": {},
        "conversationId": ctx.conversation_id,
    }
    record_payment(ctx, document)
    _save(ctx, document)
    ctx.store.put_each("transaction", ctx.merchant, {key: {"paymentId": payment_id} for key in transaction_ids})
    return resource


def _name_sub_merchants(ctx: Context, items: Sequence[dict[str, typing.Any]]) -> None:
    """Marketplace item transactions carry the sub-merchant's own id too (docs example, spec `ItemTransaction`)."""
    for item in items:
        key = item.get("subMerchantKey")
        sub_merchant = ctx.store.find("submerchant", ctx.merchant, subMerchantKey=key) if key else None
        if sub_merchant is not None:
            item["externalSubMerchantId"] = sub_merchant["subMerchantExternalId"]


def _save(ctx: Context, document: Document) -> None:
    resource = document["resource"]
    ctx.store.put("payment", resource["paymentId"], ctx.merchant, document, document["conversationId"])


def payment_event(
    ctx: Context, payment_id: str, event_type: str, *, token: str | None = None, status: str = "SUCCESS"
) -> None:
    """Queue iyzico's webhook for a payment attempt (Direct format, or HPP with a token).

    The shape follows the payloads iyzico captured in iyzipay-php's samples/webhook_Signature_Validation.php:
    `merchantId` and the payment ids are JSON numbers, `iyziReferenceCode` a UUID; failed attempts are
    notified too, with `status: FAILURE`.
    """
    payload: dict[str, typing.Any] = {
        "paymentConversationId": ctx.conversation_id,
        "merchantId": merchant_number(ctx.merchant),
        "iyziReferenceCode": str(uuid.uuid4()),
        "iyziEventType": event_type,
        "iyziEventTime": ctx.epoch_millis,
        "iyziPaymentId": int(payment_id),
        "status": status,
    }
    if token is None:
        payload["paymentId"] = int(payment_id)
    else:
        payload["token"] = token
    ctx.notifications.append(Notification(ctx.merchant, payload))


def declined_attempt(
    ctx: Context,
    failure: ApiFailure,
    request: Mapping[str, typing.Any],
    event_type: str,
    *,
    payment_id: str | None = None,
) -> dict[str, typing.Any]:
    """A bank's decline: the attempt has a paymentId and gets a FAILURE webhook; returns the failure answer.

    Only bank answers (10000 + bank code) are attempts that reached a bank; iyzico's own refusals are raised.
    """
    if int(failure.code) < _FIRST_BANK_CODE:
        raise failure
    payment_event(ctx, payment_id or new_payment_id(ctx), event_type, status="FAILURE")
    return failure_body(failure, str(request.get("locale") or "tr"))


def public_resource(document: Mapping[str, typing.Any]) -> dict[str, typing.Any]:
    return dict(document["resource"])


def registration_request(
    card: Mapping[str, typing.Any], request: Mapping[str, typing.Any]
) -> Mapping[str, typing.Any] | None:
    """Who a card sent with `registerCard: 1` is stored for (the buyer), or `None` when not asked."""
    if str(card.get("registerCard", "0")) != "1" or card.get("cardToken"):
        return None
    buyer = request.get("buyer") or {}
    return {"cardAlias": card.get("cardAlias"), "email": buyer.get("email"), "externalId": buyer.get("id")}


def _create(ctx: Context, request: Mapping[str, typing.Any], phase: Phase) -> dict[str, typing.Any]:
    order = read_order(ctx.store, ctx.merchant, request)
    card_request = request.get("paymentCard") or {}
    card = read_card(ctx.store, ctx.merchant, card_request, now=ctx.today)
    try:
        resource = charge(ctx, order, card, phase=phase, register=registration_request(card_request, request))
    except ApiFailure as failure:
        return declined_attempt(ctx, failure, request, _NON_THREEDS_EVENT)
    payment_event(ctx, resource["paymentId"], _NON_THREEDS_EVENT)
    return resource


def create_payment(ctx: Context, request: Mapping[str, typing.Any]) -> dict[str, typing.Any]:
    return _create(ctx, request, "AUTH")


def create_pre_auth_payment(ctx: Context, request: Mapping[str, typing.Any]) -> dict[str, typing.Any]:
    return _create(ctx, request, "PRE_AUTH")


def _load_payment(ctx: Context, payment_id: object) -> Document:
    if not payment_id:
        raise ApiFailure("5002")
    document = ctx.store.get("payment", str(payment_id), ctx.merchant)
    if document is None:
        raise ApiFailure("5015")
    return document


def _reversible(document: Document, *, phases: tuple[str, ...]) -> None:
    if document["cancelled"] or document["resource"]["phase"] not in phases:
        raise ApiFailure("5018")
    if not document["reversible"]:
        raise ApiFailure("10012")


def create_post_auth_payment(ctx: Context, request: Mapping[str, typing.Any]) -> dict[str, typing.Any]:
    document = _load_payment(ctx, request.get("paymentId"))
    _reversible(document, phases=("PRE_AUTH",))
    resource = document["resource"]
    paid_price = read_amount(request.get("paidPrice"), "paidPrice")
    if paid_price > resource["paidPrice"]:
        raise ApiFailure("5020")
    order = _order_from_document(document["order"])
    transaction_ids = [item["paymentTransactionId"] for item in resource["itemTransactions"]]
    items = _item_transactions(order, paid_price, transaction_ids, ctx.now)
    resource.update(_payment_totals(order, paid_price, items), itemTransactions=items, phase="POST_AUTH")
    record_payment(ctx, document)
    _save(ctx, document)
    return dict(resource)


def retrieve_payment(ctx: Context, request: Mapping[str, typing.Any]) -> dict[str, typing.Any]:
    if request.get("paymentId"):
        return public_resource(_load_payment(ctx, request["paymentId"]))
    conversation_id = request.get("paymentConversationId")
    if not conversation_id:
        raise ApiFailure("5002")
    document = ctx.store.latest_by_conversation("payment", ctx.merchant, str(conversation_id))
    if document is None:
        raise ApiFailure("5015")
    return public_resource(document)


def cancel_payment(ctx: Context, request: Mapping[str, typing.Any]) -> dict[str, typing.Any]:
    document = _load_payment(ctx, request.get("paymentId"))
    _reversible(document, phases=("AUTH", "POST_AUTH"))
    if any(document["refunded"].values()):
        raise ApiFailure("5018", "payment has refunds")
    document["cancelled"] = True
    cancel_reference = _host_reference()
    record_cancel(ctx, document, cancel_reference)
    _save(ctx, document)
    resource = document["resource"]
    return {
        "paymentId": resource["paymentId"],
        "price": resource["paidPrice"],
        "currency": resource["currency"],
        "authCode": resource["authCode"],
        "hostReference": resource["hostReference"],
        "cancelHostReference": cancel_reference,
    }


def _refundable(document: Document, transaction_id: str) -> Decimal:
    item = next(i for i in document["resource"]["itemTransactions"] if i["paymentTransactionId"] == transaction_id)
    paid = Decimal(item["paidPrice"])
    return paid - Decimal(document["refunded"].get(transaction_id, 0))


def _add_refund(
    ctx: Context, document: Document, transaction_id: str, amount: Decimal, reference: str, *, from_merchant: bool
) -> None:
    refunded = document["refunded"]
    refunded[transaction_id] = refunded.get(transaction_id, Decimal(0)) + amount
    record_refund(ctx, document, transaction_id, amount, reference, charged_from_merchant=from_merchant)


def _host_reference() -> str:
    return f"mock{secrets.token_hex(8)}"


def _payment_of_transaction(ctx: Context, transaction_id: object) -> Document:
    if not transaction_id:
        raise ApiFailure("5001")
    link = ctx.store.get("transaction", str(transaction_id), ctx.merchant)
    if link is None:
        raise ApiFailure("5016")
    return _load_payment(ctx, link["paymentId"])


def _refund_item(ctx: Context, request: Mapping[str, typing.Any], *, from_merchant: bool) -> dict[str, typing.Any]:
    transaction_id = str(request.get("paymentTransactionId") or "")
    document = _payment_of_transaction(ctx, transaction_id)
    _reversible(document, phases=("AUTH", "POST_AUTH"))
    amount = read_amount(request.get("price"), "price")
    if amount > _refundable(document, transaction_id):
        raise ApiFailure("5019")
    reference = _host_reference()
    _add_refund(ctx, document, transaction_id, amount, reference, from_merchant=from_merchant)
    _save(ctx, document)
    resource = document["resource"]
    return {
        "paymentId": resource["paymentId"],
        "paymentTransactionId": transaction_id,
        "price": amount,
        "currency": resource["currency"],
        "authCode": resource["authCode"],
        "hostReference": resource["hostReference"],
        "refundHostReference": reference,
    }


def refund_payment_item(ctx: Context, request: Mapping[str, typing.Any]) -> dict[str, typing.Any]:
    return _refund_item(ctx, request, from_merchant=False)


def refund_charged_from_merchant(ctx: Context, request: Mapping[str, typing.Any]) -> dict[str, typing.Any]:
    """An item refund that the merchant's balance pays for: the item's payouts stay as they were."""
    answer = _refund_item(ctx, request, from_merchant=True)
    answer["hostReference"] = answer.pop("refundHostReference")
    return answer


def refund_payment(ctx: Context, request: Mapping[str, typing.Any]) -> dict[str, typing.Any]:
    """Amount-based refund of a whole payment, taken from the items in basket order."""
    document = _load_payment(ctx, request.get("paymentId"))
    _reversible(document, phases=("AUTH", "POST_AUTH"))
    amount = read_amount(request.get("price"), "price")
    transaction_ids = [item["paymentTransactionId"] for item in document["resource"]["itemTransactions"]]
    if amount > sum((_refundable(document, tid) for tid in transaction_ids), Decimal(0)):
        raise ApiFailure("5019")
    remaining = amount
    reference = _host_reference()
    for transaction_id in transaction_ids:
        taken = min(remaining, _refundable(document, transaction_id))
        if taken:
            _add_refund(ctx, document, transaction_id, taken, reference, from_merchant=False)
        remaining -= taken
    _save(ctx, document)
    resource = document["resource"]
    # Java's RefundTest asserts hostReference; iyzipay-php's AmountBaseRefundMapper reads paymentId, price, ip.
    return {
        "paymentId": resource["paymentId"],
        "price": amount,
        "currency": resource["currency"],
        "ip": request.get("ip"),
        "authCode": resource["authCode"],
        "hostReference": resource["hostReference"],
        "refundHostReference": reference,
    }


def refundable_payment(ctx: Context, payment_id: object) -> Document:
    """A charged payment that can still be refunded; `ApiFailure` when it cannot."""
    document = _load_payment(ctx, payment_id)
    _reversible(document, phases=("AUTH", "POST_AUTH"))
    return document


def refund_remainder(ctx: Context, document: Document) -> Decimal:
    """Refund whatever is still refundable of every item of a payment; the amount refunded."""
    reference = _host_reference()
    total = Decimal(0)
    for item in document["resource"]["itemTransactions"]:
        transaction_id = item["paymentTransactionId"]
        remaining = _refundable(document, transaction_id)
        if remaining:
            _add_refund(ctx, document, transaction_id, remaining, reference, from_merchant=False)
            total += remaining
    _save(ctx, document)
    return total


ItemChange = Callable[[Document, int], None]  # changes item `index` of a stored payment document


def _change_item(ctx: Context, request: Mapping[str, typing.Any], change: ItemChange) -> dict[str, typing.Any]:
    transaction_id = str(request.get("paymentTransactionId") or "")
    document = _payment_of_transaction(ctx, transaction_id)
    if document["cancelled"]:
        raise ApiFailure("5018")
    items = document["resource"]["itemTransactions"]
    index = next(i for i, item in enumerate(items) if item["paymentTransactionId"] == transaction_id)
    change(document, index)
    _save(ctx, document)
    return dict(items[index])


def _transaction_status(status: int) -> ItemChange:
    def change(document: Document, index: int) -> None:
        document["resource"]["itemTransactions"][index]["transactionStatus"] = status

    return change


def _sub_merchant_share(key: str, external_id: str, price: Decimal) -> ItemChange:
    """Give the item's sub-merchant `price`: its payouts and payout rate follow, and so does the stored order
    (a later post-auth re-prices the items from it and must keep the new share)."""

    def change(document: Document, index: int) -> None:
        item = document["resource"]["itemTransactions"][index]
        payouts = _payouts(
            Decimal(item["paidPrice"]),
            Decimal(item["iyziCommissionRateAmount"]),
            Decimal(item["iyziCommissionFee"]),
            price,
        )
        item.update(payouts, **_sub_merchant_fields(key, price, Decimal(item["price"])))
        item["externalSubMerchantId"] = external_id
        item["convertedPayout"].update(payouts)
        document["order"]["items"][index].update(sub_merchant_key=key, sub_merchant_price=price)

    return change


def approve_payment_item(ctx: Context, request: Mapping[str, typing.Any]) -> dict[str, typing.Any]:
    item = _change_item(ctx, request, _transaction_status(2))
    return {"paymentTransactionId": item["paymentTransactionId"]}


def disapprove_payment_item(ctx: Context, request: Mapping[str, typing.Any]) -> dict[str, typing.Any]:
    item = _change_item(ctx, request, _transaction_status(1))
    return {"paymentTransactionId": item["paymentTransactionId"]}


def update_payment_item(ctx: Context, request: Mapping[str, typing.Any]) -> dict[str, typing.Any]:
    sub_merchant_key = request.get("subMerchantKey")
    if not sub_merchant_key:
        raise ApiFailure("2003")
    sub_merchant = ctx.store.find("submerchant", ctx.merchant, subMerchantKey=str(sub_merchant_key))
    if sub_merchant is None:
        raise ApiFailure("2004")
    price = read_amount(request.get("subMerchantPrice"), "subMerchantPrice")
    change = _sub_merchant_share(str(sub_merchant_key), sub_merchant["subMerchantExternalId"], price)
    return _change_item(ctx, request, change)


HANDLERS = {
    "createPayment": create_payment,
    "createPreAuthPayment": create_pre_auth_payment,
    "createPostAuthPayment": create_post_auth_payment,
    "retrievePayment": retrieve_payment,
    "cancelPayment": cancel_payment,
    "refundPaymentItem": refund_payment_item,
    "refundChargedFromMerchant": refund_charged_from_merchant,
    "refundPayment": refund_payment,
    "approvePaymentItem": approve_payment_item,
    "disapprovePaymentItem": disapprove_payment_item,
    "updatePaymentItem": update_payment_item,
}
