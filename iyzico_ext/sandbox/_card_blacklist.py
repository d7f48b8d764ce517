"""The merchant's card blacklist: stored cards it refuses to be paid with, whether stored or typed in.

The blacklist lives in the card vault: a blacklisted card is flagged there (and kept there, out of its
user's cards, if it is deleted), and a per-merchant index names the flagged cards by card user and token,
so a payment looks up only those. A payment with a blacklisted card number is refused with 10209
(BLOCKED_CARD, the bank table's text; which code iyzico gives is not documented).
"""

from __future__ import annotations

import typing
from collections.abc import Iterator, Mapping

from ._cardstorage import load_card_user
from ._context import Context
from ._failures import ApiFailure
from ._rules import Card
from ._store import Document

__all__ = ["HANDLERS", "masked_number", "refuse_blacklisted"]

_INDEX = "card-blacklist"
_BLACKLISTED_CODE = "10209"
_SHOWN_DIGITS = 6  # a masked number shows the BIN and the last four digits


def masked_number(number: str) -> str:
    return number[:_SHOWN_DIGITS] + "*" * (len(number) - _SHOWN_DIGITS - 4) + number[-4:]


def _index(ctx: Context) -> Document:
    return ctx.store.get(_INDEX, ctx.merchant, ctx.merchant) or {"cards": []}


def _vault_card(user: Document, token: str) -> dict[str, typing.Any] | None:
    found: dict[str, typing.Any] | None = user["cards"].get(token) or user.get("deletedBlacklisted", {}).get(token)
    return found


def _blacklisted(ctx: Context) -> Iterator[tuple[str, str, str]]:
    """(cardUserKey, cardToken, card number) of every card on the caller's blacklist."""
    for user_key, token in _index(ctx)["cards"]:
        user = ctx.store.get("carduser", user_key, ctx.merchant)
        card = _vault_card(user, token) if user is not None else None
        if card is not None:
            yield user_key, token, card["cardNumber"]


def refuse_blacklisted(ctx: Context, card: Card) -> None:
    """Refuse a payment with a card on the merchant's blacklist (10209)."""
    if any(number == card.number for _, _, number in _blacklisted(ctx)):
        raise ApiFailure(_BLACKLISTED_CODE)


def _set_blacklisted(ctx: Context, request: Mapping[str, typing.Any], blacklisted: bool) -> dict[str, typing.Any]:
    user = load_card_user(ctx, request.get("cardUserKey"))
    token = str(request.get("cardToken") or "")
    card = _vault_card(user, token)
    if card is None:
        raise ApiFailure("3006")
    card["blacklisted"] = blacklisted
    if not blacklisted:
        user.get("deletedBlacklisted", {}).pop(token, None)  # a deleted card off the blacklist is gone for good
    ctx.store.put("carduser", user["cardUserKey"], ctx.merchant, user)
    entry = [user["cardUserKey"], token]
    index = _index(ctx)
    index["cards"] = [listed for listed in index["cards"] if listed != entry] + ([entry] if blacklisted else [])
    ctx.store.put(_INDEX, ctx.merchant, ctx.merchant, index)
    return _answer(user["cardUserKey"], token, card["cardNumber"], blacklisted)


def _answer(user_key: str | None, token: str | None, number: str, blacklisted: bool) -> dict[str, typing.Any]:
    answer = {"cardUserKey": user_key, "cardToken": token, "cardNumber": masked_number(number)}
    return {**{key: value for key, value in answer.items() if value is not None}, "blacklisted": blacklisted}


def blacklist_card(ctx: Context, request: Mapping[str, typing.Any]) -> dict[str, typing.Any]:
    return _set_blacklisted(ctx, request, True)


def unblacklist_card(ctx: Context, request: Mapping[str, typing.Any]) -> dict[str, typing.Any]:
    return _set_blacklisted(ctx, request, False)


def retrieve_blacklisted_card(ctx: Context, request: Mapping[str, typing.Any]) -> dict[str, typing.Any]:
    number = str(request["cardNumber"])
    for user_key, token, blacklisted_number in _blacklisted(ctx):
        if blacklisted_number == number:
            return _answer(user_key, token, number, True)
    return _answer(None, None, number, False)


HANDLERS = {
    "blacklistCard": blacklist_card,
    "retrieveBlacklistedCard": retrieve_blacklisted_card,
    "unblacklistCard": unblacklist_card,
}
