"""Settlement to balance: the merchant offers a sub-merchant money on its iyzico balance, confirmed on a page.

Initialize keeps the offer under a token and answers the page's URL. On the page the sub-merchant confirms
(optionally choosing to have all its future payouts paid to its iyzico balance as well) or declines; a
confirmation moves `price` from the merchant's settlement to the sub-merchant's iyzico balance at once (a
`_ledger` movement, settled immediately: both payout rows on the day, the sub-merchant's never bounces).
The page then posts the token and the outcome to the merchant's `callbackUrl`, as iyzico's hosted pages do.
"""

from __future__ import annotations

import typing
import uuid
from collections.abc import Mapping
from decimal import Decimal

from starlette.requests import Request
from starlette.responses import Response

from ._context import Context
from ._failures import ApiFailure
from ._hosted import safe_callback_url
from ._ledger import record_movement
from ._marketplace import find_sub_merchant, pays_to_balance, set_pays_to_balance

# The pages' building blocks, shared with the 3-D Secure and checkout pages.
from ._page_style import escape, locale_of, page, text
from ._pages import _auto_post, _error_page, _lookup, _merchant
from ._rules import read_amount
from ._sub_merchant_money import sub_merchant_currency

__all__ = ["HANDLERS", "settlement_to_balance_page"]

_KIND = "settlement-to-balance"


def initialize_settlement_to_balance(ctx: Context, request: Mapping[str, typing.Any]) -> dict[str, typing.Any]:
    sub_merchant = find_sub_merchant(ctx, request.get("subMerchantKey"))
    callback_url = safe_callback_url(request.get("callbackUrl"), hosted=True)
    key = str(sub_merchant["subMerchantKey"])
    offer = {
        "subMerchantKey": key,
        "price": read_amount(request.get("price"), "price"),
        "currency": sub_merchant_currency(sub_merchant),
        "callbackUrl": callback_url,
        "conversationId": ctx.conversation_id,
        "locale": locale_of(request),
        "state": "INIT",
    }
    token = str(uuid.uuid4())
    ctx.store.put(_KIND, token, ctx.merchant, offer, ctx.conversation_id)
    return {
        "token": token,
        "url": f"{ctx.base_url}/_sandbox/settlement-to-balance/{token}",
        "settingsAllTime": pays_to_balance(ctx, key),
    }


def _offer_content(context: Context, offer: Mapping[str, typing.Any]) -> str:
    locale = locale_of(offer)
    amount = f"{Decimal(offer['price'])} {offer['currency']}"
    intro = text(locale, "settlement_to_balance_intro", merchant=_merchant(context), amount=amount)
    return (
        f'<p>{escape(intro)}</p><form method="post">'
        f'<div class="stored"><label><input type="checkbox" name="allTime" value="1">'
        f"{escape(text(locale, 'settlement_all_time'))}</label></div>"
        f'<button name="action" value="confirm">{escape(text(locale, "confirm"))}</button>'
        f'<button class="secondary" name="action" value="decline">{escape(text(locale, "decline"))}</button>'
        "</form>"
    )


async def settlement_to_balance_page(request: Request) -> Response:
    token = request.path_params["token"]
    found = _lookup(request, _KIND, token)
    if found is None or found[2]["state"] != "INIT":
        return _error_page(ApiFailure("5017"), "tr", 404)
    sandbox, context, offer = found
    locale = locale_of(offer)
    if request.method == "GET":
        return page(locale, text(locale, "settlement_to_balance"), _offer_content(context, offer))
    form = await request.form()
    confirmed = form.get("action") == "confirm"
    with sandbox.store.transaction():
        if confirmed:
            key = str(offer["subMerchantKey"])
            price, currency = Decimal(offer["price"]), str(offer["currency"])
            record_movement(context, "SETTLEMENT_TO_BALANCE", key, price, currency)
            if form.get("allTime") == "1":
                set_pays_to_balance(context, key)
        offer["state"] = "DONE" if confirmed else "DECLINED"
        context.store.put(_KIND, token, context.merchant, offer, offer["conversationId"])
    fields = {"token": token, "status": "success" if confirmed else "failure"}
    return _auto_post(str(offer["callbackUrl"]), fields, locale)


HANDLERS = {"initializeSettlementToBalance": initialize_settlement_to_balance}
