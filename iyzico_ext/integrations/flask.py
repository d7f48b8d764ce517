"""A Flask blueprint for the three requests iyzico sends (extra `flask`).

    from iyzico_ext.integrations import IyzicoEndpoints
    from iyzico_ext.integrations.flask import iyzico_blueprint

    app.register_blueprint(iyzico_blueprint(IyzicoEndpoints(client, success_url="/paid", failure_url="/failed")),
                           url_prefix="/iyzico")

gives `POST /iyzico/threeds/callback`, `POST /iyzico/checkout/callback` and `POST /iyzico/webhook`.
With Flask-WTF's `CSRFProtect`, exempt the blueprint (`csrf.exempt(blueprint)`): iyzico's POSTs carry
no CSRF token, and each of the three is authenticated by iyzico's signature instead.
"""

from __future__ import annotations

import typing
from collections.abc import Callable, Mapping

from flask import Blueprint, redirect, request
from flask.typing import ResponseReturnValue

from .._handlers import handle_checkout_callback, handle_threeds_callback, handle_webhook
from ._common import BrowserResult, IyzicoEndpoints

__all__ = ["iyzico_blueprint"]


def iyzico_blueprint(endpoints: IyzicoEndpoints, name: str = "iyzico") -> Blueprint:
    """The three POST views as a blueprint (register it under a prefix of your choice)."""
    blueprint = Blueprint(name, __name__)

    def _browser(handler: Callable[..., BrowserResult], order: object) -> ResponseReturnValue:
        form: Mapping[str, object] = request.form.to_dict()
        result = handler(endpoints.client, form, expected=order)
        return redirect(endpoints.after_browser_callback(result), code=303)

    @blueprint.post("/threeds/callback")
    def threeds_callback() -> ResponseReturnValue:
        return _browser(handle_threeds_callback, endpoints.threeds_order)

    @blueprint.post("/checkout/callback")
    def checkout_callback() -> ResponseReturnValue:
        return _browser(handle_checkout_callback, endpoints.checkout_order)

    @blueprint.post("/webhook")
    def webhook() -> tuple[str, int]:
        body = request.get_data(cache=False)
        headers = typing.cast(Mapping[str, str], request.headers)
        status, text = endpoints.after_webhook(handle_webhook(endpoints.client, body, headers, endpoints.webhook_store))
        return text, status

    return blueprint
