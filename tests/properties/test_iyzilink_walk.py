"""Stateful: iyzilink products created, paid on their pages (cards that pay and cards the bank declines),
paused, restocked and deleted in any order. After every step each product's status, sales, stock and remaining
sold limit are what the walk's model says, a product never sells beyond its stock or sold limit, and every sale
is a payment the emulator notified."""

from __future__ import annotations

import contextlib
from decimal import Decimal

import attrs
from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, precondition, rule, run_state_machine_as_test

from iyzico_client.api.iyzilink import (
    create_iyzi_link_product,
    delete_iyzi_link_product,
    list_iyzi_link_products,
    retrieve_iyzi_link_product,
    update_iyzi_link_product,
    update_iyzi_link_product_status,
)
from iyzico_client.models import (
    CreateIyziLinkProductRequest,
    Currency,
    IyziLinkStatus,
    UpdateIyziLinkProductRequest,
)
from iyzico_client.types import UNSET
from iyzico_ext.sandbox.browser import HOSTED_PAGE_TEST_CARD
from tests.sandbox._emulated_merchant import Emulated, emulated, ok

IMAGE = "R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7"
BUYER = {"name": "Ayşe", "surname": "Yılmaz", "email": "ayse@example.com.tr"}
DECLINING_CARD = "4129111111111111"  # 10005 DO_NOT_HONOUR


@attrs.define
class Product:
    token: str
    url: str
    stock: int | None  # None: stock not counted
    sold_limit: int | None
    sold: int = 0
    status: str = "ACTIVE"

    def on_sale(self) -> bool:
        stock_left = self.stock is None or self.stock > 0
        limit_left = self.sold_limit is None or self.sold < self.sold_limit
        return self.status == "ACTIVE" and stock_left and limit_left


class IyziLinkSales(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        self._stack = contextlib.ExitStack()
        self.shop: Emulated = self._stack.enter_context(emulated())
        self.products: list[Product] = []

    def teardown(self) -> None:
        self._stack.close()

    def _live(self) -> list[Product]:
        return [product for product in self.products if product.status != "DELETED"]

    @rule(stock=st.none() | st.integers(0, 3), sold_limit=st.none() | st.integers(1, 3))
    def create(self, stock: int | None, sold_limit: int | None) -> None:
        body = CreateIyziLinkProductRequest(
            name="Ürün",
            description="Açıklama",
            price=Decimal("12.5"),
            currency_code=Currency.TRY,
            encoded_image_file=IMAGE,
            stock_enabled=stock is not None,
            stock_count=UNSET if stock is None else stock,
            sold_limit=UNSET if sold_limit is None else sold_limit,
        )
        saved = ok(create_iyzi_link_product.sync(client=self.shop.client, body=body))
        self.products.append(Product(str(saved.data.token), str(saved.data.url), stock, sold_limit))

    @precondition(lambda self: self.products)
    @rule(data=st.data(), declined=st.booleans())
    def pay(self, data: st.DataObject, declined: bool) -> None:
        product = data.draw(st.sampled_from(self.products[::-1]))  # the newest first: draws lean to it
        card = {**HOSTED_PAGE_TEST_CARD, **({"cardNumber": DECLINING_CARD} if declined else {})}
        answer = self.shop.browser.post(product.url, data={**BUYER, **card})
        if product.status == "DELETED":
            assert answer.status_code == 404
        elif not product.on_sale():
            assert answer.status_code == 400
            assert "Bu ürün" in answer.text  # sold out, or not on sale
        elif declined:
            assert answer.status_code == 400
            assert "İşlem onaylanmadı" in answer.text
        else:
            assert answer.status_code == 200, answer.text
            product.sold += 1
            if product.stock is not None:
                product.stock -= 1

    @precondition(lambda self: any(product.status != "DELETED" for product in self.products))
    @rule(data=st.data(), active=st.booleans())
    def set_status(self, data: st.DataObject, active: bool) -> None:
        product = data.draw(st.sampled_from(self._live()[::-1]))
        status = IyziLinkStatus.ACTIVE if active else IyziLinkStatus.PASSIVE
        assert update_iyzi_link_product_status.sync(product.token, status, client=self.shop.client) is not None
        product.status = status.value

    @precondition(lambda self: any(product.status != "DELETED" for product in self.products))
    @rule(data=st.data(), stock=st.integers(0, 3))
    def restock(self, data: st.DataObject, stock: int) -> None:
        product = data.draw(st.sampled_from(self._live()[::-1]))
        body = UpdateIyziLinkProductRequest(
            name="Ürün",
            description="Yeni stok",
            price=Decimal("12.5"),
            currency_code=Currency.TRY,
            stock_enabled=True,
            stock_count=stock,
        )
        assert update_iyzi_link_product.sync(product.token, client=self.shop.client, body=body) is not None
        product.stock = stock

    @precondition(lambda self: any(product.status != "DELETED" for product in self.products))
    @rule(data=st.data())
    def delete(self, data: st.DataObject) -> None:
        product = data.draw(st.sampled_from(self._live()[::-1]))
        assert delete_iyzi_link_product.sync(product.token, client=self.shop.client) is not None
        product.status = "DELETED"

    @invariant()
    def products_are_what_the_walk_knows(self) -> None:
        for product in self.products:
            item = ok(retrieve_iyzi_link_product.sync(product.token, client=self.shop.client))
            shown = item.data
            assert (shown.product_status, shown.sold_count) == (product.status, product.sold)
            assert shown.stock_count == (UNSET if product.stock is None else product.stock)
            expected_remaining = UNSET if product.sold_limit is None else max(0, product.sold_limit - product.sold)
            assert shown.remaining_sold_limit == expected_remaining
            if product.sold_limit is not None:
                assert product.sold <= product.sold_limit
        listed = ok(list_iyzi_link_products.sync(client=self.shop.client, count=100))
        assert listed.data.total_count == len(self._live())
        sales = [event for event in self.shop.webhooks() if event.status == "SUCCESS"]
        assert len(sales) == sum(product.sold for product in self.products)


def test_iyzilink_walk() -> None:
    profile = settings.default
    assert profile is not None
    runs = max(3, profile.max_examples // 20)  # ci: 10 runs; nightly: 100
    run_state_machine_as_test(IyziLinkSales, settings=settings(profile, max_examples=runs, stateful_step_count=20))
