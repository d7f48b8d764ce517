"""iyzico's official SDKs, unmodified and unpatched, against the emulator served over HTTPS (`--tls`).

Each SDK runs in its own process with nothing but the environment variable the emulator prints for it:
`SSL_CERT_FILE` for the Python `iyzipay` (PyPI, pinned in the lock), `NODE_EXTRA_CA_CERTS` for the Node
`iyzipay` (npm, pinned in `official/package-lock.json`). Each is pointed at the emulator the way it lets a
base URL be set (Python: `base_url` = host:port, the SDK adds https; Node: `uri`), runs payment, retrieve,
item and amount refunds, 3-D Secure initialize, a BIN lookup and the health check, and checks the response
signatures with its own helper; then a subscription: product, plan, a subscription paid with a card, found
again, cancelled. The requests are the spec's own examples.
"""

from __future__ import annotations

import copy
import json
import os
import shutil
import ssl
import subprocess
import sys
import typing
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from iyzico_client.types import json_dumps
from iyzico_ext._operations import load_spec, operations
from iyzico_ext.sandbox import DEFAULT_API_KEY, DEFAULT_SECRET_KEY, create_app
from iyzico_ext.sandbox._server import ServerThread
from iyzico_ext.sandbox._tls import LocalTLS, local_tls

from .conftest import NEXT_YEAR

OFFICIAL = Path(__file__).parent / "official"
_IN_CI = os.environ.get("CI", "").lower() == "true"
EXPECTED_STEPS = [
    *("payment", "retrieve", "refund", "refundV2", "threedsInitialize", "binNumber", "apiTest"),
    *("subscriptionProduct", "subscriptionPlan", "subscription", "subscriptionFind", "subscriptionCancel"),
]
SIGNED_STEPS = {"payment", "retrieve", "threedsInitialize"}


class Emulator(typing.NamedTuple):
    url: str
    tls: LocalTLS


@pytest.fixture(scope="module")
def emulator(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Emulator]:
    tls = local_tls(tmp_path_factory.mktemp("tls"))
    app = create_app()
    with ServerThread(app, tls=tls) as url:
        yield Emulator(url, tls)
    app.state.sandbox.close()


def _spec_example(operation_id: str) -> dict[str, typing.Any]:
    operation = operations()[operation_id]
    body = load_spec()["paths"][operation.path][operation.method.lower()]["requestBody"]["content"]
    examples = body["application/json"]["examples"]
    value: dict[str, typing.Any] = json.loads(json_dumps(next(iter(examples.values()))["value"]))
    return value


def _requests() -> dict[str, dict[str, typing.Any]]:
    threeds = _spec_example("initializeThreeds")
    threeds["paymentCard"]["expireYear"] = NEXT_YEAR
    payment = copy.deepcopy(threeds)
    del payment["callbackUrl"]
    subscription = _spec_example("initializeSubscription")
    subscription["paymentCard"]["expireYear"] = NEXT_YEAR
    return {
        "payment": payment,
        "threeds": threeds,
        "subscriptionProduct": _spec_example("createSubscriptionProduct"),
        "subscriptionPlan": _spec_example("createSubscriptionPricingPlan"),
        "subscription": subscription,
    }


def _run(command: list[str], given: dict[str, typing.Any], env: dict[str, str]) -> list[dict[str, typing.Any]]:
    # Only PATH and the trust variable: no proxy or CA settings of the machine leak into the run.
    finished = subprocess.run(
        command,
        input=json.dumps(given),
        capture_output=True,
        text=True,
        timeout=120,
        env={"PATH": os.environ.get("PATH", ""), **env},
        check=False,
    )
    assert finished.returncode == 0, finished.stderr[-2000:]
    steps: list[dict[str, typing.Any]] = json.loads(finished.stdout)
    return steps


def _assert_all_succeeded(steps: list[dict[str, typing.Any]]) -> None:
    assert [step["step"] for step in steps] == EXPECTED_STEPS
    for step in steps:
        assert (step["step"], step["status"], step["errorCode"]) == (step["step"], "success", None)
        if step["step"] in SIGNED_STEPS:
            assert step["signed"] is True, step


def test_the_emulator_refuses_clients_that_do_not_trust_its_ca(emulator: Emulator) -> None:
    with pytest.raises(httpx.ConnectError, match="CERTIFICATE_VERIFY_FAILED"):
        httpx.get(f"{emulator.url}/payment/test")
    trusting = ssl.create_default_context(cafile=emulator.tls.ca_file)
    assert httpx.get(f"{emulator.url}/payment/test", verify=trusting).json()["status"] == "success"


def test_official_python_sdk_unpatched(emulator: Emulator) -> None:
    given = {
        **_requests(),
        "base_url": emulator.url.removeprefix("https://"),
        "api_key": DEFAULT_API_KEY,
        "secret_key": DEFAULT_SECRET_KEY,
    }
    steps = _run(
        [sys.executable, str(OFFICIAL / "python_sdk.py")], given, {"SSL_CERT_FILE": str(emulator.tls.trust_bundle)}
    )
    _assert_all_succeeded(steps)


@pytest.fixture(scope="module")
def node_sdk() -> Path:
    """The pinned official Node SDK, installed with `npm ci` on first use (skipped locally without Node.js)."""
    node, npm = shutil.which("node"), shutil.which("npm")
    if node is None or npm is None:
        if _IN_CI:
            pytest.fail("Node.js and npm are needed in CI to run the official Node SDK")
        pytest.skip("Node.js/npm not installed")
    if not (OFFICIAL / "node_modules" / "iyzipay").is_dir():
        subprocess.run(
            [npm, "ci", "--no-audit", "--no-fund", "--silent"],
            cwd=OFFICIAL,
            check=True,
            capture_output=True,
            timeout=300,
        )
    return Path(node)


def test_official_node_sdk_unpatched(emulator: Emulator, node_sdk: Path) -> None:
    given = {**_requests(), "uri": emulator.url, "apiKey": DEFAULT_API_KEY, "secretKey": DEFAULT_SECRET_KEY}
    steps = _run(
        [str(node_sdk), str(OFFICIAL / "node_sdk.js")], given, {"NODE_EXTRA_CA_CERTS": str(emulator.tls.ca_file)}
    )
    _assert_all_succeeded(steps)
