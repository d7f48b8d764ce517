"""A real headless Chromium (Debian's `chromium` + `chromium-driver`, driven by selenium) for the
end-to-end tests. Skipped when the browser is not installed, except under CI (`.ci/run` installs it)."""

from __future__ import annotations

import typing
from collections.abc import Iterator

import pytest

from tests import django_setup
from tests.chromium import headless_chromium

if typing.TYPE_CHECKING:
    from selenium.webdriver.remote.webdriver import WebDriver

django_setup.configure()  # the Django site of the end-to-end test


@pytest.fixture(scope="session")
def browser(tmp_path_factory: pytest.TempPathFactory) -> Iterator[WebDriver]:
    with headless_chromium(tmp_path_factory.mktemp("chromium-profile")) as session:
        yield session
