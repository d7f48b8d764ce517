"""Requests a small shop sends, built from the spec's own examples (never hand-copied dicts).

The `initializeThreeds` example is a plain (non-marketplace) basket paid with the test card that
succeeds; the same basket serves Non-3DS payments, 3-D Secure and the checkout form, with a fresh
conversationId per order, a future expiry date and the shop's callback URL.
"""

from __future__ import annotations

import copy
import datetime
import typing
import uuid
from decimal import Decimal

from iyzico_client.models import CreatePaymentRequest, InitializeCheckoutFormRequest, InitializeThreedsRequest
from iyzico_ext._operations import load_spec, operations

__all__ = ["checkout_request", "example", "payment_request", "threeds_request"]

NEXT_YEAR = str(datetime.date.today().year + 1)


def example(operation_id: str, name: str) -> dict[str, typing.Any]:
    """A request example of the spec (a deep copy; amounts as Decimal)."""
    operation = operations()[operation_id]
    raw = load_spec()["paths"][operation.path][operation.method.lower()]
    value: dict[str, typing.Any] = raw["requestBody"]["content"]["application/json"]["examples"][name]["value"]
    return copy.deepcopy(value)


def _order(conversation_id: str | None, **changes: typing.Any) -> dict[str, typing.Any]:
    body = example("initializeThreeds", "threeds")
    body["conversationId"] = conversation_id or uuid.uuid4().hex
    body["basketId"] = f"order-{body['conversationId']}"
    body["paymentCard"]["expireYear"] = NEXT_YEAR
    for amount in ("price", "paidPrice"):
        body[amount] = Decimal(str(body[amount]))
    for item in body["basketItems"]:
        item["price"] = Decimal(str(item["price"]))
    body.update(changes)
    return {key: value for key, value in body.items() if value is not None}


def payment_request(conversation_id: str | None = None, **changes: typing.Any) -> CreatePaymentRequest:
    """A Non-3DS payment of the example basket."""
    return CreatePaymentRequest.from_dict(_order(conversation_id, callbackUrl=None, **changes))


def threeds_request(callback_url: str, conversation_id: str | None = None) -> InitializeThreedsRequest:
    """3-D Secure initialize of the example basket, returning to `callback_url`."""
    return InitializeThreedsRequest.from_dict(_order(conversation_id, callbackUrl=callback_url))


def checkout_request(callback_url: str, conversation_id: str | None = None) -> InitializeCheckoutFormRequest:
    """Checkout form initialize of the example basket (no card: the buyer types it on the hosted page)."""
    return InitializeCheckoutFormRequest.from_dict(
        _order(conversation_id, callbackUrl=callback_url, paymentCard=None, installment=None, paymentChannel=None)
    )
