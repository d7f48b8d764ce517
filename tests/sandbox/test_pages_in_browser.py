"""The emulator's pages in a real headless browser (Debian's chromium + chromium-driver, through selenium).

A buyer's journey as a person sees it: the hosted checkout page in Turkish and English, the 3-D Secure
bank page, Pay with iyzico; the SANDBOX banner, the merchant, the basket and the test cards are on the
page, a typing mistake keeps what was typed, and every URL the browser lands on is clean (no stray `?`).
Screenshots are saved under `.artifacts/pages/` (gitignored) for a person to look at. Locally the tests
skip when Chromium is not installed; in CI (`CI=true`) a missing browser is a failure, `.ci/run` installs it.
"""

from __future__ import annotations

import base64
import typing
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

import pytest
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import HTMLResponse
from starlette.routing import Route

from iyzico_ext.sandbox import create_app
from iyzico_ext.sandbox._server import ServerThread
from tests.chromium import headless_chromium

from ._example_walk import example_request
from .conftest import NEXT_YEAR, Caller, checkout_body, payment_body

if typing.TYPE_CHECKING:
    from selenium.webdriver.remote.webdriver import WebDriver

ARTIFACTS = Path(__file__).resolve().parents[2] / ".artifacts" / "pages"


@pytest.fixture(scope="module")
def browser(tmp_path_factory: pytest.TempPathFactory) -> Iterator[WebDriver]:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    with headless_chromium(tmp_path_factory.mktemp("chromium-profile")) as session:
        yield session


async def _merchant_callback(request: Request) -> HTMLResponse:
    """The merchant's callbackUrl: shows which fields the browser posted (their names, and mdStatus)."""
    form = await request.form()
    names = " ".join(sorted(form.keys()))
    return HTMLResponse(
        f"<h1>merchant received</h1><p id='fields'>{names}</p><p id='md'>{form.get('mdStatus', '')}</p>"
    )


class Servers(typing.NamedTuple):
    emulator: str
    merchant: str
    call: Caller


@pytest.fixture(scope="module")
def servers() -> Iterator[Servers]:
    import httpx

    app = create_app()
    merchant = Starlette(routes=[Route("/callback", _merchant_callback, methods=["POST"])])
    with ServerThread(app) as emulator, ServerThread(merchant) as merchant_url, httpx.Client(base_url=emulator) as http:
        yield Servers(emulator, merchant_url, Caller(http))
    app.state.sandbox.close()


def _shot(browser: WebDriver, name: str) -> None:
    assert browser.save_screenshot(str(ARTIFACTS / f"{name}.png"))


def _value(browser: WebDriver, name: str) -> str:
    from selenium.webdriver.common.by import By

    return str(browser.find_element(By.NAME, name).get_attribute("value"))


def _type(browser: WebDriver, fields: dict[str, str]) -> None:
    from selenium.webdriver.common.by import By

    for name, value in fields.items():
        element = browser.find_element(By.NAME, name)
        element.clear()
        element.send_keys(value)


def _submit(browser: WebDriver, label: str) -> None:
    from selenium.common.exceptions import WebDriverException
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    button = browser.find_element(By.XPATH, f"//button[normalize-space()='{label}']")
    button.click()

    def left_the_page(_: WebDriver) -> bool:
        # Mid-navigation Chrome may answer "node does not belong to the document" instead of "stale element":
        # either way the button's page is gone (selenium's staleness_of only knows the second).
        try:
            button.is_enabled()
        except WebDriverException:
            return True
        return False

    WebDriverWait(browser, 10).until(left_the_page)


def _wait_for_merchant(browser: WebDriver) -> str:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    WebDriverWait(browser, 10).until(lambda driver: driver.current_url.endswith("/callback"))
    return str(browser.find_element(By.ID, "fields").text)


def _assert_sandbox_page(page: str) -> None:
    assert "SANDBOX" in page
    assert "Sandbox merchant" in page
    assert "5528790000000008" in page  # the test cards are listed


def test_checkout_page_in_turkish(browser: WebDriver, servers: Servers) -> None:
    body = checkout_body(locale="tr", callbackUrl=f"{servers.merchant}/callback", enabledInstallments=[1, 3, 6])
    started = servers.call.ok("/payment/iyzipos/checkoutform/initialize/auth/ecom", body)
    browser.get(started["paymentPageUrl"])
    page = browser.page_source
    _assert_sandbox_page(page)
    for expected in ("Ödeme", "Sepet", "Binocular", "Game code", "Kart limiti yetersiz", "Taksit", "Öde"):
        assert expected in page
    assert "?" not in browser.current_url
    _shot(browser, "checkout-tr")


def test_checkout_page_in_english_keeps_what_was_typed(browser: WebDriver, servers: Servers) -> None:
    body = checkout_body(locale="en", callbackUrl=f"{servers.merchant}/callback", enabledInstallments=[1, 3, 6])
    started = servers.call.ok("/payment/iyzipos/checkoutform/initialize/auth/ecom", body)
    browser.get(started["paymentPageUrl"])
    assert "Checkout" in browser.page_source
    typed = {"cardHolderName": "Ada Lovelace", "cardNumber": "5528790000000009", "expireMonth": "12"}
    _type(browser, {**typed, "expireYear": NEXT_YEAR, "cvc": "123"})
    _submit(browser, "Pay")
    assert "Invalid card number" in browser.page_source
    assert {name: _value(browser, name) for name in typed} == typed
    assert _value(browser, "cvc") == ""  # the security code is always typed again
    _shot(browser, "checkout-en-error")
    from selenium.webdriver.support.ui import Select

    _type(browser, {"cardNumber": "5528790000000008", "cvc": "123"})
    Select(browser.find_element("name", "installment")).select_by_value("3")
    _submit(browser, "Pay")
    assert _wait_for_merchant(browser) == "token"
    result = servers.call.ok("/payment/iyzipos/checkoutform/auth/ecom/detail", {"token": started["token"]})
    assert (result["paymentStatus"], result["installment"]) == ("SUCCESS", 3)


def test_threeds_bank_page(browser: WebDriver, servers: Servers) -> None:
    body = payment_body(locale="tr", callbackUrl=f"{servers.merchant}/callback")
    started = servers.call.ok("/payment/3dsecure/initialize", body)
    browser.get("data:text/html;base64," + started["threeDSHtmlContent"])  # what the merchant's page renders
    from selenium.webdriver.support.ui import WebDriverWait

    WebDriverWait(browser, 10).until(lambda driver: "/_sandbox/threeds/" in driver.current_url)
    page = browser.page_source
    assert "SANDBOX" in page
    assert "Test Bankası 3-D Secure" in page
    assert "Halkbank" in page
    assert "0008" in page
    assert "5528790000000008" not in page
    assert "?" not in browser.current_url
    _shot(browser, "threeds-tr")
    _submit(browser, "Onayla")
    assert "mdStatus" in _wait_for_merchant(browser).split()
    servers.call.ok("/payment/3dsecure/auth", {"paymentId": started["paymentId"]})
    assert base64.b64decode(started["threeDSHtmlContent"]).count(b"?") == 0


def test_pay_with_iyzico_page(browser: WebDriver, servers: Servers) -> None:
    body = checkout_body(locale="en", callbackUrl=f"{servers.merchant}/callback")
    started = servers.call.ok("/payment/pay-with-iyzico/initialize", body)
    browser.get(started["payWithIyzicoPageUrl"])
    _assert_sandbox_page(browser.page_source)
    assert "Pay with iyzico" in browser.page_source
    _shot(browser, "pay-with-iyzico-en")


_PAGE_CARD = {"cardHolderName": "Ada Lovelace", "cardNumber": "5528790000000008", "expireMonth": "12", "cvc": "123"}


def _example(operation_id: str, **changes: typing.Any) -> dict[str, typing.Any]:
    body: dict[str, typing.Any] = {**example_request(operation_id)["body"], **changes}
    return body


def test_bkm_express_page_in_turkish(browser: WebDriver, servers: Servers) -> None:
    body = _example("initializeBkm", callbackUrl=f"{servers.merchant}/callback")
    started = servers.call.ok("/payment/bkm/initialize", body)
    browser.get("data:text/html;base64," + started["htmlContent"])  # what the merchant's page renders
    from selenium.webdriver.support.ui import WebDriverWait

    WebDriverWait(browser, 10).until(lambda driver: "/_sandbox/bkm/" in driver.current_url)
    _assert_sandbox_page(browser.page_source)
    assert "BKM Express" in browser.page_source
    assert "?" not in browser.current_url
    _type(browser, {**_PAGE_CARD, "expireYear": NEXT_YEAR})
    _shot(browser, "bkm-tr")
    _submit(browser, "Öde")
    assert _wait_for_merchant(browser) == "token"
    assert servers.call.ok("/payment/bkm/auth/detail", {"token": started["token"]})["paymentStatus"] == "SUCCESS"


def test_apm_and_pecco_pages(browser: WebDriver, servers: Servers) -> None:
    apm = _example("initializeApm", locale="en", merchantCallbackUrl=f"{servers.merchant}/callback")
    started = servers.call.ok("/payment/apm/initialize", apm)
    browser.get(started["redirectUrl"])
    assert "Pay with Sofort" in browser.page_source
    assert "John Doe" in browser.page_source
    _shot(browser, "apm-en")
    _submit(browser, "Pay")
    assert _wait_for_merchant(browser) == "paymentId status"
    pecco = servers.call.ok(
        "/payment/pecco/initialize", _example("initializePecco", callbackUrl=f"{servers.merchant}/callback")
    )
    browser.get(pecco["redirectUrl"])
    assert "Pecco ile öde" in browser.page_source
    _shot(browser, "pecco-tr")
    _submit(browser, "Ödemeyi onayla")
    assert _wait_for_merchant(browser) == "status token"
    servers.call.ok("/payment/pecco/auth", {"token": pecco["token"]})


def test_iyziup_page_in_english_with_forced_three_ds(browser: WebDriver, servers: Servers) -> None:
    body = _example("initializeIyziupForm", locale="en", forceThreeDS=1, callbackUrl=f"{servers.merchant}/callback")
    started = servers.call.ok("/v1/iyziup/form/initialize", body)
    browser.get("data:text/html;charset=utf-8," + quote(started["content"]))  # embedded in the merchant's page
    _submit(browser, "iyziup ile öde")
    page = browser.page_source
    _assert_sandbox_page(page)
    assert "Your details and delivery address" in page
    assert _value(browser, "email") == "consumer@mail.com"  # from the merchant's initialConsumer
    _type(browser, {**_PAGE_CARD, "expireYear": NEXT_YEAR})
    _shot(browser, "iyziup-en")
    _submit(browser, "Pay")
    assert "Test Bank 3-D Secure" in browser.page_source
    _submit(browser, "Confirm")
    assert _wait_for_merchant(browser) == "token"
    order = servers.call.ok("/v1/iyziup/form/order/retrieve", {"token": started["token"]})
    assert (order["orderResponseStatus"], order["paymentDetail"]["mdStatus"]) == ("payment_completed", 1)
