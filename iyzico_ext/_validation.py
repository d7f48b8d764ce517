"""Rules iyzico would reject a request for, checked on the request JSON before any byte is sent.

The rules run in the auth flow on the exact JSON about to be signed, so they protect every generated
function (and any hand-built body) alike. Each rule names the field (`basketItems[1].price`) and the
rule it breaks, and mirrors an iyzico error code where there is one (12 Luhn, 13/14 expiry, 15 CVC,
5005 prices > 0, 5062 basket or iyziup order sum, 5077/5079 marketplace, 3/5/8 buyer e-mail and identity
number, and the basic payments' `buyerEmail`). Card rules apply to every `paymentCard` (payments, basic
payments, 3-D Secure, loyalty) and to card storage's `card`.

The JSON arrives in its redacting holder (`RequestJSON`), and a broken rule is raised from
`validate_request`'s own frame: the frames of the checks, which held the card number, CVC and
identity number, are not part of the error's traceback.

Marketplace rule as implemented: a payment is a marketplace payment when any basket item carries
`subMerchantKey` or `subMerchantPrice`; then `paymentGroup` PRODUCT needs both on every item, and
LISTING / SUBSCRIPTION must carry neither. A plain merchant's PRODUCT basket carries neither.
"""

from __future__ import annotations

import datetime
import re
import typing
from collections.abc import Mapping
from decimal import Decimal, InvalidOperation

from iyzico_client.types import NUMBER_MAX_TEXT, RequestJSON

from ._exceptions import RequestValidationError
from ._luhn import luhn_valid
from ._operations import MONEY_FIELDS, Operation

__all__ = ["validate_request"]

_CENT = Decimal("0.01")
_PAN_LENGTHS = range(12, 20)  # ISO/IEC 7812; iyzico's cards are 15 (Amex) or 16 digits
_AMEX_PREFIXES = ("34", "37")
_NUMERIC_TEXT = re.compile(r"[0-9]+(\.[0-9]+)?")
_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")
_SUB_MERCHANT_FIELDS = ("subMerchantKey", "subMerchantPrice")
_MARKETPLACE_ONLY_GROUPS = frozenset({"PRODUCT"})
_CARD_OBJECTS = ("paymentCard", "card")
_ITEM_LISTS = ("basketItems", "orderItems")  # a payment's basket; an iyziup order's items
# Prices (request, paid, per item) must be > 0; other amounts (subMerchantPrice, withholdingTax) may be 0.
_POSITIVE_AMOUNTS = frozenset({"price", "paidPrice"})
_CONTAINERS = frozenset({dict, list})

JSON = Mapping[str, typing.Any]


def _fail(field: str, rule: str) -> typing.NoReturn:
    raise RequestValidationError(field, rule)


def _money_values(value: object, money: frozenset[str], path: str, found: list[tuple[str, str, object]]) -> None:
    """Append (dotted path, key, value) for every amount field below `value`.

    A plain recursion instead of a generator per level, and exact `dict`/`list` types rather than the
    `Mapping` ABC (whose isinstance check is several times slower): this runs on every request, on
    JSON that `json.loads` or the generated `to_dict` produced, which holds only those two containers.
    """
    if type(value) is dict:
        for key, child in value.items():
            if key in money:
                if child is not None:
                    found.append((f"{path}.{key}" if path else key, key, child))
            elif type(child) in _CONTAINERS:
                _money_values(child, money, f"{path}.{key}" if path else key, found)
    elif type(value) is list:
        for index, child in enumerate(value):
            if type(child) in _CONTAINERS:
                _money_values(child, money, f"{path}[{index}]", found)


def _amount(field: str, value: object) -> Decimal:
    """An amount as sent: a JSON number, or the numeric string the php/node clients send."""
    if type(value) is Decimal and value.is_finite():
        return value  # what the generated models send: the common case, checked first
    if isinstance(value, bool):
        _fail(field, "must be an amount, not a boolean")
    if isinstance(value, str) and len(value) > NUMBER_MAX_TEXT:
        _fail(field, f"must be an amount of at most {NUMBER_MAX_TEXT} characters")
    numeric_text = isinstance(value, str) and _NUMERIC_TEXT.fullmatch(value) is not None
    if not (numeric_text or isinstance(value, int | Decimal)):
        _fail(field, "must be a decimal amount written without an exponent")
    amount = Decimal(typing.cast(str | int | Decimal, value))
    if not amount.is_finite():
        _fail(field, "must be a finite amount")
    return amount


def _whole_cents(amount: Decimal) -> bool:
    try:
        return not amount % _CENT  # the remainder is about 3x cheaper than comparing with quantize()
    except InvalidOperation:  # too many digits to divide within the context's precision
        return False


def _broken_amount_rule(key: str, amount: Decimal) -> str | None:
    """The rule a finite amount sent under `key` breaks, if any."""
    if amount <= 0:
        if key in _POSITIVE_AMOUNTS:
            return "must be greater than 0 (iyzico 5005)"
        if amount < 0:
            return "must not be negative"
    if not _whole_cents(amount):
        return "must have at most 2 decimal places"
    return None


def _plain_amounts_are_valid(value: object, money: frozenset[str]) -> bool:
    """The happy path of `_check_amounts`, without building a single field path: True when every
    amount is a finite `Decimal` (what the models send), >= 0 (> 0 for prices) in whole cents.

    False does not mean invalid (an int or a numeric string is a valid amount too): the caller then
    runs the full check, which names the field and the rule.
    """
    if type(value) is dict:
        for key, child in value.items():
            if key in money:
                if child is None:
                    continue
                if type(child) is not Decimal or not child.is_finite() or _broken_amount_rule(key, child):
                    return False
            elif type(child) in _CONTAINERS and not _plain_amounts_are_valid(child, money):
                return False
    elif type(value) is list:
        return all(type(child) not in _CONTAINERS or _plain_amounts_are_valid(child, money) for child in value)
    return True


def _check_amounts(body: JSON) -> None:
    if _plain_amounts_are_valid(body, MONEY_FIELDS):
        return
    found: list[tuple[str, str, object]] = []
    _money_values(body, MONEY_FIELDS, "", found)
    for path, key, value in found:
        rule = _broken_amount_rule(key, _amount(path, value))
        if rule:
            _fail(path, rule)


def _check_card_number(field: str, number: object) -> str:
    if not isinstance(number, str) or not number.isascii() or not number.isdigit():
        _fail(field, "must be a string of digits")
    if len(number) not in _PAN_LENGTHS:
        _fail(field, f"must have {_PAN_LENGTHS.start} to {_PAN_LENGTHS.stop - 1} digits (iyzico 12)")
    if not luhn_valid(number):
        _fail(field, "fails the Luhn check (iyzico 12)")
    return number


def _two_digit_number(value: object) -> int | None:
    if isinstance(value, str) and value.isascii() and value.isdigit() and len(value) <= 2:
        return int(value)
    return None


def _check_expiry(prefix: str, card: JSON, today: datetime.date) -> None:
    month = _two_digit_number(card.get("expireMonth"))
    if month is None or not 1 <= month <= 12:
        _fail(f"{prefix}.expireMonth", "must be a month from 01 to 12 (iyzico 13)")
    year_text = card.get("expireYear")
    if not isinstance(year_text, str) or not year_text.isascii() or not year_text.isdigit():
        _fail(f"{prefix}.expireYear", "must be a 4-digit year (iyzico 14)")
    if len(year_text) == 2:
        year = 2000 + int(year_text)
    elif len(year_text) == 4:
        year = int(year_text)
    else:
        _fail(f"{prefix}.expireYear", "must be a 4-digit year (iyzico 14)")
    if (year, month) < (today.year, today.month):
        _fail(f"{prefix}.expireYear", "the card has expired")


def _check_cvc(prefix: str, card: JSON, number: str) -> None:
    cvc = card.get("cvc")
    expected = 4 if number.startswith(_AMEX_PREFIXES) else 3
    if not isinstance(cvc, str) or not cvc.isascii() or not cvc.isdigit() or len(cvc) != expected:
        _fail(f"{prefix}.cvc", f"must be {expected} digits (iyzico 15)")


def _check_cards(body: JSON, today: datetime.date) -> None:
    for key in _CARD_OBJECTS:
        card = body.get(key)
        if not isinstance(card, Mapping) or "cardNumber" not in card:
            continue  # absent, or a stored card (cardUserKey + cardToken)
        number = _check_card_number(f"{key}.cardNumber", card["cardNumber"])
        _check_expiry(key, card, today)
        if key == "paymentCard":
            _check_cvc(key, card, number)
            if not card.get("cardHolderName"):
                _fail(f"{key}.cardHolderName", "is required (iyzico 16)")


def _check_basket(body: JSON) -> None:
    for key in _ITEM_LISTS:
        if key in body:
            _check_items(body, key)


def _check_items(body: JSON, key: str) -> None:
    items = body[key]
    if not isinstance(items, list) or not items:
        _fail(key, "must contain at least one item")
    total = Decimal(0)
    for index, item in enumerate(items):
        price = item.get("price") if isinstance(item, Mapping) else None
        if price is None:
            _fail(f"{key}[{index}].price", "is required")
        # The field path is built only for a price that is not a plain finite Decimal.
        total += price if type(price) is Decimal and price.is_finite() else _amount(f"{key}[{index}].price", price)
    if body.get("price") is not None and _amount("price", body["price"]) != total:
        _fail("price", f"must equal the sum of {key}[].price (iyzico 5062)")
    # iyzico defaults paymentGroup to PRODUCT when the request leaves it out.
    _check_marketplace(body.get("paymentGroup") or "PRODUCT", items)


def _check_marketplace(group: object, items: list[JSON]) -> None:
    marketplace = any(field in item for item in items for field in _SUB_MERCHANT_FIELDS)
    if not marketplace:
        return
    for index, item in enumerate(items):
        for field in _SUB_MERCHANT_FIELDS:
            present = item.get(field) is not None
            if group in _MARKETPLACE_ONLY_GROUPS and not present:
                _fail(f"basketItems[{index}].{field}", "is required on every PRODUCT item (5077)")
            if group not in _MARKETPLACE_ONLY_GROUPS and present:
                _fail(f"basketItems[{index}].{field}", f"must not be sent with paymentGroup {group} (5079)")


def _check_buyer(body: JSON) -> None:
    basic_email = body.get("buyerEmail")  # the basic payments' buyer
    if basic_email is not None and (not isinstance(basic_email, str) or not _EMAIL.fullmatch(basic_email)):
        _fail("buyerEmail", "is not an e-mail address (iyzico 5)")
    buyer = body.get("buyer")
    if not isinstance(buyer, Mapping):
        return
    if not buyer.get("identityNumber"):
        _fail("buyer.identityNumber", "is required (iyzico 8)")
    email = buyer.get("email")
    if not email:
        _fail("buyer.email", "is required (iyzico 3)")
    if not isinstance(email, str) or not _EMAIL.fullmatch(email):
        _fail("buyer.email", "is not an e-mail address (iyzico 5)")


def validate_request(operation: Operation, body: RequestJSON, *, today: datetime.date | None = None) -> None:
    """Raise `RequestValidationError` (naming the field and the rule) if the request breaks a rule.

    Whatever the checks raise is raised again from this frame with the checks' frames cut off.
    """
    day = today or datetime.datetime.now(datetime.UTC).date()
    try:
        _check_amounts(body.value)
        _check_cards(body.value, day)
        _check_basket(body.value)
        _check_buyer(body.value)
    except Exception as error:
        if isinstance(error, RequestValidationError):
            error.operation_id = operation.operation_id
        raise error.with_traceback(None)  # noqa: B904 - the same error, without the frames that held card data
