"""What a success answer of each operation always carries: the fields the trust layer vouches for.

An operation's guaranteed fields are

* its signed fields (those every recipe of `x-iyzico-signature` signs), except the ones the spec lists in
  `x-iyzico-returns.mayOmit` (iyzico signs a missing field as "", so a signed field may be absent: a
  `basketId` the payment was made without, a `conversationId` the request did not send);
* its echoed fields whose request value is always sent (a required body field, a path parameter, a
  required query parameter, or the conversationId of a money-moving call, which the client adds);
* the fields `x-iyzico-returns.always` names: ids the operation must return (`itemTransactions[].
  paymentTransactionId`, `cardToken`, the hosted page's URL, ...);
* the parents of a dotted field (`data` for `data.referenceCode`): if the child is always there, so are they
  (not for a field of list elements: `a.b[].c` says nothing of whether `a.b` is there).

The trust layer refuses a success that lacks one, or holds one of the wrong kind (`kind` below), before
the model is built; the generated success models declare a field non-optional where every operation that
returns the model guarantees it (`required_response_fields`).
"""

from __future__ import annotations

import typing
from collections.abc import Iterator, Mapping

from spec_rules import always_sent, echoes, field_schema, operations, properties, response_schema, signed_fields

__all__ = ["guaranteed_fields", "kind_of", "required_response_fields"]

Json = typing.Any
_MONEY_REF = "#/components/schemas/Amount"


def _schemas(spec: Json) -> Mapping[str, Json]:
    return typing.cast(Mapping[str, Json], spec.get("components", {}).get("schemas", {}))


def _resolved(spec: Json, node: Mapping[str, Json]) -> Mapping[str, Json]:
    ref = node.get("$ref")
    if isinstance(ref, str) and ref != _MONEY_REF:
        return _resolved(spec, _schemas(spec)[ref.rsplit("/", 1)[-1]])
    return node


def kind_of(spec: Json, node: Mapping[str, Json]) -> str:
    """How the runtime reads a value of this schema: text, integer, boolean, amount, list or object."""
    if node.get("$ref") == _MONEY_REF or node.get("format") == "decimal":
        return "amount"
    node = _resolved(spec, node)
    kind = node.get("type")
    if kind == "string":
        return "text"
    if kind in {"integer", "boolean"}:
        return str(kind)
    if kind == "array":
        return "list"
    return "object"


def _with_parents(paths: list[str]) -> list[str]:
    found: list[str] = []
    for path in paths:
        steps = path.split(".")
        parents = [".".join(steps[:depth]) for depth in range(1, len(steps))]
        # A list element's field implies nothing about its containers: an element is there only if the list
        # has one, and the list only if its parent is there.
        implied = [] if "[]" in path else parents
        for prefix in [*implied, path]:
            if prefix not in found:
                found.append(prefix)
    return found


def guaranteed_fields(spec: Json, operation: Mapping[str, Json]) -> list[tuple[str, str]]:
    """(dotted path, kind) of every field a success answer of the operation always carries, in a stable order."""
    returns = operation.get("x-iyzico-returns") or {}
    may_omit = set(returns.get("mayOmit", []))
    paths = [field for field in signed_fields(operation) if field not in may_omit]
    paths += [response for response, request in echoes(operation) if always_sent(spec, operation, request)]
    paths += list(returns.get("always", []))
    response = response_schema(operation)
    if response is None:
        return []
    found = []
    for path in _with_parents(paths):
        schema = field_schema(spec, response, path)
        if schema is not None:
            found.append((path, kind_of(spec, schema)))
    return found


def _usages(spec: Json, node: Mapping[str, Json], prefix: str, seen: frozenset[str]) -> Iterator[tuple[str, str]]:
    """(schema name, dotted prefix) for every component schema met below `node` in a response."""
    ref = node.get("$ref")
    if isinstance(ref, str):
        name = ref.rsplit("/", 1)[-1]
        if name in _schemas(spec) and name not in seen:
            yield name, prefix
            yield from _usages(spec, _schemas(spec)[name], prefix, seen | {name})
        return
    for part in node.get("allOf", []):
        yield from _usages(spec, part, prefix, seen)
    for name, prop in node.get("properties", {}).items():
        yield from _usages(spec, prop, f"{prefix}.{name}" if prefix else name, seen)
    items = node.get("items")
    if isinstance(items, Mapping):
        yield from _usages(spec, items, f"{prefix}[]", seen)


def required_response_fields(spec: Json, response_only: set[str]) -> dict[str, list[str]]:
    """{schema name: properties every operation returning it guarantees}, for the schemas only responses use.

    A schema met in several places (several operations, or nested under a list) gets a property as
    required only where every one of those places guarantees it.
    """
    usages: dict[str, list[tuple[set[str], str]]] = {}
    for _, _, operation in operations(spec):
        guaranteed = {path for path, _ in guaranteed_fields(spec, operation)}
        for name, prefix in _usages(spec, response_schema(operation) or {}, "", frozenset()):
            usages.setdefault(name, []).append((guaranteed, prefix))
    required: dict[str, list[str]] = {}
    for name, places in usages.items():
        if name not in response_only:
            continue
        fields = [
            prop
            for prop in properties(spec, {"$ref": f"#/components/schemas/{name}"})
            if all((f"{prefix}.{prop}" if prefix else prop) in guaranteed for guaranteed, prefix in places)
        ]
        if fields:
            required[name] = fields
    return required
