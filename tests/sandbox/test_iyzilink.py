"""iyzilink against the emulator: a product's page sells it (the payment is a checkout the reports and webhooks
see), stock and sold limits hold, paused and deleted products sell nothing, flexible amounts, the product list."""

from __future__ import annotations

import base64
import typing
from collections.abc import Iterator
from decimal import Decimal

import httpx
import pytest

from iyzico_client.api.checkout_form import retrieve_checkout_form
from iyzico_client.api.iyzilink import (
    create_iyzi_link_fast_link,
    create_iyzi_link_product,
    delete_iyzi_link_product,
    list_iyzi_link_products,
    retrieve_iyzi_link_product,
    update_iyzi_link_product,
    update_iyzi_link_product_status,
)
from iyzico_client.api.reporting import retrieve_payment_details_report
from iyzico_client.models import (
    CreateIyziLinkFastLinkRequest,
    CreateIyziLinkProductRequest,
    Currency,
    IyziLinkItem,
    IyziLinkProductType,
    IyziLinkStatus,
    RetrieveCheckoutFormRequest,
    UpdateIyziLinkProductRequest,
)
from iyzico_ext import InvalidRequestError
from iyzico_ext.sandbox.browser import HOSTED_PAGE_TEST_CARD

from ._emulated_merchant import Emulated, emulated, ok

IMAGE = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg=="
BUYER = {"name": "Ayşe", "surname": "Yılmaz", "email": "ayse@example.com.tr", "gsmNumber": "+905350000000"}
ADDRESS = {"address": "Çiçek Sk. No:3", "city": "İstanbul", "country": "Türkiye"}
DECLINED_CARD = {**HOSTED_PAGE_TEST_CARD, "cardNumber": "4111111111111129"}


@pytest.fixture
def shop() -> Iterator[Emulated]:
    with emulated() as running:
        yield running


def _product(shop: Emulated, **fields: object) -> tuple[str, str]:
    """(token, page URL) of a new product."""
    values: dict[str, typing.Any] = {
        "name": "Kitap seti",
        "description": "10 kitaplık roman seti",
        "price": Decimal("50.0"),
        "currency_code": Currency.TRY,
        "encoded_image_file": IMAGE,
        **fields,
    }
    saved = ok(create_iyzi_link_product.sync(client=shop.client, body=CreateIyziLinkProductRequest(**values)))
    return str(saved.data.token), str(saved.data.url)


def _retrieve(shop: Emulated, token: str) -> IyziLinkItem:
    item = ok(retrieve_iyzi_link_product.sync(token, client=shop.client)).data
    assert isinstance(item, IyziLinkItem)
    return item


def _pay(shop: Emulated, url: str, **form: str) -> httpx.Response:
    return shop.browser.post(url, data={**BUYER, **HOSTED_PAGE_TEST_CARD, **form})


def test_the_page_sells_the_product_as_a_checkout_that_reports_and_webhooks_see(shop: Emulated) -> None:
    token, url = _product(shop, installment_requested=True)
    page = shop.browser.get(url)
    assert page.status_code == 200
    assert "Kitap seti" in page.text
    assert 'name="installment"' in page.text
    paid = _pay(shop, url, installment="3")
    assert paid.status_code == 200, paid.text
    assert "Ödemeniz alındı" in paid.text

    (event,) = shop.webhooks()
    assert (event.event_type, event.status) == ("CHECKOUT_FORM_AUTH", "SUCCESS")
    assert event.token is not None
    form = ok(retrieve_checkout_form.sync(client=shop.client, body=RetrieveCheckoutFormRequest(token=event.token)))
    assert (form.payment_status, form.payment_id, form.basket_id) == ("SUCCESS", event.payment_id, token)
    assert (form.price, form.installment) == (Decimal("50.0"), 3)
    assert form.paid_price == Decimal("52.35")  # the test bank's interest for 3 instalments
    report = ok(retrieve_payment_details_report.sync(client=shop.client, payment_id=event.payment_id))
    assert [payment.paid_price for payment in report.payments] == [Decimal("52.35")]
    assert _retrieve(shop, token).sold_count == 1


def test_stock_and_the_sold_limit_stop_the_sales(shop: Emulated) -> None:
    stocked, stocked_url = _product(shop, stock_enabled=True, stock_count=2)
    limited, limited_url = _product(shop, sold_limit=1)
    for _ in range(2):
        assert _pay(shop, stocked_url).status_code == 200
    assert (_retrieve(shop, stocked).stock_count, _retrieve(shop, stocked).sold_count) == (0, 2)
    assert _pay(shop, limited_url).status_code == 200
    assert _retrieve(shop, limited).remaining_sold_limit == 0
    for url in (stocked_url, limited_url):
        assert "Bu ürün tükendi" in shop.browser.get(url).text
        refused = _pay(shop, url)
        assert refused.status_code == 400
        assert "Bu ürün tükendi" in refused.text
    assert len(shop.webhooks()) == 3  # the refused buyers were charged nothing
    # New stock sells again; the sales so far are kept.
    update = UpdateIyziLinkProductRequest(
        name="Kitap seti", description="Yeni baskı", price=Decimal("55"), currency_code=Currency.TRY, stock_count=5
    )
    ok(update_iyzi_link_product.sync(stocked, client=shop.client, body=update))
    assert _pay(shop, stocked_url).status_code == 200
    again = _retrieve(shop, stocked)
    assert (again.stock_count, again.sold_count, again.price, again.description) == (
        4,
        3,
        Decimal("55.00000000"),
        "Yeni baskı",
    )


def test_paused_and_deleted_products_sell_nothing(shop: Emulated) -> None:
    token, url = _product(shop)
    ok(update_iyzi_link_product_status.sync(token, IyziLinkStatus.PASSIVE, client=shop.client))
    assert _retrieve(shop, token).product_status == "PASSIVE"
    assert "Bu ürün şu anda satışta değil" in _pay(shop, url).text
    ok(update_iyzi_link_product_status.sync(token, IyziLinkStatus.ACTIVE, client=shop.client))
    assert _pay(shop, url).status_code == 200
    delete_iyzi_link_product.sync(token, client=shop.client)
    assert _retrieve(shop, token).product_status == "DELETED"
    assert shop.browser.get(url).status_code == 404
    with pytest.raises(InvalidRequestError) as gone:
        update_iyzi_link_product_status.sync(token, IyziLinkStatus.ACTIVE, client=shop.client)
    assert gone.value.error_code == "5017"
    listed = ok(list_iyzi_link_products.sync(client=shop.client))
    assert listed.data.total_count == 0


def test_a_declined_card_is_recorded_and_notified_but_sells_nothing(shop: Emulated) -> None:
    token, url = _product(shop, stock_enabled=True, stock_count=1)
    declined = _pay(shop, url, **DECLINED_CARD)
    assert declined.status_code == 400
    assert "Kart limiti yetersiz" in declined.text
    (event,) = shop.webhooks()
    assert event.status == "FAILURE"
    assert event.token is not None
    form = ok(retrieve_checkout_form.sync(client=shop.client, body=RetrieveCheckoutFormRequest(token=event.token)))
    assert (form.payment_status, form.error_code) == ("FAILURE", "10051")
    assert (_retrieve(shop, token).stock_count, _retrieve(shop, token).sold_count) == (1, 0)


def test_the_page_asks_the_address_unless_the_product_ignores_it(shop: Emulated) -> None:
    _, url = _product(shop, address_ignorable=False)
    missing = _pay(shop, url)
    assert missing.status_code == 400
    assert 'name="address"' in missing.text
    assert _pay(shop, url, **ADDRESS).status_code == 200
    _, without = _product(shop)
    assert 'name="address"' not in shop.browser.get(without).text


def test_a_flexible_link_takes_the_amount_the_buyer_chooses(shop: Emulated) -> None:
    _, url = _product(shop, flexible_link=True, preset_price_values=["10", "20"])
    assert "10, 20" in shop.browser.get(url).text
    assert _pay(shop, url, amount="-5").status_code == 400
    assert _pay(shop, url, amount="20.50").status_code == 200
    (event,) = shop.webhooks()
    form = ok(retrieve_checkout_form.sync(client=shop.client, body=RetrieveCheckoutFormRequest(token=str(event.token))))
    assert form.paid_price == Decimal("20.50")


def test_a_fast_link_is_sold_once(shop: Emulated) -> None:
    body = CreateIyziLinkFastLinkRequest(
        description="Telefon siparişi", price=Decimal("75"), currency_code=Currency.TRY
    )
    saved = ok(create_iyzi_link_fast_link.sync(client=shop.client, body=body))
    token, url = str(saved.data.token), str(saved.data.url)
    item = _retrieve(shop, token)
    assert (item.product_type, item.name, item.sold_limit) == ("FASTLINK", "Telefon siparişi", 1)
    assert _pay(shop, url).status_code == 200
    assert "Bu ürün tükendi" in _pay(shop, url).text
    image = shop.browser.get(str(saved.data.image_url))
    assert image.headers["content-type"] == "image/png"


def test_the_list_pages_through_products_and_fast_links(shop: Emulated) -> None:
    tokens = [_product(shop, name=f"Ürün {index}")[0] for index in range(3)]
    body = CreateIyziLinkFastLinkRequest(description="Hızlı", price=Decimal("5"), currency_code=Currency.TRY)
    ok(create_iyzi_link_fast_link.sync(client=shop.client, body=body))
    products = IyziLinkProductType.IYZILINK
    first = ok(list_iyzi_link_products.sync(client=shop.client, page=1, count=2, product_type=products)).data
    second = ok(list_iyzi_link_products.sync(client=shop.client, page=2, count=2, product_type=products)).data
    assert (first.total_count, first.page_count, first.current_page, second.current_page) == (3, 2, 1, 2)
    assert [item.token for item in first.items + second.items] == tokens
    assert ok(list_iyzi_link_products.sync(client=shop.client)).data.total_count == 4
    image = shop.browser.get(f"/_sandbox/iyzilink/{tokens[0]}/image")
    assert image.content == base64.b64decode(IMAGE)


def test_stock_needs_its_count_and_unknown_tokens_are_5017(shop: Emulated) -> None:
    with pytest.raises(InvalidRequestError) as refused:
        _product(shop, stock_enabled=True)
    assert refused.value.error_code == "11"
    with pytest.raises(InvalidRequestError) as unknown:
        retrieve_iyzi_link_product.sync("nope", client=shop.client)
    assert unknown.value.error_code == "5017"


def test_the_sale_and_the_stock_count_move_in_one_transaction(shop: Emulated) -> None:
    """A buyer who opened the page before the last item sold is refused when paying, not charged."""
    _, url = _product(shop, stock_enabled=True, stock_count=1)
    assert shop.browser.get(url).status_code == 200  # two buyers look at the page
    assert _pay(shop, url).status_code == 200
    late = _pay(shop, url, email="late@example.com")
    assert "Bu ürün tükendi" in late.text
    assert [event.status for event in shop.webhooks()] == ["SUCCESS"]
