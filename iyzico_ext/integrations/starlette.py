"""Starlette routes and a FastAPI router for the three requests iyzico sends (extras `starlette` / `fastapi`).

    from iyzico_ext.integrations import IyzicoEndpoints
    from iyzico_ext.integrations.starlette import iyzico_router

    app.include_router(iyzico_router(IyzicoEndpoints(client, success_url="/paid", failure_url="/failed")),
                       prefix="/iyzico")

gives `POST /iyzico/threeds/callback`, `POST /iyzico/checkout/callback` and `POST /iyzico/webhook`.
The handlers run with the client's asyncio side; hooks may be plain functions or coroutines.
"""

from __future__ import annotations

import inspect
import typing
from collections.abc import Awaitable, Callable, Mapping

from starlette.requests import Request
from starlette.responses import PlainTextResponse, RedirectResponse, Response
from starlette.routing import Route

from .._handlers import (
    Refusal,
    WebhookAccepted,
    handle_checkout_callback_async,
    handle_threeds_callback_async,
    handle_webhook,
)
from ._common import BrowserResult, IyzicoEndpoints, webhook_answer

if typing.TYPE_CHECKING:
    from fastapi import APIRouter

__all__ = ["iyzico_router", "iyzico_routes"]

_BrowserHandler = Callable[..., Awaitable[BrowserResult]]


async def _run_hook(hook: Callable[[typing.Any], object] | None, result: object) -> None:
    if hook is None:
        return
    outcome = hook(result)
    if inspect.isawaitable(outcome):
        await outcome


def _browser_endpoint(endpoints: IyzicoEndpoints, handler: _BrowserHandler, order: object) -> Callable[..., object]:
    async def endpoint(request: Request) -> Response:
        form: Mapping[str, object] = dict((await request.form()).items())
        result = await handler(endpoints.client, form, expected=order)
        await _run_hook(endpoints.browser_hook(result), result)
        return RedirectResponse(endpoints.redirect_for(result), status_code=303)

    return endpoint


def iyzico_routes(endpoints: IyzicoEndpoints) -> list[Route]:
    """The three POST routes (mount them under a prefix of your choice)."""

    async def webhook(request: Request) -> Response:
        result: WebhookAccepted | Refusal = handle_webhook(
            endpoints.client, await request.body(), request.headers, endpoints.webhook_store
        )
        await _run_hook(endpoints.webhook_hook(result), result)
        status, text = webhook_answer(result)
        return PlainTextResponse(text, status_code=status)

    return [
        Route(
            "/threeds/callback",
            _browser_endpoint(endpoints, handle_threeds_callback_async, endpoints.threeds_order),
            methods=["POST"],
            name="iyzico_threeds_callback",
        ),
        Route(
            "/checkout/callback",
            _browser_endpoint(endpoints, handle_checkout_callback_async, endpoints.checkout_order),
            methods=["POST"],
            name="iyzico_checkout_callback",
        ),
        Route("/webhook", webhook, methods=["POST"], name="iyzico_webhook"),
    ]


def iyzico_router(endpoints: IyzicoEndpoints) -> APIRouter:
    """The same routes as a FastAPI `APIRouter` (kept out of the OpenAPI schema: iyzico is the only caller)."""
    from fastapi import APIRouter

    return APIRouter(routes=list(iyzico_routes(endpoints)), include_in_schema=False)
