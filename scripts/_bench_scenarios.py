"""The end-to-end scenarios: each one is a way of making the same payment call against the loopback server.

* `floor`: `http.client` keep-alive POST of pre-built bytes (the cheapest Python can do);
* `raw httpx`: `httpx.Client` keep-alive POST of the same pre-built bytes and a fixed signature header
  (stock httpx, the baseline of the targets; once more over our `Http11Transport`, for comparison);
* `full`: `create_payment.sync` through `IyzicoClient` (model -> bytes -> validate -> sign -> send ->
  verify -> echo check -> parse), the very code path users and the tests run;
* `official`: the official `iyzipay` client over TLS, in a child process whose trust store is the
  system bundle plus the benchmark CA (see `_bench_official.py`);
* `async`: `create_payment.asyncio` with 1, 8 or 32 calls in flight, over the client's default
  transport (`AsyncHttp11Transport`), over httpx's own (`httpx.AsyncHTTPTransport`, what stock httpx
  uses) or over httpx-aiohttp's, each given as `IyzicoClient(async_transport=...)`.

Sync scenarios keep their client (and its pooled connection) for the whole run; an async scenario
builds its client inside each round's event loop, because aiohttp sessions belong to one loop.
"""

from __future__ import annotations

import asyncio
import http.client
import json
import os
import subprocess
import sys
import typing
from collections.abc import Callable
from pathlib import Path

import attrs
import httpx
from _bench_fixtures import API_KEY, PAYMENT_PATH, SECRET_KEY, TlsFiles, payment_request, prebuilt_headers
from _bench_measure import Sample, measure_async, measure_sync

from iyzico_client.api.payment import create_payment
from iyzico_client.models.payment_resource import PaymentResource
from iyzico_client.types import json_dumps
from iyzico_ext import Http11Transport, IyzicoClient
from iyzico_ext._constants import DEFAULT_LIMITS

__all__ = [
    "AsyncScenario",
    "AsyncTransportKind",
    "OfficialScenario",
    "Scenario",
    "SyncScenario",
    "floor_scenario",
    "full_scenario",
    "raw_httpx_scenario",
]

_OFFICIAL_WORKER = Path(__file__).with_name("_bench_official.py")
_OFFICIAL_TIMEOUT_MARGIN_SECONDS = 60.0
AsyncTransportKind = typing.Literal["default", "httpx", "aiohttp"]
_ASYNC_TRANSPORT_NAMES: dict[AsyncTransportKind, str] = {
    "default": "default AsyncHttp11Transport",
    "httpx": "httpx.AsyncHTTPTransport",
    "aiohttp": "httpx-aiohttp",
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


def floor_scenario(port: int) -> SyncScenario:
    body = payment_request_bytes()
    headers = prebuilt_headers(body)
    connection = http.client.HTTPConnection("127.0.0.1", port)

    def call() -> bytes:
        connection.request("POST", PAYMENT_PATH, body, headers)
        return connection.getresponse().read()

    return SyncScenario("floor_http", "http.client keep-alive, raw, HTTP (Python floor)", call, connection.close)


def payment_request_bytes() -> bytes:
    """The request body exactly as the generated client writes it."""
    return json_dumps(payment_request().to_dict())


def raw_httpx_scenario(base_url: str, tls: TlsFiles | None, *, our_transport: bool = False) -> SyncScenario:
    body = payment_request_bytes()
    headers = prebuilt_headers(body)
    context = tls.client_context() if tls else None
    transport = Http11Transport(ssl_context=context) if our_transport else httpx.HTTPTransport(verify=context or True)
    client = httpx.Client(base_url=base_url, transport=transport)

    def call() -> bytes:
        return client.post(PAYMENT_PATH, content=body, headers=headers).content

    scheme = "TLS" if tls else "HTTP"
    name, title = f"raw_httpx_{scheme.lower()}", f"httpx.Client keep-alive, raw, {scheme}"
    if our_transport:
        name, title = f"{name}_http11", f"{title}, over iyzico_ext.Http11Transport"
    return SyncScenario(name, title, call, client.close)


def _our_client(base_url: str, tls: TlsFiles | None, **options: typing.Any) -> IyzicoClient:
    if tls is not None:
        # The default transport, trusting the throwaway CA instead of the system store.
        options["transport"] = Http11Transport(ssl_context=tls.client_context())
    return IyzicoClient(API_KEY, SECRET_KEY, base_url, **options)


def _latency_note(server_latency_ms: float) -> tuple[str, str]:
    """Name suffix and title note of a scenario run against the server's slow port."""
    if not server_latency_ms:
        return "", ""
    return "_latency", f", server latency {server_latency_ms:g} ms"


def full_scenario(base_url: str, tls: TlsFiles | None, server_latency_ms: float = 0.0) -> SyncScenario:
    client = _our_client(base_url, tls)
    request = payment_request()

    def call() -> PaymentResource | None:
        return create_payment.sync(client=client, body=request)

    scheme = "TLS" if tls else "HTTP"
    suffix, note = _latency_note(server_latency_ms)
    title = f"IyzicoClient keep-alive, full create_payment, {scheme}{note}"
    return SyncScenario(f"full_{scheme.lower()}{suffix}", title, call, client.close, _expect_payment)


@attrs.define
class AsyncScenario:
    """`create_payment.asyncio` with `in_flight` concurrent calls, one event loop per round."""

    base_url: str
    transport: AsyncTransportKind
    in_flight: int
    server_latency_ms: float = 0.0

    @property
    def name(self) -> str:
        return f"async{self.in_flight}_{self.transport}{_latency_note(self.server_latency_ms)[0]}"

    @property
    def title(self) -> str:
        note = _latency_note(self.server_latency_ms)[1]
        transport = _ASYNC_TRANSPORT_NAMES[self.transport]
        return f"IyzicoClient async ({transport}), {self.in_flight} in flight, full, HTTP{note}"

    def _client(self) -> IyzicoClient:
        if self.transport == "default":
            return IyzicoClient(API_KEY, SECRET_KEY, self.base_url)
        if self.transport == "httpx":
            stock = httpx.AsyncHTTPTransport(verify=True, limits=DEFAULT_LIMITS)
            return IyzicoClient(API_KEY, SECRET_KEY, self.base_url, async_transport=stock)
        from httpx_aiohttp import AiohttpTransport  # the optional extra; imported only when chosen

        return IyzicoClient(API_KEY, SECRET_KEY, self.base_url, async_transport=AiohttpTransport())

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
        command = [sys.executable, str(_OFFICIAL_WORKER), "--port", str(self.tls_port), "--seconds", str(seconds)]
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
