"""What the spec says about each operation, read from the OpenAPI document shipped with `iyzico_client`.

`scripts/generate.py` writes `iyzico_client/openapi.json` (an exact copy of `spec/iyzico.yaml`), so the
signature field lists, the retry class and the echo fields come from the spec, never from a table
copied by hand. The document is parsed once, on first use, to keep import time low.
"""

from __future__ import annotations

import functools
import importlib.resources
import json
import typing
from collections.abc import Mapping
from decimal import Decimal

import attrs

__all__ = [
    "Operation",
    "RetryClass",
    "SignatureRecipe",
    "load_spec",
    "operation_for",
    "operations",
    "sensitive_fields",
]

RetryClass = typing.Literal["safe", "money-moving", "once"]
_RETRY_CLASSES: frozenset[str] = frozenset(typing.get_args(RetryClass))
_METHODS = ("get", "put", "post", "delete", "patch")


@attrs.frozen
class SignatureRecipe:
    """One documented way iyzico signs a response: HMAC over these fields, in this order."""

    source: str
    fields: tuple[str, ...]


@attrs.frozen
class Operation:
    """One operation of the spec, with the vendor extensions our trust layer needs."""

    operation_id: str
    method: str
    path: str
    tag: str
    retry: RetryClass
    signature_recipes: tuple[SignatureRecipe, ...]
    signature_confirmed: bool
    echo_fields: tuple[str, ...]
    request_schema: str | None
    response_schema: str | None

    @property
    def signed(self) -> bool:
        return bool(self.signature_recipes)

    @property
    def money_moving(self) -> bool:
        return self.retry == "money-moving"


@functools.cache
def load_spec() -> Mapping[str, typing.Any]:
    """The packaged OpenAPI document, with every JSON number parsed as an exact `Decimal`."""
    resource = importlib.resources.files("iyzico_client").joinpath("openapi.json")
    spec: dict[str, typing.Any] = json.loads(resource.read_bytes(), parse_float=Decimal)
    return spec


def _schema_name(content_holder: Mapping[str, typing.Any] | None) -> str | None:
    if not content_holder:
        return None
    schema = content_holder.get("content", {}).get("application/json", {}).get("schema", {})
    ref = schema.get("$ref")
    return ref.rsplit("/", 1)[-1] if isinstance(ref, str) else None


def _build(method: str, path: str, raw: Mapping[str, typing.Any]) -> Operation:
    retry = raw.get("x-iyzico-retry")
    if retry not in _RETRY_CLASSES:
        raise ValueError(f"{raw.get('operationId')}: x-iyzico-retry must be one of {sorted(_RETRY_CLASSES)}")
    signature = raw.get("x-iyzico-signature") or {}
    recipes = tuple(
        SignatureRecipe(source=str(recipe["source"]), fields=tuple(recipe["fields"]))
        for recipe in signature.get("recipes", ())
    )
    return Operation(
        operation_id=raw["operationId"],
        method=method.upper(),
        path=path,
        tag=raw["tags"][0],
        retry=typing.cast(RetryClass, retry),
        signature_recipes=recipes,
        signature_confirmed=bool(signature.get("confirmed", True)),
        echo_fields=tuple(raw.get("x-iyzico-echo", ())),
        request_schema=_schema_name(raw.get("requestBody")),
        response_schema=_schema_name(raw.get("responses", {}).get("200")),
    )


@functools.cache
def _by_route() -> Mapping[tuple[str, str], Operation]:
    routes: dict[tuple[str, str], Operation] = {}
    for path, item in load_spec()["paths"].items():
        for method in _METHODS:
            if method in item:
                operation = _build(method, path, item[method])
                routes[(operation.method, path)] = operation
    return routes


@functools.cache
def operations() -> Mapping[str, Operation]:
    """Every operation of the spec, by operationId."""
    return {operation.operation_id: operation for operation in _by_route().values()}


def operation_for(method: str, path: str) -> Operation | None:
    """The operation behind `method path` (the path relative to the base URL, without query)."""
    return _by_route().get((method.upper(), path.rstrip("/") or "/"))


@functools.cache
def sensitive_fields() -> Mapping[str, str]:
    """JSON property names marked `x-iyzico-sensitive` in the spec (`pan`, `secret` or `credential`)."""
    found: dict[str, str] = {}
    for schema in load_spec().get("components", {}).get("schemas", {}).values():
        for name, prop in schema.get("properties", {}).items():
            kind = prop.get("x-iyzico-sensitive") if isinstance(prop, Mapping) else None
            if kind:
                found[name] = str(kind)
    return found
