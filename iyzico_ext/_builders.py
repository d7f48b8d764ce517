"""Builders for the shapes every payment request carries, so a payment is not eight nested constructors.

    home = address("Jane Doe", "Bora Sok. No:1", "Istanbul")
    basket = Basket(basket_item("BI1", "Book", Decimal("30.00"), category="Books"),
                    basket_item("BI2", "E-book", Decimal("19.90"), category="Books", item_type=BasketItemType.VIRTUAL))
    request = CreatePaymentRequest(
        price=basket.price, paid_price=basket.price, currency=Currency.TRY, installment=1,
        payment_card=card, buyer=buyer("BY1", "Jane", "Doe", email=..., identity_number=..., ip=..., address=home),
        billing_address=home, shipping_address=home, basket_items=basket.items,
    )

Each returns the generated model itself (`Address`, `Buyer`, `BasketItem`), so anything the builder does not
cover is one keyword away on the model's own constructor.
"""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

from iyzico_client.models.address import Address
from iyzico_client.models.basket_item import BasketItem
from iyzico_client.models.basket_item_type import BasketItemType
from iyzico_client.models.buyer import Buyer
from iyzico_client.types import UNSET, Unset

__all__ = ["Basket", "address", "basket_item", "buyer", "marketplace_item"]

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
    return BasketItem(
        id=id,
        name=name,
        price=price,
        category1=category,
        item_type=item_type,
        sub_merchant_key=sub_merchant_key,
        sub_merchant_price=sub_merchant_price,
    )


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
