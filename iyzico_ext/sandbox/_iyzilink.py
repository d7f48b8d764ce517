"""iyzilink (pay-by-link): products with a payment page, kept per merchant by token, and their sales.

A product is ACTIVE when created, PASSIVE when paused, DELETED when deleted (then it is not listed, and
every call but retrieve answers 5017). Its page (`_iyzilink_page`) sells it while it is ACTIVE and neither
its `soldLimit` nor, with `stockEnabled`, its `stockCount` has run out; each sale counts in `soldCount` and
lowers the stock. A fast link is a product of type FASTLINK sold once. Prices are answered with 8 decimals,
as iyzico's sandbox does (Java IyziLinkTest: 1.00000000); the URLs are the emulator's page and image.
"""

from __future__ import annotations

import math
import secrets
import string
import typing
from collections.abc import Mapping
from decimal import Decimal

from ._context import Context
from ._failures import ApiFailure
from ._rules import read_amount
from ._store import Document

__all__ = ["HANDLERS", "IMAGE_KIND", "KIND", "check_on_sale", "link_urls", "public_link", "record_sale"]

KIND = "iyzilink"
IMAGE_KIND = "iyzilink-image"
_TOKEN_ALPHABET = string.ascii_letters + string.digits
_TOKEN_LENGTH = 6
_PRICE_DECIMALS = Decimal("0.00000001")
_DEFAULT_PAGE_SIZE = 10
_UNKNOWN_TOKEN, _SOLD_OUT, _NOT_ON_SALE = "5017", "7001", "7002"
# Request fields kept as they are sent (the price and the image are read on their own).
_PRODUCT_FIELDS = (
    "name",
    "description",
    "currencyCode",
    "addressIgnorable",
    "installmentRequested",
    "stockEnabled",
    "stockCount",
    "soldLimit",
    "flexibleLink",
    "presetPriceValues",
    "categoryType",
    "sourceType",
    "productBuyerInfo",
)
_SHOWN_FIELDS = (
    "name",
    "description",
    "currencyCode",
    "token",
    "productType",
    "productStatus",
    "addressIgnorable",
    "installmentRequested",
    "stockEnabled",
    "soldCount",
    "soldLimit",
    "flexibleLink",
    "presetPriceValues",
    "categoryType",
)


def link_urls(ctx: Context, token: str) -> dict[str, str]:
    page = f"{ctx.base_url}/_sandbox/iyzilink/{token}"
    return {"token": token, "url": page, "imageUrl": f"{page}/image"}


def _new_token(ctx: Context) -> str:
    while True:
        token = "".join(secrets.choice(_TOKEN_ALPHABET) for _ in range(_TOKEN_LENGTH))
        if ctx.store.get_for_any_merchant(KIND, token) is None:
            return token


def _remaining(link: Mapping[str, typing.Any]) -> int | None:
    limit = link.get("soldLimit")
    return None if limit is None else max(0, int(limit) - int(link["soldCount"]))


def public_link(ctx: Context, link: Mapping[str, typing.Any]) -> dict[str, typing.Any]:
    """A product as iyzico answers it."""
    shown = {name: link.get(name) for name in _SHOWN_FIELDS}
    shown.update(
        link_urls(ctx, link["token"]),
        price=Decimal(link["price"]).quantize(_PRICE_DECIMALS),
        stockCount=link.get("stockCount") if link.get("stockEnabled") else None,
        remainingSoldLimit=_remaining(link),
    )
    return {key: value for key, value in shown.items() if value is not None}


def check_on_sale(link: Mapping[str, typing.Any]) -> None:
    """Refuse a sale of a product that is not ACTIVE (7002) or has sold out (7001)."""
    if link["productStatus"] != "ACTIVE":
        raise ApiFailure(_NOT_ON_SALE)
    stock_left = not link.get("stockEnabled") or int(link.get("stockCount") or 0) > 0
    if _remaining(link) == 0 or not stock_left:
        raise ApiFailure(_SOLD_OUT)


def record_sale(link: Document) -> None:
    link["soldCount"] = int(link["soldCount"]) + 1
    if link.get("stockEnabled"):
        link["stockCount"] = int(link["stockCount"]) - 1


def _apply(ctx: Context, link: Document, request: Mapping[str, typing.Any]) -> None:
    """Set the product's fields from a create or update request."""
    link.update({name: request[name] for name in _PRODUCT_FIELDS if name in request})
    link["price"] = read_amount(request.get("price"), "price")
    for preset in link.get("presetPriceValues") or ():
        read_amount(preset, "presetPriceValues")
    if link.get("stockEnabled") and link.get("stockCount") is None:
        raise ApiFailure("11", "stockEnabled needs stockCount")
    if request.get("encodedImageFile"):
        ctx.store.put(IMAGE_KIND, link["token"], ctx.merchant, {"image": request["encodedImageFile"]})


def _save(ctx: Context, link: Document) -> dict[str, typing.Any]:
    ctx.store.put(KIND, link["token"], ctx.merchant, link, ctx.conversation_id)
    return link_urls(ctx, link["token"])


def _new(
    ctx: Context, product_type: str, request: Mapping[str, typing.Any], **defaults: object
) -> dict[str, typing.Any]:
    link: Document = {
        "token": _new_token(ctx),
        "productType": product_type,
        "productStatus": "ACTIVE",
        "soldCount": 0,
        "addressIgnorable": True,
        "installmentRequested": False,
        "locale": request.get("locale") or "tr",
        **defaults,
    }
    _apply(ctx, link, request)
    return _save(ctx, link)


def create_iyzilink_product(ctx: Context, request: Mapping[str, typing.Any]) -> dict[str, typing.Any]:
    return _new(ctx, "IYZILINK", request)


def create_iyzilink_fast_link(ctx: Context, request: Mapping[str, typing.Any]) -> dict[str, typing.Any]:
    return _new(ctx, "FASTLINK", {**request, "name": request.get("description")}, soldLimit=1)


def _link(ctx: Context, *, deleted_too: bool = False) -> Document:
    link = ctx.store.get(KIND, ctx.path_params["token"], ctx.merchant)
    if link is None or (link["productStatus"] == "DELETED" and not deleted_too):
        raise ApiFailure(_UNKNOWN_TOKEN)
    return link


def retrieve_iyzilink_product(ctx: Context, request: Mapping[str, typing.Any]) -> dict[str, typing.Any]:
    return public_link(ctx, _link(ctx, deleted_too=True))


def update_iyzilink_product(ctx: Context, request: Mapping[str, typing.Any]) -> dict[str, typing.Any]:
    link = _link(ctx)
    _apply(ctx, link, request)
    return _save(ctx, link)


def update_iyzilink_product_status(ctx: Context, request: Mapping[str, typing.Any]) -> dict[str, typing.Any]:
    link = _link(ctx)
    link["productStatus"] = ctx.path_params["status"]
    return _save(ctx, link)


def delete_iyzilink_product(ctx: Context, request: Mapping[str, typing.Any]) -> dict[str, typing.Any]:
    link = _link(ctx)
    link["productStatus"] = "DELETED"
    _save(ctx, link)
    return {}


def list_iyzilink_products(ctx: Context, request: Mapping[str, typing.Any]) -> dict[str, typing.Any]:
    wanted_type = ctx.query.get("productType")
    links = [
        link
        for merchant, link in ctx.store.all(KIND)
        if merchant == ctx.merchant
        and link["productStatus"] != "DELETED"
        and wanted_type in (None, link["productType"])
    ]
    page, count = int(ctx.query.get("page", "1")), int(ctx.query.get("count", str(_DEFAULT_PAGE_SIZE)))
    return {
        "listingReviewed": True,
        "totalCount": len(links),
        "currentPage": page,
        "pageCount": max(1, math.ceil(len(links) / count)),
        "items": [public_link(ctx, link) for link in links[(page - 1) * count : page * count]],
    }


HANDLERS = {
    "createIyziLinkProduct": create_iyzilink_product,
    "createIyziLinkFastLink": create_iyzilink_fast_link,
    "listIyziLinkProducts": list_iyzilink_products,
    "retrieveIyziLinkProduct": retrieve_iyzilink_product,
    "updateIyziLinkProduct": update_iyzilink_product,
    "updateIyziLinkProductStatus": update_iyzilink_product_status,
    "deleteIyziLinkProduct": delete_iyzilink_product,
}
