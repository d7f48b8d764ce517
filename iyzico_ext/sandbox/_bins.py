"""The emulator's BIN table: which bank issued a card, what kind of card it is, by its first 6 or 8 digits.

A lookup takes the longest known prefix (8 digits, then 6), as iyzico's BIN service answers for 6- to
8-digit BINs. Rows come from official sources, each named beside it; the test-card rows make the
documented sandbox cards (iyzico-api.md section g) resolve to the bank the card lists give them.
A BIN that is in no row is unknown: iyzico answers 5066 "Bin bulunamadı" (see `_lookups`).
"""

from __future__ import annotations

import typing

__all__ = ["BinInfo", "CardType", "bin_info", "is_sandbox_test_bin"]

CardType = typing.Literal["CREDIT_CARD", "DEBIT_CARD", "PREPAID_CARD"]


class BinInfo(typing.NamedTuple):
    bin_number: str
    bank_name: str
    bank_code: int
    card_type: CardType
    card_association: str
    card_family: str
    commercial: int
    domestic: bool


class _Bank(typing.NamedTuple):
    name: str
    code: int
    family: str  # the bank's card programme, iyzico's `cardFamily`


_BANKS: dict[str, _Bank] = {
    # Akbank 46 Axess: docs card-storage reference (binNumber 55260800); Halkbank 12 Paraf: Java
    # CardStorageTest; Garanti 62 Bonus: Java BinNumberTest; Vakıfbank 15 World: a raw BIN answer quoted in
    # iyzipay-dotnet issue 106; Ziraat 10: iyzipay-php BinNumberMapperTest. The others: iyzico-api.md d.16.
    "akbank": _Bank("Akbank", 46, "Axess"),
    "denizbank": _Bank("Denizbank", 134, "Bonus"),
    "qnb": _Bank("QNB Finansbank", 111, "CardFinans"),
    "garanti": _Bank("Garanti Bankası", 62, "Bonus"),
    "halkbank": _Bank("Halkbank", 12, "Paraf"),
    "hsbc": _Bank("HSBC", 123, "Advantage"),
    "isbank": _Bank("İş Bankası", 64, "Maximum"),
    "vakifbank": _Bank("Vakıfbank", 15, "World"),
    "yapikredi": _Bank("Yapı Kredi", 67, "World"),
    "ziraat": _Bank("Ziraat Bankası", 10, "Ziraat Bankası CC"),
    "foreign": _Bank("Foreign Bank", 0, "Foreign"),
}


class _Row(typing.NamedTuple):
    bank: str
    association: str
    card_type: CardType
    sandbox_test: bool  # the BIN of a documented sandbox test card (cards with other BINs are live cards)


def _test(bank: str, association: str, card_type: CardType) -> _Row:
    return _Row(bank, association, card_type, sandbox_test=True)


def _live(bank: str, association: str, card_type: CardType) -> _Row:
    return _Row(bank, association, card_type, sandbox_test=False)


_ROWS: dict[str, _Row] = {
    # Real BINs answered by iyzico's BIN service, with their source.
    "554960": _live("garanti", "MASTER_CARD", "CREDIT_CARD"),  # Java BinNumberTest/InstallmentTest, every SDK sample
    "542119": _live("vakifbank", "MASTER_CARD", "CREDIT_CARD"),  # iyzipay-dotnet issue 106 (raw response)
    "454671": _live("ziraat", "VISA", "CREDIT_CARD"),  # iyzipay-php BinNumberMapperTest
    # The documented sandbox test cards (iyzico-api.md g), 8 digits where iyzico shows them (Java
    # CardStorageTest: 5528790000000008 -> 55287900), 6 otherwise.
    "55287900": _test("halkbank", "MASTER_CARD", "CREDIT_CARD"),
    "55260800": _test("akbank", "MASTER_CARD", "CREDIT_CARD"),
    "589004": _test("akbank", "MASTER_CARD", "DEBIT_CARD"),
    "552608": _test("akbank", "MASTER_CARD", "CREDIT_CARD"),
    "476662": _test("denizbank", "VISA", "DEBIT_CARD"),
    "460345": _test("denizbank", "VISA", "CREDIT_CARD"),
    "472915": _test("denizbank", "VISA", "CREDIT_CARD"),
    "498749": _test("qnb", "VISA", "DEBIT_CARD"),
    "531157": _test("qnb", "MASTER_CARD", "CREDIT_CARD"),
    "979202": _test("qnb", "TROY", "DEBIT_CARD"),
    "979203": _test("qnb", "TROY", "CREDIT_CARD"),
    "979207": _test("akbank", "TROY", "CREDIT_CARD"),
    "650052": _test("vakifbank", "TROY", "CREDIT_CARD"),
    "650170": _test("vakifbank", "TROY", "CREDIT_CARD"),
    "517041": _test("garanti", "MASTER_CARD", "DEBIT_CARD"),
    "540036": _test("garanti", "MASTER_CARD", "CREDIT_CARD"),
    "374427": _test("garanti", "AMERICAN_EXPRESS", "CREDIT_CARD"),
    "447505": _test("halkbank", "VISA", "DEBIT_CARD"),
    "552879": _test("halkbank", "MASTER_CARD", "CREDIT_CARD"),
    "405903": _test("hsbc", "VISA", "DEBIT_CARD"),
    "550472": _test("hsbc", "MASTER_CARD", "CREDIT_CARD"),
    "589283": _test("isbank", "MASTER_CARD", "DEBIT_CARD"),
    "454359": _test("isbank", "VISA", "CREDIT_CARD"),
    "491005": _test("vakifbank", "VISA", "DEBIT_CARD"),
    "415792": _test("vakifbank", "VISA", "CREDIT_CARD"),
    "516888": _test("yapikredi", "MASTER_CARD", "DEBIT_CARD"),
    "545103": _test("yapikredi", "MASTER_CARD", "CREDIT_CARD"),
    "540667": _test("halkbank", "MASTER_CARD", "CREDIT_CARD"),
    "405418": _test("foreign", "VISA", "DEBIT_CARD"),
    "540001": _test("foreign", "MASTER_CARD", "CREDIT_CARD"),
    # The outcome test cards (41xx1111...) belong to a test issuer; the lists name no bank for them.
    **{
        test_bin: _test("halkbank", "VISA", "CREDIT_CARD")
        for test_bin in (
            *("411111", "412011", "412111", "412211", "412311", "412411", "412511", "412611"),
            *("412711", "412811", "412911", "413011", "413111", "414111", "415111"),
        )
    },
}
_PREFIX_LENGTHS = (8, 6)


def _row(number_or_bin: str) -> tuple[str, _Row] | None:
    for length in _PREFIX_LENGTHS:
        prefix = number_or_bin[:length]
        if len(prefix) == length and prefix in _ROWS:
            return prefix, _ROWS[prefix]
    return None


def bin_info(number_or_bin: str) -> BinInfo | None:
    """Issuer data for a card number or a 6- to 8-digit BIN; `None` for a BIN in no row."""
    found = _row(number_or_bin)
    if found is None:
        return None
    prefix, row = found
    bank = _BANKS[row.bank]
    return BinInfo(
        bin_number=prefix,
        bank_name=bank.name,
        bank_code=bank.code,
        card_type=row.card_type,
        card_association=row.association,
        card_family=bank.family,
        commercial=0,
        domestic=row.bank != "foreign",
    )


def is_sandbox_test_bin(number: str) -> bool:
    """Whether `number` starts with the BIN of a documented sandbox test card (live cards do not work there)."""
    found = _row(number)
    return found is not None and found[1].sandbox_test
