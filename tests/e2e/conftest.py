"""A real headless Chromium (Debian's `chromium` + `chromium-driver`, driven by selenium) for the
end-to-end tests. Skipped when the browser is not installed, except under CI (`.ci/run` installs it)."""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator

import pytest
from selenium import webdriver
from selenium.webdriver.chrome.service import Service

from tests import django_setup

django_setup.configure()  # the Django site of the end-to-end test

_BROWSER, _DRIVER = "chromium", "chromedriver"
_FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
)


@pytest.fixture(scope="session")
def browser() -> Iterator[webdriver.Chrome]:
    binary, driver = shutil.which(_BROWSER), shutil.which(_DRIVER)
    if binary is None or driver is None:
        message = "Debian's chromium and chromium-driver are needed (apt-get install chromium chromium-driver)"
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(f"{message}; .ci/run installs them")
        pytest.skip(message)
    options = webdriver.ChromeOptions()
    options.binary_location = binary
    for flag in _FLAGS:
        options.add_argument(flag)
    with tempfile.TemporaryDirectory(prefix="iyzico-chromium-") as profile:
        options.add_argument(f"--user-data-dir={profile}")
        chrome = webdriver.Chrome(options=options, service=Service(executable_path=driver))
        chrome.set_page_load_timeout(30)
        try:
            yield chrome
        finally:
            chrome.quit()
