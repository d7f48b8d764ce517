"""The emulator's transaction log: every payment, refund and cancel of an item transaction, for the reports.

A stored payment document keeps its own refunds and cancels (`refunds`, `cancels`: what the payment
details report shows); each of them, and each charged item, is also a `transaction` row with an
increasing `transactionId` and its time on the emulator's clock (what the daily reports list and scroll).
"""

from __future__ import annotations

import datetime
import typing
from collections.abc import Mapping
from decimal import Decimal

from ._context import Context
from ._store import Document

__all__ = [
    "DATE_TIME_FORMAT",
    "MovementType",
    "TransactionType",
    "movements",
    "record_cancel",
    "record_movement",
    "record_payment",
    "record_refund",
    "refunded_before",
    "settles_at",
    "transactions_of_day",
]

DATE_TIME_FORMAT = "%Y-%m-%d %H:%M:%S"
TransactionType = typing.Literal["PAYMENT", "REFUND", "CANCEL"]
# Money moved between the merchant and a sub-merchant outside any payment (cross-bookings, a settlement paid
# to the sub-merchant's iyzico balance): logged too, so the daily reports list them and the payouts settle them.
MovementType = typing.Literal[
    "CROSS_BOOKING_TO_SUB_MERCHANT", "CROSS_BOOKING_FROM_SUB_MERCHANT", "SETTLEMENT_TO_BALANCE"
]
# Which way a movement moves money: +1 = from the merchant to the sub-merchant.
_MOVEMENT_SIGN: dict[str, int] = {
    "CROSS_BOOKING_TO_SUB_MERCHANT": 1,
    "CROSS_BOOKING_FROM_SUB_MERCHANT": -1,
    "SETTLEMENT_TO_BALANCE": 1,
}
# When a movement is paid out: cross-bookings with the next day's payouts, a settlement to balance at once.
_SETTLES_AFTER: dict[str, datetime.timedelta] = {
    "CROSS_BOOKING_TO_SUB_MERCHANT": datetime.timedelta(days=1),
    "CROSS_BOOKING_FROM_SUB_MERCHANT": datetime.timedelta(days=1),
    "SETTLEMENT_TO_BALANCE": datetime.timedelta(0),
}
_FIRST_TRANSACTION_ID = 1_689_853_839_160  # iyzico's report ids are epoch-millisecond-sized numbers


def _moment(ctx: Context) -> str:
    return ctx.now.strftime(DATE_TIME_FORMAT)


def _row(
    ctx: Context,
    kind: TransactionType,
    resource: Mapping[str, typing.Any],
    item: Mapping[str, typing.Any],
    amount: Decimal,
    conversation_id: str | None,
    host_reference: str,
) -> int:
    transaction_id = ctx.store.next_id("transactionId", _FIRST_TRANSACTION_ID)
    row: Document = {
        "transactionType": kind,
        "transactionDate": _moment(ctx),
        "transactionId": transaction_id,
        "transactionStatus": 1,
        "afterSettlement": 0,
        "paymentTxId": int(item["paymentTransactionId"]),
        "paymentId": int(resource["paymentId"]),
        "conversationId": conversation_id,
        "paymentPhase": resource["phase"],
        "price": item["price"] if kind == "PAYMENT" else amount,
        "paidPrice": amount,
        "transactionCurrency": resource["currency"],
        "installment": resource.get("installment", 1),
        "threeDS": 1 if resource.get("threeDS") else 0,
        "settlementCurrency": resource["currency"],
        "connectorType": "IYZI_POS",
        "authCode": resource.get("authCode"),
        "hostReference": host_reference,
        "basketId": resource.get("basketId"),
    }
    if kind == "PAYMENT":
        row.update(
            iyzicoCommission=item["iyziCommissionRateAmount"],
            iyzicoFee=item["iyziCommissionFee"],
            parity=Decimal(1),
            iyzicoConversionAmount=Decimal(0),
            merchantPayoutAmount=item["merchantPayoutAmount"],
            subMerchantKey=item.get("subMerchantKey"),
            subMerchantPayoutAmount=item.get("subMerchantPayoutAmount"),
        )
    ctx.store.put("transaction-log", str(transaction_id), ctx.merchant, {k: v for k, v in row.items() if v is not None})
    return transaction_id


def record_payment(ctx: Context, document: Document) -> None:
    """Log the charge (or capture) of every item of a stored payment; the document notes its time."""
    document.setdefault("createdDate", _moment(ctx))
    document.setdefault("refunds", [])
    document.setdefault("cancels", [])
    resource = document["resource"]
    for item in resource["itemTransactions"]:
        _row(ctx, "PAYMENT", resource, item, item["paidPrice"], document["conversationId"], resource["hostReference"])


def record_refund(
    ctx: Context,
    document: Document,
    transaction_id: str,
    amount: Decimal,
    host_reference: str,
    *,
    charged_from_merchant: bool = False,
) -> None:
    """Log a refund of `amount` of one item (the caller has checked that it is refundable)."""
    resource = document["resource"]
    item = next(i for i in resource["itemTransactions"] if i["paymentTransactionId"] == transaction_id)
    refund_id = _row(ctx, "REFUND", resource, item, amount, ctx.conversation_id, host_reference)
    document.setdefault("refunds", []).append(
        {
            "paymentTransactionId": transaction_id,
            "refundTxId": refund_id,
            "refundConversationId": ctx.conversation_id,
            "refundPrice": amount,
            "createdDate": _moment(ctx),
            "hostReference": host_reference,
            "chargedFromMerchant": charged_from_merchant,
        }
    )


def record_cancel(ctx: Context, document: Document, host_reference: str) -> None:
    """Log the cancel of a whole payment (one row per item, one cancel on the payment)."""
    resource = document["resource"]
    first_id = None
    for item in resource["itemTransactions"]:
        row_id = _row(ctx, "CANCEL", resource, item, item["paidPrice"], ctx.conversation_id, host_reference)
        first_id = first_id or row_id
    document.setdefault("cancels", []).append(
        {
            "refundId": first_id,
            "cancelConversationId": ctx.conversation_id,
            "refundPrice": resource["paidPrice"],
            "createdDate": _moment(ctx),
            "hostReference": host_reference,
        }
    )


def record_movement(
    ctx: Context, kind: MovementType, sub_merchant_key: str, amount: Decimal, currency: str
) -> dict[str, typing.Any]:
    """Log money moved between the merchant and a sub-merchant; returns the logged row.

    `subMerchantPayoutAmount` and `merchantPayoutAmount` are what each side gains (one of them negative).
    """
    sign = _MOVEMENT_SIGN[kind]
    row: Document = {
        "transactionType": kind,
        "transactionDate": _moment(ctx),
        "transactionId": ctx.store.next_id("transactionId", _FIRST_TRANSACTION_ID),
        "transactionStatus": 1,
        "afterSettlement": 0,
        "conversationId": ctx.conversation_id,
        "price": amount,
        "paidPrice": amount,
        "transactionCurrency": currency,
        "settlementCurrency": currency,
        "subMerchantKey": sub_merchant_key,
        "subMerchantPayoutAmount": sign * amount,
        "merchantPayoutAmount": -sign * amount,
    }
    row = {key: value for key, value in row.items() if value is not None}
    ctx.store.put("transaction-log", str(row["transactionId"]), ctx.merchant, row)
    return row


def movements(ctx: Context, sub_merchant_key: str | None = None) -> list[Document]:
    """The caller's logged movements (of one sub-merchant, or all), in transactionId order."""
    return sorted(
        (
            row
            for merchant, row in ctx.store.all("transaction-log")
            if merchant == ctx.merchant
            and row["transactionType"] in _MOVEMENT_SIGN
            and sub_merchant_key in (None, row["subMerchantKey"])
        ),
        key=lambda row: int(row["transactionId"]),
    )


def settles_at(row: typing.Mapping[str, typing.Any]) -> datetime.datetime:
    """When a logged movement is paid out."""
    booked = datetime.datetime.strptime(str(row["transactionDate"]), DATE_TIME_FORMAT)
    return booked + _SETTLES_AFTER[str(row["transactionType"])]


def refunded_before(document: Mapping[str, typing.Any], transaction_id: str, moment: str) -> Decimal:
    """What was refunded of an item from its pending payout (not from the merchant) up to `moment`."""
    return sum(
        (
            Decimal(refund["refundPrice"])
            for refund in document.get("refunds", [])
            if refund["paymentTransactionId"] == transaction_id
            and not refund.get("chargedFromMerchant")
            and refund["createdDate"] <= moment
        ),
        Decimal(0),
    )


def transactions_of_day(ctx: Context, day: datetime.date) -> list[Document]:
    """The caller's logged transactions of one day, in transactionId order."""
    prefix = day.isoformat()
    rows = [row for merchant, row in ctx.store.all("transaction-log") if merchant == ctx.merchant]
    return sorted(
        (row for row in rows if str(row["transactionDate"]).startswith(prefix)),
        key=lambda row: int(row["transactionId"]),
    )
