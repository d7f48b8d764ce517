"""A real headless Chromium for the tests that look at pages: Debian's `chromium` + `chromium-driver`, through
selenium. Skipped when the browser is not installed, except under CI (`CI=true`), where `.ci/run` installs it
and its absence is a failure."""

from __future__ import annotations

import contextlib
import os
import shutil
import typing
from collections.abc import Iterator
from pathlib import Path

import pytest

if typing.TYPE_CHECKING:
    from selenium.webdriver.remote.webdriver import WebDriver

# The machine's network is closed: without the background-networking flags Chromium's own connections fail.
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
    "--window-size=1200,1000",
)


@contextlib.contextmanager
def headless_chromium(profile: Path) -> Iterator[WebDriver]:
    """A headless Chromium session with a fresh profile in `profile`; quits when the block ends."""
    binary, driver = shutil.which("chromium"), shutil.which("chromedriver")
    if binary is None or driver is None:
        message = "Debian's chromium and chromium-driver are needed (apt-get install chromium chromium-driver)"
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(f"{message}; .ci/run installs them")
        pytest.skip(message)
    os.environ.setdefault("SE_OFFLINE", "true")  # never let selenium try to download a browser or a driver
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = binary
    for flag in (*_FLAGS, f"--user-data-dir={profile}"):
        options.add_argument(flag)
    session = webdriver.Chrome(options=options, service=Service(executable_path=driver))
    session.set_page_load_timeout(30)
    try:
        yield session
    finally:
        session.quit()
