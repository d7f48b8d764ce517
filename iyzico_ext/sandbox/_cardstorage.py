"""Stored cards: card users (`cardUserKey`) holding cards (`cardToken`)."""

from __future__ import annotations

import secrets
import typing
from collections.abc import Mapping

from ._context import Context
from ._failures import ApiFailure
from ._rules import Card, read_raw_card
from ._store import Document

__all__ = ["HANDLERS", "card_details", "load_card_user", "register_card", "stored_cards"]


def _new_key() -> str:
    # iyzico's keys are base64 text; token_urlsafe gives the same look without '/' in URLs.
    return secrets.token_urlsafe(21)


# Card storage answers with the first 8 digits (Java CardStorageTest, since 2022: 5528790000000008 -> 55287900).
_STORED_BIN_DIGITS = 8


def card_details(card: Mapping[str, typing.Any]) -> dict[str, typing.Any]:
    """The public view of a stored card (never the full number)."""
    number: str = card["cardNumber"]
    issuer = card.get("issuer") or {}
    details = {
        "cardToken": card["cardToken"],
        "cardAlias": card.get("cardAlias"),
        "binNumber": number[:_STORED_BIN_DIGITS],
        "lastFourDigits": number[-4:],
        "cardType": issuer.get("cardType"),
        "cardAssociation": issuer.get("cardAssociation"),
        "cardFamily": issuer.get("cardFamily"),
        "cardBankCode": issuer.get("cardBankCode"),
        "cardBankName": issuer.get("cardBankName"),
    }
    return {key: value for key, value in details.items() if value is not None}


def load_card_user(ctx: Context, user_key: object) -> Document:
    if not user_key:
        raise ApiFailure("3001")
    user = ctx.store.get("carduser", str(user_key), ctx.merchant)
    if user is None:
        raise ApiFailure("3005")
    return user


def register_card(ctx: Context, owner: Mapping[str, typing.Any], card: Card) -> tuple[str, str]:
    """Store `card` for an existing card user (`cardUserKey`) or a new one; returns (cardUserKey, cardToken)."""
    if owner.get("cardUserKey"):
        user = load_card_user(ctx, owner["cardUserKey"])
    else:
        if not owner.get("email"):
            raise ApiFailure("3")
        user = {"cardUserKey": _new_key(), "email": owner["email"], "externalId": owner.get("externalId"), "cards": {}}
    token = _new_key()
    issuer = card.issuer
    user["cards"][token] = {
        "cardToken": token,
        "cardAlias": owner.get("cardAlias"),
        "cardNumber": card.number,
        "cardHolderName": card.holder_name,
        "expireMonth": card.expire_month,
        "expireYear": card.expire_year,
        "issuer": None
        if issuer is None
        else {
            "cardType": issuer.card_type,
            "cardAssociation": issuer.card_association,
            "cardFamily": issuer.card_family,
            "cardBankCode": issuer.bank_code,
            "cardBankName": issuer.bank_name,
        },
    }
    ctx.store.put("carduser", user["cardUserKey"], ctx.merchant, user)
    return user["cardUserKey"], token


def create_card(ctx: Context, request: Mapping[str, typing.Any]) -> dict[str, typing.Any]:
    card_request = request.get("card") or {}
    card = read_raw_card(card_request, now=ctx.today, for_storage=True)
    owner = {
        "cardUserKey": request.get("cardUserKey"),
        "email": request.get("email"),
        "externalId": request.get("externalId"),
        "cardAlias": card_request.get("cardAlias"),
    }
    user_key, token = register_card(ctx, owner, card)
    user = load_card_user(ctx, user_key)
    return {
        "externalId": user.get("externalId"),
        "email": user.get("email"),
        "cardUserKey": user_key,
        **card_details(user["cards"][token]),
    }


def stored_cards(ctx: Context, user_key: str) -> list[dict[str, typing.Any]]:
    """The public view of a card user's stored cards; empty when the user does not exist."""
    user = ctx.store.get("carduser", user_key, ctx.merchant)
    return [] if user is None else [card_details(card) for card in user["cards"].values()]


def list_cards(ctx: Context, request: Mapping[str, typing.Any]) -> dict[str, typing.Any]:
    user = load_card_user(ctx, request.get("cardUserKey"))
    return {"cardUserKey": user["cardUserKey"], "cardDetails": [card_details(c) for c in user["cards"].values()]}


def delete_card(ctx: Context, request: Mapping[str, typing.Any]) -> dict[str, typing.Any]:
    user = load_card_user(ctx, request.get("cardUserKey"))
    card = user["cards"].pop(str(request.get("cardToken")), None)
    if card is None:
        raise ApiFailure("3006")
    if card.get("blacklisted"):
        # The vault keeps a blacklisted card's number, out of the user's cards, so the blacklist still holds.
        user.setdefault("deletedBlacklisted", {})[card["cardToken"]] = card
    ctx.store.put("carduser", user["cardUserKey"], ctx.merchant, user)
    return {}


HANDLERS = {"createCard": create_card, "listCards": list_cards, "deleteCard": delete_card}
