"""The README's main command: `scripts/demo.py` runs green in-process, and with `--base-url` against an endpoint.

The demo runs in a subprocess, as a user runs it (`IYZICO_BOOTSTRAPPED=1` keeps it in this interpreter
instead of preparing `.venv`). The `--base-url` run targets a real loopback emulator started here, which
stands in for a remote iyzico endpoint: the browser-driven steps must then be skipped, not fail.
"""

from __future__ import annotations

import os
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

from iyzico_ext.sandbox import DEFAULT_API_KEY, DEFAULT_SECRET_KEY
from iyzico_ext.sandbox.embedded import SandboxHandle

DEMO = Path(__file__).resolve().parent.parent / "scripts" / "demo.py"
_TIMEOUT_SECONDS = 120


def _run_demo(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    environment = {**os.environ, "IYZICO_BOOTSTRAPPED": "1", "PYTHONIOENCODING": "utf-8", **env}
    return subprocess.run(
        [sys.executable, str(DEMO), *args],
        env=environment,
        capture_output=True,
        text=True,
        timeout=_TIMEOUT_SECONDS,
        check=False,
    )


def _lines(output: str) -> dict[str, str]:
    """Step title -> its report line (the title is what follows the outcome word)."""
    lines: dict[str, str] = {}
    for line in output.splitlines():
        outcome, _, rest = line.partition(" ")
        if outcome in {"ok", "skip", "FAIL"}:
            lines[rest.strip().split("  ")[0]] = line
    return lines


def test_demo_in_process() -> None:
    result = _run_demo()
    assert result.returncode == 0, result.stdout + result.stderr
    lines = _lines(result.stdout)
    assert "against the in-process emulator" in result.stdout
    assert all(line.startswith("ok ") for line in lines.values()), result.stdout
    assert len(lines) == 10
    assert "paid 100.0 TRY" in lines["marketplace Non-3DS payment"]
    assert "sub-merchant 94.2, merchant 2.06" in lines["marketplace Non-3DS payment"]
    assert "signature and echo verified" in lines["marketplace Non-3DS payment"]
    assert "refunded 20.00 TRY" in lines["partial refund"]
    assert "callback signature verified (mdStatus 1)" in lines["3-D Secure payment"]
    assert "SUCCESS" in lines["checkout form"]
    assert "Akbank" in lines["BIN lookup"]
    assert "12x 115.43" in lines["installments"]
    assert "CardDeclinedError 10051" in lines["declined test card"]
    assert result.stdout.rstrip().endswith("10 ok, 0 skipped, 0 failed")


def test_demo_against_a_base_url(iyzico_sandbox_server: SandboxHandle) -> None:
    result = _run_demo(
        "--base-url",
        iyzico_sandbox_server.base_url,
        IYZIPAY_API_KEY=DEFAULT_API_KEY,
        IYZIPAY_SECRET_KEY=DEFAULT_SECRET_KEY,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    lines = _lines(result.stdout)
    assert f"against {iyzico_sandbox_server.base_url}" in result.stdout
    assert lines["3-D Secure payment"].startswith("skip ")
    assert lines["checkout form"].startswith("skip ")
    assert "skipped against a remote endpoint" in lines["checkout form"]
    assert "CardDeclinedError 10051" in lines["declined test card"]
    assert result.stdout.rstrip().endswith("8 ok, 2 skipped, 0 failed")
    # The demo's calls reached this very server: one payment charged (3DS and checkout wait for a browser),
    # its item approved and partly refunded; the declined card charged nothing.
    [payment] = iyzico_sandbox_server.ledger()
    assert (payment["paidPrice"], payment["refunded"]) == (Decimal("100.0"), Decimal("20.00"))
    assert payment["items"][0]["transactionStatus"] == 2


def test_demo_refuses_a_base_url_without_keys() -> None:
    environment = {name: value for name, value in os.environ.items() if not name.startswith("IYZIPAY_")}
    result = subprocess.run(
        [sys.executable, str(DEMO), "--base-url", "https://sandbox-api.iyzipay.com"],
        env={**environment, "IYZICO_BOOTSTRAPPED": "1"},
        capture_output=True,
        text=True,
        timeout=_TIMEOUT_SECONDS,
        check=False,
    )
    assert result.returncode != 0
    assert "IYZIPAY_API_KEY and IYZIPAY_SECRET_KEY" in result.stderr
