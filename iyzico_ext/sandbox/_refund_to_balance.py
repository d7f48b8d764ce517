"""Refunds to the buyer's iyzico balance: the initialize call, and the page where the refund is confirmed.

Initialize keeps the request under a token and answers with the page's URL; confirming on the page
refunds what is still refundable of the payment (logged under the initialize call's conversationId, so
the payment details report shows it) and posts the token and the outcome to the merchant's
`callbackUrl`, as iyzico's hosted pages do.
"""

from __future__ import annotations

import typing
import uuid
from collections.abc import Mapping

from starlette.requests import Request
from starlette.responses import Response

from ._context import Context
from ._failures import ApiFailure
from ._hosted import safe_callback_url

# The pages' building blocks, shared with the 3-D Secure and checkout pages.
from ._page_style import escape, locale_of, page, text
from ._pages import _auto_post, _error_page, _lookup
from ._payments import refund_remainder, refundable_payment

__all__ = ["HANDLERS", "refund_to_balance_page"]

_KIND = "refund-to-balance"


def initialize_refund_to_balance(ctx: Context, request: Mapping[str, typing.Any]) -> dict[str, typing.Any]:
    document = refundable_payment(ctx, request.get("paymentId"))
    callback_url = safe_callback_url(request.get("callbackUrl"), hosted=True)
    token = str(uuid.uuid4())
    state = {
        "paymentId": document["resource"]["paymentId"],
        "callbackUrl": callback_url,
        "conversationId": ctx.conversation_id,
        "locale": locale_of(request),
        "state": "INIT",
    }
    ctx.store.put(_KIND, token, ctx.merchant, state, ctx.conversation_id)
    return {"token": token, "url": f"{ctx.base_url}/_sandbox/refund-to-balance/{token}"}


async def refund_to_balance_page(request: Request) -> Response:
    token = request.path_params["token"]
    found = _lookup(request, _KIND, token)
    if found is None or found[2]["state"] != "INIT":
        return _error_page(ApiFailure("5017"), "tr", 404)
    sandbox, context, state = found
    locale = locale_of(state)
    if request.method == "GET":
        intro = text(locale, "refund_to_balance_intro", payment_id=state["paymentId"])
        content = (
            f'<p>{escape(intro)}</p><form method="post">'
            f'<button type="submit">{escape(text(locale, "confirm_refund"))}</button></form>'
        )
        return page(locale, text(locale, "refund_to_balance"), content)
    try:
        with sandbox.store.transaction():
            refund_remainder(context, refundable_payment(context, state["paymentId"]))
            state["state"] = "DONE"
            context.store.put(_KIND, token, context.merchant, state, state["conversationId"])
    except ApiFailure as failure:
        return _error_page(failure, locale)
    return _auto_post(str(state["callbackUrl"]), {"token": token, "status": "success"}, locale)


HANDLERS = {"initializeRefundToBalance": initialize_refund_to_balance}
