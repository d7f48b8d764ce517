"""Refunds to the buyer's iyzico balance: the initialize call, and the page where the refund is confirmed.

Initialize keeps the request under a token and answers with the page's URL; confirming on the page
refunds what is still refundable of the payment (logged under the initialize call's conversationId, so
the payment details report shows it) and posts the token and the outcome to the merchant's
`callbackUrl`, as iyzico's hosted pages do.
"""

from __future__ import annotations

import html
import typing
import uuid
from collections.abc import Mapping

from starlette.requests import Request
from starlette.responses import Response

from ._context import Context
from ._failures import ApiFailure

# The pages' building blocks, shared with the 3-D Secure and checkout pages.
from ._pages import _auto_post, _error_page, _lookup, _page
from ._payments import refund_remainder, refundable_payment

__all__ = ["HANDLERS", "refund_to_balance_page"]

_KIND = "refund-to-balance"


def initialize_refund_to_balance(ctx: Context, request: Mapping[str, typing.Any]) -> dict[str, typing.Any]:
    document = refundable_payment(ctx, request.get("paymentId"))
    callback_url = request.get("callbackUrl")
    if not callback_url:
        raise ApiFailure("23")
    token = str(uuid.uuid4())
    state = {
        "paymentId": document["resource"]["paymentId"],
        "callbackUrl": callback_url,
        "conversationId": ctx.conversation_id,
        "state": "INIT",
    }
    ctx.store.put(_KIND, token, ctx.merchant, state, ctx.conversation_id)
    return {"token": token, "url": f"{ctx.base_url}/_sandbox/refund-to-balance/{token}"}


async def refund_to_balance_page(request: Request) -> Response:
    token = request.path_params["token"]
    found = _lookup(request, _KIND, token)
    if found is None or found[2]["state"] != "INIT":
        return _error_page(ApiFailure("5017"), 404)
    sandbox, context, state = found
    if request.method == "GET":
        return _page(
            "Refund to your iyzico balance",
            f"<p>Payment {html.escape(str(state['paymentId']))}: what is still refundable goes to your iyzico "
            'balance.</p><form method="post"><button type="submit">Confirm the refund</button></form>',
        )
    try:
        with sandbox.store.transaction():
            refund_remainder(context, refundable_payment(context, state["paymentId"]))
            state["state"] = "DONE"
            context.store.put(_KIND, token, context.merchant, state, state["conversationId"])
    except ApiFailure as failure:
        return _error_page(failure)
    return _auto_post(str(state["callbackUrl"]), {"token": token, "status": "success"})


HANDLERS = {"initializeRefundToBalance": initialize_refund_to_balance}
