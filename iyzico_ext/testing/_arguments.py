"""Whole calls: the keyword arguments of an operation's generated function, body and parameters alike.

`arguments_for("retrievePaymentDetailsReport")` draws `{"payment_id": "...", "locale": Locale.TR, ...}`;
`arguments_for("createPayment")` draws `{"body": CreatePaymentRequest(...)}`. Path and query parameters
are drawn from their spec schema (pattern, bounds, enum) and the generated function's annotation, with
the same domain values by name as request fields (dates, ids, pages); optional ones are sometimes left
out. So `function.sync(client=client, **arguments)` is a valid call of any operation.
"""

from __future__ import annotations

import functools
import importlib
import typing
from collections.abc import Callable, Mapping

from hypothesis import strategies as st

from iyzico_client.types import UNSET

from .._operations import Operation, load_spec, operations
from ._models import PARAMETER_VALUES, from_model, request_models, value_strategy, without_unset

__all__ = ["arguments_for", "generated_function"]

Arguments = dict[str, typing.Any]
# Operations that need one of several optional parameters (iyzico answers 5002 without any): one is always drawn.
_ONE_OF: dict[str, tuple[str, ...]] = {"retrievePaymentDetailsReport": ("payment_id", "payment_conversation_id")}


def generated_function(operation_id: str, variant: str = "sync") -> Callable[..., typing.Any]:
    """The generated `sync`, `sync_detailed`, `asyncio` or `asyncio_detailed` of an operation."""
    try:
        module = importlib.import_module(operations()[operation_id].module)
    except KeyError:
        raise ValueError(f"{operation_id!r} is not an operation of the spec") from None
    function: Callable[..., typing.Any] = getattr(module, variant)
    return function


@functools.cache
def _annotations(operation_id: str) -> Mapping[str, typing.Any]:
    function = generated_function(operation_id, "sync_detailed")
    return typing.get_type_hints(function, globalns=vars(importlib.import_module(function.__module__)))


def _parameter_schema(operation: Operation, name: str) -> Mapping[str, typing.Any]:
    spec = load_spec()
    declared = spec["paths"][operation.path][operation.method.lower()].get("parameters", [])
    schema: Mapping[str, typing.Any] = next(p for p in declared if p["name"] == name).get("schema", {})
    ref = schema.get("$ref")
    if isinstance(ref, str):
        schema = spec["components"]["schemas"][ref.rsplit("/", 1)[-1]]
    return schema


def arguments_for(operation_id: str, **overrides: st.SearchStrategy[typing.Any]) -> st.SearchStrategy[Arguments]:
    """Keyword arguments for the operation's generated function; a keyword strategy replaces one argument."""
    operation = operations().get(operation_id)
    if operation is None:
        raise ValueError(f"{operation_id!r} is not an operation of the spec")
    strategies: dict[str, st.SearchStrategy[typing.Any]] = {}
    if operation.has_body:
        strategies["body"] = from_model(request_models()[operation_id])
    for parameter in operation.parameters:
        annotation, optional = without_unset(_annotations(operation_id)[parameter.python_name])
        if parameter.python_name in PARAMETER_VALUES:
            values = PARAMETER_VALUES[parameter.python_name]
        else:
            where = f"{operation_id}({parameter.name})"
            values = value_strategy(where, annotation, _parameter_schema(operation, parameter.name))
        strategies[parameter.python_name] = st.just(UNSET) | values if optional else values
    strategies.update(overrides)
    drawn = st.fixed_dictionaries(strategies).map(_without_unset_values)
    needed = _ONE_OF.get(operation_id)
    return drawn if needed is None else drawn.filter(lambda arguments: any(name in arguments for name in needed))


def _without_unset_values(arguments: Arguments) -> Arguments:
    return {name: value for name, value in arguments.items() if value is not UNSET}
