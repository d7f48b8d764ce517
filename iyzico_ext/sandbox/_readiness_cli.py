"""`iyzico-sandbox readiness --url http://127.0.0.1:PORT`: the go-live checklist verdict in one command.

Run your integration's own tests against a running emulator, then this: it prints the readiness report (a
table per section, coloured where the terminal supports colour; `NO_COLOR` turns colour off) and exits 1
while a required item is open, 0 when none is, so CI can gate on it (2 when no report could be had).
`--probe-webhooks` first sends your webhook endpoint a replayed and forged notifications (it must be running
then); `--markdown FILE` also writes the report for the e-mail to iyzico's integration team.
"""

from __future__ import annotations

import argparse
import sys
import typing
from collections.abc import Sequence
from pathlib import Path

import httpx
from rich.console import Console

from ._readiness_model import ReadinessReport
from ._readiness_text import print_report, to_markdown
from ._webhooks import merchant_number

__all__ = ["main"]

_PROG = "iyzico-sandbox readiness"
_EXIT_OPEN = 1
_EXIT_NO_REPORT = 2


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog=_PROG,
        description="Print the go-live readiness report of a running iyzico emulator (iyzico's checklist, item by "
        "item); exit status 1 while a required item is open.",
    )
    parser.add_argument("--url", required=True, help="the emulator's base URL, e.g. http://127.0.0.1:8099")
    merchant = parser.add_mutually_exclusive_group()
    merchant.add_argument("--api-key", help="the merchant to report on (default: the emulator's first merchant)")
    merchant.add_argument("--merchant-id", type=int, help="the merchant to report on, by iyzico's numeric merchantId")
    parser.add_argument(
        "--probe-webhooks",
        action="store_true",
        help="first send your webhook endpoint a replayed and forged notifications (it must be running)",
    )
    parser.add_argument("--markdown", metavar="FILE", type=Path, help="also write the report as Markdown to FILE")
    parser.add_argument("--timeout", type=float, default=60.0, help="seconds to wait for the emulator (default: 60)")
    return parser


def _fail(message: str) -> typing.NoReturn:
    print(f"{_PROG}: {message}", file=sys.stderr)  # noqa: T201
    sys.exit(_EXIT_NO_REPORT)


def _fetch(http: httpx.Client, merchant_id: int | None, *, probe: bool, console: Console) -> ReadinessReport:
    selection = {} if merchant_id is None else {"merchantId": merchant_id}
    if probe:
        probed = http.post("/_sandbox/readiness/probe-webhooks", json=selection)
        if probed.status_code == httpx.codes.CONFLICT:
            console.print(f"[yellow]webhook probe not sent:[/yellow] {probed.text}", markup=True, highlight=False)
        elif probed.status_code != httpx.codes.OK:
            _fail(f"the webhook probe failed: HTTP {probed.status_code} {probed.text[:200]}")
    answer = http.get("/_sandbox/readiness", params=selection)
    if answer.status_code != httpx.codes.OK:
        _fail(f"no report: HTTP {answer.status_code} {answer.text[:200]}")
    try:
        return ReadinessReport.from_json(answer.json())
    except (ValueError, KeyError, TypeError) as error:
        _fail(f"{http.base_url} did not answer a readiness report ({type(error).__name__}); is it an iyzico emulator?")


def main(argv: Sequence[str]) -> None:
    options = _parser().parse_args(argv)
    merchant_id = merchant_number(options.api_key) if options.api_key else options.merchant_id
    console = Console(highlight=False)
    try:
        with httpx.Client(base_url=options.url, timeout=options.timeout) as http:
            report = _fetch(http, merchant_id, probe=options.probe_webhooks, console=console)
    except (httpx.HTTPError, httpx.InvalidURL) as error:
        _fail(f"cannot reach {options.url}: {type(error).__name__}: {error}")
    print_report(report, console)
    if options.markdown is not None:
        options.markdown.write_text(to_markdown(report), encoding="utf-8")
        console.print(f"written to {options.markdown}")
    sys.exit(0 if report.ready else _EXIT_OPEN)
