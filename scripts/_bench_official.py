"""Worker: time the official `iyzipay` client's `Payment().create` against the benchmark server over TLS.

    SSL_CERT_FILE=BUNDLE python scripts/_bench_official.py --port TLS_PORT --seconds S

prints one JSON `Sample`. Each call is what the package's own samples do: `Payment().create(request,
options)`, then read and `json.loads` the response. The package opens a new `HTTPSConnection` with
a default SSL context per call; that context loads the trust store named by `SSL_CERT_FILE`, so the
parent points it at the system bundle plus the benchmark's CA. It runs in its own process so that
environment variable never touches the parent, and CPU is measured here, after the imports.
"""

from __future__ import annotations

import _bootstrap

_bootstrap.ensure_venv()

import argparse
import json
import typing

import iyzipay
from _bench_fixtures import API_KEY, SECRET_KEY, official_request
from _bench_measure import measure_sync


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--port", type=int, required=True, help="TLS port of the benchmark server on 127.0.0.1")
    parser.add_argument("--seconds", type=float, required=True, help="how long to keep calling")
    arguments = parser.parse_args()
    options = {"api_key": API_KEY, "secret_key": SECRET_KEY, "base_url": f"127.0.0.1:{arguments.port}"}
    request = official_request()

    def call() -> dict[str, typing.Any]:
        response = iyzipay.Payment().create(request, options)
        parsed: dict[str, typing.Any] = json.loads(response.read())
        return parsed

    if call().get("status") != "success":
        raise SystemExit("the official client did not get a success response")
    print(json.dumps(measure_sync(call, arguments.seconds).to_json()))


if __name__ == "__main__":
    main()
