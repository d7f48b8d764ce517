"""What the spec says about each operation: the generated operation table, and the packaged document.

`iyzico_client.operation_table` is written by `scripts/generate.py` from the spec: one typed record per
operation (retry class, signature recipes, echo fields, envelope, ...). The trust layer reads only that
table; the generated functions name their operation in the request (`OPERATION_EXTENSION`), so nothing
matches paths at run time. The full document (`iyzico_client/openapi.json`, for its schemas) is parsed
only by the emulator and the test strategies, on first use.
"""

from __future__ import annotations

import functools
import importlib.resources
import json
import typing
from collections.abc import Mapping
from decimal import Decimal

from iyzico_client.operation_table import (
    MONEY_FIELDS,
    OPERATIONS,
    SENSITIVE_FIELDS,
    Echo,
    Guarantee,
    Operation,
    RetryClass,
    SignatureRecipe,
)

__all__ = [
    "MONEY_FIELDS",
    "SENSITIVE_FIELDS",
    "Echo",
    "Guarantee",
    "Operation",
    "RetryClass",
    "SignatureRecipe",
    "load_spec",
    "operation_named",
    "operations",
]


def operations() -> Mapping[str, Operation]:
    """Every operation of the spec, by operationId."""
    return OPERATIONS


def operation_named(operation_id: object) -> Operation | None:
    """The operation with this operationId, or `None` (for anything that is not one)."""
    return OPERATIONS.get(operation_id) if isinstance(operation_id, str) else None


@functools.cache
def load_spec() -> Mapping[str, typing.Any]:
    """The packaged OpenAPI document (its schemas), with every JSON number parsed as an exact `Decimal`."""
    resource = importlib.resources.files("iyzico_client").joinpath("openapi.json")
    spec: dict[str, typing.Any] = json.loads(resource.read_bytes(), parse_float=Decimal)
    return spec
