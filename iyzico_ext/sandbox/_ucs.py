"""Universal Card Storage: is the buyer a consumer with cards stored at iyzico, and the script for the page.

iyzico keeps a consumer's cards across merchants; the emulator's counterpart is every card user of any
merchant of this emulator with the buyer's e-mail address and at least one stored card. The answer's
script defines `iyziUcsInit` with the same fields as iyzico's (dev.iyzipay.com's Universal Card Storage
page), its base URL being the emulator's; the session is kept under the token for `UCS_TOKEN_LIFETIME`.
"""

from __future__ import annotations

import datetime
import json
import typing
import uuid
from collections.abc import Mapping

from ._context import Context
from ._webhooks import merchant_number

__all__ = ["HANDLERS", "UCS_TOKEN_LIFETIME", "masked_gsm_number"]

UCS_TOKEN_LIFETIME = datetime.timedelta(minutes=30)
_SHOWN_PREFIX, _SHOWN_SUFFIX = 3, 2  # "+90********55"


def masked_gsm_number(gsm_number: str) -> str:
    hidden = len(gsm_number) - _SHOWN_PREFIX - _SHOWN_SUFFIX
    return gsm_number[:_SHOWN_PREFIX] + "*" * hidden + gsm_number[-_SHOWN_SUFFIX:]


def _has_stored_cards(ctx: Context, email: str) -> bool:
    return any(user.get("email") == email and user["cards"] for _, user in ctx.store.all("carduser"))


def _script(settings: Mapping[str, typing.Any]) -> str:
    # "</" written as "<\/" so that nothing from the request can close the script element.
    config = json.dumps(settings, ensure_ascii=False).replace("</", "<\\/")
    script = f"if (typeof iyziUcsInit == 'undefined') {{var iyziUcsInit = {config};}}"
    return f'<script type="text/javascript">{script}</script>'


def initialize_universal_card_storage(ctx: Context, request: Mapping[str, typing.Any]) -> dict[str, typing.Any]:
    email, gsm_number = str(request["email"]), str(request["gsmNumber"])
    token = str(uuid.uuid4())
    script_type = "CONSUMER_WITH_CARD_EXIST" if _has_stored_cards(ctx, email) else "UCS_CONSENT"
    session = {
        "email": email,
        "gsmNumber": gsm_number,
        "scriptType": script_type,
        "expiresAt": (ctx.now + UCS_TOKEN_LIFETIME).isoformat(),
    }
    ctx.store.put("ucs", token, ctx.merchant, session, ctx.conversation_id)
    answer = {
        "buyerProtectedConsumer": False,
        "ucsToken": token,
        "scriptType": script_type,
        "buyerProtectedMerchant": False,
        "maskedGsmNumber": masked_gsm_number(gsm_number),
        "gsmNumber": gsm_number,
        "merchantName": f"Sandbox Merchant Name - {merchant_number(ctx.merchant)}",
    }
    return {**answer, "script": _script({"baseUrl": ctx.base_url, **answer})}


HANDLERS = {"initializeUniversalCardStorage": initialize_universal_card_storage}
