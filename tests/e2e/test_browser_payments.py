"""End to end, per framework: a real browser pays on the emulator's hosted checkout page and on its 3-D Secure
bank page, and lands on the merchant's success page served by the framework's adapter.

The merchant site is a real server on a loopback port (uvicorn for FastAPI, werkzeug for Flask and
Django), talking to the emulator on another loopback port; the browser sees only pages and forms.
"""

from __future__ import annotations

import base64
import threading
import typing
from collections.abc import Generator

import attrs
import pytest
from selenium import webdriver
from selenium.common.exceptions import StaleElementReferenceException
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait
from werkzeug.serving import make_server

from iyzico_client.api.checkout_form import initialize_checkout_form
from iyzico_client.api.threeds import initialize_threeds
from iyzico_client.models import CheckoutFormInitializeResource, ThreedsInitializeResource
from iyzico_ext import IyzicoClient
from iyzico_ext.integrations import IyzicoEndpoints
from iyzico_ext.sandbox.browser import HOSTED_PAGE_TEST_CARD
from iyzico_ext.sandbox.embedded import SandboxHandle, loopback_sandbox
from tests.shop import checkout_request, threeds_request

SUCCESS_TEXT = "Thank you: your order is paid"
FAILURE_TEXT = "The payment did not go through"
_PAGE_WAIT_SECONDS = 20


def _page_url(started: CheckoutFormInitializeResource | None) -> str:
    assert started is not None
    assert isinstance(started.payment_page_url, str)
    return started.payment_page_url


def _bank_redirect(started: ThreedsInitializeResource | None) -> str:
    assert started is not None
    assert isinstance(started.three_ds_html_content, str)
    return base64.b64decode(started.three_ds_html_content).decode("utf-8")


def start_checkout(client: IyzicoClient, site: str, order: str) -> str:
    """The shop's "pay" button for the hosted page: initialize, then send the buyer to iyzico's page."""
    request = checkout_request(f"{site}/iyzico/checkout/callback", order)
    return _page_url(initialize_checkout_form.sync(client=client, body=request))


def start_threeds(client: IyzicoClient, site: str, order: str) -> str:
    """The shop's "pay" button for 3-D Secure: the HTML that takes the browser to the bank's page."""
    return _bank_redirect(
        initialize_threeds.sync(client=client, body=threeds_request(f"{site}/iyzico/threeds/callback", order))
    )


@attrs.define
class Shop:
    sandbox: SandboxHandle
    url: str = ""
    paid: list[object] = attrs.field(factory=list)

    def endpoints(self) -> IyzicoEndpoints:
        return IyzicoEndpoints(
            self.sandbox.client, success_url="/paid", failure_url="/failed", on_paid=self.paid.append
        )


class _WsgiServer:
    def __init__(self, app: typing.Any) -> None:
        self._server = make_server("127.0.0.1", 0, app, threaded=True)
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    def __enter__(self) -> str:
        self._thread.start()
        return f"http://127.0.0.1:{self._server.server_port}"

    def __exit__(self, *exc_info: object) -> None:
        self._server.shutdown()
        self._thread.join()


def _flask_site(shop: Shop) -> Generator[str, None, None]:
    from flask import Flask, redirect

    from iyzico_ext.integrations.flask import iyzico_blueprint

    app = Flask(__name__)
    app.register_blueprint(iyzico_blueprint(shop.endpoints()), url_prefix="/iyzico")
    app.add_url_rule(
        "/pay/checkout/<order>",
        "checkout",
        lambda order: redirect(start_checkout(shop.sandbox.client, shop.url, order)),
    )
    app.add_url_rule(
        "/pay/threeds/<order>", "threeds", lambda order: start_threeds(shop.sandbox.client, shop.url, order)
    )
    app.add_url_rule("/paid", "paid", lambda: f"<h1>{SUCCESS_TEXT}</h1>")
    app.add_url_rule("/failed", "failed", lambda: f"<h1>{FAILURE_TEXT}</h1>")
    with _WsgiServer(app) as url:
        yield url


def _django_site(shop: Shop) -> Generator[str, None, None]:
    from django.core.handlers.wsgi import WSGIHandler
    from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
    from django.test import override_settings
    from django.urls import include, path

    from iyzico_ext.integrations.django.urls import iyzico_urls

    def checkout(request: HttpRequest, order: str) -> HttpResponse:
        return HttpResponseRedirect(start_checkout(shop.sandbox.client, shop.url, order))

    def threeds(request: HttpRequest, order: str) -> HttpResponse:
        return HttpResponse(start_threeds(shop.sandbox.client, shop.url, order))

    patterns = (
        path("iyzico/", include(iyzico_urls(shop.endpoints()))),
        path("pay/checkout/<str:order>", checkout),
        path("pay/threeds/<str:order>", threeds),
        path("paid", lambda request: HttpResponse(f"<h1>{SUCCESS_TEXT}</h1>")),
        path("failed", lambda request: HttpResponse(f"<h1>{FAILURE_TEXT}</h1>")),
    )
    with override_settings(ROOT_URLCONF=patterns), _WsgiServer(WSGIHandler()) as url:
        yield url


def _fastapi_site(shop: Shop) -> Generator[str, None, None]:
    from fastapi import FastAPI
    from fastapi.responses import HTMLResponse, RedirectResponse

    from iyzico_ext.integrations.starlette import iyzico_router
    from iyzico_ext.sandbox._server import ServerThread

    app = FastAPI()
    app.include_router(iyzico_router(shop.endpoints()), prefix="/iyzico")
    client = shop.sandbox.client

    @app.get("/pay/checkout/{order}")
    async def checkout(order: str) -> RedirectResponse:
        request = checkout_request(f"{shop.url}/iyzico/checkout/callback", order)
        return RedirectResponse(_page_url(await initialize_checkout_form.asyncio(client=client, body=request)))

    @app.get("/pay/threeds/{order}")
    async def threeds(order: str) -> HTMLResponse:
        request = threeds_request(f"{shop.url}/iyzico/threeds/callback", order)
        return HTMLResponse(_bank_redirect(await initialize_threeds.asyncio(client=client, body=request)))

    app.get("/paid")(lambda: HTMLResponse(f"<h1>{SUCCESS_TEXT}</h1>"))
    app.get("/failed")(lambda: HTMLResponse(f"<h1>{FAILURE_TEXT}</h1>"))
    with ServerThread(app) as url:
        yield url


_SITES = {"django": _django_site, "fastapi": _fastapi_site, "flask": _flask_site}


def _wait(browser: webdriver.Chrome, condition: typing.Callable[[webdriver.Chrome], object]) -> None:
    # Pages replace each other through auto-submitted forms: an element read mid-navigation goes stale.
    WebDriverWait(browser, _PAGE_WAIT_SECONDS, ignored_exceptions=(StaleElementReferenceException,)).until(condition)


def _wait_for_text(browser: webdriver.Chrome, text: str) -> None:
    _wait(browser, lambda driver: text in driver.find_element(By.TAG_NAME, "body").text)


def _pay_on_hosted_page(browser: webdriver.Chrome, shop: Shop, order: str) -> None:
    browser.get(f"{shop.url}/pay/checkout/{order}")
    _wait(browser, lambda driver: driver.find_elements(By.NAME, "cardNumber"))
    assert "iyzico sandbox" in browser.title
    for name, value in HOSTED_PAGE_TEST_CARD.items():
        if name != "installment":
            browser.find_element(By.NAME, name).send_keys(value)
    browser.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
    _wait_for_text(browser, SUCCESS_TEXT)


def _pay_on_bank_page(browser: webdriver.Chrome, shop: Shop, order: str) -> None:
    browser.get(f"{shop.url}/pay/threeds/{order}")  # auto-submits to the bank's page
    _wait(browser, lambda driver: driver.find_elements(By.CSS_SELECTOR, "button[value=authenticate]"))
    browser.find_element(By.CSS_SELECTOR, "button[value=authenticate]").click()
    _wait_for_text(browser, SUCCESS_TEXT)


@pytest.mark.parametrize("framework", sorted(_SITES))
def test_a_buyer_pays_in_a_real_browser(browser: webdriver.Chrome, framework: str) -> None:
    with loopback_sandbox() as sandbox:
        shop = Shop(sandbox)
        site = _SITES[framework](shop)
        shop.url = next(site)
        try:
            _pay_on_hosted_page(browser, shop, f"{framework}-hosted")
            assert browser.current_url == f"{shop.url}/paid"
            _pay_on_bank_page(browser, shop, f"{framework}-3ds")
            assert browser.current_url == f"{shop.url}/paid"
        finally:
            site.close()
        assert len(shop.paid) == 2
        assert len(sandbox.ledger(f"{framework}-hosted")) == 1
        assert len(sandbox.ledger(f"{framework}-3ds")) == 1
