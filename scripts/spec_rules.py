"""The project's own rules for spec/iyzico.yaml, on top of OpenAPI validity.

They keep the spec inside what openapi-python-client turns into correct code, and keep the vendor
extensions our trust layer and emulator read well formed. `problems(spec)` lists every violation.
"""

from __future__ import annotations

import keyword
import re
import typing
from collections.abc import Iterator, Mapping

from openapi_python_client.strings import snake_case

Json = typing.Any

METHODS = ("get", "put", "post", "delete", "patch")
RETRY_CLASSES = {"safe", "money-moving", "once"}
SENSITIVE_KINDS = {"pan", "secret", "credential"}
# Names that shadow generated members or locals (openapi-python-client 0.29.1, see the reference notes).
FORBIDDEN_PROPERTIES = {"d", "to_dict", "from_dict", "additional_properties", "additional_keys", "src_dict"}
FORBIDDEN_KEYWORDS = {"nullable", "discriminator", "oneOf", "anyOf"}
PARAMETER_LOCATIONS = {"path", "query"}
SCALAR_PARAMETER_TYPES = {"string", "integer", "boolean"}
PATH_TEMPLATE = re.compile(r"\{([^{}]+)\}")
# Where each envelope keeps the payload; `none` answers at the top level (`status` is always there).
ENVELOPES = {"none": "status", "data": "data", "data-items": "data.items"}


def _walk(node: Json, path: str) -> Iterator[tuple[str, Mapping[str, Json]]]:
    if isinstance(node, Mapping):
        yield path, node
        for key, value in node.items():
            yield from _walk(value, f"{path}/{key}")
    elif isinstance(node, list):
        for index, item in enumerate(node):
            yield from _walk(item, f"{path}/{index}")


def _resolve(spec: Json, schema: Mapping[str, Json]) -> Mapping[str, Json]:
    ref = schema.get("$ref")
    if isinstance(ref, str):
        name = ref.rsplit("/", 1)[-1]
        return typing.cast(Mapping[str, Json], spec["components"]["schemas"][name])
    return schema


def properties(spec: Json, schema: Mapping[str, Json]) -> dict[str, Json]:
    """Every property of a schema, following `$ref` and `allOf`."""
    schema = _resolve(spec, schema)
    found: dict[str, Json] = {}
    for part in schema.get("allOf", []):
        found.update(properties(spec, part))
    found.update(schema.get("properties", {}))
    return found


def required_properties(spec: Json, schema: Mapping[str, Json]) -> set[str]:
    """The names a schema requires, following `$ref` and `allOf`."""
    schema = _resolve(spec, schema)
    found = set(schema.get("required", []))
    for part in schema.get("allOf", []):
        found |= required_properties(spec, part)
    return found


def _schema_problems(spec: Json) -> Iterator[str]:
    for path, node in _walk(spec, "#"):
        kinds = node.get("type")
        kinds = kinds if isinstance(kinds, list) else [kinds]
        if "number" in kinds and node.get("format") != "decimal":
            yield f"{path}: every number must be a decimal amount (`format: decimal`, `$ref: Amount`)"
        if isinstance(node.get("enum"), list) and None in node["enum"]:
            yield f"{path}: `null` inside an enum breaks the generator (#1120)"
        for word in FORBIDDEN_KEYWORDS & node.keys():
            if not path.endswith("/properties"):
                yield f"{path}: `{word}` is not handled by the generator; restructure the schema"
        kind = node.get("x-iyzico-sensitive")
        if kind is not None and kind not in SENSITIVE_KINDS:
            yield f"{path}: x-iyzico-sensitive must be one of {sorted(SENSITIVE_KINDS)}"
        unconfirmed = node.get("x-iyzico-unconfirmed")
        if unconfirmed is not None and not (isinstance(unconfirmed, str) and unconfirmed.strip()):
            yield f"{path}: x-iyzico-unconfirmed must say what to check against the live sandbox"
    for name, schema in spec.get("components", {}).get("schemas", {}).items():
        module = snake_case(name)
        for prop, prop_schema in properties(spec, schema).items():
            attribute = snake_case(prop)
            if prop in FORBIDDEN_PROPERTIES or keyword.iskeyword(attribute):
                yield f"components/schemas/{name}: property `{prop}` breaks generated code"
            # A converted property (model, list, Decimal) named like the module breaks from_dict (#1117).
            plain = prop_schema.get("type") in {"string", "integer", "boolean"} and "format" not in prop_schema
            if attribute == module and not plain:
                yield f"components/schemas/{name}: property `{prop}` has the model's module name (#1117)"


def _response_problems(spec: Json, where: str, schema: Mapping[str, Json]) -> Iterator[str]:
    resolved = _resolve(spec, schema)
    for path, node in _walk(resolved, where):
        if "enum" in node:
            yield f"{path}: responses must not use enums (iyzico adds values; parsing would fail after money moved)"
        required = node.get("required", [])
        if required and required != ["status"]:
            yield f"{path}: responses may only require `status`, found {required}"


def _example_count(content: Mapping[str, Json]) -> int:
    media = content.get("application/json", {})
    return len(media.get("examples", {})) + (1 if "example" in media else 0)


def schema_name(schema: Mapping[str, Json]) -> str | None:
    """The component name a `$ref` schema points at."""
    ref = schema.get("$ref")
    return ref.rsplit("/", 1)[-1] if isinstance(ref, str) else None


def response_schema(operation: Mapping[str, Json]) -> Mapping[str, Json] | None:
    """The schema of the operation's JSON 200 answer, or `None` when it has none (a rule reports that)."""
    media = operation.get("responses", {}).get("200", {}).get("content", {}).get("application/json")
    return typing.cast(Mapping[str, Json], media["schema"]) if media else None


def parameters(spec: Json, operation: Mapping[str, Json]) -> list[Mapping[str, Json]]:
    """The operation's parameters, `$ref`s to `components/parameters` resolved."""
    found = []
    for parameter in operation.get("parameters", []):
        ref = parameter.get("$ref")
        if isinstance(ref, str):
            parameter = spec["components"]["parameters"][ref.rsplit("/", 1)[-1]]
        found.append(parameter)
    return found


def field_schema(spec: Json, schema: Mapping[str, Json], dotted: str) -> Mapping[str, Json] | None:
    """The schema of a dotted field path (`data.items[].referenceCode`), or `None` if it does not exist."""
    node: Mapping[str, Json] | None = schema
    for segment in dotted.split("."):
        name, each = (segment[:-2], True) if segment.endswith("[]") else (segment, False)
        node = properties(spec, node).get(name) if node is not None else None
        if node is not None and each:
            node = _resolve(spec, node).get("items")
        if node is None:
            return None
    return node


def always_sent(spec: Json, operation: Mapping[str, Json], source: str) -> bool:
    """Whether the request always carries the value an echo compares (`body.<path>`, `path.<n>`, `query.<n>`)."""
    location, _, name = source.partition(".")
    if location == "path":
        return True
    if location == "query":
        return any(p.get("name") == name and p.get("required") for p in parameters(spec, operation))
    if name == "conversationId" and operation.get("x-iyzico-retry") == "money-moving":
        return True  # the client adds one to every money-moving request that has none
    body = operation.get("requestBody")
    if body is None:
        return False
    schema = body["content"]["application/json"]["schema"]
    steps = name.split(".")
    for depth, step in enumerate(steps):
        parent = field_schema(spec, schema, ".".join(steps[:depth])) if depth else schema
        if parent is None or step not in required_properties(spec, parent):
            return False
    return True


def signed_fields(operation: Mapping[str, Json]) -> list[str]:
    """The fields every signature recipe of the operation signs (all of them when there is one recipe)."""
    recipes = (operation.get("x-iyzico-signature") or {}).get("recipes", [])
    if not recipes:
        return []
    common = set(recipes[0]["fields"]).intersection(*(recipe["fields"] for recipe in recipes[1:]))
    return [field for field in recipes[0]["fields"] if field in common]


def echoes(operation: Mapping[str, Json]) -> Iterator[tuple[str, str]]:
    """(response field, request source) of each `x-iyzico-echo` item."""
    for item in operation.get("x-iyzico-echo", []):
        yield (item, f"body.{item}") if isinstance(item, str) else (item["response"], item["request"])


def _parameter_problems(spec: Json, where: str, path: str, operation: Mapping[str, Json]) -> Iterator[str]:
    params = parameters(spec, operation)
    in_template = PATH_TEMPLATE.findall(path)
    declared = [str(p.get("name")) for p in params if p.get("in") == "path"]
    if sorted(in_template) != sorted(declared):
        yield f"{where}: path parameters {declared} must be exactly the template's {in_template}"
    for parameter in params:
        name, location = parameter.get("name"), parameter.get("in")
        schema = _resolve(spec, parameter.get("schema", {}))
        if location not in PARAMETER_LOCATIONS:
            yield f"{where}: parameter `{name}` in {location}: only path and query parameters are supported"
        if name in {"body", "client"}:
            yield f"{where}: parameter name `{name}` collides with generated arguments"
        if location == "path" and parameter.get("required") is not True:
            yield f"{where}: path parameter `{name}` must be required"
        if schema.get("type") not in SCALAR_PARAMETER_TYPES or "format" in schema:
            yield f"{where}: parameter `{name}` must be a plain string, integer or boolean (no format, no array)"
        if {"style", "explode", "content", "allowReserved"} & parameter.keys():
            yield f"{where}: parameter `{name}` must use the default serialization"
        if "example" not in parameter:
            yield f"{where}: parameter `{name}` needs an example"


def _field_problems(
    spec: Json, where: str, operation: Mapping[str, Json], response: Mapping[str, Json]
) -> Iterator[str]:
    """Signature and echo fields must exist where they point; signatures cannot reach into lists."""
    signature = operation.get("x-iyzico-signature")
    if signature is not None:
        recipes = signature.get("recipes", [])
        if not recipes or not isinstance(signature.get("confirmed"), bool):
            yield f"{where}: x-iyzico-signature needs `confirmed` and at least one recipe"
        for recipe in recipes:
            for field in recipe.get("fields", []):
                if "[]" in field:
                    yield f"{where}: signed field `{field}` reaches into a list, which signatures cannot"
                elif field_schema(spec, response, field) is None:
                    yield f"{where}: signed field `{field}` is not a response property"
        if "signature" not in properties(spec, response):
            yield f"{where}: a signed response must declare `signature`"
    body = operation.get("requestBody")
    request = body["content"]["application/json"]["schema"] if body else None
    names = {
        location: {p.get("name") for p in parameters(spec, operation) if p.get("in") == location}
        for location in ("path", "query")
    }
    for item in operation.get("x-iyzico-echo", []):
        response_field, source = (
            (item, f"body.{item}") if isinstance(item, str) else (item.get("response"), item.get("request"))
        )
        location, _, name = str(source).partition(".")
        if not isinstance(response_field, str) or field_schema(spec, response, response_field) is None:
            yield f"{where}: echo field `{response_field}` is not a response property"
        if location == "body":
            if request is None or field_schema(spec, request, name) is None:
                yield f"{where}: echo source `{source}` is not a request body property"
        elif location not in names or name not in names[location]:
            yield f"{where}: echo source `{source}` must be body.<field>, path.<parameter> or query.<parameter>"


def _returns_problems(
    spec: Json, where: str, operation: Mapping[str, Json], response: Mapping[str, Json]
) -> Iterator[str]:
    """`x-iyzico-returns`: `always` names response fields, `mayOmit` signed ones; every signed field that
    echoes a value the request may leave out says which it is (iyzico signs a missing field as "")."""
    returns = operation.get("x-iyzico-returns", {})
    if not isinstance(returns, Mapping) or not set(returns) <= {"always", "mayOmit"}:
        yield f"{where}: x-iyzico-returns may only hold `always` and `mayOmit` lists"
        return
    signed = signed_fields(operation)
    for field in returns.get("always", []):
        if field_schema(spec, response, field) is None:
            yield f"{where}: x-iyzico-returns field `{field}` is not a response property"
    for field in returns.get("mayOmit", []):
        if field not in signed:
            yield f"{where}: x-iyzico-returns mayOmit `{field}` is not a field every signature recipe signs"
    decided = {*returns.get("always", []), *returns.get("mayOmit", [])}
    for response_field, source in echoes(operation):
        if response_field in signed and response_field not in decided and not always_sent(spec, operation, source):
            yield (
                f"{where}: signed field `{response_field}` echoes `{source}`, which the request may leave out: "
                "list it in x-iyzico-returns `always` or `mayOmit`"
            )


def _operation_problems(spec: Json, method: str, path: str, operation: Mapping[str, Json]) -> Iterator[str]:
    where = f"{method.upper()} {path}"
    if not operation.get("operationId"):
        yield f"{where}: missing operationId"
    if len(operation.get("tags", [])) != 1:
        yield f"{where}: needs exactly one tag (it names the api/<tag>/ package)"
    for field in ("summary", "description"):
        if not operation.get(field):
            yield f"{where}: missing {field}"
    if "security" in operation:
        yield f"{where}: operation-level security makes the generator demand AuthenticatedClient"
    yield from _parameter_problems(spec, where, path, operation)
    if operation.get("x-iyzico-retry") not in RETRY_CLASSES:
        yield f"{where}: x-iyzico-retry must be one of {sorted(RETRY_CLASSES)}"
    unconfirmed = operation.get("x-iyzico-unconfirmed")
    if unconfirmed is not None and not (isinstance(unconfirmed, str) and unconfirmed.strip()):
        yield f"{where}: x-iyzico-unconfirmed must be a text saying what to check against the live sandbox"
    body = operation.get("requestBody")
    if body is not None:
        if method == "get":
            yield f"{where}: a GET carries no body (IYZWSv2 then signs the path alone)"
        if set(body.get("content", {})) != {"application/json"}:
            yield f"{where}: request bodies must be application/json only"
        elif not _example_count(body["content"]):
            yield f"{where}: request body needs an example"
    ok = operation.get("responses", {}).get("200")
    if ok is None or set(ok.get("content", {})) != {"application/json"}:
        yield f"{where}: needs a 200 response with an application/json body"
        return
    if not _example_count(ok["content"]):
        yield f"{where}: 200 response needs an example"
    schema = ok["content"]["application/json"]["schema"]
    yield from _response_problems(spec, f"{where} response", schema)
    envelope = operation.get("x-iyzico-envelope", "none")
    if envelope not in ENVELOPES:
        yield f"{where}: x-iyzico-envelope must be one of {sorted(ENVELOPES)}"
    elif field_schema(spec, schema, ENVELOPES[envelope]) is None:
        yield f"{where}: x-iyzico-envelope {envelope} needs a response property `{ENVELOPES[envelope]}`"
    yield from _field_problems(spec, where, operation, schema)
    yield from _returns_problems(spec, where, operation, schema)


def operations(spec: Json) -> Iterator[tuple[str, str, Mapping[str, Json]]]:
    for path, item in spec.get("paths", {}).items():
        for method in METHODS:
            if method in item:
                yield method, path, item[method]


def problems(spec: Json) -> list[str]:
    """Every violation of the project's spec rules (empty when the spec is fine)."""
    found = list(_schema_problems(spec))
    seen: dict[str, str] = {}
    for method, path, operation in operations(spec):
        found.extend(_operation_problems(spec, method, path, operation))
        operation_id = operation.get("operationId", "")
        if operation_id in seen:
            found.append(f"{method.upper()} {path}: operationId {operation_id} is also used by {seen[operation_id]}")
        seen[operation_id] = f"{method.upper()} {path}"
    return found
