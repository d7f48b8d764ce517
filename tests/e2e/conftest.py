"""A real headless Chromium (Debian's `chromium` + `chromium-driver`, driven by selenium) for the
end-to-end tests. Skipped when the browser is not installed, except under CI (`.ci/run` installs it)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from selenium.webdriver.remote.webdriver import WebDriver

from tests import django_setup
from tests.browser import headless_chromium

django_setup.configure()  # the Django site of the end-to-end test


@pytest.fixture(scope="session")
def browser(tmp_path_factory: pytest.TempPathFactory) -> Iterator[WebDriver]:
    with headless_chromium(tmp_path_factory.mktemp("chromium-profile")) as chrome:
        yield chrome
