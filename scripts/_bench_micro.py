"""Costs that need no server: the steps of one call on their own, import time, regeneration time.

Micro costs are the median over `repeats` of the mean time per call of a tight loop, using the same
functions the client runs (so a change to them shows here first). Import and regeneration times are
measured in fresh interpreters, because a warm process would hide them.
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import time
import timeit
import typing
from collections.abc import Callable
from pathlib import Path

import attrs
import httpx
from _bench_fixtures import PAYMENT_PATH, SECRET_KEY, payment_request, signed_payment_response

from iyzico_client.models.payment_resource import PaymentResource
from iyzico_client.types import RequestJSON, json_dumps, json_loads
from iyzico_ext import SignatureVerificationError, verify_webhook
from iyzico_ext._body import parse_json_object
from iyzico_ext._call import CallContext
from iyzico_ext._operations import operations
from iyzico_ext._secret import SecretKey
from iyzico_ext._signing import authorization_header, new_random_key, request_signature
from iyzico_ext._validation import validate_request
from iyzico_ext._verify import check_echo, verify_response_signature

__all__ = ["MicroCost", "import_milliseconds", "micro_costs", "regeneration_seconds"]

ROOT = Path(__file__).resolve().parent.parent
_LOOP_SECONDS = 0.02  # each repeat times enough calls to fill about this long


@attrs.frozen
class MicroCost:
    name: str
    title: str
    microseconds: float


def _median_microseconds(function: Callable[[], object], repeats: int) -> float:
    timer = timeit.Timer(function)
    calls, _ = timer.autorange()  # enough calls for 0.2 s ...
    calls = max(1, round(calls * _LOOP_SECONDS / 0.2))  # ... scaled down to _LOOP_SECONDS per repeat
    return statistics.median(timer.repeat(repeat=repeats, number=calls)) / calls * 1e6


def micro_costs(repeats: int) -> list[MicroCost]:
    """Each step of a `create_payment` call, timed alone on the benchmark's request and response."""
    request = payment_request()
    operation = operations()["createPayment"]
    request_bytes = json_dumps(request.to_dict())
    sent = RequestJSON(json_loads(request_bytes))
    response_bytes = signed_payment_response()
    received = json_loads(response_bytes)
    context = CallContext("POST", PAYMENT_PATH, operation, sent)
    secret = SecretKey(SECRET_KEY)
    url = httpx.URL("https://127.0.0.1" + PAYMENT_PATH)

    def sign() -> str:
        random_key = new_random_key()
        signature = request_signature(secret, random_key, url.raw_path, request_bytes)
        return authorization_header("api-key", random_key, signature)

    def verify() -> None:
        verify_response_signature(operation, received, secret, conversation_id=None)
        check_echo(operation, context, received)

    def encode() -> bytes:
        # What the generated endpoint does: the dict in its redacting holder, then the bytes.
        return RequestJSON(request.to_dict()).dumps()

    written = RequestJSON(request.to_dict())

    def validate() -> None:
        # The auth flow validates the dict the body was written from (no second parse of the request).
        validate_request(operation, written)

    huge = response_bytes.replace(b'"price":', b'"price":1e999999999,"listPrice":', 1)

    def refuse_webhook() -> None:
        try:
            verify_webhook(b'{"iyziEventType":"API_AUTH","paymentId":1,"price":1e999999999}', "00", secret)
        except SignatureVerificationError:
            return
        raise AssertionError("a webhook with an amount out of range was accepted")

    def parse_in_auth_flow() -> object:
        return parse_json_object(response_bytes)

    def decode() -> PaymentResource:
        # The generated parser reuses the body the auth flow parsed, so this is the model building alone.
        return PaymentResource.from_dict(received)

    steps: list[tuple[str, str, Callable[[], object]]] = [
        ("encode", f"request encode: to_dict + json_dumps ({len(request_bytes):,} B)", encode),
        ("validate", "request validation (auth flow, on the dict the body was written from)", validate),
        ("sign", "sign: random key + IYZWSv2 HMAC + header", sign),
        ("verify", "verify: response signature + echo check", verify),
        (
            "judge_parse",
            f"response parse in the auth flow ({len(response_bytes):,} B)",
            lambda: parse_json_object(response_bytes),
        ),
        ("decode", "response decode: PaymentResource.from_dict (body parsed once, above)", decode),
        # Untrusted numbers are refused before any arithmetic: this used to cost 1.9 GiB and 4 s.
        ("refuse_amount", "refuse a response with amount 1e999999999 (parse)", lambda: parse_json_object(huge)),
        ("refuse_webhook", "refuse a webhook with amount 1e999999999", refuse_webhook),
    ]
    return [MicroCost(name, title, _median_microseconds(step, repeats)) for name, title, step in steps]


_IMPORT_TIMER = "import time; started = time.perf_counter(); {statement}; print(time.perf_counter() - started)"
IMPORT_HTTPX = "import httpx"
# What a payment service imports: the trust layer (which pulls in the client, the models it uses and
# the reconciliation lookup) and the generated package with the operation it calls. This is the
# figure the target is set on, because only it can stay flat as the spec grows (with lazy imports).
IMPORT_OURS = "import iyzico_ext, iyzico_client; from iyzico_client.api.payment import create_payment"
# iyzico_ext plus every module of the generated client (all models and every api module).
IMPORT_EVERYTHING = (
    "import importlib, pkgutil, iyzico_ext, iyzico_client.api, iyzico_client.models; "
    "[importlib.import_module(module.name) for module in "
    "pkgutil.walk_packages(iyzico_client.api.__path__, 'iyzico_client.api.')]"
)


def import_milliseconds(statement: str, repeats: int) -> float:
    """Median wall time of `statement` in fresh interpreters (bytecode caches warm, as after install)."""
    code = _IMPORT_TIMER.format(statement=statement)
    times = [
        float(subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout)
        for _ in range(repeats)
    ]
    return statistics.median(times) * 1000


class Regeneration(typing.NamedTuple):
    seconds: float
    up_to_date: bool


def regeneration_seconds(repeats: int) -> Regeneration:
    """Median wall time of `scripts/generate.py --check` (regenerates the whole spec into a temp dir)."""
    times: list[float] = []
    up_to_date = True
    for _ in range(repeats):
        started = time.perf_counter()
        completed = subprocess.run(
            [sys.executable, str(ROOT / "scripts" / "generate.py"), "--check"], capture_output=True, check=False
        )
        times.append(time.perf_counter() - started)
        up_to_date = up_to_date and completed.returncode == 0
    return Regeneration(statistics.median(times), up_to_date)
