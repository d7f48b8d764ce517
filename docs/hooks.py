"""MkDocs hooks: one reference page per operation, generated from the spec and the operation table.

Each page says what the operation does (the spec's summary and description), how to call it, every request
and response field with its Python name and type, which response fields are always present, signed or must
echo the request, the errors and the answer's signature (the generated function's own docstring, rendered by
mkdocstrings), and the spec's examples. The pages are generated at build time, never committed, so they
cannot drift from the spec; the nav gets one section per tag.
"""

from __future__ import annotations

import json
import sys
import typing
from collections.abc import Iterator, Mapping
from decimal import Decimal
from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import File, Files
from openapi_python_client.strings import PythonIdentifier

from iyzico_client.operation_table import OPERATIONS, Operation
from iyzico_ext._operations import load_spec

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "scripts"))  # the spec's own readers
from spec_rules import properties, required_properties

Json = typing.Any
_REFERENCE = "reference"
_MONEY_REF = "#/components/schemas/Amount"
_RETRY = {
    "safe": "safe: a read, resent with backoff after a transport failure, 408, 429 or 5xx",
    "money-moving": "money-moving: never resent once its bytes may have left; an ambiguous outcome is "
    "`PaymentOutcomeUnknown`, to reconcile",
    "once": "once: changes state without moving money; resent only when it provably never left",
}


def _page(operation: Operation) -> str:
    return f"{_REFERENCE}/{operation.tag}/{operation.module.rsplit('.', 1)[-1]}.md"


def on_config(config: MkDocsConfig) -> MkDocsConfig:
    """Append a nav section per tag, each listing its operations' pages."""
    by_tag: dict[str, list[Operation]] = {}
    for operation in OPERATIONS.values():
        by_tag.setdefault(operation.tag, []).append(operation)
    reference = next(entry for entry in config.nav or [] if isinstance(entry, dict) and "API reference" in entry)
    sections = reference["API reference"]
    for tag in sorted(by_tag):
        title = tag.replace("_", " ").capitalize()
        sections.append({title: [{op.operation_id: _page(op)} for op in by_tag[tag]]})
    return config


def on_files(files: Files, config: MkDocsConfig) -> Files:
    spec = load_spec()
    files.append(File.generated(config, f"{_REFERENCE}/index.md", content=_index(spec)))
    for operation in OPERATIONS.values():
        files.append(File.generated(config, _page(operation), content=_operation_page(spec, operation)))
    return files


# -- schema reading -------------------------------------------------------------------------------------


def _schemas(spec: Json) -> Mapping[str, Json]:
    return typing.cast(Mapping[str, Json], spec["components"]["schemas"])


def _resolved(spec: Json, node: Mapping[str, Json]) -> Mapping[str, Json]:
    ref = node.get("$ref")
    if isinstance(ref, str) and ref != _MONEY_REF:
        return _resolved(spec, _schemas(spec)[ref.rsplit("/", 1)[-1]])
    return node


def _type(spec: Json, node: Mapping[str, Json]) -> str:
    if node.get("$ref") == _MONEY_REF or node.get("format") == "decimal":
        return "Decimal"
    ref = node.get("$ref")
    if isinstance(ref, str):
        target = _schemas(spec)[ref.rsplit("/", 1)[-1]]
        name = ref.rsplit("/", 1)[-1]
        return f"`{name}` ({', '.join(target['enum'])})" if "enum" in target else f"`{name}`"
    kind = node.get("type")
    if kind == "array":
        inner = _type(spec, node.get("items", {}))
        return f"list of {inner}" if inner else "list"
    return {"string": "str", "integer": "int", "boolean": "bool"}.get(str(kind), "")


def _object_ref(spec: Json, node: Mapping[str, Json]) -> Mapping[str, Json] | None:
    """The object schema a property holds (directly or as list elements), for its own rows."""
    if node.get("type") == "array":
        node = node.get("items", {})
    resolved = _resolved(spec, node)
    return resolved if node.get("$ref") != _MONEY_REF and properties(spec, resolved) else None


class _Row(typing.NamedTuple):
    path: str
    python: str
    type: str
    required: bool
    description: str


def _rows(spec: Json, node: Mapping[str, Json], prefix: str = "", depth: int = 0) -> Iterator[_Row]:
    required = required_properties(spec, node)
    for name, prop in properties(spec, node).items():
        path = f"{prefix}{name}"
        nested = _object_ref(spec, prop) if depth < 4 else None
        python = str(PythonIdentifier(name, prefix="field"))
        kind = _type(spec, prop) or (nested and "object") or "any"
        description = str(prop.get("description") or _resolved(spec, prop).get("description") or "")
        yield _Row(path, python, kind, name in required, " ".join(description.split()).replace("|", "\\|"))
        if nested is not None:
            marker = "[]." if prop.get("type") == "array" else "."
            yield from _rows(spec, nested, path + marker, depth + 1)


# -- pages ----------------------------------------------------------------------------------------------


def _plain(value: Json) -> Json:
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() and "." not in str(value) else float(value)
    if isinstance(value, Mapping):
        return {key: _plain(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_plain(item) for item in value]
    return value


def _json_block(value: Json) -> str:
    return "```json\n" + json.dumps(_plain(value), indent=2, ensure_ascii=False) + "\n```\n"


def _first_example(holder: Mapping[str, Json] | None, *, success: bool = False) -> Json | None:
    media = (holder or {}).get("content", {}).get("application/json", {})
    for example in media.get("examples", {}).values():
        value = example.get("value")
        if not success or (isinstance(value, Mapping) and value.get("status") == "success"):
            return value
    return None


def _item(spec: Json, operation: Operation) -> Mapping[str, Json]:
    return typing.cast(Mapping[str, Json], spec["paths"][operation.path][operation.method.lower()])


def _call(operation: Operation) -> str:
    module = operation.module.rsplit(".", 1)[-1]
    package = operation.module.rsplit(".", 1)[0]
    arguments = [f"{parameter.python_name}=..." for parameter in operation.parameters]
    imports = [f"from {package} import {module}"]
    if operation.request_schema:
        imports.append(f"from iyzico_client.models import {operation.request_schema}")
        arguments.append(f"body={operation.request_schema}(...)")
    call = ", ".join(["client=client", *arguments])
    return (
        "```python\n"
        + "\n".join(imports)
        + f"\n\nanswer = {module}.sync({call})  # a {operation.response_schema}\n"
        + f"answer = await {module}.asyncio({call})  # the same, from asyncio\n```\n"
    )


def _request_section(spec: Json, operation: Operation, item: Mapping[str, Json]) -> str:
    text = ""
    if operation.parameters:
        text += "\n### Parameters\n\n| name | Python argument | where | required | type |\n|---|---|---|---|---|\n"
        for parameter, declared in zip(operation.parameters, item.get("parameters", []), strict=False):
            kind = _type(spec, declared.get("schema", {})) if isinstance(declared, Mapping) else ""
            required = "yes" if parameter.required else ""
            text += f"| `{parameter.name}` | `{parameter.python_name}` | {parameter.location} | {required} | {kind} |\n"
    if operation.request_schema:
        schema = {"$ref": f"#/components/schemas/{operation.request_schema}"}
        text += (
            f"\n### Body: `{operation.request_schema}`\n\n"
            "| field | Python | type | required | description |\n|---|---|---|---|---|\n"
        )
        for row in _rows(spec, schema):
            required = "yes" if row.required else ""
            text += f"| `{row.path}` | `{row.python}` | {row.type} | {required} | {row.description} |\n"
    return text or "\nNo parameters and no body.\n"


def _response_section(spec: Json, operation: Operation) -> str:
    guaranteed = {guarantee.path for guarantee in operation.guaranteed}
    signed = {field for recipe in operation.signature_recipes for field in recipe.fields}
    echoed = {echo.response: echo.request for echo in operation.echo}
    schema = {"$ref": f"#/components/schemas/{operation.response_schema}"}
    text = (
        f"\n## Response: `{operation.response_schema}`\n\n"
        "*Always present*: never `UNSET` on a success (the trust layer refuses a success without it). *Signed*: "
        "covered by the answer's signature. *Echoes*: must equal what the request set there.\n\n"
        "| field | Python | type | always present | signed | echoes | description |\n|---|---|---|---|---|---|---|\n"
    )
    for row in _rows(spec, schema):
        always = "yes" if row.path in guaranteed or row.path == "status" else ""
        source = f"`{echoed[row.path]}`" if row.path in echoed else ""
        text += (
            f"| `{row.path}` | `{row.python}` | {row.type} | {always} | {'yes' if row.path in signed else ''} | "
            f"{source} | {row.description} |\n"
        )
    return text


def _operation_page(spec: Json, operation: Operation) -> str:
    item = _item(spec, operation)
    facts = [
        f"`{operation.method} {operation.path}`",
        f"`{operation.module}`",
        _RETRY[operation.retry],
        "response signed" if operation.signed else "response not signed",
    ]
    text = f"# {operation.operation_id}\n\n**{item['summary']}**\n\n" + " · ".join(facts) + "\n\n"
    text += " ".join(str(item["description"]).split()) + "\n\n## Call\n\n" + _call(operation)
    text += "\n## Request\n" + _request_section(spec, operation, item)
    text += _response_section(spec, operation)
    text += (
        "\n## Errors and signature\n\nThe generated function's docstring (`help(...)` shows the same):\n\n"
        f"::: {operation.module}.sync\n    options:\n      show_root_heading: false\n      heading_level: 3\n"
    )
    request = _first_example(item.get("requestBody"))
    response = _first_example(item["responses"]["200"], success=True)
    text += "\n## Example\n\n"
    if request is not None:
        text += "Request body (the spec's example):\n\n" + _json_block(request) + "\n"
    if response is not None:
        text += "A success answer:\n\n" + _json_block(response)
    return text


def _index(spec: Json) -> str:
    text = (
        "# Operations\n\nEvery operation of the spec, generated from it and its operation table: one page each. "
        "`sync` / `asyncio` return the answer's model or raise an `iyzico_ext` error.\n\n"
        "| operation | call | HTTP | retry class | signed |\n|---|---|---|---|---|\n"
    )
    for operation in OPERATIONS.values():
        link = f"[{operation.operation_id}]({operation.tag}/{operation.module.rsplit('.', 1)[-1]}.md)"
        text += (
            f"| {link} | `{operation.module}.sync` | `{operation.method} {operation.path}` | {operation.retry} | "
            f"{'yes' if operation.signed else ''} |\n"
        )
    return text
