"""Shared hypothesis strategies for the suite: JSON documents that satisfy a schema of the spec.

Schema-driven, so every request model of the spec is covered and a spec change flows through.
(Domain-aware strategies that users import live in `iyzico_ext.testing.strategies`.)
"""

from __future__ import annotations

import typing
from collections.abc import Mapping
from decimal import Decimal

from hypothesis import strategies as st

from iyzico_ext._operations import load_spec

Json = typing.Any

# Money in requests: positive, at most two decimals, sometimes with a trailing zero kept ("1.10").
amounts: st.SearchStrategy[Decimal] = st.builds(
    lambda cents, places: (Decimal(cents) / 100).quantize(Decimal(1).scaleb(-places)),
    st.integers(min_value=1, max_value=99_999_99),
    st.sampled_from([0, 1, 2]),
).filter(lambda amount: amount > 0)

# Any finite Decimal, including exponents and many digits: for the codec properties.
any_decimals: st.SearchStrategy[Decimal] = st.decimals(allow_nan=False, allow_infinity=False)

_text = st.text(
    alphabet=st.characters(min_codepoint=0x20, max_codepoint=0x17F, exclude_categories=["Cs"])
    | st.sampled_from("çğıöşüÇĞİÖŞÜ"),
    max_size=20,
)


def _schema(reference: Mapping[str, Json]) -> Mapping[str, Json]:
    ref = reference.get("$ref")
    if isinstance(ref, str):
        return typing.cast(Mapping[str, Json], load_spec()["components"]["schemas"][ref.rsplit("/", 1)[-1]])
    return reference


def from_schema(schema: Mapping[str, Json]) -> st.SearchStrategy[Json]:
    """Documents valid for `schema` (object, $ref, allOf, enum, pattern, integer bounds, decimal amounts)."""
    schema = _schema(schema)
    if "enum" in schema:
        return st.sampled_from(list(schema["enum"]))
    if schema.get("format") == "decimal":
        return amounts
    kind = schema.get("type")
    if kind == "object" or "properties" in schema or "allOf" in schema:
        return _objects(schema)
    if kind == "array":
        return st.lists(from_schema(schema["items"]), min_size=1, max_size=3)
    if kind == "integer":
        low, high = int(schema.get("minimum", 0)), int(schema.get("maximum", 10_000))
        return st.integers(min_value=low, max_value=high)
    if kind == "boolean":
        return st.booleans()
    if kind == "string":
        if "pattern" in schema:
            return st.from_regex(schema["pattern"], fullmatch=True)
        return _text
    raise NotImplementedError(f"no strategy for schema {schema}")


def _objects(schema: Mapping[str, Json]) -> st.SearchStrategy[dict[str, Json]]:
    properties: dict[str, Json] = {}
    required: set[str] = set(schema.get("required", []))
    for part in schema.get("allOf", []):
        resolved = _schema(part)
        properties.update(resolved.get("properties", {}))
        required.update(resolved.get("required", []))
    properties.update(schema.get("properties", {}))
    fixed = {name: from_schema(prop) for name, prop in properties.items() if name in required}
    optional = {name: from_schema(prop) for name, prop in properties.items() if name not in required}
    return st.fixed_dictionaries(fixed, optional=optional)


def request_documents(schema_name: str) -> st.SearchStrategy[dict[str, Json]]:
    """Valid JSON bodies for the named request schema of the spec."""
    return typing.cast(
        st.SearchStrategy[dict[str, Json]],
        from_schema({"$ref": f"#/components/schemas/{schema_name}"}),
    )
