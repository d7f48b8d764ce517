"""iyzico's official SDKs, unmodified and unpatched, on the basic payments, APM, BKM Express, Pecco, loyalty and
the instalment table, against the emulator over HTTPS: the requests are the spec's examples, the answers what each
SDK maps, the signatures checked with each SDK's own helper (`test_official_sdks` has the rest of the set-up)."""

from __future__ import annotations

import copy
import json
import sys
import typing
from pathlib import Path

from iyzico_client.types import json_dumps
from iyzico_ext.sandbox import DEFAULT_API_KEY, DEFAULT_SECRET_KEY

from ._example_walk import example_request
from .conftest import NEXT_YEAR
from .test_official_sdks import OFFICIAL, Emulator, _run
from .test_official_sdks import emulator as emulator  # the module's TLS emulator fixture, shared
from .test_official_sdks import node_sdk as node_sdk  # the pinned Node SDK fixture, shared

_EXAMPLES = {
    "basic": "createBasicPayment",
    "basicThreeds": "initializeBasicThreedsPreAuth",
    "loyalty": "retrieveLoyalty",
    "bkm": "initializeBkm",
    "basicBkm": "initializeBasicBkm",
    "pecco": "initializePecco",
    "apm": "initializeApm",
    "installment": "retrieveInstallmentHtml",
}
PYTHON_STEPS = ["basicPreAuth", "basicPostAuth", "basicPayment", "basicThreedsPreAuth", "loyalty", "bkmInitialize"]
PYTHON_STEPS += ["basicBkmInitialize", "bkmNotPaidYet", "peccoInitialize"]
NODE_STEPS = ["basicPayment", "apmInitialize", "apmRetrieve", "bkmInitialize", "basicBkmInitialize"]
NODE_STEPS += ["peccoInitialize", "installmentHtml"]


def _requests() -> dict[str, typing.Any]:
    """The spec's examples as plain JSON values (what an SDK's caller writes), with cards that have not expired."""
    requests = {name: copy.deepcopy(dict(example_request(operation)["body"])) for name, operation in _EXAMPLES.items()}
    for request in requests.values():
        if "paymentCard" in request:
            request["paymentCard"]["expireYear"] = NEXT_YEAR
    plain: dict[str, typing.Any] = json.loads(json_dumps(requests))
    return plain


def _assert_succeeded(steps: list[dict[str, typing.Any]], expected: list[str]) -> None:
    assert [step["step"] for step in steps] == expected
    for step in steps:
        assert (step["status"], step["errorCode"]) == ("success", None), step
        assert step["signed"] in (None, True), step


def test_official_python_sdk_on_the_wallet_families(emulator: Emulator) -> None:
    given = {
        "requests": _requests(),
        "base_url": emulator.url.removeprefix("https://"),
        "api_key": DEFAULT_API_KEY,
        "secret_key": DEFAULT_SECRET_KEY,
    }
    command = [sys.executable, str(OFFICIAL / "python_sdk_wallets.py")]
    _assert_succeeded(_run(command, given, {"SSL_CERT_FILE": str(emulator.tls.trust_bundle)}), PYTHON_STEPS)


def test_official_node_sdk_on_the_wallet_families(emulator: Emulator, node_sdk: Path) -> None:
    given = {"requests": _requests(), "uri": emulator.url, "apiKey": DEFAULT_API_KEY, "secretKey": DEFAULT_SECRET_KEY}
    command = [str(node_sdk), str(OFFICIAL / "node_sdk_wallets.js")]
    _assert_succeeded(_run(command, given, {"NODE_EXTRA_CA_CERTS": str(emulator.tls.ca_file)}), NODE_STEPS)
