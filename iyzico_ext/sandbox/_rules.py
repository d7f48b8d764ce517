"""iyzico's business rules for an order and a card, shared by every way of paying.

Schema validation has already run; these are the rules a JSON schema cannot say: Luhn, expiry in the
past, CVC length per scheme, the basket sum, the marketplace fields, the sandbox limit, foreign currency on
domestic cards, installments on debit cards, and the test cards' bank outcomes.
"""

from __future__ import annotations

import datetime
import re
import typing
from collections.abc import Mapping
from decimal import Decimal, InvalidOperation

from ._cards import INSTALLMENT_COUNTS, BinInfo, CardOutcome, bin_info, card_outcome, luhn_valid
from ._failures import ApiFailure
from ._store import Store

__all__ = [
    "Card",
    "Order",
    "OrderItem",
    "check_card_can_pay",
    "read_amount",
    "read_card",
    "read_installment",
    "read_order",
    "read_raw_card",
]

_AMOUNT_TEXT = re.compile(r"-?\d+(\.\d+)?")
SANDBOX_PRICE_LIMIT = Decimal(100000)
# 10^21 is more than all the money of any currency. Larger amounts are refused as malformed (11) instead of
# computed with: rounding them to the cent overflows the 28 digits of the decimal context (a server error).
_LARGEST_AMOUNT_EXPONENT = 20
_DOMESTIC_CURRENCY = "TRY"


class OrderItem(typing.NamedTuple):
    item_id: str
    price: Decimal
    sub_merchant_key: str | None
    sub_merchant_price: Decimal | None
    withholding_tax: Decimal | None


class Order(typing.NamedTuple):
    price: Decimal
    paid_price: Decimal
    currency: str
    installment: int
    basket_id: str | None
    payment_group: str
    items: tuple[OrderItem, ...]

    @property
    def marketplace(self) -> bool:
        return any(item.sub_merchant_key for item in self.items)


class Card(typing.NamedTuple):
    number: str
    holder_name: str
    expire_month: str
    expire_year: str
    issuer: BinInfo | None
    outcome: CardOutcome
    card_user_key: str | None = None
    card_token: str | None = None


def read_amount(value: object, field: str, *, positive: bool = True) -> Decimal:
    """An amount sent as a JSON number or numeric string; 11 when malformed or absurdly large, 5005 when not > 0."""
    if isinstance(value, bool) or not isinstance(value, Decimal | int | str):
        raise ApiFailure("11", f"{field} is not an amount")
    if isinstance(value, str) and not _AMOUNT_TEXT.fullmatch(value.strip()):
        raise ApiFailure("11", f"{field} is not an amount")
    try:
        amount = Decimal(value.strip() if isinstance(value, str) else value)
    except InvalidOperation as error:
        raise ApiFailure("11", f"{field} is not an amount") from error
    if amount.adjusted() > _LARGEST_AMOUNT_EXPONENT:
        raise ApiFailure("11", f"{field} is too large to be an amount")
    if positive and amount <= 0:
        raise ApiFailure("5005", field)
    return amount


def _optional_amount(item: Mapping[str, typing.Any], field: str) -> Decimal | None:
    value = item.get(field)
    return None if value is None else read_amount(value, field, positive=False)


def read_order(store: Store, merchant: str, request: Mapping[str, typing.Any]) -> Order:
    """The order of a payment request, checked against the basket and marketplace rules."""
    price = read_amount(request.get("price"), "price")
    paid_price = read_amount(request.get("paidPrice"), "paidPrice")
    if price >= SANDBOX_PRICE_LIMIT:
        raise ApiFailure("5008")
    group = str(request.get("paymentGroup") or "PRODUCT")
    items = tuple(
        OrderItem(
            item_id=str(item.get("id", "")),
            price=read_amount(item.get("price"), "basketItems.price"),
            sub_merchant_key=item.get("subMerchantKey") or None,
            sub_merchant_price=_optional_amount(item, "subMerchantPrice"),
            withholding_tax=_optional_amount(item, "withholdingTax"),
        )
        for item in request.get("basketItems") or ()
    )
    if not items:
        raise ApiFailure("11", "basketItems")
    if sum(item.price for item in items) != price:
        raise ApiFailure("5062")
    _check_marketplace_fields(store, merchant, group, items)
    _check_shipping(request)
    return Order(
        price=price,
        paid_price=paid_price,
        currency=str(request.get("currency") or _DOMESTIC_CURRENCY),
        installment=read_installment(request.get("installment")),
        basket_id=request.get("basketId"),
        payment_group=group,
        items=items,
    )


def read_installment(value: object) -> int:
    """An installment count iyzico offers (1, 2, 3, 6, 9, 12; absent means 1); 11 otherwise.

    iyzico's docs list only these counts; which code production gives for another count is not documented,
    so the emulator answers 'invalid request'.
    """
    if value is None or value == "":
        return 1
    text = str(value)
    if isinstance(value, bool) or not (text.isascii() and text.isdigit()) or int(text) not in INSTALLMENT_COUNTS:
        raise ApiFailure("11", "installment")
    return int(text)


def _check_shipping(request: Mapping[str, typing.Any]) -> None:
    """A basket with a PHYSICAL item is shipped somewhere: `shippingAddress` is mandatory (docs, code 24)."""
    items = request.get("basketItems") or ()
    physical = any(isinstance(item, Mapping) and item.get("itemType") == "PHYSICAL" for item in items)
    if physical and not request.get("shippingAddress"):
        raise ApiFailure("24")


def _check_marketplace_fields(store: Store, merchant: str, group: str, items: tuple[OrderItem, ...]) -> None:
    with_fields = [item.sub_merchant_key is not None or item.sub_merchant_price is not None for item in items]
    if group != "PRODUCT":
        if any(with_fields):
            raise ApiFailure("5079")
        return
    if not any(with_fields):
        return  # a plain (non-marketplace) PRODUCT payment
    for item in items:
        if item.sub_merchant_key is None or item.sub_merchant_price is None:
            raise ApiFailure("5077")
        if store.find("submerchant", merchant, subMerchantKey=item.sub_merchant_key) is None:
            raise ApiFailure("2004", item.sub_merchant_key)


def read_raw_card(card: Mapping[str, typing.Any], *, now: datetime.date, for_storage: bool = False) -> Card:
    """A card typed in by the buyer: Luhn (12), expiry (13/14), CVC (15), holder name (16).

    A card sent to card storage needs no CVC (it is never stored) and no holder name.
    """
    number = str(card.get("cardNumber") or "").replace(" ", "")
    if not luhn_valid(number):
        raise ApiFailure("12")
    month, year = str(card.get("expireMonth") or ""), str(card.get("expireYear") or "")
    _check_expiry(month, year, now)
    issuer = bin_info(number)
    cvc = card.get("cvc")
    if cvc is not None or not for_storage:
        expected_length = 4 if issuer is not None and issuer.card_association == "AMERICAN_EXPRESS" else 3
        if not (isinstance(cvc, str) and cvc.isdigit() and len(cvc) == expected_length):
            raise ApiFailure("15")
    holder = str(card.get("cardHolderName") or "").strip()
    if not holder and not for_storage:
        raise ApiFailure("16")
    return Card(number, holder, month, year, issuer, card_outcome(number))


def _check_expiry(month: str, year: str, now: datetime.date) -> None:
    if not (month.isdigit() and 1 <= int(month) <= 12):
        raise ApiFailure("13")
    if not (year.isdigit() and len(year) in (2, 4)):
        raise ApiFailure("14")
    full_year = int(year) + (2000 if len(year) == 2 else 0)
    if full_year < now.year:
        raise ApiFailure("14")
    if full_year == now.year and int(month) < now.month:
        raise ApiFailure("13")


def read_card(store: Store, merchant: str, card: Mapping[str, typing.Any], *, now: datetime.date) -> Card:
    """The card of a payment: typed in, or stored (`cardUserKey` + `cardToken`)."""
    token, user_key = card.get("cardToken"), card.get("cardUserKey")
    if token is None:
        return read_raw_card(card, now=now)
    if user_key is None:
        raise ApiFailure("5111")
    user = store.get("carduser", str(user_key), merchant)
    if user is None:
        raise ApiFailure("3005")
    stored = user["cards"].get(str(token))
    if stored is None:
        raise ApiFailure("3006")
    number = stored["cardNumber"]
    return Card(
        number=number,
        holder_name=stored["cardHolderName"],
        expire_month=stored["expireMonth"],
        expire_year=stored["expireYear"],
        issuer=bin_info(number),
        outcome=card_outcome(number),
        card_user_key=str(user_key),
        card_token=str(token),
    )


def check_card_can_pay(card: Card, order: Order) -> None:
    """The issuing bank's answer: foreign currency (5184), debit installments (10218), test declines."""
    if card.issuer is not None:
        if card.issuer.domestic and order.currency != _DOMESTIC_CURRENCY:
            raise ApiFailure("5184")
        if card.issuer.card_type == "DEBIT_CARD" and order.installment > 1:
            raise ApiFailure("10218")
    if card.outcome.decline_code is not None:
        raise ApiFailure(card.outcome.decline_code)
