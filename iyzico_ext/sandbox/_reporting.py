"""Reports from the emulator's own state: payment details, the day's transactions, payouts, bounced transfers.

Choices where iyzico's sources say nothing (written here and in the spec's descriptions):

* a payment details report for an unknown payment answers an empty `payments` list;
* the daily reports give `REPORT_PAGE_SIZE` rows a page (iyzico does not document its page size);
* an item is paid out on its `blockageResolvedDate`, once that moment has passed on the emulator's
  clock: the merchant's share, and for an approved marketplace item the sub-merchant's share; refunds
  made before the payout (not those charged from the merchant) reduce both shares in proportion; an
  item not approved by then is held (no payout row); a cancelled or never captured payment pays out
  nothing;
* a payout to a sub-merchant whose IBAN fails the ISO 13616 mod-97 check bounces: it is listed by the
  bounced report instead of the payout report (iyzico's onboarding checks the IBAN's shape only), unless the
  sub-merchant is paid to its iyzico balance (settlement to balance), which needs no IBAN;
* money moved between the merchant and a sub-merchant outside payments (`_ledger` movements) is paid out
  when it settles: two rows without a paymentTransactionId, what each side gains (one of them negative: a
  cross-booking from a sub-merchant is deducted from its transfers).
"""

from __future__ import annotations

import datetime
import math
import typing
from collections.abc import Iterator, Mapping
from decimal import ROUND_HALF_UP, Decimal

from ._context import Context
from ._failures import ApiFailure
from ._ledger import DATE_TIME_FORMAT, movements, refunded_before, settles_at, transactions_of_day
from ._marketplace import pays_to_balance
from ._store import Document

__all__ = ["HANDLERS", "REPORT_PAGE_SIZE", "charged_items", "iban_checksum_valid", "item_payouts", "paid_out"]

REPORT_PAGE_SIZE = 20
_CENT = Decimal("0.01")
_PAID_PHASES = frozenset({"AUTH", "POST_AUTH"})
_ITEM_REPORT_FIELDS = (
    "itemId",
    "transactionStatus",
    "price",
    "paidPrice",
    "merchantCommissionRate",
    "merchantCommissionRateAmount",
    "iyziCommissionRateAmount",
    "iyziCommissionFee",
    "blockageRate",
    "blockageRateAmountMerchant",
    "blockageRateAmountSubMerchant",
    "blockageResolvedDate",
    "subMerchantKey",
    "subMerchantPrice",
    "subMerchantPayoutRate",
    "subMerchantPayoutAmount",
    "merchantPayoutAmount",
    "convertedPayout",
)
_PAYMENT_REPORT_FIELDS = (
    "price",
    "paidPrice",
    "installment",
    "merchantCommissionRate",
    "merchantCommissionRateAmount",
    "iyziCommissionRateAmount",
    "iyziCommissionFee",
    "fraudStatus",
    "cardType",
    "cardAssociation",
    "cardFamily",
    "cardToken",
    "cardUserKey",
    "binNumber",
    "lastFourDigits",
    "basketId",
    "currency",
    "authCode",
    "phase",
    "hostReference",
)


def _day(text: object, field: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(str(text)[:10])
    except ValueError:
        raise ApiFailure("11", f"{field}: not a yyyy-MM-dd date") from None


def _refund_status(document: Mapping[str, typing.Any]) -> str:
    refunded = sum((Decimal(refund["refundPrice"]) for refund in document.get("refunds", [])), Decimal(0))
    if not refunded:
        return "NOT_REFUNDED"
    return "TOTALLY_REFUNDED" if refunded >= Decimal(document["resource"]["paidPrice"]) else "PARTIALLY_REFUNDED"


# What the ledger keeps of a refund or a cancel, in the report's own names (refundTxId / refundConversationId
# for a refund, refundId / cancelConversationId for a cancel).
_REVERSAL_FIELDS = (
    "refundTxId",
    "refundId",
    "refundConversationId",
    "cancelConversationId",
    "refundPrice",
    "createdDate",
    "hostReference",
)


def _reported_reversal(record: Mapping[str, typing.Any], currency: str, auth_code: str) -> dict[str, typing.Any]:
    return {
        **{field: record[field] for field in _REVERSAL_FIELDS if field in record},
        "refundStatus": 1,
        "isAfterSettlement": False,
        "currencyCode": currency,
        "authCode": auth_code,
    }


def _reported_payment(document: Mapping[str, typing.Any]) -> dict[str, typing.Any]:
    resource = document["resource"]
    currency, auth_code = resource["currency"], resource["authCode"]
    items = []
    for item in resource["itemTransactions"]:
        transaction_id = item["paymentTransactionId"]
        refunds = [r for r in document.get("refunds", []) if r["paymentTransactionId"] == transaction_id]
        items.append(
            {
                **{field: item[field] for field in _ITEM_REPORT_FIELDS if field in item},
                "paymentTransactionId": int(transaction_id),
                "refunds": [_reported_reversal(refund, currency, auth_code) for refund in refunds],
            }
        )
    payment = {
        "paymentId": int(resource["paymentId"]),
        "paymentStatus": 1,
        "paymentRefundStatus": _refund_status(document),
        **{field: resource[field] for field in _PAYMENT_REPORT_FIELDS if field in resource},
        "paymentConversationId": document.get("conversationId"),
        "connectorName": "IYZI_POS",
        "threeDS": "mdStatus" in resource,  # only 3-D Secure payments carry the bank's mdStatus
        "acquirerBankName": "iyziPos",
        "createdDate": document.get("createdDate"),
        "cancels": [_reported_reversal(cancel, currency, auth_code) for cancel in document.get("cancels", [])],
        "itemTransactions": items,
    }
    return {key: value for key, value in payment.items() if value is not None}


def retrieve_payment_details_report(ctx: Context, request: Mapping[str, typing.Any]) -> dict[str, typing.Any]:
    payment_id, conversation_id = ctx.query.get("paymentId"), ctx.query.get("paymentConversationId")
    if payment_id:
        found = ctx.store.get("payment", payment_id, ctx.merchant)
        documents = [found] if found is not None else []
    elif conversation_id:
        documents = ctx.store.by_conversation("payment", ctx.merchant, conversation_id)
    else:
        raise ApiFailure("5002")
    return {"payments": [_reported_payment(document) for document in documents]}


def _page_count(rows: int) -> int:
    return max(1, math.ceil(rows / REPORT_PAGE_SIZE))


def retrieve_daily_transactions_report(ctx: Context, request: Mapping[str, typing.Any]) -> dict[str, typing.Any]:
    rows = transactions_of_day(ctx, _day(ctx.query.get("transactionDate"), "transactionDate"))
    page = int(ctx.query.get("page", "1"))
    start = (page - 1) * REPORT_PAGE_SIZE
    return {
        "currentPage": page,
        "totalPageCount": _page_count(len(rows)),
        "transactions": rows[start : start + REPORT_PAGE_SIZE],
    }


def scroll_transactions_report(ctx: Context, request: Mapping[str, typing.Any]) -> dict[str, typing.Any]:
    rows = transactions_of_day(ctx, _day(ctx.query.get("transactionDate"), "transactionDate"))
    descending = ctx.query.get("documentScrollVoSortingOrder") == "DESC"
    if descending:
        rows.reverse()
    last_id = ctx.query.get("lastId")
    if last_id:
        after = int(last_id)
        rows = [row for row in rows if (row["transactionId"] < after if descending else row["transactionId"] > after)]
    return {"currentPage": 1, "totalPageCount": _page_count(len(rows)), "transactions": rows[:REPORT_PAGE_SIZE]}


def iban_checksum_valid(iban: str) -> bool:
    """ISO 13616: the IBAN, its first four characters moved to the end and letters as numbers, is 1 mod 97."""
    compact = iban.replace(" ", "").upper()
    if not compact.isalnum() or len(compact) < 5:
        return False
    digits = "".join(str(int(character, 36)) for character in compact[4:] + compact[:4])
    return int(digits) % 97 == 1


class _Payout(typing.NamedTuple):
    transaction_id: str | None  # None: a movement between the merchant and a sub-merchant, not an item
    amount: Decimal
    currency: str
    sub_merchant: Document | None  # None: the merchant's own share
    to_balance: bool = False  # paid to the sub-merchant's iyzico balance: no bank transfer that could bounce


def charged_items(ctx: Context) -> Iterator[tuple[Document, dict[str, typing.Any]]]:
    """(payment document, item transaction) of every item the caller was paid for and did not cancel."""
    for merchant, document in ctx.store.all("payment"):
        resource = document["resource"]
        if merchant == ctx.merchant and not document["cancelled"] and resource["phase"] in _PAID_PHASES:
            for item in resource["itemTransactions"]:
                yield document, item


def paid_out(item: Mapping[str, typing.Any], now: datetime.datetime) -> bool:
    """Whether an item's payout has been made: approved, and its blockageResolvedDate has passed."""
    moment = str(item.get("blockageResolvedDate", ""))
    return item["transactionStatus"] == 2 and moment <= now.strftime(DATE_TIME_FORMAT)


def item_payouts(document: Document, item: Mapping[str, typing.Any], moment: str) -> tuple[Decimal, Decimal] | None:
    """(the merchant's, the sub-merchant's) payout of an item made at `moment`, less the refunds made before it
    in proportion; `None` when the refunds took it all."""
    paid = Decimal(item["paidPrice"])
    # A cent spread over several items leaves some of them nothing paid (and nothing to refund): all of it stays.
    share = (paid - refunded_before(document, item["paymentTransactionId"], moment)) / paid if paid else Decimal(1)
    if share <= 0:
        return None
    merchant_amount = (Decimal(item["merchantPayoutAmount"]) * share).quantize(_CENT, ROUND_HALF_UP)
    sub_merchant_amount = (Decimal(item.get("subMerchantPayoutAmount", 0)) * share).quantize(_CENT, ROUND_HALF_UP)
    return merchant_amount, sub_merchant_amount


def _sub_merchant(ctx: Context, key: str) -> Document:
    return ctx.store.find("submerchant", ctx.merchant, subMerchantKey=key) or {"subMerchantKey": key}


def _payouts_of_day(ctx: Context, day: datetime.date) -> Iterator[_Payout]:
    """Every transfer due on `day` whose moment has passed on the emulator's clock."""
    for document, item in charged_items(ctx):
        moment = str(item.get("blockageResolvedDate", ""))
        if _day(moment, "blockageResolvedDate") != day or not paid_out(item, ctx.now):
            continue
        amounts = item_payouts(document, item, moment)
        if amounts is None:
            continue
        transaction_id, currency = item["paymentTransactionId"], document["resource"]["currency"]
        yield _Payout(transaction_id, amounts[0], currency, None)
        key = item.get("subMerchantKey")
        if key:
            yield _Payout(transaction_id, amounts[1], currency, _sub_merchant(ctx, str(key)))
    yield from _movement_payouts(ctx, day)


def _movement_payouts(ctx: Context, day: datetime.date) -> Iterator[_Payout]:
    for row in movements(ctx):
        moment = settles_at(row)
        if moment.date() != day or moment > ctx.now:
            continue
        currency, sub_merchant = row["transactionCurrency"], _sub_merchant(ctx, row["subMerchantKey"])
        to_balance = row["transactionType"] == "SETTLEMENT_TO_BALANCE"
        yield _Payout(None, Decimal(row["merchantPayoutAmount"]), currency, None)
        yield _Payout(None, Decimal(row["subMerchantPayoutAmount"]), currency, sub_merchant, to_balance)


def _bounces(ctx: Context, payout: _Payout) -> bool:
    """A bank transfer to a sub-merchant whose IBAN fails the checksum (nothing to transfer, nothing bounces)."""
    if payout.sub_merchant is None or payout.to_balance or payout.amount <= 0:
        return False
    sub_merchant = payout.sub_merchant
    if pays_to_balance(ctx, str(sub_merchant["subMerchantKey"])):
        return False
    return not iban_checksum_valid(str(sub_merchant.get("iban", "")))


def retrieve_payout_completed_transactions(ctx: Context, request: Mapping[str, typing.Any]) -> dict[str, typing.Any]:
    rows = []
    for payout in _payouts_of_day(ctx, _day(request.get("date"), "date")):
        if _bounces(ctx, payout):
            continue
        row = {
            "paymentTransactionId": payout.transaction_id,
            "payoutAmount": payout.amount,
            "payoutType": "MERCHANT" if payout.sub_merchant is None else "SUB_MERCHANT",
            "currency": payout.currency,
        }
        if payout.sub_merchant is not None:
            row["subMerchantKey"] = payout.sub_merchant["subMerchantKey"]
        rows.append({key: value for key, value in row.items() if value is not None})
    return {"payoutCompletedTransactions": rows}


def retrieve_bounced_bank_transfers(ctx: Context, request: Mapping[str, typing.Any]) -> dict[str, typing.Any]:
    rows = []
    for payout in _payouts_of_day(ctx, _day(request.get("date"), "date")):
        if payout.sub_merchant is None or not _bounces(ctx, payout):
            continue
        fields = ("subMerchantKey", "iban", "contactName", "contactSurname", "legalCompanyTitle")
        row = {field: payout.sub_merchant[field] for field in fields if field in payout.sub_merchant}
        row["marketplaceSubmerchantType"] = payout.sub_merchant.get("subMerchantType")
        rows.append({key: value for key, value in row.items() if value is not None})
    return {"bouncedRows": rows}


HANDLERS = {
    "retrievePaymentDetailsReport": retrieve_payment_details_report,
    "retrieveDailyTransactionsReport": retrieve_daily_transactions_report,
    "scrollTransactionsReport": scroll_transactions_report,
    "retrievePayoutCompletedTransactions": retrieve_payout_completed_transactions,
    "retrieveBouncedBankTransfers": retrieve_bounced_bank_transfers,
}
