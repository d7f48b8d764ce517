"""Suite-wide settings: hypothesis profiles, and the leak scan.

* `dev` (default): quick, for the edit-test loop.
* `ci` (selected when CI=true): enough examples to matter, no per-example deadline (a loaded 2-core
  CI machine must not turn slowness into flaky failures), too_slow health check off for the same reason.
* `nightly`: long; run with `HYPOTHESIS_PROFILE=nightly python3 scripts/check.py`.

Leak scan: with the httpx, httpcore and iyzico loggers at DEBUG, no canary (the suite's fake keys, the
emulator's keys, every documented test-card number, the identity numbers the tests send) may appear in any
test's captured logs, stdout/stderr or failure report (exception strings and reprs, hypothesis's falsifying
examples). A leak fails the session, naming the test and the canary's last four characters.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Generator

import pytest
from hypothesis import HealthCheck, settings

from iyzico_ext.sandbox import DEFAULT_API_KEY, DEFAULT_SECRET_KEY
from iyzico_ext.testing.strategies import TEST_CARDS
from tests.canaries import CANARIES as SUITE_CANARIES
from tests.properties._emulator import SUB_MERCHANT_IDENTITY_NUMBER

settings.register_profile("dev", max_examples=30, deadline=None)
settings.register_profile(
    "ci",
    max_examples=200,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
    print_blob=False,
)
settings.register_profile(
    "nightly",
    max_examples=2000,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
    print_blob=False,
)
PROFILE = os.environ.get("HYPOTHESIS_PROFILE") or ("ci" if os.environ.get("CI", "").lower() == "true" else "dev")
settings.load_profile(PROFILE)


CANARIES = (*SUITE_CANARIES, DEFAULT_SECRET_KEY, DEFAULT_API_KEY, SUB_MERCHANT_IDENTITY_NUMBER, *TEST_CARDS)
_LOGGERS = ("httpx", "httpcore", "iyzico", "iyzico_ext")
_leaks: list[str] = []


@pytest.fixture(autouse=True)
def _debug_logs_captured(caplog: pytest.LogCaptureFixture) -> None:
    for name in _LOGGERS:
        caplog.set_level(logging.DEBUG, logger=name)


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item) -> Generator[None, pytest.TestReport, None]:
    outcome = yield
    report = outcome.get_result()
    texts = [content for _, content in report.sections]
    if report.longrepr is not None:
        texts.append(report.longreprtext)
    for canary in CANARIES:
        if any(canary in text for text in texts):
            _leaks.append(f"{item.nodeid} ({report.when}): canary ending {canary[-4:]}")


def pytest_sessionfinish(session: pytest.Session) -> None:
    if _leaks:
        session.exitstatus = pytest.ExitCode.TESTS_FAILED
        reporter = session.config.pluginmanager.get_plugin("terminalreporter")
        if reporter is not None:
            reporter.ensure_newline()
            reporter.write_line("LEAK SCAN: " + "; ".join(_leaks), red=True)
