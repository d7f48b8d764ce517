"""The spec's own examples, by operationId: the fixtures of tests that run every operation."""

from __future__ import annotations

import copy
import functools
import typing
from collections.abc import Mapping

from iyzico_ext._operations import load_spec

__all__ = ["request_example", "response_example"]

Json = dict[str, typing.Any]


@functools.cache
def _examples(part: str) -> Mapping[str, Json]:
    """{operationId: the first example of its request body or its 200 response}."""
    found: dict[str, Json] = {}
    for item in load_spec()["paths"].values():
        for operation in item.values():
            holder = operation.get("requestBody") if part == "request" else operation["responses"].get("200")
            media = (holder or {}).get("content", {}).get("application/json")
            if media and media.get("examples"):
                found[operation["operationId"]] = next(iter(media["examples"].values()))["value"]
    return found


def request_example(operation_id: str) -> Json | None:
    """A fresh copy of the operation's first request example (`None` for an operation without a body)."""
    example = _examples("request").get(operation_id)
    return copy.deepcopy(example) if example is not None else None


def response_example(operation_id: str) -> Json:
    """A fresh copy of the operation's first 200 response example."""
    return copy.deepcopy(_examples("response")[operation_id])
