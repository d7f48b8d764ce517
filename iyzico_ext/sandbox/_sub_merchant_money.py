"""What iyzico holds for a sub-merchant, and the money the merchant moves to or from it (cross-bookings).

A sub-merchant's balance (the emulator's reading of the Java SDK's BlockageInfo, which no source defines) is
everything iyzico has not paid out to it yet: its share of the items of charged, uncancelled payments that
are not paid out (less refunds made so far, in proportion, as the payout would be), plus the movements
(`_ledger`) not settled yet. The item shares are its blockage (held until their blockageResolvedDate, or
until approved); the rest is usable. A cross-booking changes the balance at once and is paid out with the
next day's payouts (the payout report); one from the sub-merchant may take the balance below zero, to be
deducted from its transfers.
"""

from __future__ import annotations

import typing
from collections.abc import Mapping
from decimal import Decimal

from ._context import Context
from ._failures import ApiFailure
from ._ledger import DATE_TIME_FORMAT, MovementType, movements, record_movement, settles_at
from ._marketplace import find_sub_merchant
from ._reporting import charged_items, item_payouts, paid_out
from ._rules import read_amount
from ._store import Document

__all__ = ["HANDLERS", "SubMerchantBalance", "sub_merchant_balance", "sub_merchant_currency"]

_DEFAULT_CURRENCY = "TRY"


class SubMerchantBalance(typing.NamedTuple):
    total: Decimal  # everything not paid out yet
    blockage: Decimal  # the item shares held back among it

    @property
    def usable(self) -> Decimal:
        return self.total - self.blockage


def sub_merchant_balance(ctx: Context, key: str) -> SubMerchantBalance:
    """What iyzico holds for the sub-merchant now, on the emulator's clock."""
    now = ctx.now.strftime(DATE_TIME_FORMAT)
    blockage = Decimal(0)
    for document, item in charged_items(ctx):
        if item.get("subMerchantKey") == key and not paid_out(item, ctx.now):
            amounts = item_payouts(document, item, now)
            blockage += amounts[1] if amounts is not None else Decimal(0)
    pending = sum(
        (Decimal(row["subMerchantPayoutAmount"]) for row in movements(ctx, key) if settles_at(row) > ctx.now),
        Decimal(0),
    )
    return SubMerchantBalance(blockage + pending, blockage)


def sub_merchant_currency(sub_merchant: Document) -> str:
    return str(sub_merchant.get("currency") or _DEFAULT_CURRENCY)


def _cross_booking(kind: MovementType) -> typing.Callable[[Context, Mapping[str, typing.Any]], dict[str, typing.Any]]:
    def handler(ctx: Context, request: Mapping[str, typing.Any]) -> dict[str, typing.Any]:
        sub_merchant = find_sub_merchant(ctx, request.get("subMerchantKey"))
        price = read_amount(request.get("price"), "price")
        currency = str(request.get("currency") or _DEFAULT_CURRENCY)
        if currency != sub_merchant_currency(sub_merchant):
            raise ApiFailure("2041")
        record_movement(ctx, kind, str(sub_merchant["subMerchantKey"]), price, currency)
        return {}

    return handler


def retrieve_blockage_info(ctx: Context, request: Mapping[str, typing.Any]) -> dict[str, typing.Any]:
    sub_merchant = find_sub_merchant(ctx, request.get("subMerchantKey"))
    balance = sub_merchant_balance(ctx, str(sub_merchant["subMerchantKey"]))
    return {"totalBalance": balance.total, "totalBlockage": balance.blockage, "usableBlockage": balance.usable}


HANDLERS = {
    "crossBookingToSubMerchant": _cross_booking("CROSS_BOOKING_TO_SUB_MERCHANT"),
    "crossBookingFromSubMerchant": _cross_booking("CROSS_BOOKING_FROM_SUB_MERCHANT"),
    "retrieveBlockageInfo": retrieve_blockage_info,
}
