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
    "TransactionType",
    "record_cancel",
    "record_payment",
    "record_refund",
    "refunded_before",
    "transactions_of_day",
]

DATE_TIME_FORMAT = "%Y-%m-%d %H:%M:%S"
TransactionType = typing.Literal["PAYMENT", "REFUND", "CANCEL"]
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
