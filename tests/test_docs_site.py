"""The API reference site as a reader sees it: built with MkDocs (warnings are errors), served on loopback,
opened in headless Chromium. Screenshots go to `.artifacts/docs/` (gitignored) for a person to look at."""

from __future__ import annotations

import functools
import http.server
import os
import subprocess
import sys
import threading
import typing
from collections.abc import Iterator
from pathlib import Path

import pytest

from iyzico_ext._operations import operations
from tests.chromium import headless_chromium

if typing.TYPE_CHECKING:
    from selenium.webdriver.remote.webdriver import WebDriver

ROOT = Path(__file__).resolve().parents[1]
ARTIFACTS = ROOT / ".artifacts" / "docs"


class Site(typing.NamedTuple):
    url: str
    browser: WebDriver


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    built = tmp_path_factory.mktemp("site")
    subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--quiet", "-f", "docs/mkdocs.yml", "-d", str(built)],
        cwd=ROOT,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
        check=True,
        capture_output=True,
    )
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(built))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    try:
        with headless_chromium(tmp_path_factory.mktemp("chromium-profile")) as browser:
            yield Site(f"http://127.0.0.1:{server.server_address[1]}", browser)
    finally:
        server.shutdown()
        server.server_close()


def _open(site: Site, path: str, shot: str) -> str:
    from selenium.webdriver.common.by import By

    site.browser.get(f"{site.url}/{path}")
    site.browser.save_screenshot(str(ARTIFACTS / f"{shot}.png"))
    return str(site.browser.find_element(By.TAG_NAME, "article").text)


def test_an_operation_page_shows_fields_guarantees_errors_and_an_example(site: Site) -> None:
    text = _open(site, "reference/payment/create_payment/", "create_payment")
    assert "createPayment" in text
    assert "POST /payment/auth" in text
    assert "CreatePaymentRequest" in text
    assert "PaymentResource" in text
    assert "itemTransactions[].paymentTransactionId" in text  # a nested, always-present field
    from selenium.webdriver.common.by import By

    # the errors, from the generated docstring's Raises section
    raised = {element.text for element in site.browser.find_elements(By.CSS_SELECTOR, "tr.doc-section-item td code")}
    assert {"PaymentOutcomeUnknown", "MalformedPaymentOutcome", "CardDeclinedError", "TypeError"} <= raised
    assert "paymentId, currency, basketId, conversationId, paidPrice, price" in text  # what the signature covers
    assert '"paymentCard"' in text  # the spec's example


def test_every_operation_has_a_page_listed_in_the_index(site: Site) -> None:
    from selenium.webdriver.common.by import By

    text = _open(site, "reference/", "operations")
    links = {element.text for element in site.browser.find_elements(By.CSS_SELECTOR, "article a")}
    assert set(operations()) <= links
    assert "money-moving" in text


def test_the_quickstart_guide_holds_the_readme_quickstart(site: Site) -> None:
    text = _open(site, "guides/quickstart/", "quickstart")
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "client = IyzicoClient.from_env()" in text
    assert "client = IyzicoClient.from_env()" in readme
    assert "iyzico-sandbox" in text


def test_the_client_reference_documents_the_constructor_and_the_errors(site: Site) -> None:
    text = _open(site, "reference/iyzico_ext/", "client")
    assert "IyzicoClient" in text
    assert "locale" in text
    assert "MalformedPaymentOutcome" in text
    assert "Basket" in text


def test_the_guides_are_in_the_navigation(site: Site) -> None:
    from selenium.webdriver.common.by import By

    _open(site, "", "home")
    navigation = " ".join(
        element.get_attribute("textContent") or "" for element in site.browser.find_elements(By.CSS_SELECTOR, "nav")
    )
    for title in (
        "3-D Secure",
        "Checkout form",
        "Marketplace",
        "Testing with the emulator",
        "Errors and reconciliation",
        "Security",
    ):
        assert title in navigation
