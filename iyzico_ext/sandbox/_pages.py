"""The browser side: the test bank's 3-D Secure page and the hosted payment page, as real HTML forms.

Both end the way iyzico's do: an auto-submitting form that posts to the merchant's `callbackUrl`
(the signed 3DS fields, or the checkout token). A person can use them in a browser; tests follow the same
forms with `iyzico_ext.sandbox.browser`.
"""

from __future__ import annotations

import html
import typing
from collections.abc import Mapping

from starlette.requests import Request
from starlette.responses import HTMLResponse, Response

from ._cards import INSTALLMENT_COUNTS
from ._context import Context
from ._failures import ApiFailure, failure_body
from ._hosted import checkout_state, pay_checkout, threeds_bank_step
from ._state import Sandbox
from ._store import Document

__all__ = ["checkout_page", "threeds_page"]

_STYLE = (
    "body{font-family:sans-serif;max-width:28rem;margin:2rem auto}label{display:block;margin:.5rem 0}"
    "input,select{width:100%;padding:.3rem}button{margin:.5rem .5rem 0 0;padding:.5rem 1rem}"
    ".error{color:#b00020}"
)


def _page(title: str, content: str, status_code: int = 200) -> HTMLResponse:
    return HTMLResponse(
        f'<!doctype html><html><head><meta charset="utf-8"><title>{html.escape(title)}</title>'
        f"<style>{_STYLE}</style></head><body><h1>{html.escape(title)}</h1>{content}</body></html>",
        status_code=status_code,
    )


def _auto_post(url: str, fields: Mapping[str, str]) -> HTMLResponse:
    """The last step of both flows: the browser posts `fields` to the merchant's callbackUrl."""
    inputs = "".join(
        f'<input type="hidden" name="{html.escape(name)}" value="{html.escape(value)}">'
        for name, value in fields.items()
    )
    return HTMLResponse(
        '<!doctype html><html><body onload="document.forms[0].submit()">'
        f'<form method="post" action="{html.escape(url)}">{inputs}'
        '<noscript><button type="submit">Return to the merchant</button></noscript></form></body></html>'
    )


def _lookup(request: Request, kind: str, key: str) -> tuple[Sandbox, Context, Document] | None:
    sandbox: Sandbox = request.app.state.sandbox
    found = sandbox.store.get_for_any_merchant(kind, key)
    if found is None:
        return None
    merchant, document = found
    context = Context(
        store=sandbox.store,
        merchant=merchant,
        conversation_id=document.get("conversationId"),
        base_url=str(request.base_url).rstrip("/"),
        now=sandbox.clock(),
    )
    return sandbox, context, document


def _error_page(failure: ApiFailure, status_code: int = 400) -> HTMLResponse:
    message = failure_body(failure, "en")["errorMessage"]
    return _page("Payment page", f'<p class="error">{html.escape(str(message))}</p>', status_code)


def _amount_line(request_fields: Mapping[str, typing.Any]) -> str:
    amount = html.escape(f"{request_fields.get('paidPrice')} {request_fields.get('currency', 'TRY')}")
    return f"<p>Amount: <strong>{amount}</strong></p>"


async def threeds_page(request: Request) -> Response:
    payment_id = request.path_params["payment_id"]
    found = _lookup(request, "threeds", payment_id)
    if found is None:
        return _error_page(ApiFailure("5015"), 404)
    sandbox, context, document = found
    if request.method == "GET":
        card_number = str((document["request"].get("paymentCard") or {}).get("cardNumber") or "stored card")
        return _page(
            "Test Bank 3-D Secure",
            _amount_line(document["request"])
            + f"<p>Card ending in {html.escape(card_number[-4:])}. The SMS code is 283126.</p>"
            '<form method="post"><label>SMS code <input name="smsCode" value="283126"></label>'
            '<button name="action" value="authenticate">Confirm</button>'
            '<button name="action" value="fail">Cancel authentication</button></form>',
        )
    form = await request.form()
    try:
        with sandbox.store.transaction():
            callback_url, fields = threeds_bank_step(
                context,
                payment_id,
                document,
                sandbox.secret_for(context.merchant),
                authenticated=form.get("action") != "fail",
            )
    except ApiFailure as failure:
        return _error_page(failure)
    return _auto_post(callback_url, fields)


def _checkout_form(document: Document, error: str | None = None) -> str:
    options = "".join(f'<option value="{count}">{count}</option>' for count in INSTALLMENT_COUNTS)
    error_line = f'<p class="error">{html.escape(error)}</p>' if error else ""
    return (
        _amount_line(document["request"]) + error_line + '<form method="post">'
        '<label>Card holder <input name="cardHolderName" autocomplete="cc-name" required></label>'
        '<label>Card number <input name="cardNumber" autocomplete="cc-number" inputmode="numeric" required></label>'
        '<label>Expiry month <input name="expireMonth" placeholder="12" required></label>'
        '<label>Expiry year <input name="expireYear" placeholder="2030" required></label>'
        '<label>CVC <input name="cvc" inputmode="numeric" required></label>'
        f'<label>Installments <select name="installment">{options}</select></label>'
        '<button type="submit">Pay</button></form>'
    )


async def checkout_page(request: Request) -> Response:
    token = request.path_params["token"]
    found = _lookup(request, "checkout", token)
    if found is None:
        return _error_page(ApiFailure("5017"), 404)
    sandbox, context, document = found
    title = "Pay with iyzico" if document["product"] == "PWI" else "iyzico Checkout"
    if request.method == "GET":
        try:
            checkout_state(context, document)
        except ApiFailure as failure:
            return _error_page(failure)
        return _page(title, _checkout_form(document))
    form = {name: value for name, value in (await request.form()).items() if isinstance(value, str)}
    try:
        with sandbox.store.transaction():
            callback_url = pay_checkout(context, token, document, form)
    except ApiFailure as failure:
        message = str(failure_body(failure, "en")["errorMessage"])
        return _page(title, _checkout_form(document, message), 400)
    sandbox.notify(context.notifications)
    return _auto_post(callback_url, {"token": token})
