"""The ASGI application: admin and browser routes under `/_sandbox/`, one route per path of the iyzico API."""

from __future__ import annotations

import contextlib
import datetime
import functools
from collections.abc import AsyncIterator, Callable, Iterable, Mapping

import httpx
from starlette.applications import Starlette
from starlette.routing import Route

from .._secret import SecretKey
from ._admin import clock_endpoint, faults_endpoint, ledger_endpoint, reset_endpoint, webhooks_endpoint
from ._api import CLOCK_HOOKS, api_routes, not_routed
from ._card_management import card_management_page
from ._guard import host_allow_list
from ._iyzilink_page import iyzilink_image, iyzilink_page
from ._pages import checkout_page, home_page, threeds_page
from ._readiness_page import probe_endpoint, readiness_endpoint, readiness_page
from ._refund_to_balance import refund_to_balance_page
from ._settlement_to_balance import settlement_to_balance_page
from ._state import Sandbox
from ._subscription_forms import subscription_form_page
from ._wallet_pages import WALLET_PAGE_ROUTES

__all__ = ["create_app"]

_EVERY_METHOD = ("GET", "POST", "PUT", "DELETE", "PATCH", "HEAD", "OPTIONS", "TRACE")


def create_app(
    credentials: Mapping[str, str | SecretKey] | None = None,
    *,
    db_path: str | None = None,
    webhook_url: str | None = None,
    webhook_transport: httpx.BaseTransport | None = None,
    clock: Callable[[], datetime.datetime] = datetime.datetime.now,
    allowed_hosts: Iterable[str] = (),
) -> Starlette:
    """The emulator as an ASGI app.

    `credentials` maps API keys to secret keys (default `sandbox-api-key` / `sandbox-secret-key`);
    `db_path` keeps state in SQLite across restarts (in memory without it); with `webhook_url`,
    completed payments are notified there. `app.state.sandbox` holds the state; it is closed at
    lifespan shutdown (uvicorn) or by `app.state.sandbox.close()` when the app runs in-process.
    Requests are answered only for loopback `Host` names and `allowed_hosts` (see `_guard`).
    """
    # Wrapped first thing, so no frame below holds a plain secret key while the setup may raise.
    keys = {api_key: SecretKey.of(secret) for api_key, secret in (credentials or {}).items()} or None
    del credentials

    def new_state(path: str | None) -> Sandbox:
        return Sandbox(
            keys,
            db_path=path,
            webhook_url=webhook_url,
            webhook_transport=webhook_transport,
            clock=clock,
            clock_hooks=CLOCK_HOOKS,
        )

    sandbox = new_state(db_path)

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        try:
            yield
        finally:
            sandbox.close()

    routes = [
        Route("/", home_page, methods=["GET"]),
        Route("/_sandbox/ledger", ledger_endpoint, methods=["GET"]),
        Route("/_sandbox/reset", reset_endpoint, methods=["POST"]),
        Route("/_sandbox/faults", faults_endpoint, methods=["GET", "POST", "DELETE"]),
        Route("/_sandbox/webhooks", webhooks_endpoint, methods=["GET"]),
        Route("/_sandbox/clock", clock_endpoint, methods=["GET", "POST"]),
        Route("/_sandbox/readiness", readiness_endpoint, methods=["GET"]),
        Route("/_sandbox/readiness.html", readiness_page, methods=["GET"]),
        Route("/_sandbox/readiness/probe-webhooks", probe_endpoint, methods=["POST"]),
        Route("/_sandbox/threeds/{payment_id}", threeds_page, methods=["GET", "POST"]),
        Route("/_sandbox/checkout/{token}", checkout_page, methods=["GET", "POST"]),
        Route("/_sandbox/refund-to-balance/{token}", refund_to_balance_page, methods=["GET", "POST"]),
        Route("/_sandbox/subscription-form/{token}", subscription_form_page, methods=["GET", "POST"]),
        *WALLET_PAGE_ROUTES,
        Route("/_sandbox/iyzilink/{token}", iyzilink_page, methods=["GET", "POST"]),
        Route("/_sandbox/iyzilink/{token}/image", iyzilink_image, methods=["GET"]),
        Route("/_sandbox/card-management/{token}", card_management_page, methods=["GET", "POST"]),
        Route("/_sandbox/settlement-to-balance/{token}", settlement_to_balance_page, methods=["GET", "POST"]),
        *api_routes(),
        # Anything else: iyzico-path-aware 404 / 405 answers, whatever the method.
        Route("/{path:path}", not_routed, methods=list(_EVERY_METHOD)),
    ]
    app = Starlette(routes=routes, lifespan=lifespan, middleware=[host_allow_list(allowed_hosts)])
    app.state.sandbox = sandbox
    # A new, empty state configured like the first (in memory), for a server that serves test after test.
    app.state.new_sandbox = functools.partial(new_state, None)
    return app
