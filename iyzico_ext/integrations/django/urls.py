"""The three views iyzico POSTs to, as URL patterns: `path("iyzico/", include(iyzico_urls(endpoints)))`.

They are exempt from Django's CSRF check, and only they: iyzico's bank page and hosted page post
cross-site without a CSRF token, and webhooks come from iyzico's servers. Each is authenticated by
iyzico's signature instead, verified before anything happens. The browser callbacks end with
`303 See Other` to your success or failure page, where the buyer's session cookie (SameSite=Lax, not
sent on iyzico's cross-site POST) is back.
"""

from __future__ import annotations

import typing
from collections.abc import Callable, Mapping

from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import URLPattern, path
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from ..._handlers import Refusal, WebhookAccepted, handle_checkout_callback, handle_threeds_callback, handle_webhook
from .._common import BrowserResult, IyzicoEndpoints
from .signals import payment_completed, payment_refused, webhook_received

__all__ = ["iyzico_urls"]

_SEE_OTHER = 303


def _browser_view(
    endpoints: IyzicoEndpoints, handler: Callable[..., BrowserResult], order: object
) -> Callable[[HttpRequest], HttpResponse]:
    @csrf_exempt
    @require_POST
    def view(request: HttpRequest) -> HttpResponse:
        form: Mapping[str, object] = request.POST.dict()
        result = handler(endpoints.client, form, expected=order)
        target = endpoints.after_browser_callback(result)
        signal = payment_refused if isinstance(result, Refusal) else payment_completed
        signal.send(sender=type(endpoints), endpoints=endpoints, result=result)
        response = HttpResponseRedirect(target)
        response.status_code = _SEE_OTHER
        return response

    return typing.cast(Callable[[HttpRequest], HttpResponse], view)


def _webhook_view(endpoints: IyzicoEndpoints) -> Callable[[HttpRequest], HttpResponse]:
    @csrf_exempt
    @require_POST
    def view(request: HttpRequest) -> HttpResponse:
        headers = typing.cast(Mapping[str, str], request.headers)
        result = handle_webhook(endpoints.client, request.body, headers, endpoints.webhook_store)
        status, text = endpoints.after_webhook(result)
        if isinstance(result, WebhookAccepted) and not result.duplicate:
            webhook_received.send(sender=type(endpoints), endpoints=endpoints, result=result)
        return HttpResponse(text, status=status, content_type="text/plain")

    return typing.cast(Callable[[HttpRequest], HttpResponse], view)


def iyzico_urls(endpoints: IyzicoEndpoints) -> list[URLPattern]:
    """`threeds/callback`, `checkout/callback` and `webhook`, named `iyzico_<name>` for `reverse()`."""
    return [
        path(
            "threeds/callback",
            _browser_view(endpoints, handle_threeds_callback, endpoints.threeds_order),
            name="iyzico_threeds_callback",
        ),
        path(
            "checkout/callback",
            _browser_view(endpoints, handle_checkout_callback, endpoints.checkout_order),
            name="iyzico_checkout_callback",
        ),
        path("webhook", _webhook_view(endpoints), name="iyzico_webhook"),
    ]
