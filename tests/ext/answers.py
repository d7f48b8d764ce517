"""A well-formed success answer for any operation, built from the spec, to attack one piece at a time.

`answer(operation, request)` starts from the operation's own success example, makes it repeat what the
request set (every `x-iyzico-echo` field) and signs it like iyzico (the first recipe, the canary secret), so
the client accepts it; a test changes one thing before signing and sees what the client makes of it.
"""

from __future__ import annotations

import copy
import typing
from collections.abc import Callable, Iterator, Mapping

import httpx

from iyzico_client.types import json_loads
from iyzico_ext import IyzicoClient
from iyzico_ext._operations import Operation, operations
from iyzico_ext._routing import Router
from iyzico_ext._secret import SecretKey
from iyzico_ext._signing import response_signature
from iyzico_ext._verify import _same
from iyzico_ext.testing.strategies import generated_function
from tests.sandbox._example_walk import example_answer, example_arguments

from .conftest import BASE_URL, CANARY_API_KEY, CANARY_SECRET, SleepRecorder, json_response

__all__ = ["Step", "answer", "call", "field_paths", "get_at", "signed", "with_value"]

Json = typing.Any
Step = str | int
Answer = Callable[[httpx.Request], httpx.Response]


def _request_value(source: str, request: httpx.Request, operation: Operation) -> Json:
    location, _, name = source.partition(".")
    if location == "path":
        return (Router.for_base_url(httpx.URL(BASE_URL)).path_params(operation, request) or {}).get(name)
    if location == "query":
        return request.url.params.get(name)
    node: Json = json_loads(request.content) if request.content else {}
    for step in name.split("."):
        node = node.get(step) if isinstance(node, Mapping) else None
    return node


def _echo_into(node: Json, steps: list[str], value: Json) -> None:
    step, *rest = steps
    each = step.endswith("[]")
    name = step[:-2] if each else step
    if not isinstance(node, dict):
        return
    if each:
        for element in node.get(name) or []:
            _echo_into(element, rest, value)
    elif rest:
        _echo_into(node.setdefault(name, {}), rest, value)
    elif not _same(value, node.get(name)):
        node[name] = value


def answer(operation: Operation, request: httpx.Request) -> dict[str, Json]:
    """The operation's success example, repeating what `request` set, unsigned."""
    body: dict[str, Json] = copy.deepcopy(example_answer(operation.operation_id))
    for echo in operation.echo:
        value = _request_value(echo.request, request, operation)
        if value is not None:
            _echo_into(body, echo.response.split("."), value)
    return body


def signed(operation: Operation, body: dict[str, Json]) -> httpx.Response:
    """`body` signed as iyzico signs the operation's answers (when it does), as an HTTP 200 answer."""
    if operation.signed:
        fields = operation.signature_recipes[0].fields
        body = {**body, "signature": response_signature(SecretKey(CANARY_SECRET), body, fields)}
    return json_response(200, body)


def call(operation_id: str, reply: Answer) -> Json:
    """The operation's generated `sync`, called with its spec example, against `reply`."""
    with IyzicoClient(
        CANARY_API_KEY,
        CANARY_SECRET,
        BASE_URL,
        transport=httpx.MockTransport(reply),
        retry=SleepRecorder().policy(),
    ) as client:
        return generated_function(operation_id, "sync")(client=client, **example_arguments(operation_id, {}, {}))


def field_paths(node: Json, prefix: tuple[Step, ...] = ()) -> Iterator[tuple[Step, ...]]:
    """Every key of the answer (first element of each list), as a path of keys and indexes."""
    if isinstance(node, Mapping):
        for key, value in node.items():
            yield (*prefix, key)
            yield from field_paths(value, (*prefix, key))
    elif isinstance(node, list) and node:
        yield from field_paths(node[0], (*prefix, 0))


def get_at(node: Json, path: tuple[Step, ...]) -> Json:
    for step in path:
        node = node[step]
    return node


def with_value(body: Json, path: tuple[Step, ...], value: Json) -> Json:
    """A copy of `body` with `value` at `path` (`...` as the value removes the key)."""
    changed = copy.deepcopy(body)
    parent = get_at(changed, path[:-1])
    if value is ...:
        del parent[path[-1]]
    else:
        parent[path[-1]] = value
    return changed


def dotted(path: tuple[Step, ...]) -> str:
    """The operation table's spelling of a path: `itemTransactions[].paymentTransactionId`."""
    text = ""
    for step in path:
        text += "[]" if isinstance(step, int) else (f".{step}" if text else step)
    return text


OPERATIONS: Mapping[str, Operation] = operations()
