"""Timing loops: calls per second, client CPU per call and latency percentiles, sync and asyncio.

CPU is `time.process_time()` of this process (user + system, every thread), so it counts exactly
what a web worker would pay for the client and nothing of the server, which runs in another process.
Each loop runs for a fixed wall-clock time (at least `min_calls` calls), so every run is bounded.
"""

from __future__ import annotations

import asyncio
import statistics
import time
import typing
from collections.abc import Awaitable, Callable, Sequence

import attrs

__all__ = ["Sample", "Summary", "measure_async", "measure_sync", "summarise"]

_PERCENT = 100


def _percentile(sorted_values: Sequence[float], percent: float) -> float:
    index = min(len(sorted_values) - 1, round(percent / _PERCENT * (len(sorted_values) - 1)))
    return sorted_values[index]


@attrs.frozen
class Sample:
    """One timed round of one scenario."""

    calls: int
    wall_seconds: float
    cpu_seconds: float
    p50_ms: float
    p99_ms: float

    @classmethod
    def of(cls, latencies: list[float], wall_seconds: float, cpu_seconds: float) -> Sample:
        ordered = sorted(latencies)
        return cls(
            calls=len(ordered),
            wall_seconds=wall_seconds,
            cpu_seconds=cpu_seconds,
            p50_ms=_percentile(ordered, 50) * 1000,
            p99_ms=_percentile(ordered, 99) * 1000,
        )

    @property
    def calls_per_second(self) -> float:
        return self.calls / self.wall_seconds

    @property
    def cpu_us_per_call(self) -> float:
        return self.cpu_seconds / self.calls * 1e6

    def to_json(self) -> dict[str, float]:
        return {
            **attrs.asdict(self),
            "calls_per_second": self.calls_per_second,
            "cpu_us_per_call": self.cpu_us_per_call,
        }

    @classmethod
    def from_json(cls, data: typing.Mapping[str, typing.Any]) -> Sample:
        return cls(**{field.name: data[field.name] for field in attrs.fields(cls)})


@attrs.frozen
class Summary:
    """The medians of a scenario's rounds (each figure is the median of that figure over the rounds)."""

    rounds: int
    calls: int
    calls_per_second: float
    cpu_us_per_call: float
    p50_ms: float
    p99_ms: float


def summarise(samples: Sequence[Sample]) -> Summary:
    return Summary(
        rounds=len(samples),
        calls=sum(sample.calls for sample in samples),
        calls_per_second=statistics.median(sample.calls_per_second for sample in samples),
        cpu_us_per_call=statistics.median(sample.cpu_us_per_call for sample in samples),
        p50_ms=statistics.median(sample.p50_ms for sample in samples),
        p99_ms=statistics.median(sample.p99_ms for sample in samples),
    )


def measure_sync(call: Callable[[], object], seconds: float, min_calls: int = 3) -> Sample:
    """Call `call` back to back for `seconds` (and at least `min_calls` times)."""
    latencies: list[float] = []
    clock = time.perf_counter
    cpu_started, started = time.process_time(), clock()
    stop_at = started + seconds
    now = started
    while now < stop_at or len(latencies) < min_calls:
        call()
        finished = clock()
        latencies.append(finished - now)
        now = finished
    return Sample.of(latencies, now - started, time.process_time() - cpu_started)


async def measure_async(
    call: Callable[[], Awaitable[object]], in_flight: int, seconds: float, min_calls: int = 3
) -> Sample:
    """Keep `in_flight` calls running for `seconds`: each of that many tasks calls back to back."""
    latencies: list[float] = []
    clock = time.perf_counter
    cpu_started, started = time.process_time(), clock()
    stop_at = started + seconds

    async def worker() -> None:
        while clock() < stop_at or len(latencies) < min_calls:
            call_started = clock()
            await call()
            latencies.append(clock() - call_started)

    await asyncio.gather(*(worker() for _ in range(in_flight)))
    return Sample.of(latencies, clock() - started, time.process_time() - cpu_started)
