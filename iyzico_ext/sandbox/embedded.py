"""A running emulator with a configured `IyzicoClient`, for programs and tests (the demo, the pytest plugin).

    with in_process_sandbox() as sandbox:       # no socket: httpx transports call the ASGI app directly
        create_payment.sync(client=sandbox.client, body=request)

    with loopback_sandbox() as sandbox:         # uvicorn on a free 127.0.0.1 port
        ...

Each gives a fresh emulator with the default credentials, closed when the block ends; `webhook_url=` (and, in
process, `webhook_transport=`, e.g. `InProcessTransport(your_app)`) sends its notifications to your endpoint.
After your suite ran against it, `sandbox.readiness()` is the go-live readiness report. A test suite starts the
server once (`LoopbackServer`, what the pytest plugin does per session: uvicorn takes a fifth of a second to
stop) and gives every test a fresh emulator state on it (`LoopbackServer.fresh`).
"""

from __future__ import annotations

import contextlib
import datetime
import typing
from collections.abc import Callable, Iterator
from decimal import Decimal

import attrs
import httpx
from starlette.applications import Starlette

from ._app import create_app
from ._readiness_model import ReadinessReport
from ._readiness_probe import ProbeImpossible
from ._server import ServerThread
from ._state import DEFAULT_API_KEY, DEFAULT_SECRET_KEY, Sandbox
from ._webhooks import merchant_number
from .transport import InProcessAsyncTransport, InProcessTransport

if typing.TYPE_CHECKING:
    from iyzico_ext import IyzicoClient

__all__ = ["IN_PROCESS_URL", "LoopbackServer", "SandboxHandle", "in_process_sandbox", "loopback_sandbox"]

# The base URL an in-process emulator answers on: any loopback http URL works, as no socket is opened.
IN_PROCESS_URL = "http://127.0.0.1"


@attrs.frozen
class SandboxHandle:
    """A running emulator: its `client`, a plain `http` client for pages and `/_sandbox/`, and its state."""

    app: Starlette
    base_url: str
    client: IyzicoClient
    http: httpx.Client
    api_key: str = DEFAULT_API_KEY
    secret_key: str = DEFAULT_SECRET_KEY

    @property
    def state(self) -> Sandbox:
        sandbox: Sandbox = self.app.state.sandbox
        return sandbox

    @property
    def merchant_id(self) -> int:
        """iyzico's numeric id of the emulator's merchant (webhooks carry it; subscription webhooks sign it)."""
        return merchant_number(self.api_key)

    def ledger(self, conversation_id: str | None = None) -> list[dict[str, typing.Any]]:
        """Payments the emulator holds (`GET /_sandbox/ledger`), amounts as Decimal."""
        params = {} if conversation_id is None else {"conversationId": conversation_id}
        response = self.http.get("/_sandbox/ledger", params=params)
        response.raise_for_status()
        payments: list[dict[str, typing.Any]] = response.json(parse_float=Decimal)["payments"]
        return payments

    def advance_clock(self, delta: datetime.timedelta) -> datetime.datetime:
        """Move the emulator's clock forward (`POST /_sandbox/clock`); its new time."""
        response = self.http.post("/_sandbox/clock", json={"advanceSeconds": delta.total_seconds()})
        response.raise_for_status()
        return datetime.datetime.fromisoformat(response.json()["now"])

    def arm_fault(self, operation: str, fault: str, *, count: int = 1, delay: float | None = None) -> None:
        """Make the next `count` calls of `operation` (an operationId, or `*`) fail with `fault`."""
        order: dict[str, typing.Any] = {"operation": operation, "fault": fault, "count": count}
        if delay is not None:
            order["delay"] = delay
        self.http.post("/_sandbox/faults", json=order).raise_for_status()

    def readiness(self) -> ReadinessReport:
        """The go-live readiness report of this handle's merchant (`GET /_sandbox/readiness`)."""
        response = self.http.get(
            "/_sandbox/readiness", params={"merchantId": merchant_number(self.api_key)}, timeout=60.0
        )
        response.raise_for_status()
        return ReadinessReport.from_json(response.json())

    def probe_webhooks(self) -> dict[str, typing.Any]:
        """Send the webhook endpoint a replayed and forged notifications (`POST /_sandbox/readiness/probe-webhooks`);
        `ProbeImpossible` (saying what to do first) when there is no webhook URL or no notification yet."""
        response = self.http.post(
            "/_sandbox/readiness/probe-webhooks", json={"merchantId": merchant_number(self.api_key)}, timeout=60.0
        )
        if response.status_code == 409:
            raise ProbeImpossible(response.text)
        response.raise_for_status()
        outcome: dict[str, typing.Any] = response.json()
        return outcome


def _client(base_url: str, **transports: typing.Any) -> IyzicoClient:
    # Imported here: the emulator package must not need the trust layer unless a client is asked for.
    from iyzico_ext import IyzicoClient

    # No proxy from the environment: the emulator is always on this machine.
    return IyzicoClient(DEFAULT_API_KEY, DEFAULT_SECRET_KEY, base_url, trust_env=False, **transports)


def _plain_client(base_url: str) -> httpx.Client:
    """An httpx client for pages and `/_sandbox/`, sharing the trust layer's TLS context (building one per
    client would load the CA bundle again)."""
    from iyzico_ext._network_settings import default_ssl_context

    return httpx.Client(base_url=base_url, trust_env=False, verify=default_ssl_context(trust_env=False))


@contextlib.contextmanager
def in_process_sandbox(
    *,
    webhook_url: str | None = None,
    webhook_transport: httpx.BaseTransport | None = None,
    clock: Callable[[], datetime.datetime] = datetime.datetime.now,
) -> Iterator[SandboxHandle]:
    """An in-process emulator and an `IyzicoClient` (sync and async) wired to it; with `webhook_url`, its
    notifications are posted there (through `webhook_transport` when given, e.g. to an app in the same
    process); `clock` is where its time starts (`advance_clock` moves it on)."""
    app = create_app(webhook_url=webhook_url, webhook_transport=webhook_transport, clock=clock)
    transport = InProcessTransport(app)
    try:
        with (
            _client(IN_PROCESS_URL, transport=transport, async_transport=InProcessAsyncTransport(app)) as client,
            httpx.Client(transport=transport, base_url=IN_PROCESS_URL) as http,
        ):
            yield SandboxHandle(app=app, base_url=IN_PROCESS_URL, client=client, http=http)
    finally:
        transport.close()
        app.state.sandbox.close()


class LoopbackServer:
    """`with LoopbackServer() as server:` the emulator served by uvicorn on a free 127.0.0.1 port until the
    block ends; each `with server.fresh() as sandbox:` runs on a new, empty emulator state."""

    def __init__(self, *, webhook_url: str | None = None) -> None:
        self.app = create_app(webhook_url=webhook_url)
        self._thread = ServerThread(self.app)
        self.url = ""

    def __enter__(self) -> LoopbackServer:
        self.url = self._thread.__enter__()
        return self

    def __exit__(self, *exc_info: typing.Any) -> None:
        self._thread.__exit__(*exc_info)

    @contextlib.contextmanager
    def fresh(self) -> Iterator[SandboxHandle]:
        """The running server with a state of its own (nothing stored, no fault armed) and clients for it."""
        started_with, state = self.app.state.sandbox, self.app.state.new_sandbox()
        self.app.state.sandbox = state
        try:
            with _client(self.url) as client, _plain_client(self.url) as http:
                yield SandboxHandle(app=self.app, base_url=self.url, client=client, http=http)
        finally:
            self.app.state.sandbox = started_with  # the one the app closes when uvicorn stops
            state.close()


@contextlib.contextmanager
def loopback_sandbox(*, webhook_url: str | None = None) -> Iterator[SandboxHandle]:
    """The emulator on a real loopback port (uvicorn), with an `IyzicoClient` using that URL."""
    with LoopbackServer(webhook_url=webhook_url) as server, server.fresh() as sandbox:
        yield sandbox
