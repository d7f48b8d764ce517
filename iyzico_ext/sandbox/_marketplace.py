"""Marketplace sub-merchants: register once, identified by `subMerchantKey` afterwards."""

from __future__ import annotations

import secrets
import typing
from collections.abc import Mapping

from ._context import Context
from ._failures import ApiFailure

__all__ = ["HANDLERS"]

# Request fields that are about the call, not about the sub-merchant.
_CALL_FIELDS = frozenset({"locale", "conversationId"})


def _fields(request: Mapping[str, typing.Any]) -> dict[str, typing.Any]:
    return {key: value for key, value in request.items() if key not in _CALL_FIELDS}


def create_sub_merchant(ctx: Context, request: Mapping[str, typing.Any]) -> dict[str, typing.Any]:
    external_id = str(request.get("subMerchantExternalId") or "")
    if ctx.store.find("submerchant", ctx.merchant, subMerchantExternalId=external_id) is not None:
        raise ApiFailure("2010")
    key = secrets.token_urlsafe(21)
    ctx.store.put("submerchant", external_id, ctx.merchant, {**_fields(request), "subMerchantKey": key})
    return {"subMerchantKey": key}


def update_sub_merchant(ctx: Context, request: Mapping[str, typing.Any]) -> dict[str, typing.Any]:
    key = request.get("subMerchantKey")
    if not key:
        raise ApiFailure("2003")
    existing = ctx.store.find("submerchant", ctx.merchant, subMerchantKey=str(key))
    if existing is None:
        raise ApiFailure("2004")
    existing.update(_fields(request))
    ctx.store.put("submerchant", existing["subMerchantExternalId"], ctx.merchant, existing)
    return {}


def retrieve_sub_merchant(ctx: Context, request: Mapping[str, typing.Any]) -> dict[str, typing.Any]:
    found = ctx.store.get("submerchant", str(request.get("subMerchantExternalId") or ""), ctx.merchant)
    if found is None:
        raise ApiFailure("2004")
    return found


HANDLERS = {
    "createSubMerchant": create_sub_merchant,
    "updateSubMerchant": update_sub_merchant,
    "retrieveSubMerchant": retrieve_sub_merchant,
}
