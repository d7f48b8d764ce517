"""iyzico's sandbox test cards: who issued them, what they are, and what happens when you pay with them.

Source: `iyzico-api.md` section g. Decline codes follow the `10000 + bank code` rule of section f; where
the card lists give no code (pickup card, general error) the ISO 8583 response code is used.
"""

from __future__ import annotations

import typing
from decimal import ROUND_HALF_UP, Decimal

from .._luhn import luhn_valid as checksum_valid

__all__ = [
    "BinInfo",
    "CardOutcome",
    "INSTALLMENT_COUNTS",
    "bin_info",
    "card_outcome",
    "installment_total",
    "luhn_valid",
]

CardType = typing.Literal["CREDIT_CARD", "DEBIT_CARD"]
INSTALLMENT_COUNTS = (1, 2, 3, 6, 9, 12)


class BinInfo(typing.NamedTuple):
    bin_number: str
    bank_name: str
    bank_code: int
    card_type: CardType
    card_association: str
    card_family: str
    commercial: int
    domestic: bool


class CardOutcome(typing.NamedTuple):
    """What the issuing bank does with a card: decline code, 3DS behaviour, refundability."""

    decline_code: str | None = None
    md_status: str = "1"
    threeds_initialize_fails: bool = False
    reversible: bool = True


_BANKS: dict[str, tuple[str, int, str]] = {
    "akbank": ("Akbank", 46, "Axess"),
    "denizbank": ("Denizbank", 134, "Bonus"),
    "qnb": ("QNB Finansbank", 111, "CardFinans"),
    "garanti": ("Garanti Bankası", 62, "Bonus"),
    "halkbank": ("Halkbank", 12, "Paraf"),
    "hsbc": ("HSBC", 123, "Advantage"),
    "isbank": ("İş Bankası", 64, "Maximum"),
    "vakifbank": ("Vakıfbank", 15, "World"),
    "yapikredi": ("Yapı Kredi", 67, "World"),
    "foreign": ("Foreign Bank", 0, "Foreign"),
}

# BIN (first six digits) -> (bank, association, type). Every test card of section g has its BIN here;
# the decline cards (41xx1111...) are Visa credit cards of a test issuer.
_TEST_BINS: dict[str, tuple[str, str, CardType]] = {
    "589004": ("akbank", "MASTER_CARD", "DEBIT_CARD"),
    "552608": ("akbank", "MASTER_CARD", "CREDIT_CARD"),
    "476662": ("denizbank", "VISA", "DEBIT_CARD"),
    "460345": ("denizbank", "VISA", "CREDIT_CARD"),
    "472915": ("denizbank", "VISA", "CREDIT_CARD"),
    "498749": ("qnb", "VISA", "DEBIT_CARD"),
    "531157": ("qnb", "MASTER_CARD", "CREDIT_CARD"),
    "979202": ("qnb", "TROY", "DEBIT_CARD"),
    "979203": ("qnb", "TROY", "CREDIT_CARD"),
    "979207": ("akbank", "TROY", "CREDIT_CARD"),
    "650052": ("vakifbank", "TROY", "CREDIT_CARD"),
    "650170": ("vakifbank", "TROY", "CREDIT_CARD"),
    "517041": ("garanti", "MASTER_CARD", "DEBIT_CARD"),
    "540036": ("garanti", "MASTER_CARD", "CREDIT_CARD"),
    "554960": ("garanti", "MASTER_CARD", "CREDIT_CARD"),  # every SDK sample's BIN (java's BIN functional test)
    "374427": ("garanti", "AMERICAN_EXPRESS", "CREDIT_CARD"),
    "447505": ("halkbank", "VISA", "DEBIT_CARD"),
    "552879": ("halkbank", "MASTER_CARD", "CREDIT_CARD"),
    "405903": ("hsbc", "VISA", "DEBIT_CARD"),
    "550472": ("hsbc", "MASTER_CARD", "CREDIT_CARD"),
    "589283": ("isbank", "MASTER_CARD", "DEBIT_CARD"),
    "454359": ("isbank", "VISA", "CREDIT_CARD"),
    "491005": ("vakifbank", "VISA", "DEBIT_CARD"),
    "415792": ("vakifbank", "VISA", "CREDIT_CARD"),
    "516888": ("yapikredi", "MASTER_CARD", "DEBIT_CARD"),
    "545103": ("yapikredi", "MASTER_CARD", "CREDIT_CARD"),
    "540667": ("halkbank", "MASTER_CARD", "CREDIT_CARD"),
    "405418": ("foreign", "VISA", "DEBIT_CARD"),
    "540001": ("foreign", "MASTER_CARD", "CREDIT_CARD"),
}
_DECLINE_TEST_BINS = (
    *("411111", "412011", "412111", "412211", "412311", "412411", "412511", "412611"),
    *("412711", "412811", "412911", "413011", "413111", "414111", "415111"),
)
_TEST_BINS.update((test_bin, ("halkbank", "VISA", "CREDIT_CARD")) for test_bin in _DECLINE_TEST_BINS)

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
    "4120111111111110": CardOutcome(decline_code="10004"),
    "4130111111111118": CardOutcome(decline_code="10202"),
    "4131111111111117": CardOutcome(md_status="0"),
    "4141111111111115": CardOutcome(md_status="4"),
    "4151111111111112": CardOutcome(threeds_initialize_fails=True),
    "4151111111111393": CardOutcome(decline_code="10093"),
}

# Live cards do not work in iyzico's sandbox: an unknown issuer is declined.
_UNKNOWN_ISSUER = CardOutcome(decline_code="10216")

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


def bin_info(number_or_bin: str) -> BinInfo | None:
    """Issuer data for a card number or BIN, `None` for an issuer the sandbox does not know."""
    bin_number = number_or_bin[:6]
    row = _TEST_BINS.get(bin_number)
    if row is None:
        return None
    bank_key, association, card_type = row
    bank_name, bank_code, family = _BANKS[bank_key]
    return BinInfo(
        bin_number=bin_number,
        bank_name=bank_name,
        bank_code=bank_code,
        card_type=card_type,
        card_association=association,
        card_family=family,
        commercial=0,
        domestic=bank_key != "foreign",
    )


def card_outcome(number: str) -> CardOutcome:
    """What the bank does with this card number."""
    special = _SPECIAL_CARDS.get(number)
    if special is not None:
        return special
    return CardOutcome() if bin_info(number) is not None else _UNKNOWN_ISSUER


def installment_total(price: Decimal, count: int) -> Decimal:
    """The total a buyer pays for `price` in `count` installments (interest included), to the cent."""
    return (price * (1 + _INSTALLMENT_INTEREST[count])).quantize(_CENT, ROUND_HALF_UP)
