"""The end-to-end scenarios: each one is a way of making the same payment call, timed in rounds.

Against the loopback server (`_bench_server`):

* `floor`: `http.client` keep-alive POST of pre-built bytes (the cheapest Python can do);
* `raw`: `httpx.Client` on its default transport, keep-alive POST of the same pre-built bytes with a fixed
  signature header: what the trust layer's overhead is measured against;
* `full`: `create_payment.sync` through `IyzicoClient` on its default sync transport (the same httpcore
  pool): model -> bytes -> validate -> sign -> send -> verify -> echo check -> parse, the very code path
  users and the tests run; with 10 basket items, or more for the cost per item;
* `official`: the official `iyzipay` client over TLS, in a child process whose trust store is the
  system bundle plus the benchmark CA (see `_bench_official.py`);
* `async`: `create_payment.asyncio` with calls in flight against the port that answers late, with
  default settings (httpx-aiohttp) or over stock httpx's `AsyncHTTPTransport`.

In this process, no socket:

* `emulator` / `mock`: `create_payment.sync` through `IyzicoClient` on the in-process emulator, and on a
  transport that hands back the canned signed response: what a test suite pays per payment.

Sync scenarios keep their client (and its pooled connection) for the whole run; an async scenario
builds its client inside each round's event loop, because aiohttp sessions belong to one loop.
"""

from __future__ import annotations

import asyncio
import contextlib
import http.client
import json
import os
import subprocess
import sys
import typing
from collections.abc import Callable

import attrs
import httpx
from _bench_fixtures import (
    API_KEY,
    ITEM_COUNT,
    PAYMENT_PATH,
    SECRET_KEY,
    TlsFiles,
    payment_request,
    prebuilt_headers,
    signed_payment_response,
)
from _bench_measure import Sample, measure_async, measure_sync

from iyzico_client.api.payment import create_payment
from iyzico_client.models.payment_resource import PaymentResource
from iyzico_client.types import json_dumps
from iyzico_ext import IyzicoClient
from iyzico_ext._constants import DEFAULT_LIMITS

__all__ = [
    "AsyncScenario",
    "AsyncTransportKind",
    "OfficialScenario",
    "Scenario",
    "SyncScenario",
    "emulator_scenario",
    "floor_scenario",
    "full_scenario",
    "mock_scenario",
    "raw_httpx_scenario",
]

_OFFICIAL_WORKER = os.path.join(os.path.dirname(__file__), "_bench_official.py")
_OFFICIAL_TIMEOUT_MARGIN_SECONDS = 60.0
AsyncTransportKind = typing.Literal["default", "httpx"]
_ASYNC_TRANSPORT_NAMES: dict[AsyncTransportKind, str] = {
    "default": "default settings: httpx-aiohttp",
    "httpx": "stock httpx.AsyncHTTPTransport",
}


class Scenario(typing.Protocol):
    @property
    def name(self) -> str: ...

    @property
    def title(self) -> str: ...

    def warm_up(self) -> None: ...

    def run(self, seconds: float) -> Sample: ...

    def close(self) -> None: ...


def _expect_payment(result: object) -> None:
    if not isinstance(result, PaymentResource) or result.status != "success":
        raise RuntimeError(f"the benchmark call did not return a verified payment: {result!r}")


@attrs.define
class SyncScenario:
    """A scenario whose call is a plain function, timed in this process."""

    name: str
    title: str
    call: Callable[[], object]
    closer: Callable[[], None]
    check: Callable[[object], None] = lambda result: None

    def warm_up(self) -> None:
        self.check(self.call())

    def run(self, seconds: float) -> Sample:
        return measure_sync(self.call, seconds)

    def close(self) -> None:
        self.closer()


def _items_note(items: int) -> tuple[str, str]:
    """Name suffix and title note of a scenario with another basket than the usual 10 items."""
    return ("", "") if items == ITEM_COUNT else (f"_{items}items", f", {items} items")


def floor_scenario(port: int) -> SyncScenario:
    body = payment_request_bytes()
    headers = prebuilt_headers(body)
    connection = http.client.HTTPConnection("127.0.0.1", port)

    def call() -> bytes:
        connection.request("POST", PAYMENT_PATH, body, headers)
        return connection.getresponse().read()

    return SyncScenario("floor_http", "http.client keep-alive, raw, HTTP (Python floor)", call, connection.close)


def payment_request_bytes(items: int = ITEM_COUNT) -> bytes:
    """The request body exactly as the generated client writes it."""
    return json_dumps(payment_request(items).to_dict())


def raw_httpx_scenario(base_url: str, tls: TlsFiles | None, items: int = ITEM_COUNT) -> SyncScenario:
    body = payment_request_bytes(items)
    headers = prebuilt_headers(body)
    client = httpx.Client(base_url=base_url, verify=tls.client_context() if tls else True)

    def call() -> bytes:
        return client.post(PAYMENT_PATH, content=body, headers=headers).content

    scheme = "TLS" if tls else "HTTP"
    suffix, note = _items_note(items)
    return SyncScenario(
        f"raw_{scheme.lower()}{suffix}", f"httpx.Client keep-alive, raw, {scheme}{note}", call, client.close
    )


def _our_client(base_url: str, tls: TlsFiles | None) -> IyzicoClient:
    # The default transport; over TLS it trusts the throwaway CA instead of the system store.
    return IyzicoClient(API_KEY, SECRET_KEY, base_url, ssl_context=tls.client_context() if tls else None)


def full_scenario(base_url: str, tls: TlsFiles | None, items: int = ITEM_COUNT) -> SyncScenario:
    client = _our_client(base_url, tls)
    request = payment_request(items)

    def call() -> PaymentResource | None:
        return create_payment.sync(client=client, body=request)

    scheme = "TLS" if tls else "HTTP"
    suffix, note = _items_note(items)
    title = f"IyzicoClient keep-alive, full create_payment, {scheme}{note}"
    return SyncScenario(f"full_{scheme.lower()}{suffix}", title, call, client.close, _expect_payment)


@attrs.define
class AsyncScenario:
    """`create_payment.asyncio` with `in_flight` concurrent calls, one event loop per round."""

    base_url: str
    transport: AsyncTransportKind
    in_flight: int
    server_latency_ms: float

    @property
    def name(self) -> str:
        return f"async{self.in_flight}_{self.transport}_at_{self.server_latency_ms:g}ms"

    @property
    def title(self) -> str:
        transport = _ASYNC_TRANSPORT_NAMES[self.transport]
        return (
            f"IyzicoClient async ({transport}), {self.in_flight} in flight, "
            f"server answering {self.server_latency_ms:g} ms late"
        )

    def _client(self) -> IyzicoClient:
        if self.transport == "default":
            return IyzicoClient(API_KEY, SECRET_KEY, self.base_url)
        stock = httpx.AsyncHTTPTransport(limits=DEFAULT_LIMITS)  # the same pool size as the default
        return IyzicoClient(API_KEY, SECRET_KEY, self.base_url, async_transport=stock)

    async def _round(self, seconds: float) -> Sample:
        client = self._client()
        request = payment_request()

        async def call() -> PaymentResource | None:
            return await create_payment.asyncio(client=client, body=request)

        try:
            # Open the pool's connections before the clock starts, as a long-running service has them.
            for result in await asyncio.gather(*(call() for _ in range(self.in_flight))):
                _expect_payment(result)
            return await measure_async(call, self.in_flight, seconds)
        finally:
            await client.aclose()

    def warm_up(self) -> None:
        self.run(0.0)

    def run(self, seconds: float) -> Sample:
        return asyncio.run(self._round(seconds))

    def close(self) -> None:
        """Nothing outlives a round."""


@attrs.define
class OfficialScenario:
    """The official `iyzipay` client over TLS, timed inside a child process (see `_bench_official.py`)."""

    tls_port: int
    tls: TlsFiles
    name: str = "official_tls"
    title: str = "official iyzipay, TLS, system trust store + bench CA"

    def _worker(self, seconds: float) -> Sample:
        # The official client builds a default SSL context per call, which reads SSL_CERT_FILE: the
        # system bundle plus our CA, i.e. a production-sized trust store that also trusts the server.
        environment = {**os.environ, "SSL_CERT_FILE": str(self.tls.system_bundle_with_ca)}
        command = [sys.executable, _OFFICIAL_WORKER, "--port", str(self.tls_port), "--seconds", str(seconds)]
        completed = subprocess.run(
            command,
            env=environment,
            capture_output=True,
            text=True,
            check=False,
            timeout=seconds + _OFFICIAL_TIMEOUT_MARGIN_SECONDS,
        )
        if completed.returncode != 0:
            raise RuntimeError(f"the official-client worker failed:\n{completed.stderr}")
        return Sample.from_json(json.loads(completed.stdout))

    def warm_up(self) -> None:
        """The worker warms up itself (one untimed call) in every round."""

    def run(self, seconds: float) -> Sample:
        return self._worker(seconds)

    def close(self) -> None:
        """Nothing outlives a round."""


class CannedTransport(httpx.BaseTransport):
    """A mock that answers every request with the same signed payment, as fast as Python can.

    It returns at once, so it ends every request by the call's deadline: like the in-process emulator's
    transport it says so, and the client runs both the same way (no worker thread).
    """

    enforces_call_deadline = True

    def __init__(self) -> None:
        self._body = signed_payment_response()
        self._headers = [(b"content-type", b"application/json;charset=UTF-8")]

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, headers=self._headers, stream=httpx.ByteStream(self._body))


def mock_scenario() -> SyncScenario:
    client = IyzicoClient(API_KEY, SECRET_KEY, "http://127.0.0.1", transport=CannedTransport())
    request = payment_request()

    def call() -> PaymentResource | None:
        return create_payment.sync(client=client, body=request)

    title = "IyzicoClient in-process, full create_payment, canned-response mock"
    return SyncScenario("mock_in_process", title, call, client.close, _expect_payment)


def emulator_scenario() -> SyncScenario:
    from iyzico_ext.sandbox.embedded import in_process_sandbox

    running = contextlib.ExitStack()
    sandbox = running.enter_context(in_process_sandbox())
    request = payment_request()

    def call() -> PaymentResource | None:
        return create_payment.sync(client=sandbox.client, body=request)

    title = "IyzicoClient in-process, full create_payment, sandbox emulator"
    return SyncScenario("emulator_in_process", title, call, running.close, _expect_payment)
