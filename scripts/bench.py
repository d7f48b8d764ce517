#!/usr/bin/env python3
"""Benchmark the client against the Python floor, raw httpx and the official `iyzipay` client, on loopback.

    python scripts/bench.py                      # full run, about 3.6 minutes
    python scripts/bench.py --quick              # the same measurements, shorter (under 60 s)
    python scripts/bench.py --json bench.json    # also write every number as JSON

One run starts a fixed-response server in its own process on 127.0.0.1 (HTTP, and TLS with a
throwaway CA made for the run by `openssl`), which answers every call with a signed ~9 KB payment
(10 itemTransactions) that echoes the benchmark's request, so our client verifies it in full. Then:

* end to end (`_bench_scenarios`): calls/s, p50/p99 latency and client CPU per call for the
  `http.client` floor, raw httpx POST of pre-built bytes (stock httpx: the baseline), our full
  `create_payment` call, the official client over TLS with a production-sized trust store, and
  asyncio with 1/8/32 calls in flight over our default transport, httpx's own and httpx-aiohttp's.
  The scenarios take turns round by round, so a slow phase of a shared machine hits all of them
  alike; each figure is the median over the rounds;
* the sync client and 32 async calls in flight once more against a port that answers 5 ms late. The
  async target is measured there: on bare loopback one client process is CPU-bound whatever it does
  (async can only beat sync by costing less CPU per call, and both run the same trust layer), while
  iyzico itself answers in tens to hundreds of milliseconds, so waiting is what concurrency overlaps;
* micro costs of each step of a call, import time against `import httpx`, and the time to
  regenerate the client from the whole spec (`_bench_micro`).

It prints a table and the ratios the targets are set on (ratios only mean something within one run:
absolute numbers on shared VMs move by up to 2x between runs). Everything is bounded in time; the
server and the official-client workers are child processes that end with the run.
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
import typing
from collections.abc import Callable, Sequence
from importlib import metadata
from pathlib import Path

import attrs
from _bench_fixtures import signed_payment_response, write_tls_files
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
from _bench_scenarios import (
    AsyncScenario,
    AsyncTransportKind,
    OfficialScenario,
    Scenario,
    floor_scenario,
    full_scenario,
    raw_httpx_scenario,
)
from _bench_server import SLOW_PORT_DELAY_MS, FixedResponseServer


@attrs.frozen
class Settings:
    rounds: int
    seconds_per_round: float
    micro_repeats: int
    import_repeats: int
    regeneration_repeats: int


FULL = Settings(rounds=5, seconds_per_round=2.0, micro_repeats=7, import_repeats=7, regeneration_repeats=3)
QUICK = Settings(rounds=3, seconds_per_round=0.5, micro_repeats=3, import_repeats=3, regeneration_repeats=1)
IN_FLIGHT = (1, 8, 32)
ASYNC_TRANSPORTS: tuple[AsyncTransportKind, ...] = ("default", "httpx", "aiohttp")


@attrs.frozen
class Target:
    """A ratio's goal from the issue: at most or at least `bound`."""

    bound: float
    at_most: bool

    def met(self, value: float) -> bool:
        return value <= self.bound if self.at_most else value >= self.bound

    def __str__(self) -> str:
        return f"{'<=' if self.at_most else '>='} {self.bound:g}"


TARGETS = {
    "full_over_raw": Target(1.25, at_most=True),
    "official_over_ours": Target(30, at_most=False),
    "async32_over_sync": Target(2, at_most=False),
    "import_ms_over_httpx": Target(60, at_most=True),
}

OURS = "iyzico_ext + iyzico_client + api.payment.create_payment"
EVERYTHING = "iyzico_ext + every module of iyzico_client"
LATENCY = f"a server answering {SLOW_PORT_DELAY_MS:g} ms late"
RATIO_MEANINGS = {
    "full_over_raw": "CPU/call: our full call / raw httpx POST of pre-built bytes (HTTP)",
    "full_over_raw_tls": "CPU/call: the same over TLS",
    "full_over_floor": "CPU/call: our full call / http.client floor (HTTP)",
    "official_over_ours": "CPU/call: official iyzipay over TLS / our full call over TLS",
    "async32_over_sync": f"calls/s: async, 32 in flight (default transport) / one sync client, {LATENCY}",
    "async32_httpx_over_sync": f"the same over httpx.AsyncHTTPTransport (stock httpx), {LATENCY}",
    "async32_aiohttp_over_sync": f"the same over httpx-aiohttp, {LATENCY}",
    "async32_over_sync_loopback": "calls/s: async 32 (default transport) / sync, bare loopback (CPU-bound)",
    "async32_httpx_over_sync_loopback": "the same over httpx.AsyncHTTPTransport, bare loopback",
    "async32_aiohttp_over_sync_loopback": "the same over httpx-aiohttp, bare loopback",
    "import_ms_over_httpx": "ms: import iyzico_ext + iyzico_client + create_payment, minus import httpx",
    "import_all_ms_over_httpx": "ms: the same with every model and api module of the client",
}


def _scenarios(server: FixedResponseServer, tls_files: typing.Any) -> list[Scenario]:
    scenarios: list[Scenario] = [
        floor_scenario(server.http_port),
        raw_httpx_scenario(server.http_url, None),
        full_scenario(server.http_url, None),
        raw_httpx_scenario(server.tls_url, tls_files),
        full_scenario(server.tls_url, tls_files),
        OfficialScenario(server.tls_port, tls_files),
        raw_httpx_scenario(server.http_url, None, our_transport=True),
    ]
    for transport in ASYNC_TRANSPORTS:
        scenarios.extend(AsyncScenario(server.http_url, transport, in_flight) for in_flight in IN_FLIGHT)
    scenarios.append(full_scenario(server.slow_http_url, None, SLOW_PORT_DELAY_MS))
    scenarios.extend(AsyncScenario(server.slow_http_url, kind, 32, SLOW_PORT_DELAY_MS) for kind in ASYNC_TRANSPORTS)
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


def _ratios(summaries: dict[str, Summary], import_ms: dict[str, float]) -> dict[str, float]:
    def cpu(name: str) -> float:
        return summaries[name].cpu_us_per_call

    def throughput(name: str) -> float:
        return summaries[name].calls_per_second

    return {
        "full_over_raw": cpu("full_http") / cpu("raw_httpx_http"),
        "full_over_raw_tls": cpu("full_tls") / cpu("raw_httpx_tls"),
        "full_over_floor": cpu("full_http") / cpu("floor_http"),
        "official_over_ours": cpu("official_tls") / cpu("full_tls"),
        "async32_over_sync": throughput("async32_default_latency") / throughput("full_http_latency"),
        "async32_httpx_over_sync": throughput("async32_httpx_latency") / throughput("full_http_latency"),
        "async32_aiohttp_over_sync": throughput("async32_aiohttp_latency") / throughput("full_http_latency"),
        "async32_over_sync_loopback": throughput("async32_default") / throughput("full_http"),
        "async32_httpx_over_sync_loopback": throughput("async32_httpx") / throughput("full_http"),
        "async32_aiohttp_over_sync_loopback": throughput("async32_aiohttp") / throughput("full_http"),
        "import_ms_over_httpx": import_ms[OURS] - import_ms["httpx"],
        "import_all_ms_over_httpx": import_ms[EVERYTHING] - import_ms["httpx"],
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
    import_ms: dict[str, float],
    regeneration: Regeneration,
    ratios: dict[str, float],
) -> str:
    raw_cpu = summaries["raw_httpx_http"].cpu_us_per_call
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
    costs = [[cost.title, f"{cost.microseconds:,.1f}"] for cost in micro]
    imports = [[what, f"{ms:.1f}"] for what, ms in import_ms.items()]
    regenerated = "up to date" if regeneration.up_to_date else "DRIFT: generated/ differs from the spec"
    imports.append(
        [f"regenerate the whole spec (generate.py --check, {regenerated})", f"{regeneration.seconds * 1000:.0f}"]
    )
    goals = [
        [
            name,
            RATIO_MEANINGS[name],
            f"{value:.2f}",
            str(TARGETS[name]) if name in TARGETS else "",
            ("met" if TARGETS[name].met(value) else "MISSED") if name in TARGETS else "",
        ]
        for name, value in ratios.items()
    ]
    return "\n\n".join(
        [
            _table(end_to_end, ["scenario", "calls/s", "p50 ms", "p99 ms", "CPU µs/call", "CPU x raw httpx"]),
            _table(costs, ["step of one create_payment call", "µs"]),
            _table(imports, ["fresh interpreter", "ms"]),
            _table(goals, ["ratio", "meaning", "value", "target", ""]),
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


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="shorter rounds and fewer repeats (under 60 s)")
    parser.add_argument("--json", type=Path, metavar="PATH", help="also write the results as JSON to PATH")
    arguments = parser.parse_args(argv)
    settings = QUICK if arguments.quick else FULL
    started = time.perf_counter()

    def progress(message: str) -> None:
        print(f"[{time.perf_counter() - started:5.1f} s] {message}", file=sys.stderr, flush=True)

    with tempfile.TemporaryDirectory(prefix="iyzico-bench-") as temporary:
        directory = Path(temporary)
        progress("making the throwaway CA and the signed response")
        tls_files = write_tls_files(directory)
        body_file = directory / "payment-response.json"
        body_file.write_bytes(signed_payment_response())
        with FixedResponseServer(body_file, tls_files.server_cert, tls_files.server_key) as server:
            scenarios = _scenarios(server, tls_files)
            try:
                samples = _run_scenarios(scenarios, settings, progress)
            finally:
                for scenario in scenarios:
                    scenario.close()
    titles = {scenario.name: scenario.title for scenario in scenarios}
    summaries = {name: summarise(rounds) for name, rounds in samples.items()}
    progress("micro costs")
    micro = micro_costs(settings.micro_repeats)
    progress("import times")
    import_ms = {
        "httpx": import_milliseconds(IMPORT_HTTPX, settings.import_repeats),
        OURS: import_milliseconds(IMPORT_OURS, settings.import_repeats),
        EVERYTHING: import_milliseconds(IMPORT_EVERYTHING, settings.import_repeats),
    }
    progress("regeneration")
    regeneration = regeneration_seconds(settings.regeneration_repeats)
    ratios = _ratios(summaries, import_ms)
    progress("done")
    command = "python scripts/bench.py" + (" --quick" if arguments.quick else "")
    print(f"{command}  ({settings.rounds} rounds x {settings.seconds_per_round:g} s per scenario, medians)\n")
    print(_report(titles, summaries, micro, import_ms, regeneration, ratios))
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
            "import_ms": import_ms,
            "regeneration": regeneration._asdict(),
        }
        arguments.json.write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
