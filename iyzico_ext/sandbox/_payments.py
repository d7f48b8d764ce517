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
from collections.abc import Callable, Mapping, Sequence
from decimal import ROUND_HALF_UP, Decimal

from ._cardstorage import register_card
from ._context import Context, Notification
from ._failures import ApiFailure
from ._rules import Card, Order, OrderItem, check_card_can_pay, read_amount, read_card, read_order
from ._store import Document

__all__ = [
    "HANDLERS",
    "charge",
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
Phase = typing.Literal["AUTH", "PRE_AUTH", "POST_AUTH"]


def _cents(amount: Decimal) -> Decimal:
    return amount.quantize(_CENT, ROUND_HALF_UP)


def _shares(total: Decimal, weights: Sequence[Decimal]) -> list[Decimal]:
    """Split `total` in proportion to `weights`, to the cent, the last share taking the rounding rest."""
    weight_sum = sum(weights, Decimal(0))
    shares = [_cents(total * weight / weight_sum) for weight in weights[:-1]]
    return [*shares, total - sum(shares, Decimal(0))]


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
    payment_id = payment_id or new_payment_id(ctx)
    numbers = ctx.store.next_ids("paymentTransactionId", _FIRST_TRANSACTION_ID, len(order.items))
    transaction_ids = [str(number) for number in numbers]
    items = _item_transactions(order, order.paid_price, transaction_ids, ctx.now)
    card_user_key, card_token = card.card_user_key, card.card_token
    if register is not None:
        card_user_key, card_token = register_card(ctx, register, card)
    issuer = card.issuer
    resource: dict[str, typing.Any] = {
        **_payment_totals(order, order.paid_price, items),
        "installment": order.installment,
        "paymentId": payment_id,
        "fraudStatus": 1,
        "cardType": issuer.card_type if issuer else None,
        "cardAssociation": issuer.card_association if issuer else None,
        "cardFamily": issuer.card_family if issuer else None,
        "cardUserKey": card_user_key,
        "cardToken": card_token,
        "binNumber": card.number[:6],
        "lastFourDigits": card.number[-4:],
        "basketId": order.basket_id,
        "currency": order.currency,
        "itemTransactions": items,
        "authCode": f"{secrets.randbelow(1_000_000):06d}",
        "phase": phase,
        "hostReference": f"mock{secrets.token_hex(8)}",
        **(extra or {}),
    }
    resource = {key: value for key, value in resource.items() if value is not None}
    document: Document = {
        "resource": resource,
        "order": _order_document(order),
        "reversible": card.outcome.reversible,
        "cancelled": False,
        "refunded": {},
        "conversationId": ctx.conversation_id,
    }
    _save(ctx, document)
    ctx.store.put_each("transaction", ctx.merchant, {key: {"paymentId": payment_id} for key in transaction_ids})
    return resource


def _save(ctx: Context, document: Document) -> None:
    resource = document["resource"]
    ctx.store.put("payment", resource["paymentId"], ctx.merchant, document, document["conversationId"])


def payment_event(ctx: Context, resource: Mapping[str, typing.Any], event_type: str, token: str | None = None) -> None:
    """Queue iyzico's webhook for a completed payment (Direct format, or HPP with a token)."""
    payload: dict[str, typing.Any] = {
        "paymentConversationId": ctx.conversation_id,
        "merchantId": ctx.merchant,
        "iyziReferenceCode": secrets.token_hex(8),
        "iyziEventType": event_type,
        "iyziEventTime": ctx.epoch_millis,
        "iyziPaymentId": int(resource["paymentId"]),
        "status": "SUCCESS",
    }
    if token is None:
        payload["paymentId"] = int(resource["paymentId"])
    else:
        payload["token"] = token
    ctx.notifications.append(Notification(ctx.merchant, payload))


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
    resource = charge(ctx, order, card, phase=phase, register=registration_request(card_request, request))
    payment_event(ctx, resource, "PAYMENT_API")
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
    _save(ctx, document)
    resource = document["resource"]
    return {
        "paymentId": resource["paymentId"],
        "price": resource["paidPrice"],
        "currency": resource["currency"],
        "authCode": resource["authCode"],
        "hostReference": resource["hostReference"],
        "cancelHostReference": f"mock{secrets.token_hex(8)}",
    }


def _refundable(document: Document, transaction_id: str) -> Decimal:
    item = next(i for i in document["resource"]["itemTransactions"] if i["paymentTransactionId"] == transaction_id)
    paid = Decimal(item["paidPrice"])
    return paid - Decimal(document["refunded"].get(transaction_id, 0))


def _add_refund(document: Document, transaction_id: str, amount: Decimal) -> None:
    refunded = document["refunded"]
    refunded[transaction_id] = refunded.get(transaction_id, Decimal(0)) + amount


def _payment_of_transaction(ctx: Context, transaction_id: object) -> Document:
    if not transaction_id:
        raise ApiFailure("5001")
    link = ctx.store.get("transaction", str(transaction_id), ctx.merchant)
    if link is None:
        raise ApiFailure("5016")
    return _load_payment(ctx, link["paymentId"])


def refund_payment_item(ctx: Context, request: Mapping[str, typing.Any]) -> dict[str, typing.Any]:
    transaction_id = str(request.get("paymentTransactionId") or "")
    document = _payment_of_transaction(ctx, transaction_id)
    _reversible(document, phases=("AUTH", "POST_AUTH"))
    amount = read_amount(request.get("price"), "price")
    if amount > _refundable(document, transaction_id):
        raise ApiFailure("5019")
    _add_refund(document, transaction_id, amount)
    _save(ctx, document)
    resource = document["resource"]
    return {
        "paymentId": resource["paymentId"],
        "paymentTransactionId": transaction_id,
        "price": amount,
        "currency": resource["currency"],
        "authCode": resource["authCode"],
        "hostReference": resource["hostReference"],
        "refundHostReference": f"mock{secrets.token_hex(8)}",
    }


def refund_payment(ctx: Context, request: Mapping[str, typing.Any]) -> dict[str, typing.Any]:
    """Amount-based refund of a whole payment, taken from the items in basket order."""
    document = _load_payment(ctx, request.get("paymentId"))
    _reversible(document, phases=("AUTH", "POST_AUTH"))
    amount = read_amount(request.get("price"), "price")
    transaction_ids = [item["paymentTransactionId"] for item in document["resource"]["itemTransactions"]]
    if amount > sum((_refundable(document, tid) for tid in transaction_ids), Decimal(0)):
        raise ApiFailure("5019")
    remaining = amount
    for transaction_id in transaction_ids:
        taken = min(remaining, _refundable(document, transaction_id))
        _add_refund(document, transaction_id, taken)
        remaining -= taken
    _save(ctx, document)
    resource = document["resource"]
    return {"paymentId": resource["paymentId"], "price": amount, "currency": resource["currency"]}


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


def _sub_merchant_share(key: str, price: Decimal) -> ItemChange:
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
    if ctx.store.find("submerchant", ctx.merchant, subMerchantKey=str(sub_merchant_key)) is None:
        raise ApiFailure("2004")
    price = read_amount(request.get("subMerchantPrice"), "subMerchantPrice")
    return _change_item(ctx, request, _sub_merchant_share(str(sub_merchant_key), price))


HANDLERS = {
    "createPayment": create_payment,
    "createPreAuthPayment": create_pre_auth_payment,
    "createPostAuthPayment": create_post_auth_payment,
    "retrievePayment": retrieve_payment,
    "cancelPayment": cancel_payment,
    "refundPaymentItem": refund_payment_item,
    "refundPayment": refund_payment,
    "approvePaymentItem": approve_payment_item,
    "disapprovePaymentItem": disapprove_payment_item,
    "updatePaymentItem": update_payment_item,
}
