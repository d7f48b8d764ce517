"""The operation table (`iyzico_client/operation_table.py`): one record per operation, read from the bundled spec.

`scripts/generate.py` renders it with `spec/templates/operation_table.py.jinja`; the trust layer, the
emulator and the strategies read it instead of the spec's vendor extensions.
"""

from __future__ import annotations

import typing
from collections.abc import Iterator, Mapping

from _guarantees import guaranteed_fields
from openapi_python_client.strings import PythonIdentifier
from spec_rules import operations, parameters, response_schema, schema_name

__all__ = ["money_fields", "records", "render_values", "sensitive_fields"]

Json = typing.Any
Record = dict[str, Json]


def _schemas(spec: Json) -> Mapping[str, Json]:
    return typing.cast(Mapping[str, Json], spec.get("components", {}).get("schemas", {}))


def _properties_below(spec: Json, node: Json, seen: set[str]) -> Iterator[tuple[str, Json]]:
    """(name, schema) of every property reachable from `node`, through `$ref`, `allOf` and `items`."""
    if not isinstance(node, Mapping):
        return
    ref = node.get("$ref")
    if isinstance(ref, str):
        name = ref.rsplit("/", 1)[-1]
        if name not in seen:
            seen.add(name)
            yield from _properties_below(spec, _schemas(spec).get(name), seen)
        return
    for part in node.get("allOf", []):
        yield from _properties_below(spec, part, seen)
    for name, prop in node.get("properties", {}).items():
        yield name, prop
        yield from _properties_below(spec, prop, seen)
    yield from _properties_below(spec, node.get("items"), seen)


def sensitive_fields(spec: Json) -> dict[str, str]:
    """JSON property name -> `x-iyzico-sensitive` kind, over every schema of the spec."""
    found: dict[str, str] = {}
    for schema in _schemas(spec).values():
        for name, prop in _properties_below(spec, schema, set()):
            kind = prop.get("x-iyzico-sensitive") if isinstance(prop, Mapping) else None
            if kind:
                found[name] = str(kind)
    return dict(sorted(found.items()))


def money_fields(spec: Json) -> list[str]:
    """JSON property names typed as decimal amounts (in iyzico every number is money or a rate)."""
    found = set()
    for schema in _schemas(spec).values():
        for name, prop in _properties_below(spec, schema, set()):
            if isinstance(prop, Mapping) and (
                prop.get("$ref", "").endswith("/Amount") or prop.get("format") == "decimal"
            ):
                found.add(name)
    return sorted(found)


def _echo(item: Json) -> tuple[str, str]:
    if isinstance(item, str):
        return item, f"body.{item}"
    return str(item["response"]), str(item["request"])


def _carries_card(spec: Json, request_schema: Json) -> bool:
    kinds = sensitive_fields(spec)
    return any(kinds.get(name) == "pan" for name, _ in _properties_below(spec, request_schema, set()))


def records(spec: Json) -> list[Record]:
    """Every operation as plain values, in the spec's order."""
    found = []
    for method, path, operation in operations(spec):
        params = parameters(spec, operation)
        body = operation.get("requestBody")
        body_schema = body["content"]["application/json"]["schema"] if body else None
        signature = operation.get("x-iyzico-signature") or {}
        found.append(
            {
                "operation_id": operation["operationId"],
                "method": method.upper(),
                "path": path,
                "tag": operation["tags"][0],
                "module": f"iyzico_client.api.{operation['tags'][0]}.{_python_name(operation['operationId'])}",
                "parameters": tuple(
                    (p["name"], p["in"], _python_name(p["name"]), bool(p.get("required"))) for p in params
                ),
                "has_body": body is not None,
                "retry": operation["x-iyzico-retry"],
                "signature_confirmed": bool(signature.get("confirmed", True)),
                "signature_recipes": tuple(
                    (str(recipe["source"]), tuple(recipe["fields"])) for recipe in signature.get("recipes", ())
                ),
                "echo": tuple(_echo(item) for item in operation.get("x-iyzico-echo", ())),
                "guaranteed": tuple(guaranteed_fields(spec, operation)),
                "envelope": operation.get("x-iyzico-envelope", "none"),
                "carries_card": body_schema is not None and _carries_card(spec, body_schema),
                "request_schema": schema_name(body_schema) if body_schema else None,
                "response_schema": schema_name(response_schema(operation) or {}),
            }
        )
    return found


def _tuple_source(items: tuple[str, ...]) -> str:
    return "(" + "".join(f"{item!r}, " for item in items) + ")"


def _python_name(name: str) -> str:
    """The name the generator gives a module or an argument (`createPayment` -> `create_payment`)."""
    return str(PythonIdentifier(name, prefix="field"))


def render_values(record: Record) -> dict[str, str]:
    """The record's values as Python source for the template (the record types are its own)."""
    source = {name: repr(value) for name, value in record.items()}
    source["parameters"] = "(" + "".join(f"Parameter{parameter!r}, " for parameter in record["parameters"]) + ")"
    recipes = (f"SignatureRecipe({name!r}, {_tuple_source(fields)})" for name, fields in record["signature_recipes"])
    source["signature_recipes"] = "(" + "".join(f"{recipe}, " for recipe in recipes) + ")"
    source["echo"] = "(" + "".join(f"Echo({response!r}, {request!r}), " for response, request in record["echo"]) + ")"
    source["guaranteed"] = (
        "(" + "".join(f"Guarantee({path!r}, {kind!r}), " for path, kind in record["guaranteed"]) + ")"
    )
    return source
