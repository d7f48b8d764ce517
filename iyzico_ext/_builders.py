"""Builders for the shapes every payment request carries, so a payment is not eight nested constructors.

    home = address("Jane Doe", "Bora Sok. No:1", "Istanbul")
    basket = Basket(basket_item("BI1", "Book", Decimal("30.00"), category="Books"),
                    basket_item("BI2", "E-book", Decimal("19.90"), category="Books", item_type=BasketItemType.VIRTUAL))
    jane = buyer("BY1", "Jane", "Doe", email=..., identity_number=..., ip=..., address=home)
    request = payment_request(basket, card=card, buyer=jane, address=home)

Each returns the generated model itself (`Address`, `Buyer`, `BasketItem`, `CreatePaymentRequest`), so anything
a builder does not cover is one keyword away on the model's own constructor.
"""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

import attrs

from iyzico_client.models.address import Address
from iyzico_client.models.basket_item import BasketItem
from iyzico_client.models.basket_item_type import BasketItemType
from iyzico_client.models.buyer import Buyer
from iyzico_client.models.create_payment_request import CreatePaymentRequest
from iyzico_client.models.currency import Currency
from iyzico_client.models.payment_card import PaymentCard
from iyzico_client.types import UNSET, Unset

__all__ = ["Basket", "address", "basket_item", "buyer", "marketplace_item", "payment_card", "payment_request"]

DEFAULT_CATEGORY = "General"
DEFAULT_COUNTRY = "Turkey"


def address(
    contact_name: str, street: str, city: str, country: str = DEFAULT_COUNTRY, *, zip_code: str | Unset = UNSET
) -> Address:
    """A billing or shipping address: who receives it, the street line, the city (country: Turkey)."""
    return Address(contact_name=contact_name, address=street, city=city, country=country, zip_code=zip_code)


def buyer(
    id: str,
    name: str,
    surname: str,
    *,
    email: str,
    identity_number: str,
    ip: str,
    address: Address,
    gsm_number: str | Unset = UNSET,
) -> Buyer:
    """The buyer, registered at `address` (its street, city, country and zip code become the buyer's).

    `identity_number` is the Turkish identity number (TCKN) of a Turkish citizen, a passport number otherwise.
    """
    return Buyer(
        id=id,
        name=name,
        surname=surname,
        email=email,
        identity_number=identity_number,
        ip=ip,
        registration_address=address.address,
        city=address.city,
        country=address.country,
        zip_code=address.zip_code,
        gsm_number=gsm_number,
    )


def basket_item(
    id: str,
    name: str,
    price: Decimal,
    *,
    category: str = DEFAULT_CATEGORY,
    item_type: BasketItemType = BasketItemType.PHYSICAL,
) -> BasketItem:
    """One item of a (non-marketplace) basket; a PHYSICAL item needs a shipping address on the payment."""
    return BasketItem(id=id, name=name, price=price, category1=category, item_type=item_type)


def marketplace_item(
    id: str,
    name: str,
    price: Decimal,
    *,
    sub_merchant_key: str,
    sub_merchant_price: Decimal,
    category: str = DEFAULT_CATEGORY,
    item_type: BasketItemType = BasketItemType.PHYSICAL,
) -> BasketItem:
    """One item of a marketplace (PRODUCT) basket: `sub_merchant_price` is paid out to the sub-merchant."""
    item = basket_item(id, name, price, category=category, item_type=item_type)
    return attrs.evolve(item, sub_merchant_key=sub_merchant_key, sub_merchant_price=sub_merchant_price)


class Basket:
    """Basket items with their total: `price` is always the exact sum of the items' prices (iyzico 5062)."""

    __slots__ = ("_items",)

    def __init__(self, *items: BasketItem) -> None:
        if not items:
            raise ValueError("a basket needs at least one item")
        for index, item in enumerate(items):
            if not isinstance(item, BasketItem):
                raise TypeError(f"Basket item {index}: expected a BasketItem, got {type(item).__name__}")
        self._items = items

    @property
    def items(self) -> list[BasketItem]:
        """The items, as a new list (what `basket_items=` takes)."""
        return list(self._items)

    @property
    def price(self) -> Decimal:
        """The sum of the items' prices: the request's `price` (and its `paid_price` without discounts)."""
        return sum((item.price for item in self._items), Decimal(0))

    def __iter__(self) -> Iterator[BasketItem]:
        return iter(self._items)

    def __len__(self) -> int:
        return len(self._items)

    def __repr__(self) -> str:
        return f"Basket({len(self._items)} items, price={self.price})"


def payment_card(*, holder: str, number: str, month: str, year: str, cvc: str) -> PaymentCard:
    """A new card to charge: the name on it, its number, expiry month ("12") and year ("2030"), and CVC.

    Nothing is checked here (so no frame of it ever holds the card while an error is raised); the client checks
    the number (Luhn), the expiry and the CVC before anything is sent.
    """
    return PaymentCard(card_holder_name=holder, card_number=number, expire_month=month, expire_year=year, cvc=cvc)


def payment_request(
    basket: Basket,
    *,
    card: PaymentCard,
    buyer: Buyer,
    address: Address,
    shipping_address: Address | None = None,
    paid_price: Decimal | None = None,
    installment: int = 1,
    currency: Currency = Currency.TRY,
    conversation_id: str | Unset = UNSET,
    basket_id: str | Unset = UNSET,
) -> CreatePaymentRequest:
    """A payment of `basket` (Non-3DS or pre-auth): `price` is the basket's sum, `paid_price` the same unless
    given (instalment interest, a discount), billed to `address` and shipped there unless `shipping_address`
    says otherwise. The client adds a `conversation_id` when none is given."""
    return CreatePaymentRequest(
        price=basket.price,
        paid_price=basket.price if paid_price is None else paid_price,
        currency=currency,
        installment=installment,
        payment_card=card,
        buyer=buyer,
        billing_address=address,
        shipping_address=address if shipping_address is None else shipping_address,
        basket_items=basket.items,
        conversation_id=conversation_id,
        basket_id=basket_id,
    )
