"""What a process pays beyond the calls: starting cold, memory over many calls, the test fixture.

* cold start: a fresh interpreter imports the client, builds one and makes its first payment against
  the loopback server, timed inside that interpreter from the first import to the verified answer
  (interpreter start-up itself is Python's, not ours). It imports only what a payment service would:
  the package and its runtime dependencies;
* memory: a fresh interpreter makes 1,000 payments, then 9,000 more; the resident set's growth
  between the two (after a garbage collection each time) is what a long-running worker would leak;
* the loopback fixture: the per-test cost of `iyzico_sandbox_server` (a fresh emulator state, a
  client and an httpx client for it, and their teardown), with the server itself started once, as
  pytest does for a session.
"""

from __future__ import annotations

import compileall
import statistics
import subprocess
import sys
import time
from pathlib import Path

from _bench_fixtures import API_KEY, SECRET_KEY, payment_request

from iyzico_client.types import json_dumps

__all__ = ["cold_start_milliseconds", "loopback_fixture_milliseconds", "rss_growth_mib"]

_ROOT = Path(__file__).resolve().parent.parent
_FIRST_CALLS = 1_000
_MORE_CALLS = 9_000
_MIB = 1024 * 1024

_COLD_START = """
import sys, time
started = time.perf_counter()
from iyzico_client.api.payment import create_payment
from iyzico_client.models.create_payment_request import CreatePaymentRequest
from iyzico_client.types import json_loads
from iyzico_ext import IyzicoClient
client = IyzicoClient({api_key!r}, {secret_key!r}, {url!r})
payment = create_payment.sync(client=client, body=CreatePaymentRequest.from_dict(json_loads(sys.argv[1])))
elapsed = time.perf_counter() - started
assert payment is not None and payment.status == "success", payment
print(elapsed)
"""

_RSS_GROWTH = """
import gc, resource, sys
from iyzico_client.api.payment import create_payment
from iyzico_client.models.create_payment_request import CreatePaymentRequest
from iyzico_client.types import json_loads
from iyzico_ext import IyzicoClient

def resident_bytes():
    try:
        with open("/proc/self/statm") as statm:
            return int(statm.read().split()[1]) * resource.getpagesize()
    except OSError:  # no /proc: the peak instead (ru_maxrss is KiB on Linux, bytes on macOS)
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * (1 if sys.platform == "darwin" else 1024)

client = IyzicoClient({api_key!r}, {secret_key!r}, {url!r})
request = CreatePaymentRequest.from_dict(json_loads(sys.argv[1]))
for _ in range({first}):
    create_payment.sync(client=client, body=request)
gc.collect()
before = resident_bytes()
for _ in range({more}):
    create_payment.sync(client=client, body=request)
gc.collect()
print(resident_bytes() - before)
"""


def _run(code: str) -> str:
    request = json_dumps(payment_request().to_dict()).decode()
    completed = subprocess.run(
        [sys.executable, "-c", code, request], capture_output=True, text=True, check=False, cwd=_ROOT
    )
    if completed.returncode != 0:
        raise RuntimeError(f"the benchmark's child process failed:\n{completed.stderr}")
    return completed.stdout


def compile_sources() -> None:
    """Write the bytecode of the project's packages, as `pip install` does for a wheel: the fresh-process
    figures then compare like with like (httpx is compiled in site-packages; a checkout run with
    PYTHONDONTWRITEBYTECODE=1 would otherwise recompile every module of ours in every process)."""
    for package in (_ROOT / "iyzico_ext", _ROOT / "generated" / "iyzico_client"):
        compileall.compile_dir(package, quiet=1)


def cold_start_milliseconds(url: str, repeats: int) -> float:
    """Median, over fresh interpreters, of import + client + first verified payment against `url`."""
    code = _COLD_START.format(api_key=API_KEY, secret_key=SECRET_KEY, url=url)
    return statistics.median(float(_run(code)) for _ in range(repeats)) * 1000


def rss_growth_mib(url: str) -> float:
    """Resident memory growth, in MiB, from the 1,000th to the 10,000th payment of one client."""
    code = _RSS_GROWTH.format(api_key=API_KEY, secret_key=SECRET_KEY, url=url, first=_FIRST_CALLS, more=_MORE_CALLS)
    return int(_run(code)) / _MIB


def loopback_fixture_milliseconds(repeats: int) -> float:
    """Median wall time of one test's use of the loopback emulator fixture (set up and torn down), with the
    server started once, as the pytest plugin's session fixture does."""
    from iyzico_ext.sandbox.embedded import LoopbackServer

    times = []
    with LoopbackServer() as server:
        for _ in range(repeats):
            started = time.perf_counter()
            with server.fresh():
                pass
            times.append(time.perf_counter() - started)
    return statistics.median(times) * 1000
