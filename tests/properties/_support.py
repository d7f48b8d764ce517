"""Helpers shared by the property tests: wire JSON of a model, calling an operation by its operationId."""

from __future__ import annotations

import functools
import importlib
import re
import types
import typing
from collections.abc import Callable
from decimal import Decimal

import attrs

from iyzico_client.models import Address, BasketItem, PaymentGroup
from iyzico_client.types import Unset, json_dumps, json_loads
from iyzico_ext import IyzicoClient
from iyzico_ext._operations import operations
from iyzico_ext.testing.strategies import request_models

Json = dict[str, typing.Any]


def wire_json(request: typing.Any) -> Json:
    """The request as the emulator reads it: serialized exactly like the client sends it, parsed with Decimals."""
    body: Json = json_loads(json_dumps(request.to_dict()))
    return body


def has_basket(model: type) -> bool:
    return "basket_items" in attrs.fields_dict(model)


OPERATIONS_WITH_BODY = sorted(request_models())
BASKET_OPERATIONS = [name for name in OPERATIONS_WITH_BODY if has_basket(request_models()[name])]


def endpoint_module(operation_id: str) -> types.ModuleType:
    """The generated module of an operation (`createPayment` -> `iyzico_client.api.payment.create_payment`)."""
    snake = re.sub(r"(?<!^)(?=[A-Z])", "_", operation_id).lower()
    return importlib.import_module(f"iyzico_client.api.{operations()[operation_id].tag}.{snake}")


@functools.cache
def sync_call(operation_id: str) -> Callable[..., typing.Any]:
    """The generated `sync` function of an operation (`createPayment` -> `api.payment.create_payment.sync`)."""
    call: Callable[..., typing.Any] = endpoint_module(operation_id).sync
    return call


def call(client: IyzicoClient, operation_id: str, body: typing.Any) -> typing.Any:
    return sync_call(operation_id)(client=client, body=body)


class BasketRequest(typing.Protocol):
    """What every request with a basket has (createPayment, initializeThreeds, checkout form, PWI)."""

    price: Decimal
    paid_price: Decimal
    basket_items: list[BasketItem]
    payment_group: PaymentGroup | Unset
    shipping_address: Address | Unset
