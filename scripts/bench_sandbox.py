#!/usr/bin/env python3
"""Signed Non-3DS payments per second against the emulator on a real loopback uvicorn server.

    python3 scripts/bench_sandbox.py             # 3 rounds of 5 s: each round's rate, then best and median
    python3 scripts/bench_sandbox.py --rounds 5

Starts the emulator in a subprocess (its own CPU, as in production), then several client threads send
signed `/payment/auth` calls for a fixed time and the script prints the rate. On a shared machine other
work steals CPU from either side, so several rounds are measured against the same server and the best and
the median are reported (the best is the closest to what the emulator can do; the median what to expect).
Where /proc is available it also reports the server's own CPU time per payment, which contention barely
moves: 1000 / (CPU ms per payment) is what one core of the emulator can serve.
"""

from __future__ import annotations

import _bootstrap

_bootstrap.ensure_venv()

import argparse
import os
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

import httpx

from iyzico_client.types import json_dumps
from iyzico_ext._secret import SecretKey
from iyzico_ext._signing import authorization_header, new_random_key, request_signature

sys.path.insert(0, str(_bootstrap.ROOT))  # the test suite's payment request, to bench what the tests send

from tests.sandbox.conftest import payment_body

ROUND_SECONDS = 5.0
THREADS = 4


def _run_load(url: str, body: bytes, stop_at: float, counts: list[int]) -> None:
    done = 0
    with httpx.Client(base_url=url) as client:
        while time.monotonic() < stop_at:
            random_key = new_random_key()
            signature = request_signature(SecretKey("sandbox-secret-key"), random_key, "/payment/auth", body)
            headers = {"Authorization": authorization_header("sandbox-api-key", random_key, signature)}
            answer = client.post("/payment/auth", content=body, headers=headers)
            assert answer.json()["status"] == "success", answer.text
            done += 1
    counts.append(done)


def _cpu_seconds(pid: int) -> float | None:
    """User + system CPU time of a process (Linux /proc), `None` elsewhere."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    utime, stime = int(fields[11]), int(fields[12])  # fields 14 and 15 of proc(5), counted after "pid (comm)"
    return (utime + stime) / os.sysconf("SC_CLK_TCK")


def _round(url: str, body: bytes) -> tuple[int, float]:
    """(payments, seconds) of one round of `ROUND_SECONDS` with `THREADS` client threads."""
    counts: list[int] = []
    stop_at = time.monotonic() + ROUND_SECONDS
    threads = [threading.Thread(target=_run_load, args=(url, body, stop_at, counts)) for _ in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return sum(counts), ROUND_SECONDS


def _start_server() -> tuple[subprocess.Popen[str], str]:
    server = subprocess.Popen(
        [sys.executable, "-m", "iyzico_ext.sandbox", "--port", "0"], stdout=subprocess.PIPE, text=True
    )
    assert server.stdout is not None
    url = ""
    while not url.startswith("http"):
        line = server.stdout.readline()
        if not line:
            raise RuntimeError("the emulator exited before listening")
        url = line.strip().rsplit(" ", 1)[-1]
    return server, url


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--rounds", type=int, default=3, help="rounds to measure (default: %(default)s)")
    rounds = parser.parse_args().rounds
    server, url = _start_server()
    try:
        body = json_dumps(payment_body())
        rates, cpu_per_payment = [], []
        for number in range(1, rounds + 1):
            cpu_before = _cpu_seconds(server.pid)
            payments, seconds = _round(url, body)
            cpu_after = _cpu_seconds(server.pid)
            rates.append(payments / seconds)
            line = f"round {number}: {rates[-1]:.0f} signed payments/s"
            if cpu_before is not None and cpu_after is not None and payments:
                cpu_per_payment.append((cpu_after - cpu_before) * 1000 / payments)
                line += f", server CPU {cpu_per_payment[-1]:.2f} ms per payment"
            print(line, flush=True)
        best, median = max(rates), statistics.median(rates)
        print(f"best {best:.0f}, median {median:.0f} signed payments/s ({THREADS} client threads)")
        if cpu_per_payment:
            cpu = statistics.median(cpu_per_payment)
            print(f"server CPU per payment: median {cpu:.2f} ms (one core serves ~{1000 / cpu:.0f} payments/s)")
    finally:
        server.terminate()
        server.wait(timeout=10)


if __name__ == "__main__":
    main()
