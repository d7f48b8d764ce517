"""The subscription forms in a real headless browser, as a customer meets them: the merchant's page embeds the
`checkoutFormContent` iyzico answered, which takes the browser to the form; the customer types a card, makes a
typing mistake on the way, and lands back on the merchant's `callbackUrl`. Screenshots under `.artifacts/pages/`.
"""

from __future__ import annotations

import typing
from collections.abc import Iterator

import pytest
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import HTMLResponse
from starlette.routing import Route

from iyzico_client.api.subscription import (
    initialize_subscription_card_update,
    initialize_subscription_checkout_form,
    retrieve_subscription_checkout_form,
)
from iyzico_client.models import (
    InitializeSubscriptionCardUpdateRequest,
    InitializeSubscriptionCheckoutFormRequest,
    Locale,
    SubscriptionInitialStatus,
)
from iyzico_ext import IyzicoClient
from iyzico_ext.sandbox import DEFAULT_API_KEY, DEFAULT_SECRET_KEY, create_app
from iyzico_ext.sandbox._server import ServerThread
from tests._subscriptions import make_plan, present, subscribe, subscriber
from tests.chromium import headless_chromium

from .test_pages_in_browser import (
    ARTIFACTS,
    _assert_sandbox_page,
    _shot,
    _submit,
    _type,
    _value,
    _wait_for_merchant,
)

if typing.TYPE_CHECKING:
    from selenium.webdriver.remote.webdriver import WebDriver


class Shop(typing.NamedTuple):
    client: IyzicoClient
    merchant: str
    embedded: dict[str, str]  # what the merchant's /subscribe page shows: iyzico's checkoutFormContent


async def _subscribe_page(request: Request) -> HTMLResponse:
    return HTMLResponse(f"<html><body><h1>Bulut Muhasebe</h1>{request.app.state.embedded['content']}</body></html>")


async def _callback(request: Request) -> HTMLResponse:
    form = await request.form()
    return HTMLResponse(f"<h1>merchant received</h1><p id='fields'>{' '.join(sorted(form.keys()))}</p>")


@pytest.fixture(scope="module")
def shop() -> Iterator[Shop]:
    app = create_app()
    merchant = Starlette(routes=[Route("/subscribe", _subscribe_page), Route("/callback", _callback, methods=["POST"])])
    merchant.state.embedded = {}
    with (
        ServerThread(app) as emulator,
        ServerThread(merchant) as merchant_url,
        IyzicoClient(DEFAULT_API_KEY, DEFAULT_SECRET_KEY, emulator) as client,
    ):
        yield Shop(client, merchant_url, merchant.state.embedded)
    app.state.sandbox.close()


@pytest.fixture(scope="module")
def customer_browser(tmp_path_factory: pytest.TempPathFactory) -> Iterator[WebDriver]:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    with headless_chromium(tmp_path_factory.mktemp("chromium-profile")) as session:
        yield session


def _open_embedded(browser: WebDriver, shop: Shop, content: str) -> None:
    """The merchant's page with iyzico's content in it; its script takes the browser to the form."""
    from selenium.webdriver.support.ui import WebDriverWait

    shop.embedded["content"] = content
    browser.get(f"{shop.merchant}/subscribe")
    WebDriverWait(browser, 10).until(lambda driver: "/_sandbox/subscription-form/" in driver.current_url)


def test_the_subscription_form_in_turkish(customer_browser: WebDriver, shop: Shop) -> None:
    plan = make_plan(shop.client, trial_days=14)
    body = InitializeSubscriptionCheckoutFormRequest(
        locale=Locale.TR,
        callback_url=f"{shop.merchant}/callback",
        pricing_plan_reference_code=plan,
        subscription_initial_status=SubscriptionInitialStatus.ACTIVE,
        customer=subscriber("tarayici@example.com"),
    )
    form = present(initialize_subscription_checkout_form.sync(client=shop.client, body=body))
    _open_embedded(customer_browser, shop, present(form.checkout_form_content))
    page = customer_browser.page_source
    _assert_sandbox_page(page)
    for expected in ("Abonelik", "Aylık Pro", "100.00 TRY", "1 ay", "14 gün", "İptal edilene kadar", "Abone ol"):
        assert expected in page
    assert "?" not in customer_browser.current_url
    _shot(customer_browser, "subscription-tr")
    typed = {"cardHolderName": "Ayşe Yılmaz", "cardNumber": "5890040000000016", "expireMonth": "12"}
    _type(customer_browser, {**typed, "expireYear": "2049", "cvc": "123"})
    _submit(customer_browser, "Abone ol")
    assert "Abonelik yalnızca kredi kartı ile başlatılabilir" in customer_browser.page_source  # a debit card
    assert {name: _value(customer_browser, name) for name in typed} == typed
    assert _value(customer_browser, "cvc") == ""
    _type(customer_browser, {"cardNumber": "5528790000000008", "cvc": "123"})
    _submit(customer_browser, "Abone ol")
    assert _wait_for_merchant(customer_browser) == "token"
    started = present(
        present(retrieve_subscription_checkout_form.sync(client=shop.client, token=present(form.token))).data
    )
    assert (started.subscription_status, started.trial_days) == ("ACTIVE", 14)


def test_the_card_update_form_in_english(customer_browser: WebDriver, shop: Shop) -> None:
    started = subscribe(shop.client, make_plan(shop.client), email="kart@example.com")
    body = InitializeSubscriptionCardUpdateRequest(
        locale=Locale.EN,
        customer_reference_code=present(started.customer_reference_code),
        callback_url=f"{shop.merchant}/callback",
    )
    form = present(initialize_subscription_card_update.sync(client=shop.client, body=body))
    _open_embedded(customer_browser, shop, present(form.checkout_form_content))
    page = customer_browser.page_source
    _assert_sandbox_page(page)
    assert "Card update" in page
    assert "paid with this card from now on" in page
    _shot(customer_browser, "subscription-card-update-en")
    _type(
        customer_browser,
        {"cardHolderName": "Ayşe Yılmaz", "cardNumber": "4603450000000000", "expireMonth": "12", "expireYear": "2049"},
    )
    _type(customer_browser, {"cvc": "123"})
    _submit(customer_browser, "Update the card")
    assert _wait_for_merchant(customer_browser) == "status token"
