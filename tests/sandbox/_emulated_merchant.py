"""An emulator with one or more merchants, each an `IyzicoClient`, the pages' browser, and the webhooks it sent.

For the tests of the families that need more than the `iyzico_sandbox` fixture: a second merchant account
(request to pay), the notifications a page's payment sends (iyzilink), the emulator's clock.
"""

from __future__ import annotations

import contextlib
import datetime
import typing
from collections.abc import Iterator

import attrs
import httpx
from starlette.applications import Starlette

from iyzico_ext import IyzicoClient, WebhookEvent, verify_webhook
from iyzico_ext.sandbox import DEFAULT_API_KEY, DEFAULT_SECRET_KEY, create_app
from iyzico_ext.sandbox._state import Sandbox
from iyzico_ext.sandbox.transport import InProcessTransport

from .conftest import BASE_URL

SECOND_API_KEY = "second-merchant-api-key"
SECOND_SECRET_KEY = "second-merchant-secret-key"


@attrs.define
class Emulated:
    """The running emulator, a client per merchant (the first is the default sandbox merchant), a browser."""

    sandbox: Sandbox
    clients: list[IyzicoClient]
    browser: httpx.Client
    app: Starlette  # for more clients of the same emulator (each with its own in-process transport)
    notifications: list[httpx.Request] = attrs.field(factory=list)

    @property
    def client(self) -> IyzicoClient:
        return self.clients[0]

    def webhooks(self) -> list[WebhookEvent]:
        """The notifications sent so far, verified with the first merchant's key."""
        assert self.sandbox.webhooks is not None
        self.sandbox.webhooks.wait_idle()
        return [
            verify_webhook(request.content, request.headers["X-IYZ-SIGNATURE-V3"], DEFAULT_SECRET_KEY)
            for request in self.notifications
        ]

    def advance_clock(self, delta: datetime.timedelta) -> None:
        self.sandbox.advance_clock(delta)

    def now(self) -> datetime.datetime:
        return self.sandbox.clock()


@contextlib.contextmanager
def emulated(merchants: int = 1) -> Iterator[Emulated]:
    """An in-process emulator with `merchants` merchant accounts (1 or 2) and webhooks captured."""
    keys = [(DEFAULT_API_KEY, DEFAULT_SECRET_KEY), (SECOND_API_KEY, SECOND_SECRET_KEY)][:merchants]
    received: list[httpx.Request] = []

    def merchant_site(request: httpx.Request) -> httpx.Response:
        received.append(request)
        return httpx.Response(200)

    app = create_app(
        dict(keys), webhook_url="https://shop.example/hook", webhook_transport=httpx.MockTransport(merchant_site)
    )
    transport = InProcessTransport(app)
    with contextlib.ExitStack() as stack:
        clients = [
            stack.enter_context(IyzicoClient(api_key, secret_key, BASE_URL, transport=transport))
            for api_key, secret_key in keys
        ]
        browser = stack.enter_context(httpx.Client(transport=transport, base_url=BASE_URL))
        stack.callback(app.state.sandbox.close)
        yield Emulated(app.state.sandbox, clients, browser, app, received)


def ok(answer: typing.Any) -> typing.Any:
    """A generated function's answer, asserted present (the trust layer raises on failures)."""
    assert answer is not None
    return answer
