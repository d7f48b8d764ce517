"""Helpers shared by the property tests: wire JSON of a model, bodies and calls of an operation by its operationId."""

from __future__ import annotations

import typing
from decimal import Decimal

import attrs
from hypothesis import strategies as st

from iyzico_client.models import Address, BasketItem, PaymentGroup
from iyzico_client.types import Unset, json_dumps, json_loads
from iyzico_ext import IyzicoClient
from iyzico_ext._operations import operations
from iyzico_ext.testing import strategies as iyzico_st
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


def bodies_for(operation_id: str, **fields: st.SearchStrategy[typing.Any]) -> st.SearchStrategy[typing.Any]:
    """Valid request bodies (models) of an operation with a body; keyword strategies replace body fields."""
    return iyzico_st.requests_for(operation_id, **fields).map(lambda arguments: arguments["body"])


def succeeded_anyway(operation_id: str, fault: str | None) -> bool:
    """Faults after which the call still succeeds: none, a connect timeout (provably never sent, so resent),
    and a bad signature on an operation whose answer is not signed."""
    return fault in (None, "connect-timeout") or (fault == "bad-signature" and not operations()[operation_id].signed)


def call(client: IyzicoClient, operation_id: str, **arguments: typing.Any) -> typing.Any:
    """Call an operation's generated `sync` with its keyword arguments (`body=`, parameters)."""
    return iyzico_st.generated_function(operation_id)(client=client, **arguments)


class BasketRequest(typing.Protocol):
    """What every request with a basket has (createPayment, initializeThreeds, checkout form, PWI)."""

    price: Decimal
    paid_price: Decimal
    basket_items: list[BasketItem]
    payment_group: PaymentGroup | Unset
    shipping_address: Address | Unset
