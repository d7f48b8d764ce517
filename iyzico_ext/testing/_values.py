"""Leaf values of iyzico requests: amounts, cards, expiry dates, identity numbers, Turkish text.

Everything here is valid by iyzico's rules (`iyzico-api.md` sections e and g); the rule-breaking
variants live in `_rule_breaks`.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from hypothesis import strategies as st

from .._luhn import luhn_check_digit as luhn_check_digit  # re-exported through strategies
from .._luhn import luhn_valid as luhn_valid

__all__ = [
    "AMEX_PREFIXES",
    "DECLINING_TEST_CARDS",
    "INSTALLMENT_COUNTS",
    "SUCCESSFUL_TEST_CARDS",
    "TEST_CARDS",
    "amounts",
    "card_holder_names",
    "card_numbers",
    "cvcs_for",
    "dates",
    "emails",
    "expiry_dates",
    "gsm_numbers",
    "ibans",
    "identity_numbers",
    "ip_addresses",
    "local_date_times",
    "luhn_check_digit",
    "luhn_valid",
    "synthetic_card_numbers",
    "timestamps",
    "turkish_addresses",
    "turkish_cities",
    "turkish_names",
    "turkish_text",
]

INSTALLMENT_COUNTS = (1, 2, 3, 6, 9, 12)
AMEX_PREFIXES = ("34", "37")

# iyzico's documented sandbox cards that pay successfully (iyzico-api.md g, "Successful payments").
SUCCESSFUL_TEST_CARDS: tuple[str, ...] = (
    *("5890040000000016", "5526080000000006", "4766620000000001", "4603450000000000", "4729150000000005"),
    *("4987490000000002", "5311570000000005", "9792020000000001", "9792030000000000", "5170410000000004"),
    *("5400360000000003", "374427000000003", "4475050000000003", "5528790000000008", "4059030000000009"),
    *("5504720000000003", "5892830000000000", "4543590000000006", "4910050000000006", "4157920000000002"),
    *("5168880000000002", "5451030000000000", "4054180000000007", "5400010000000004", "5406670000000009"),
)
# Cards whose payment the sandbox bank declines, each with a documented error code.
DECLINING_TEST_CARDS: tuple[str, ...] = (
    *("4111111111111129", "4129111111111111", "4128111111111112", "4127111111111113", "4126111111111114"),
    *("4125111111111115", "4124111111111116", "4123111111111117", "4122111111111118", "4121111111111119"),
    *("4120111111111110", "4130111111111118", "4151111111111393"),
)
TEST_CARDS: tuple[str, ...] = SUCCESSFUL_TEST_CARDS + DECLINING_TEST_CARDS

_MAX_AMOUNT_CENTS = 9_999_99  # below iyzico's sandbox limit (5008) even for a basket of several items
_TURKISH_LOWER = "abcçdefgğhıijklmnoöprsştuüvyz"
_TURKISH_UPPER = "ABCÇDEFGĞHIİJKLMNOÖPRSŞTUÜVYZ"
_FIRST_NAMES = ("Ayşe", "Çağrı", "Gülşen", "İlker", "Özgür", "Şükrü", "Ümran", "Ilgın", "Doğan", "Ebru")
_SURNAMES = ("Yılmaz", "Şahin", "Çelik", "Öztürk", "Güneş", "Doğru", "Işık", "Kılıç", "Ünal", "Erdoğan")
_CITIES = ("İstanbul", "Ankara", "İzmir", "Muğla", "Iğdır", "Çanakkale", "Şanlıurfa", "Eskişehir", "Düzce", "Ağrı")
_STREETS = ("Atatürk Cd.", "Gül Sk.", "Çiçek Sk.", "İnönü Blv.", "Şehit Er Sk.", "Ömer Ağa Cd.")


def amounts(min_cents: int = 1, max_cents: int = _MAX_AMOUNT_CENTS) -> st.SearchStrategy[Decimal]:
    """Positive `Decimal` amounts with at most two decimals, in every spelling of the same value.

    `Decimal("7")`, `Decimal("7.0")`, `Decimal("7.00")` and `Decimal("7E+0")`-style exponents all occur, because a
    client must send each of them as the same exact number.
    """
    whole_units = st.integers(min_value=max(1, -(-min_cents // 100)), max_value=max_cents // 100).map(
        lambda units: units * 100
    )
    cents = st.integers(min_value=min_cents, max_value=max_cents)
    return st.builds(_spelled, whole_units | cents, st.sampled_from(_SPELLINGS))


_SPELLINGS = ("two places", "shortest", "normalized")


def _spelled(cents: int, spelling: str) -> Decimal:
    exact = Decimal(cents).scaleb(-2)  # Decimal("7.00")
    if spelling == "two places":
        return exact
    if spelling == "normalized":
        return exact.normalize()  # may be in exponent form: Decimal("1E+2")
    return exact.quantize(Decimal(1)) if cents % 100 == 0 else exact.normalize()


def synthetic_card_numbers(lengths: tuple[int, ...] = (15, 16)) -> st.SearchStrategy[str]:
    """Luhn-valid numbers on the unassigned '99' prefix: never a real card (the sandbox declines them, 10216)."""
    return st.sampled_from(lengths).flatmap(
        lambda length: st.text("0123456789", min_size=length - 3, max_size=length - 3).map(
            lambda middle: "99" + middle + luhn_check_digit("99" + middle)
        )
    )


def card_numbers() -> st.SearchStrategy[str]:
    """A documented sandbox test card (mostly) or a synthetic Luhn-valid number."""
    return st.sampled_from(TEST_CARDS) | synthetic_card_numbers()


def cvcs_for(card_number: str) -> st.SearchStrategy[str]:
    """CVCs of the right length for the card's scheme: 4 digits for American Express, 3 otherwise."""
    length = 4 if card_number.startswith(AMEX_PREFIXES) else 3
    return st.text("0123456789", min_size=length, max_size=length)


def expiry_dates(today: datetime.date | None = None) -> st.SearchStrategy[tuple[str, str]]:
    """(expireMonth, expireYear) not in the past: months "1".."12" or zero-padded, years of 4 or 2 digits."""
    day = today or datetime.date.today()
    return st.builds(
        _expiry_text,
        st.integers(min_value=day.year * 12 + day.month - 1, max_value=(day.year + 15) * 12 + 11),
        st.booleans(),
        st.booleans(),
    )


def _expiry_text(month_index: int, pad_month: bool, four_digit_year: bool) -> tuple[str, str]:
    year, month = divmod(month_index, 12)
    month_text = f"{month + 1:02d}" if pad_month else str(month + 1)
    return month_text, str(year) if four_digit_year else f"{year % 100:02d}"


def _tckn(first_nine: str) -> str:
    digits = [int(char) for char in first_nine]
    tenth = ((sum(digits[0:9:2]) * 7) - sum(digits[1:8:2])) % 10
    eleventh = (sum(digits) + tenth) % 10
    return f"{first_nine}{tenth}{eleventh}"


def identity_numbers() -> st.SearchStrategy[str]:
    """Checksum-valid Turkish identity numbers (TCKN: 11 digits, no leading zero)."""
    return st.integers(min_value=100_000_000, max_value=999_999_999).map(lambda head: _tckn(str(head)))


def _words(alphabet: str, min_size: int, max_size: int) -> st.SearchStrategy[str]:
    return st.text(alphabet, min_size=min_size, max_size=max_size)


def turkish_text(max_words: int = 3) -> st.SearchStrategy[str]:
    """Non-blank text made of Turkish words (ç ğ ı İ ö ş ü included), no leading or trailing space."""
    word = st.builds(str.__add__, _words(_TURKISH_UPPER, 1, 1), _words(_TURKISH_LOWER, 0, 9))
    return st.lists(word, min_size=1, max_size=max_words).map(" ".join)


def turkish_names() -> st.SearchStrategy[str]:
    """First names and surnames as people in Turkey write them."""
    return st.sampled_from(_FIRST_NAMES) | st.sampled_from(_SURNAMES) | turkish_text(max_words=1)


def card_holder_names() -> st.SearchStrategy[str]:
    return st.builds("{} {}".format, turkish_names(), turkish_names())


def turkish_cities() -> st.SearchStrategy[str]:
    return st.sampled_from(_CITIES) | turkish_text(max_words=2)


def turkish_addresses() -> st.SearchStrategy[str]:
    """Street addresses: 'Çiçek Sk. No:12 Kadıköy'."""
    return st.builds(
        "{} No:{} {}".format, st.sampled_from(_STREETS), st.integers(1, 250), st.sampled_from(_CITIES)
    ) | st.builds("{} {}".format, turkish_text(), st.integers(1, 99).map(str))


def emails() -> st.SearchStrategy[str]:
    """Plain ASCII addresses (iyzico rejects what its e-mail check does not know, error 5)."""
    local = _words("abcdefghijklmnopqrstuvwxyz0123456789", 1, 12)
    return st.builds("{}@{}.com.tr".format, local, _words("abcdefghijklmnopqrstuvwxyz", 1, 10))


def gsm_numbers() -> st.SearchStrategy[str]:
    return st.text("0123456789", min_size=9, max_size=9).map(lambda rest: "+905" + rest)


def ip_addresses() -> st.SearchStrategy[str]:
    return st.ip_addresses(v=4).map(str)


def dates() -> st.SearchStrategy[str]:
    """iyzico's 'yyyy-MM-dd' days (report and settlement dates)."""
    return st.dates(min_value=datetime.date(2015, 1, 1), max_value=datetime.date(2035, 12, 31)).map(
        datetime.date.isoformat
    )


def timestamps() -> st.SearchStrategy[str]:
    """iyzico's 'yyyy-MM-dd HH:mm:ss' dates (registrationDate, lastLoginDate)."""
    return st.datetimes(min_value=datetime.datetime(2010, 1, 1), max_value=datetime.datetime(2030, 12, 31)).map(
        lambda moment: moment.strftime("%Y-%m-%d %H:%M:%S")
    )


def local_date_times(min_days: int = 1, max_days: int = 60) -> st.SearchStrategy[str]:
    """ISO local date-times (`2035-05-29T18:49:00`, Java's LocalDateTime) `min_days` to `max_days` days from now."""
    now = datetime.datetime.now().replace(microsecond=0)
    return st.integers(min_value=min_days * 86_400, max_value=max_days * 86_400).map(
        lambda seconds: (now + datetime.timedelta(seconds=seconds)).isoformat()
    )


def ibans() -> st.SearchStrategy[str]:
    """Turkish IBANs whose ISO 13616 check digits are right (TR, 2 check digits, 22 digits)."""
    return st.text("0123456789", min_size=22, max_size=22).map(_with_check_digits)


def _with_check_digits(bban: str) -> str:
    check = 98 - int(f"{bban}292700") % 97  # BBAN + "TR00", the letters as numbers (T = 29, R = 27)
    return f"TR{check:02d}{bban}"
