"""The readiness page in headless Chromium, as a merchant reads it (screenshot: `.artifacts/pages/readiness.png`)."""

from __future__ import annotations

import typing

from iyzico_ext.sandbox._readiness_model import SECTIONS

from .readiness_reference import CARD_STEPS, STEPS, ReferenceShop, reference_sandbox
from .test_pages_in_browser import ARTIFACTS, browser  # noqa: F401 - the Chromium fixture of the page tests

if typing.TYPE_CHECKING:
    from selenium.webdriver.remote.webdriver import WebDriver

_GAPS = {*CARD_STEPS, "flows.threeds", "webhooks.forged"}


def test_the_readiness_page_shows_the_verdict_and_each_gap(browser: WebDriver) -> None:  # noqa: F811 - the fixture
    from selenium.webdriver.common.by import By

    with reference_sandbox(loopback=True) as (sandbox, shops):
        shops.append(ReferenceShop(sandbox, set(STEPS) - _GAPS))
        shops[-1].run()
        browser.get(f"{sandbox.base_url}/_sandbox/readiness.html")
        verdict = browser.find_element(By.CSS_SELECTOR, ".verdict")
        assert verdict.text == f"Not ready: {len(_GAPS)} required items open."
        assert verdict.value_of_css_property("color") == "rgba(155, 28, 44, 1)"  # the page style's error red
        assert len(browser.find_elements(By.CSS_SELECTOR, "main > section span.status.open")) == len(_GAPS)
        headings = [element.text for element in browser.find_elements(By.CSS_SELECTOR, "main > section h2")]
        assert headings[: len(SECTIONS)] == [section.title for section in SECTIONS]
        assert "SANDBOX" in browser.find_element(By.CSS_SELECTOR, ".banner").text
        assert browser.save_screenshot(str(ARTIFACTS / "readiness.png"))
