"""Marketplace sub-merchants: register once, identified by `subMerchantKey` afterwards.

Besides the merchant's own registration (createSubMerchant), an individual seller can register with an SMS
code and be paid to their iyzico balance (settlement to balance, iyzico's C2C onboarding): the start of
that registration keeps the seller's details under a `txId` for a few minutes, the verification creates
the sub-merchant. The emulator's SMS code is the sandbox code of its 3-D Secure page; production encrypts
it with the merchant's onboarding credentials (the official SDKs' SmsVerificationCodeEncrypter), which the
sandbox does not (iyzipay-php's sample says so).
"""

from __future__ import annotations

import datetime
import secrets
import typing
import uuid
from collections.abc import Mapping

from ._context import Context
from ._failures import ApiFailure
from ._store import Document

__all__ = ["HANDLERS", "SANDBOX_SMS_CODE", "find_sub_merchant", "pays_to_balance", "set_pays_to_balance"]

SANDBOX_SMS_CODE = "283126"
_ONBOARDING_LIFETIME = datetime.timedelta(minutes=10)
# Request fields that are about the call, not about the sub-merchant.
_CALL_FIELDS = frozenset({"locale", "conversationId"})


def _fields(request: Mapping[str, typing.Any]) -> dict[str, typing.Any]:
    return {key: value for key, value in request.items() if key not in _CALL_FIELDS}


def _register(ctx: Context, external_id: str, fields: Mapping[str, typing.Any]) -> str:
    """Store a new sub-merchant under the merchant's external id; returns its key (2010 when the id is taken)."""
    if ctx.store.find("submerchant", ctx.merchant, subMerchantExternalId=external_id) is not None:
        raise ApiFailure("2010")
    key = secrets.token_urlsafe(21)
    ctx.store.put("submerchant", external_id, ctx.merchant, {**fields, "subMerchantKey": key})
    return key


def find_sub_merchant(ctx: Context, key: object) -> Document:
    """The caller's sub-merchant with this key: 2003 when no key was sent, 2004 when there is none."""
    if not key:
        raise ApiFailure("2003")
    found = ctx.store.find("submerchant", ctx.merchant, subMerchantKey=str(key))
    if found is None:
        raise ApiFailure("2004")
    return found


def pays_to_balance(ctx: Context, key: str) -> bool:
    """Whether a sub-merchant's payouts go to its iyzico balance instead of its bank account."""
    return ctx.store.get("payout-destination", key, ctx.merchant) is not None


def set_pays_to_balance(ctx: Context, key: str) -> None:
    ctx.store.put("payout-destination", key, ctx.merchant, {"toBalance": True})


def create_sub_merchant(ctx: Context, request: Mapping[str, typing.Any]) -> dict[str, typing.Any]:
    external_id = str(request.get("subMerchantExternalId") or "")
    return {"subMerchantKey": _register(ctx, external_id, _fields(request))}


def update_sub_merchant(ctx: Context, request: Mapping[str, typing.Any]) -> dict[str, typing.Any]:
    existing = find_sub_merchant(ctx, request.get("subMerchantKey"))
    existing.update(_fields(request))
    ctx.store.put("submerchant", existing["subMerchantExternalId"], ctx.merchant, existing)
    return {}


def retrieve_sub_merchant(ctx: Context, request: Mapping[str, typing.Any]) -> dict[str, typing.Any]:
    found = ctx.store.get("submerchant", str(request.get("subMerchantExternalId") or ""), ctx.merchant)
    if found is None:
        raise ApiFailure("2004")
    return found


def initialize_settlement_to_balance_sub_merchant(
    ctx: Context, request: Mapping[str, typing.Any]
) -> dict[str, typing.Any]:
    """Keep the seller's details under a new txId; the SMS code goes to the seller's phone."""
    if ctx.store.find("submerchant", ctx.merchant, subMerchantExternalId=str(request["externalId"])) is not None:
        raise ApiFailure("2010")
    tx_id = str(uuid.uuid4())
    onboarding = {**_fields(request), "expiresAt": (ctx.now + _ONBOARDING_LIFETIME).isoformat()}
    ctx.store.put("c2c-onboarding", tx_id, ctx.merchant, onboarding, ctx.conversation_id)
    return {"txId": tx_id}


def verify_settlement_to_balance_sub_merchant(ctx: Context, request: Mapping[str, typing.Any]) -> dict[str, typing.Any]:
    """The right SMS code turns the kept details into a PERSONAL sub-merchant paid to its iyzico balance."""
    tx_id = str(request["txId"])
    onboarding = ctx.store.get("c2c-onboarding", tx_id, ctx.merchant)
    if (
        onboarding is None
        or onboarding.get("done")
        or ctx.now > datetime.datetime.fromisoformat(onboarding["expiresAt"])
    ):
        raise ApiFailure("2043")
    if request.get("smsVerificationCode") != SANDBOX_SMS_CODE:
        raise ApiFailure("2042")
    seller = {
        "subMerchantExternalId": onboarding["externalId"],
        "subMerchantType": "PERSONAL",
        "name": f"{onboarding['name']} {onboarding['surname']}",
        "contactName": onboarding["name"],
        "contactSurname": onboarding["surname"],
        "email": onboarding["email"],
        "gsmNumber": onboarding["gsmNumber"],
        "identityNumber": onboarding["tckNo"],
        "address": onboarding["address"],
        "currency": "TRY",
    }
    key = _register(ctx, onboarding["externalId"], seller)
    set_pays_to_balance(ctx, key)
    ctx.store.put("c2c-onboarding", tx_id, ctx.merchant, {**onboarding, "done": True})
    return {"subMerchantKey": key}


HANDLERS = {
    "createSubMerchant": create_sub_merchant,
    "updateSubMerchant": update_sub_merchant,
    "retrieveSubMerchant": retrieve_sub_merchant,
    "initializeSettlementToBalanceSubMerchant": initialize_settlement_to_balance_sub_merchant,
    "verifySettlementToBalanceSubMerchant": verify_settlement_to_balance_sub_merchant,
}
