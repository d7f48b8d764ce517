"""Signed Non-3DS payments per second against the emulator on a real loopback uvicorn server.

Starts the emulator in a subprocess (its own CPU, as in production), then several client threads send
signed `/payment/auth` calls for a fixed time and the script prints the rate. Bounded: ~5 s of load.
"""

from __future__ import annotations

import subprocess
import sys
import threading
import time
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from iyzico_client.types import json_dumps
from iyzico_ext._signing import authorization_header, new_random_key, request_signature
from tests.sandbox.conftest import payment_body

DURATION_SECONDS = 5.0
THREADS = 4


def _run_load(url: str, body: bytes, stop_at: float, counts: list[int]) -> None:
    done = 0
    with httpx.Client(base_url=url) as client:
        while time.monotonic() < stop_at:
            random_key = new_random_key()
            signature = request_signature(b"sandbox-secret-key", random_key, "/payment/auth", body)
            headers = {"Authorization": authorization_header("sandbox-api-key", random_key, signature)}
            answer = client.post("/payment/auth", content=body, headers=headers)
            assert answer.json()["status"] == "success", answer.text
            done += 1
    counts.append(done)


def main() -> None:
    server = subprocess.Popen(
        [sys.executable, "-m", "iyzico_ext.sandbox", "--port", "0"], stdout=subprocess.PIPE, text=True
    )
    try:
        assert server.stdout is not None
        url = ""
        while not url.startswith("http"):
            url = server.stdout.readline().strip().rsplit(" ", 1)[-1]
        body = json_dumps(payment_body())
        counts: list[int] = []
        stop_at = time.monotonic() + DURATION_SECONDS
        threads = [threading.Thread(target=_run_load, args=(url, body, stop_at, counts)) for _ in range(THREADS)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        print(f"{sum(counts) / DURATION_SECONDS:.0f} signed payments/s ({sum(counts)} in {DURATION_SECONDS:.0f} s)")
    finally:
        server.terminate()
        server.wait(timeout=10)


if __name__ == "__main__":
    main()
