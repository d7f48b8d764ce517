"""Read-only answers: BIN check, installment table, health check."""

from __future__ import annotations

import typing
from collections.abc import Mapping
from decimal import ROUND_HALF_UP, Decimal

from ._cards import INSTALLMENT_COUNTS, BinInfo, bin_info, installment_total
from ._context import Context
from ._failures import ApiFailure
from ._rules import read_amount

__all__ = ["HANDLERS", "PUBLIC_OPERATIONS"]

# Answered without authentication: the PHP and Java SDKs send no Authorization header to the health check,
# and Java's functional test (ApiTest.should_test_api) asserts success from the real sandbox. A header that
# is sent (the Python and Node SDKs sign it) is not checked either.
PUBLIC_OPERATIONS = frozenset({"checkApiHealth"})

# One credit-card BIN per bank, for an installment query without a BIN (iyzico then lists every bank).
_BANK_BINS = ("552608", "460345", "531157", "540036", "552879", "550472", "454359", "415792", "545103")
_CENT = Decimal("0.01")
_SHORTEST_BIN = 6
_LONGEST_BIN = 8


def _bin_of(request: Mapping[str, typing.Any]) -> BinInfo:
    """The issuer of the request's BIN: 5006 when missing, 5007 when shorter than 6 digits, 5066 when unknown.

    5007 and 5066 (with their texts) are iyzico's recorded answers in iyzipay-php's BinNumberMapperTest.
    """
    bin_number = str(request.get("binNumber") or "")
    if not bin_number:
        raise ApiFailure("5006")
    if len(bin_number) < _SHORTEST_BIN:
        raise ApiFailure("5007")
    info = bin_info(bin_number) if bin_number.isdigit() else None
    if info is None:
        raise ApiFailure("5066")
    return info


def check_bin(ctx: Context, request: Mapping[str, typing.Any]) -> dict[str, typing.Any]:
    info = _bin_of(request)
    return {
        "binNumber": str(request["binNumber"])[:_LONGEST_BIN],
        "cardType": info.card_type,
        "cardAssociation": info.card_association,
        "cardFamily": info.card_family,
        "bankName": info.bank_name,
        "bankCode": info.bank_code,
        "commercial": info.commercial,
    }


def _installment_detail(info: BinInfo, price: Decimal, bin_number: str | None = None) -> dict[str, typing.Any]:
    counts = INSTALLMENT_COUNTS if info.card_type == "CREDIT_CARD" else (1,)
    prices = []
    for count in counts:
        total = installment_total(price, count)
        prices.append(
            {
                "installmentNumber": count,
                "totalPrice": total,
                "installmentPrice": (total / count).quantize(_CENT, ROUND_HALF_UP),
            }
        )
    return {
        "binNumber": bin_number or info.bin_number,
        "price": price,
        "cardType": info.card_type,
        "cardAssociation": info.card_association,
        "cardFamilyName": info.card_family,
        "force3ds": 0,
        "forceCvc": 0,
        "bankCode": info.bank_code,
        "bankName": info.bank_name,
        "commercial": info.commercial,
        "dccEnabled": 0,
        "installmentPrices": prices,
    }


def retrieve_installment_info(ctx: Context, request: Mapping[str, typing.Any]) -> dict[str, typing.Any]:
    price = read_amount(request.get("price"), "price")
    if request.get("binNumber"):
        asked = str(request["binNumber"])[:_LONGEST_BIN]
        return {"installmentDetails": [_installment_detail(_bin_of(request), price, asked)]}
    banks = [info for info in map(bin_info, _BANK_BINS) if info is not None]
    return {"installmentDetails": [_installment_detail(info, price) for info in banks]}


def check_api_health(ctx: Context, request: Mapping[str, typing.Any]) -> dict[str, typing.Any]:
    return {}


HANDLERS = {
    "checkBin": check_bin,
    "retrieveInstallmentInfo": retrieve_installment_info,
    "checkApiHealth": check_api_health,
}
