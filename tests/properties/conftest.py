"""Leak scan over every test of this folder: no secret key, API key, test-card number or identity number may
appear in captured logs (httpx, httpcore and iyzico_ext at DEBUG), stdout/stderr, or failure reports
(exception strings and reprs, hypothesis's falsifying examples). A leak fails the session."""

from __future__ import annotations

import logging
from collections.abc import Generator

import pytest

from iyzico_ext.sandbox import DEFAULT_API_KEY, DEFAULT_SECRET_KEY
from iyzico_ext.testing.strategies import TEST_CARDS

from ._emulator import SUB_MERCHANT_IDENTITY_NUMBER

CANARIES = (DEFAULT_SECRET_KEY, DEFAULT_API_KEY, SUB_MERCHANT_IDENTITY_NUMBER, *TEST_CARDS)
_LOGGERS = ("httpx", "httpcore", "iyzico_ext")
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
