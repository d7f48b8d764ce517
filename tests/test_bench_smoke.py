"""Smoke test of the benchmark harness: every piece runs for a moment and produces sane-looking output.

No timing is asserted (shared CI machines make any bound flaky); the bench's numbers are only
meaningful from a full `python scripts/bench.py` run. What this proves: the server starts and serves
a response our client verifies over HTTP and TLS, every scenario (including the official client's
worker process and both async transports) completes calls, and the report and ratios are built.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterator

import bench
import pytest
from _bench_fixtures import TlsFiles, signed_payment_response, write_tls_files
from _bench_measure import summarise
from _bench_micro import IMPORT_HTTPX, Regeneration, import_milliseconds, micro_costs
from _bench_server import FixedResponseServer


@pytest.fixture(scope="module")
def tls_files(tmp_path_factory: pytest.TempPathFactory) -> TlsFiles:
    return write_tls_files(tmp_path_factory.mktemp("bench-tls"))


@pytest.fixture(scope="module")
def server(tls_files: TlsFiles, tmp_path_factory: pytest.TempPathFactory) -> Iterator[FixedResponseServer]:
    body_file = tmp_path_factory.mktemp("bench-body") / "payment.json"
    body_file.write_bytes(signed_payment_response())
    with FixedResponseServer(body_file, tls_files.server_cert, tls_files.server_key) as running:
        yield running


def test_the_signed_response_is_a_realistic_payment() -> None:
    body = json.loads(signed_payment_response())
    assert body["status"] == "success"
    assert len(body["itemTransactions"]) == 10
    assert body["signature"]


def test_every_scenario_runs_and_the_report_has_every_ratio(server: FixedResponseServer, tls_files: TlsFiles) -> None:
    scenarios = bench._scenarios(server, tls_files)
    try:
        for scenario in scenarios:
            scenario.warm_up()  # raises unless our client returned a verified payment
        samples = {scenario.name: [scenario.run(0.0)] for scenario in scenarios}
    finally:
        for scenario in scenarios:
            scenario.close()
    summaries = {name: summarise(rounds) for name, rounds in samples.items()}
    assert all(summary.calls >= 1 and summary.cpu_us_per_call > 0 for summary in summaries.values())
    ratios = bench._ratios(summaries, {"httpx": 1.0, bench.OURS: 2.0, bench.EVERYTHING: 3.0})
    assert set(bench.TARGETS) <= set(ratios)
    assert all(math.isfinite(value) for value in ratios.values())
    titles = {scenario.name: scenario.title for scenario in scenarios}
    report = bench._report(titles, summaries, micro_costs(repeats=1), {}, Regeneration(1.0, True), ratios)
    assert "full_over_raw" in report
    assert "official iyzipay" in report


def test_import_timer_runs_in_a_fresh_interpreter() -> None:
    assert import_milliseconds(IMPORT_HTTPX, repeats=1) > 0
