"""Smoke test of the benchmark harness: every piece runs for a moment and produces sane-looking output.

No timing is asserted (shared CI machines make any bound flaky); the bench's numbers are only
meaningful from a full `python scripts/bench.py` run. What this proves: the servers start and serve
responses our client verifies over HTTP and TLS, every scenario (including the official client's
worker process, both async transports, the emulator and the mock) completes calls, the fresh-process
measurements run, and the report carries every key the goals are set on.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterator

import bench
import pytest
from _bench_fixtures import signed_payment_response
from _bench_measure import summarise
from _bench_micro import IMPORT_HTTPX, Regeneration, import_milliseconds, micro_costs
from _bench_process import cold_start_milliseconds, loopback_fixture_milliseconds


@pytest.fixture(scope="module")
def servers(tmp_path_factory: pytest.TempPathFactory) -> Iterator[bench.Servers]:
    with bench._servers(tmp_path_factory.mktemp("bench"), lambda message: None) as running:
        yield running


def test_the_signed_response_is_a_realistic_payment() -> None:
    body = json.loads(signed_payment_response())
    assert body["status"] == "success"
    assert len(body["itemTransactions"]) == 10
    assert body["signature"]
    assert len(json.loads(signed_payment_response(100))["itemTransactions"]) == 100


def test_every_scenario_runs_and_the_report_has_every_goal(servers: bench.Servers) -> None:
    scenarios = bench._scenarios(servers)
    try:
        for scenario in scenarios:
            scenario.warm_up()  # raises unless our client returned a verified payment
        samples = {scenario.name: [scenario.run(0.0)] for scenario in scenarios}
    finally:
        for scenario in scenarios:
            scenario.close()
    summaries = {name: summarise(rounds) for name, rounds in samples.items()}
    assert all(summary.calls >= 1 and summary.cpu_us_per_call > 0 for summary in summaries.values())
    costs = bench.ProcessCosts({"httpx": 1.0, bench.OURS: 2.0, bench.EVERYTHING: 3.0}, 50.0, 0.5, 5.0)
    ratios = bench._ratios(summaries, costs)
    assert set(bench.TARGETS) <= set(ratios) == set(bench.RATIO_MEANINGS)
    assert all(math.isfinite(value) for value in ratios.values())
    titles = {scenario.name: scenario.title for scenario in scenarios}
    report = bench._report(titles, summaries, micro_costs(repeats=1), costs, Regeneration(1.0, True), ratios)
    assert "trust_overhead_us" in report
    assert "official iyzipay" in report


def test_the_fresh_process_measurements_run(servers: bench.Servers) -> None:
    assert import_milliseconds(IMPORT_HTTPX, repeats=1) > 0
    assert cold_start_milliseconds(servers.main.http_url, repeats=1) > 0
    assert loopback_fixture_milliseconds(repeats=1) > 0
