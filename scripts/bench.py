#!/usr/bin/env python3
"""Benchmark what users pay for the client: CPU per call over the same transport, concurrency at real
latency, the emulator for their CI, start-up, memory. Everything runs on 127.0.0.1.

    python scripts/bench.py                      # full run, about 4 minutes
    python scripts/bench.py --quick              # the same measurements, shorter (under 60 s)
    python scripts/bench.py --json bench.json    # also write every number as JSON

One run starts fixed-response servers in their own processes (HTTP, TLS with a throwaway CA made for
the run by `openssl`, and a port that answers 100 ms late, as iyzico does while it waits on the bank),
which answer every call with a signed payment that echoes the benchmark's request (10 basket items;
55 and 100 for the cost per item), so our client verifies it in full. Then:

* end to end (`_bench_scenarios`): calls/s, p50/p99 latency and client CPU per call for the
  `http.client` floor, raw httpx POST of pre-built bytes (the baseline of the trust layer's overhead,
  on the same default transport), our full `create_payment` call, the official client over TLS with a
  production-sized trust store, 32 async calls in flight against the late port (default settings, and
  stock httpx for comparison), and one payment in-process on the emulator and on a canned mock. The
  scenarios take turns round by round, so a slow phase of a shared machine hits all of them alike;
  each figure is the median over the rounds;
* in fresh processes (`_bench_process`, `_bench_micro`): cold start, memory growth over 10,000 calls,
  import time against `import httpx`, the per-test cost of the loopback emulator fixture, the steps of
  one call on their own, and the time to regenerate the client from the whole spec.

It prints tables and the `ratios` the goals are set on (compare within one run: absolute numbers on a
shared VM move by up to 2x between runs). Everything is bounded in time; the servers and the official
client's workers are child processes that end with the run.
"""

from __future__ import annotations

import _bootstrap

_bootstrap.ensure_venv()

import argparse
import json
import platform
import sys
import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import ExitStack, contextmanager
from importlib import metadata
from pathlib import Path

import attrs
from _bench_fixtures import ITEM_COUNT, TlsFiles, signed_payment_response, write_tls_files
from _bench_measure import Sample, Summary, summarise
from _bench_micro import (
    IMPORT_EVERYTHING,
    IMPORT_HTTPX,
    IMPORT_OURS,
    MicroCost,
    Regeneration,
    import_milliseconds,
    micro_costs,
    regeneration_seconds,
)
from _bench_process import cold_start_milliseconds, compile_sources, loopback_fixture_milliseconds, rss_growth_mib
from _bench_scenarios import (
    AsyncScenario,
    OfficialScenario,
    Scenario,
    emulator_scenario,
    floor_scenario,
    full_scenario,
    mock_scenario,
    raw_httpx_scenario,
)
from _bench_server import SLOW_PORT_DELAY_MS, FixedResponseServer


@attrs.frozen
class Settings:
    rounds: int
    seconds_per_round: float
    micro_repeats: int
    process_repeats: int
    fixture_repeats: int
    regeneration_repeats: int


FULL = Settings(
    rounds=5, seconds_per_round=2.0, micro_repeats=7, process_repeats=7, fixture_repeats=50, regeneration_repeats=3
)
QUICK = Settings(
    rounds=3, seconds_per_round=0.4, micro_repeats=3, process_repeats=3, fixture_repeats=10, regeneration_repeats=1
)
PER_ITEM_COUNTS = (ITEM_COUNT, 55, 100)  # the trust layer's cost per basket item, and whether it is linear
IN_FLIGHT = 32


@attrs.frozen
class Target:
    """A ratio's goal from the issue: at most or at least `bound`."""

    bound: float
    at_most: bool

    def met(self, value: float) -> bool:
        return value <= self.bound if self.at_most else value >= self.bound

    def __str__(self) -> str:
        return f"{'<=' if self.at_most else '>='} {self.bound:g}"


LATE = f"at {SLOW_PORT_DELAY_MS:g} ms"
TARGETS = {
    "trust_overhead_us": Target(80, at_most=True),
    "trust_overhead_per_item_us": Target(8, at_most=True),
    "official_over_ours": Target(30, at_most=False),
    "async32_at_100ms_calls_per_s": Target(280, at_most=False),
    "async32_at_100ms_p99_ms": Target(150, at_most=True),
    "emulator_over_mock": Target(2.5, at_most=True),
    "loopback_fixture_setup_ms": Target(10, at_most=True),
    "cold_start_ms": Target(120, at_most=True),
    "import_ms_over_httpx": Target(60, at_most=True),
    "rss_growth_10k_calls_mib": Target(1, at_most=True),
}

OURS = "iyzico_ext + iyzico_client + api.payment.create_payment"
EVERYTHING = "iyzico_ext + every module of iyzico_client"
RATIO_MEANINGS = {
    "trust_overhead_us": "CPU us/call: our full create_payment (10 items) minus raw httpx POST, same transport",
    "trust_overhead_per_item_us": "CPU us per basket item of that overhead, 10 -> 100 items",
    "trust_overhead_per_item_us_10_55": "the same slope over 10 -> 55 items (linear: close to 55 -> 100)",
    "trust_overhead_per_item_us_55_100": "the same slope over 55 -> 100 items",
    "trust_overhead_tls_us": "CPU us/call: the overhead over TLS",
    "official_over_ours": "CPU/call: official iyzipay over TLS / our full call over TLS",
    "async32_at_100ms_calls_per_s": f"calls/s, 32 async calls in flight, server {LATE}, default settings",
    "async32_at_100ms_p99_ms": "p99 latency (ms) of those calls",
    "async32_at_100ms_stock_httpx_calls_per_s": "the same over stock httpx.AsyncHTTPTransport (same pool size)",
    "async32_at_100ms_stock_httpx_p99_ms": "p99 latency (ms) of those",
    "emulator_over_mock": "CPU/payment: in-process emulator / canned-response mock, through IyzicoClient",
    "loopback_fixture_setup_ms": "ms per test: the loopback emulator fixture, set up and torn down",
    "cold_start_ms": "ms: fresh process, import + client + first verified payment on loopback",
    "import_ms_over_httpx": "ms: import iyzico_ext + iyzico_client + create_payment, minus import httpx",
    "import_all_ms_over_httpx": "ms: the same with every model and api module of the client",
    "rss_growth_10k_calls_mib": "MiB: resident memory growth from the 1,000th to the 10,000th call",
}


@attrs.frozen
class Servers:
    """The benchmark's fixed-response servers: one per basket size (the 10-item one also serves TLS)."""

    by_items: dict[int, FixedResponseServer]
    tls: TlsFiles

    @property
    def main(self) -> FixedResponseServer:
        return self.by_items[ITEM_COUNT]


@contextmanager
def _servers(directory: Path, progress: Callable[[str], None]) -> Iterator[Servers]:
    progress("making the throwaway CA and the signed responses")
    tls = write_tls_files(directory)
    with ExitStack() as stack:
        running = {}
        for items in PER_ITEM_COUNTS:
            body = directory / f"payment-response-{items}.json"
            body.write_bytes(signed_payment_response(items))
            running[items] = stack.enter_context(FixedResponseServer(body, tls.server_cert, tls.server_key))
        yield Servers(running, tls)


def _scenarios(servers: Servers) -> list[Scenario]:
    main = servers.main
    scenarios: list[Scenario] = [floor_scenario(main.http_port)]
    for items, server in servers.by_items.items():
        scenarios += [raw_httpx_scenario(server.http_url, None, items), full_scenario(server.http_url, None, items)]
    scenarios += [
        raw_httpx_scenario(main.tls_url, servers.tls),
        full_scenario(main.tls_url, servers.tls),
        OfficialScenario(main.tls_port, servers.tls),
        AsyncScenario(main.slow_http_url, "default", IN_FLIGHT, SLOW_PORT_DELAY_MS),
        AsyncScenario(main.slow_http_url, "httpx", IN_FLIGHT, SLOW_PORT_DELAY_MS),
        mock_scenario(),
        emulator_scenario(),
    ]
    return scenarios


def _run_scenarios(
    scenarios: Sequence[Scenario], settings: Settings, progress: Callable[[str], None]
) -> dict[str, list[Sample]]:
    samples: dict[str, list[Sample]] = {scenario.name: [] for scenario in scenarios}
    for scenario in scenarios:
        scenario.warm_up()
    for round_number in range(1, settings.rounds + 1):
        progress(f"round {round_number} of {settings.rounds}")
        for scenario in scenarios:
            samples[scenario.name].append(scenario.run(settings.seconds_per_round))
    return samples


@attrs.frozen
class ProcessCosts:
    """What is measured outside the scenarios' rounds."""

    import_ms: dict[str, float]
    cold_start_ms: float
    rss_growth_mib: float
    loopback_fixture_ms: float


def _ratios(summaries: dict[str, Summary], costs: ProcessCosts) -> dict[str, float]:
    def cpu(name: str) -> float:
        return summaries[name].cpu_us_per_call

    def overhead(items: int) -> float:
        suffix = "" if items == ITEM_COUNT else f"_{items}items"
        return cpu(f"full_http{suffix}") - cpu(f"raw_http{suffix}")

    low, middle, high = PER_ITEM_COUNTS
    ours = summaries[f"async{IN_FLIGHT}_default_at_{SLOW_PORT_DELAY_MS:g}ms"]
    stock = summaries[f"async{IN_FLIGHT}_httpx_at_{SLOW_PORT_DELAY_MS:g}ms"]
    return {
        "trust_overhead_us": overhead(low),
        "trust_overhead_per_item_us": (overhead(high) - overhead(low)) / (high - low),
        "trust_overhead_per_item_us_10_55": (overhead(middle) - overhead(low)) / (middle - low),
        "trust_overhead_per_item_us_55_100": (overhead(high) - overhead(middle)) / (high - middle),
        "trust_overhead_tls_us": cpu("full_tls") - cpu("raw_tls"),
        "official_over_ours": cpu("official_tls") / cpu("full_tls"),
        "async32_at_100ms_calls_per_s": ours.calls_per_second,
        "async32_at_100ms_p99_ms": ours.p99_ms,
        "async32_at_100ms_stock_httpx_calls_per_s": stock.calls_per_second,
        "async32_at_100ms_stock_httpx_p99_ms": stock.p99_ms,
        "emulator_over_mock": cpu("emulator_in_process") / cpu("mock_in_process"),
        "loopback_fixture_setup_ms": costs.loopback_fixture_ms,
        "cold_start_ms": costs.cold_start_ms,
        "import_ms_over_httpx": costs.import_ms[OURS] - costs.import_ms["httpx"],
        "import_all_ms_over_httpx": costs.import_ms[EVERYTHING] - costs.import_ms["httpx"],
        "rss_growth_10k_calls_mib": costs.rss_growth_mib,
    }


def _table(rows: Sequence[Sequence[str]], header: Sequence[str]) -> str:
    widths = [max(len(row[column]) for row in [header, *rows]) for column in range(len(header))]
    lines = ["| " + " | ".join(cell.ljust(width) for cell, width in zip(header, widths, strict=True)) + " |"]
    lines.append("|" + "|".join("-" * (width + 2) for width in widths) + "|")
    lines.extend("| " + " | ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)) + " |" for row in rows)
    return "\n".join(lines)


def _report(
    titles: dict[str, str],
    summaries: dict[str, Summary],
    micro: list[MicroCost],
    costs: ProcessCosts,
    regeneration: Regeneration,
    ratios: dict[str, float],
) -> str:
    raw_cpu = summaries["raw_http"].cpu_us_per_call
    end_to_end = [
        [
            titles[name],
            f"{summary.calls_per_second:,.0f}",
            f"{summary.p50_ms:.2f}",
            f"{summary.p99_ms:.2f}",
            f"{summary.cpu_us_per_call:,.0f}",
            f"{summary.cpu_us_per_call / raw_cpu:.2f}",
        ]
        for name, summary in summaries.items()
    ]
    steps = [[cost.title, f"{cost.microseconds:,.1f}"] for cost in micro]
    processes = [[what, f"{ms:.1f}"] for what, ms in costs.import_ms.items()]
    regenerated = "up to date" if regeneration.up_to_date else "DRIFT: generated/ differs from the spec"
    processes.append(
        [f"regenerate the whole spec (generate.py --check, {regenerated})", f"{regeneration.seconds * 1000:.0f}"]
    )
    goals = [
        [
            name,
            RATIO_MEANINGS[name],
            f"{value:,.2f}",
            str(TARGETS[name]) if name in TARGETS else "",
            ("met" if TARGETS[name].met(value) else "MISSED") if name in TARGETS else "",
        ]
        for name, value in ratios.items()
    ]
    return "\n\n".join(
        [
            _table(end_to_end, ["scenario", "calls/s", "p50 ms", "p99 ms", "CPU µs/call", "CPU x raw httpx"]),
            _table(steps, ["step of one create_payment call", "µs"]),
            _table(processes, ["fresh interpreter", "ms"]),
            _table(goals, ["key", "meaning", "value", "goal", ""]),
        ]
    )


def _environment() -> dict[str, str]:
    versions = {name: metadata.version(name) for name in ("httpx", "httpcore", "aiohttp", "httpx-aiohttp", "iyzipay")}
    return {
        "python": sys.version.split()[0],
        "platform": platform.platform(),
        "machine": platform.machine(),
        **versions,
    }


def _process_costs(main_url: str, settings: Settings, progress: Callable[[str], None]) -> ProcessCosts:
    progress("import times")
    compile_sources()
    import_ms = {
        "httpx": import_milliseconds(IMPORT_HTTPX, settings.process_repeats),
        OURS: import_milliseconds(IMPORT_OURS, settings.process_repeats),
        EVERYTHING: import_milliseconds(IMPORT_EVERYTHING, settings.process_repeats),
    }
    progress("cold start")
    cold_start = cold_start_milliseconds(main_url, settings.process_repeats)
    progress("memory over 10,000 calls")
    rss_growth = rss_growth_mib(main_url)
    progress("the loopback emulator fixture")
    fixture = loopback_fixture_milliseconds(settings.fixture_repeats)
    return ProcessCosts(import_ms, cold_start, rss_growth, fixture)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="shorter rounds and fewer repeats (under 60 s)")
    parser.add_argument("--json", type=Path, metavar="PATH", help="also write the results as JSON to PATH")
    arguments = parser.parse_args(argv)
    settings = QUICK if arguments.quick else FULL
    started = time.perf_counter()

    def progress(message: str) -> None:
        print(f"[{time.perf_counter() - started:5.1f} s] {message}", file=sys.stderr, flush=True)

    with (
        tempfile.TemporaryDirectory(prefix="iyzico-bench-") as temporary,
        _servers(Path(temporary), progress) as servers,
    ):
        scenarios = _scenarios(servers)
        try:
            samples = _run_scenarios(scenarios, settings, progress)
        finally:
            for scenario in scenarios:
                scenario.close()
        costs = _process_costs(servers.main.http_url, settings, progress)
    titles = {scenario.name: scenario.title for scenario in scenarios}
    summaries = {name: summarise(rounds) for name, rounds in samples.items()}
    progress("micro costs")
    micro = micro_costs(settings.micro_repeats)
    progress("regeneration")
    regeneration = regeneration_seconds(settings.regeneration_repeats)
    ratios = _ratios(summaries, costs)
    progress("done")
    command = "python scripts/bench.py" + (" --quick" if arguments.quick else "")
    print(f"{command}  ({settings.rounds} rounds x {settings.seconds_per_round:g} s per scenario, medians)\n")
    print(_report(titles, summaries, micro, costs, regeneration, ratios))
    if arguments.json:
        result = {
            "command": command,
            "settings": attrs.asdict(settings),
            "environment": _environment(),
            "ratios": ratios,
            "targets": {name: {"target": str(goal), "met": goal.met(ratios[name])} for name, goal in TARGETS.items()},
            "ratio_meanings": RATIO_MEANINGS,
            "scenarios": {
                name: {
                    "title": titles[name],
                    "median": attrs.asdict(summaries[name]),
                    "rounds": [sample.to_json() for sample in runs],
                }
                for name, runs in samples.items()
            },
            "micro_us": {cost.name: {"title": cost.title, "microseconds": cost.microseconds} for cost in micro},
            "process": attrs.asdict(costs),
            "regeneration": regeneration._asdict(),
        }
        arguments.json.write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
