"""iyzico's sandbox test cards: who issued them, what they are, and what happens when you pay with them.

Source: `iyzico-api.md` section g. Decline codes follow the `10000 + bank code` rule of section f; where
the card lists give no code the group decides: the pickup card gets 10041, the code of iyzico's current
PICKUP_CARD group, and the general error 10202 (UNKNOWN). Issuers come from the BIN table (`_bins`).
"""

from __future__ import annotations

import typing
from decimal import ROUND_HALF_UP, Decimal

from .._luhn import luhn_valid as checksum_valid
from ._bins import BinInfo, bin_info, is_sandbox_test_bin

__all__ = [
    "BinInfo",
    "CardOutcome",
    "DOCUMENTED_TEST_CARDS",
    "INSTALLMENT_COUNTS",
    "bin_info",
    "card_outcome",
    "installment_total",
    "luhn_valid",
]

INSTALLMENT_COUNTS = (1, 2, 3, 6, 9, 12)


class CardOutcome(typing.NamedTuple):
    """What the issuing bank does with a card: decline code, 3DS behaviour, refundability."""

    decline_code: str | None = None
    md_status: str = "1"
    threeds_initialize_fails: bool = False
    reversible: bool = True


_SPECIAL_CARDS: dict[str, CardOutcome] = {
    "5406670000000009": CardOutcome(reversible=False),
    "4111111111111129": CardOutcome(decline_code="10051"),
    "4129111111111111": CardOutcome(decline_code="10005"),
    "4128111111111112": CardOutcome(decline_code="10012"),
    "4127111111111113": CardOutcome(decline_code="10041"),
    "4126111111111114": CardOutcome(decline_code="10043"),
    "4125111111111115": CardOutcome(decline_code="10054"),
    "4124111111111116": CardOutcome(decline_code="10084"),
    "4123111111111117": CardOutcome(decline_code="10057"),
    "4122111111111118": CardOutcome(decline_code="10058"),
    "4121111111111119": CardOutcome(decline_code="10034"),
    "4120111111111110": CardOutcome(decline_code="10041"),
    "4130111111111118": CardOutcome(decline_code="10202"),
    "4131111111111117": CardOutcome(md_status="0"),
    "4141111111111115": CardOutcome(md_status="4"),
    "4151111111111112": CardOutcome(threeds_initialize_fails=True),
    "4151111111111393": CardOutcome(decline_code="10093"),
}

# Live cards do not work in iyzico's sandbox: a card outside the test BINs is declined as unknown.
_UNKNOWN_ISSUER = CardOutcome(decline_code="10216")

# The cards the hosted pages list for the buyer: a few that succeed, then every card with a special outcome.
DOCUMENTED_TEST_CARDS: tuple[tuple[str, CardOutcome], ...] = (
    *((number, CardOutcome()) for number in ("5528790000000008", "5890040000000016", "4603450000000000")),
    *_SPECIAL_CARDS.items(),
)

# Interest a test bank adds per installment count (a plausible table, identical for every bank).
_INSTALLMENT_INTEREST: dict[int, Decimal] = {
    1: Decimal("0"),
    2: Decimal("0.0354"),
    3: Decimal("0.0469"),
    6: Decimal("0.0826"),
    9: Decimal("0.1184"),
    12: Decimal("0.1543"),
}
_CENT = Decimal("0.01")


def luhn_valid(number: str) -> bool:
    """The Luhn checksum every real card number satisfies (iyzico error 12 when it does not)."""
    if not number.isdigit() or not 12 <= len(number) <= 19:
        return False
    return checksum_valid(number)


def card_outcome(number: str) -> CardOutcome:
    """What the bank does with this card number."""
    special = _SPECIAL_CARDS.get(number)
    if special is not None:
        return special
    return CardOutcome() if is_sandbox_test_bin(number) else _UNKNOWN_ISSUER


def installment_total(price: Decimal, count: int) -> Decimal:
    """The total a buyer pays for `price` in `count` installments (interest included), to the cent."""
    return (price * (1 + _INSTALLMENT_INTEREST[count])).quantize(_CENT, ROUND_HALF_UP)
