"""The card management page: a card user sees, deletes and adds their stored cards on a hosted page.

Initialize keeps the page's settings under a token (the card user by `cardUserKey`, or a new one by e-mail,
created with the first card added) and answers the page's URL. On the page the card user deletes cards and,
when the merchant allows it, adds new ones (checked with the bank first with `validateNewCard`; debit cards
refused without `debitCardAllowed`); "done" posts the token to the merchant's `callbackUrl`. The cards are
read back with the token, also after the page is closed. iyzico's production pages are not documented;
this is the emulator's reading of the Java SDK's request fields.
"""

from __future__ import annotations

import datetime
import typing
import uuid
from collections.abc import Mapping

from starlette.requests import Request
from starlette.responses import Response

from ._cardstorage import delete_card, load_card_user, register_card, stored_cards
from ._context import Context
from ._failures import ApiFailure, failure_body
from ._hosted import TOKEN_LIFETIME_SECONDS, safe_callback_url
from ._page_style import Locale, escape, hidden_inputs, locale_of, page, text
from ._pages import _auto_post, _error_page, _field, _lookup, _merchant, card_fields
from ._rules import read_raw_card
from ._store import Document

__all__ = ["HANDLERS", "card_management_page"]

_KIND = "card-page"
_INVALID_TOKEN = "4002"  # noqa: S105 - an error code, not a credential
_DEBIT_NOT_ALLOWED = "3010"


def _flag(request: Mapping[str, typing.Any], name: str, default: bool) -> bool:
    value = request.get(name)
    return default if value is None else value is True or value == "true"


def initialize_card_management_page(ctx: Context, request: Mapping[str, typing.Any]) -> dict[str, typing.Any]:
    callback_url = safe_callback_url(request.get("callbackUrl"), hosted=True)
    user_key = request.get("cardUserKey")
    if user_key:
        load_card_user(ctx, user_key)
    elif not request.get("email"):
        raise ApiFailure("3")
    settings = {
        "cardUserKey": user_key or None,
        "email": request.get("email"),
        "externalId": request.get("externalId"),
        "callbackUrl": callback_url,
        "addNewCardEnabled": _flag(request, "addNewCardEnabled", False),
        "validateNewCard": _flag(request, "validateNewCard", False),
        "debitCardAllowed": _flag(request, "debitCardAllowed", True),
        "locale": locale_of(request),
        "conversationId": ctx.conversation_id,
        "expiresAt": (ctx.now + datetime.timedelta(seconds=TOKEN_LIFETIME_SECONDS)).isoformat(),
        "state": "OPEN",
    }
    token = str(uuid.uuid4())
    ctx.store.put(_KIND, token, ctx.merchant, settings, ctx.conversation_id)
    page_url = f"{ctx.base_url}/_sandbox/card-management/{token}"
    return {"externalId": request.get("externalId"), "token": token, "cardPageUrl": page_url}


def retrieve_card_management_page_cards(ctx: Context, request: Mapping[str, typing.Any]) -> dict[str, typing.Any]:
    settings = ctx.store.get(_KIND, ctx.path_params["pageToken"], ctx.merchant)
    if settings is None:
        raise ApiFailure(_INVALID_TOKEN)
    user_key = settings["cardUserKey"]
    return {
        "externalId": settings.get("externalId"),
        "cardUserKey": user_key,
        "cardDetails": stored_cards(ctx, user_key) if user_key else [],
    }


def _add_card(ctx: Context, settings: Document, form: Mapping[str, str]) -> None:
    if not settings["addNewCardEnabled"]:
        raise ApiFailure("11", "adding cards is not enabled")
    card = read_raw_card(form, now=ctx.today, for_storage=True)
    if not settings["debitCardAllowed"] and card.issuer is not None and card.issuer.card_type == "DEBIT_CARD":
        raise ApiFailure(_DEBIT_NOT_ALLOWED)
    if settings["validateNewCard"] and card.outcome.decline_code is not None:
        raise ApiFailure(card.outcome.decline_code)  # the bank's answer to the card's verification
    owner = {
        "cardUserKey": settings["cardUserKey"],
        "email": settings["email"],
        "externalId": settings["externalId"],
        "cardAlias": form.get("cardAlias") or None,
    }
    settings["cardUserKey"], _ = register_card(ctx, owner, card)


def _cards_panel(ctx: Context, settings: Document, locale: Locale) -> str:
    user_key = settings["cardUserKey"]
    cards = stored_cards(ctx, user_key) if user_key else []
    if not cards:
        return f"<p class='muted'>{escape(text(locale, 'no_stored_cards'))}</p>"
    rows = "".join(
        f"<tr><td>{escape(card.get('cardAlias') or '')} {escape(card.get('cardBankName') or '')}</td>"
        f"<td>{escape(card['binNumber'][:6])}•• •••• {escape(card['lastFourDigits'])}</td>"
        f'<td><form method="post">{hidden_inputs({"action": "delete", "cardToken": card["cardToken"]})}'
        f'<button class="secondary">{escape(text(locale, "delete_card"))}</button></form></td></tr>'
        for card in cards
    )
    return f"<table>{rows}</table>"


def _add_card_form(settings: Document, locale: Locale, kept: Mapping[str, str]) -> str:
    if not settings["addNewCardEnabled"]:
        return ""
    return (
        f"<h2>{escape(text(locale, 'add_card'))}</h2>"
        f'<form method="post">{hidden_inputs({"action": "add"})}'
        + _field(locale, "card_alias", "cardAlias", kept)
        + card_fields(locale, kept, cvc=False)
        + f'<button type="submit">{escape(text(locale, "save_card"))}</button></form>'
    )


def _page(ctx: Context, settings: Document, kept: Mapping[str, str], error: str | None = None) -> Response:
    locale = locale_of(settings)
    error_line = f'<p class="error" role="alert">{escape(error)}</p>' if error else ""
    done = (
        f'<form method="post">{hidden_inputs({"action": "done"})}<button>{escape(text(locale, "done"))}</button></form>'
    )
    content = error_line + _cards_panel(ctx, settings, locale) + _add_card_form(settings, locale, kept) + done
    return page(
        locale, text(locale, "stored_cards"), content, merchant=_merchant(ctx), status_code=400 if error else 200
    )


def _open(ctx: Context, settings: Document) -> bool:
    return settings["state"] == "OPEN" and ctx.now <= datetime.datetime.fromisoformat(settings["expiresAt"])


async def card_management_page(request: Request) -> Response:
    token = request.path_params["token"]
    found = _lookup(request, _KIND, token)
    if found is None or not _open(found[1], found[2]):
        return _error_page(ApiFailure(_INVALID_TOKEN), "tr", 404)
    sandbox, context, settings = found
    if request.method == "GET":
        return _page(context, settings, {})
    form = {name: value for name, value in (await request.form()).items() if isinstance(value, str)}
    action = form.get("action")
    kept: dict[str, str] = {name: form[name] for name in ("cardAlias", "cardHolderName", "cardNumber") if name in form}
    try:
        with sandbox.store.transaction():
            if action == "delete":
                delete_card(context, {"cardUserKey": settings["cardUserKey"], "cardToken": form.get("cardToken")})
            elif action == "add":
                _add_card(context, settings, form)
            elif action == "done":
                settings["state"] = "DONE"
            context.store.put(_KIND, token, context.merchant, settings, settings["conversationId"])
    except ApiFailure as failure:
        return _page(context, settings, kept, str(failure_body(failure, locale_of(settings))["errorMessage"]))
    if action == "done":
        return _auto_post(str(settings["callbackUrl"]), {"token": token}, locale_of(settings))
    return _page(context, settings, {})


HANDLERS = {
    "initializeCardManagementPage": initialize_card_management_page,
    "retrieveCardManagementPageCards": retrieve_card_management_page_cards,
}
