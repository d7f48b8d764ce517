"""Walk any operation of the spec with its own examples, against a fresh emulator.

Nothing here names an operation. An operation's example request may use ids that another operation's
example answer created (the createPayment example's paymentId "25223114" is what the cancel example
cancels), so before an operation runs, the operations whose examples create the ids it uses run first,
and each id the emulator actually assigns replaces the example's id in every later request:

* an operation *creates* an id when it writes (its retry class is not `safe`) and its success example
  answers, under an id-like key, a value its own request example does not carry, and no operation it
  depends on creates that value already;
* a read *reveals* an id when its success example answers, under an id-like key, a value that no write
  creates and its own request example does not carry (a subscription's orders, which only reads list);
* an operation *depends on* every operation that creates or reveals an id its request example uses, and on
  every write whose request example sets the same caller-chosen id (`subMerchantExternalId`) to the same value.

Between the steps the walk plays the buyer wherever an answer sends one to a page (the 3-D Secure bank
page, the hosted checkout page, the subscription forms, the pages of APM, BKM Express, Pecco and iyziup),
as `iyzico_ext.sandbox.browser` does for tests.
"""

from __future__ import annotations

import enum
import functools
import importlib
import re
import typing
from collections.abc import Iterator, Mapping

import attrs

from iyzico_client.types import Unset
from iyzico_ext._operations import Operation, load_spec, operations
from iyzico_ext.sandbox.browser import (
    HOSTED_PAGE_TEST_CARD,
    checkout_form_page_url,
    complete_threeds,
    pay_hosted_page,
    pay_wallet_page,
)
from iyzico_ext.sandbox.embedded import SandboxHandle
from iyzico_ext.testing.strategies import generated_function

__all__ = ["Walk", "closure", "example_arguments"]

Json = typing.Any
# Keys whose values identify something the server assigned ...
_ASSIGNED_ID = re.compile(
    r"^(paymentId|paymentTransactionId|token|referenceCode|referenceNumber|txId|.+Key|.+Token|.+ReferenceCode)$"
)
# ... or the caller chose, to look it up by later.
_CHOSEN_ID = re.compile(r"^(externalId|.+ExternalId)$")
_PAGE_FIELDS = ("paymentPageUrl", "payWithIyzicoPageUrl")
# Pages of alternative payment methods and wallets an initialize answer sends the buyer to (APM and Pecco's
# redirectUrl, BKM Express's base64 htmlContent, iyziup's content).
_WALLET_PAGE_FIELDS = ("redirectUrl", "htmlContent", "content")


def _strings(node: Json, key: str | None = None) -> Iterator[tuple[str | None, str]]:
    if isinstance(node, Mapping):
        for name, value in node.items():
            yield from _strings(value, name)
    elif isinstance(node, list):
        for value in node:
            yield from _strings(value, key)
    elif isinstance(node, str):
        yield key, node


def _raw(operation: Operation) -> Mapping[str, Json]:
    raw: Mapping[str, Json] = load_spec()["paths"][operation.path][operation.method.lower()]
    return raw


def _first_example(media: Mapping[str, Json], status: str | None = None) -> Json:
    values = [example["value"] for example in media.get("examples", {}).values()]
    if "example" in media:
        values.append(media["example"])
    return next(value for value in values if status is None or value.get("status") == status)


@functools.cache
def example_request(operation_id: str) -> Mapping[str, Json]:
    """{"body": the first request example, <parameter>: its example} of an operation."""
    operation = operations()[operation_id]
    raw = _raw(operation)
    request: dict[str, Json] = {}
    if operation.has_body:
        request["body"] = _first_example(raw["requestBody"]["content"]["application/json"])
    for parameter in raw.get("parameters", []):
        request[parameter["name"]] = parameter["example"]
    return request


@functools.cache
def example_answer(operation_id: str) -> Json:
    """The first success example of the operation's answer."""
    raw = _raw(operations()[operation_id])
    return _first_example(raw["responses"]["200"]["content"]["application/json"], "success")


def _ids(node: Json, kind: re.Pattern[str]) -> set[tuple[str, str]]:
    return {(key, value) for key, value in _strings(node) if key is not None and kind.match(key)}


def _writes(name: str) -> bool:
    return operations()[name].retry != "safe"


@functools.cache
def _graph() -> tuple[Mapping[str, frozenset[str]], Mapping[str, frozenset[str]]]:
    """(what each operation depends on, the example ids each operation creates or reveals)."""
    names = sorted(operations())
    uses = {name: {value for _, value in _strings(example_request(name))} for name in names}
    chosen = {name: _ids(example_request(name), _CHOSEN_ID) for name in names}
    answered = {name: {value for _, value in _ids(example_answer(name), _ASSIGNED_ID)} - uses[name] for name in names}
    creates = {name: answered[name] if _writes(name) else set() for name in names}
    written = set().union(*creates.values())
    reveals = {name: set() if _writes(name) else answered[name] - written for name in names}
    while True:
        depends = {
            name: {
                other
                for other in names
                if other != name
                and (
                    (creates[other] | reveals[other]) & uses[name]
                    or (_writes(other) and not _writes(name) and chosen[other] & chosen[name])
                )
            }
            for name in names
        }
        changed = False
        for name in names:
            earlier = _ancestors(name, depends) - {name}  # a cycle makes an operation its own ancestor
            again = {value for value in creates[name] if any(value in creates[other] for other in earlier)}
            if again:
                creates[name] -= again
                changed = True
        if not changed:
            return (
                {name: frozenset(found) for name, found in depends.items()},
                {name: frozenset(creates[name] | reveals[name]) for name in names},
            )


def _ancestors(name: str, depends: Mapping[str, set[str]]) -> set[str]:
    found: set[str] = set()
    pending = list(depends[name])
    while pending:
        other = pending.pop()
        if other not in found:
            found.add(other)
            pending.extend(depends[other])
    return found


def closure(operation_id: str) -> list[str]:
    """The operations to run, in order, for `operation_id`'s example to make sense; itself last."""
    depends, _ = _graph()
    ordered: list[str] = []

    def visit(name: str, path: tuple[str, ...]) -> None:
        if name in path:
            raise AssertionError(f"the examples depend on each other in a circle: {' -> '.join((*path, name))}")
        for other in sorted(depends[name]):
            visit(other, (*path, name))
        if name not in ordered:
            ordered.append(name)

    visit(operation_id, ())
    return ordered


def _replaced(node: Json, values: Mapping[str, str], fields: Mapping[str, str], key: str | None = None) -> Json:
    if isinstance(node, Mapping):
        return {name: _replaced(value, values, fields, name) for name, value in node.items()}
    if isinstance(node, list):
        return [_replaced(value, values, fields, key) for value in node]
    if key is not None and key in fields:
        return fields[key]
    if isinstance(node, str):
        return values.get(node, node)
    return node


def _argument(annotation: typing.Any, value: Json) -> Json:
    """A parameter's example as the generated function takes it (enums, integers)."""
    kinds = [kind for kind in typing.get_args(annotation) or (annotation,) if kind is not Unset]
    kind = kinds[0] if len(kinds) == 1 else None
    if isinstance(kind, type) and issubclass(kind, enum.Enum):
        return kind(value)
    if kind is int:
        return int(value)
    return value


def example_arguments(operation_id: str, values: Mapping[str, str], fields: Mapping[str, str]) -> dict[str, Json]:
    """Keyword arguments for the operation's generated function, from its examples with the ids replaced."""
    operation = operations()[operation_id]
    request = _replaced(example_request(operation_id), values, fields)
    function = generated_function(operation_id, "sync_detailed")
    hints = typing.get_type_hints(function, globalns=vars(importlib.import_module(function.__module__)))
    arguments: dict[str, Json] = {}
    if operation.has_body:
        arguments["body"] = hints["body"].from_dict(request["body"])
    for parameter in operation.parameters:
        arguments[parameter.python_name] = _argument(hints[parameter.python_name], request[parameter.name])
    return arguments


def _assigned(example: Json, actual: Json, created: frozenset[str], found: dict[str, str]) -> None:
    """Record, for every id the example answer created, the value the emulator really answered there."""
    if isinstance(example, Mapping) and isinstance(actual, Mapping):
        for name, value in example.items():
            if name in actual:
                _assigned(value, actual[name], created, found)
    elif isinstance(example, list) and isinstance(actual, list):
        for value, real in zip(example, actual, strict=False):
            _assigned(value, real, created, found)
    elif isinstance(example, str) and example in created and actual is not None:
        found[example] = str(actual)


@attrs.define
class Walk:
    """One operation's closure, step by step, on one emulator."""

    sandbox: SandboxHandle
    values: dict[str, str] = attrs.field(factory=dict)  # example id -> the id the emulator assigned
    fields: dict[str, str] = attrs.field(factory=dict)  # request field -> what a page's callback posted

    def arguments(self, operation_id: str) -> dict[str, Json]:
        return example_arguments(operation_id, self.values, self.fields)

    def learn(self, operation_id: str, answer: Json) -> None:
        """Note the ids the answer assigned, and play the buyer on any page it sends one to."""
        _, creates = _graph()
        _assigned(example_answer(operation_id), answer, creates[operation_id], self.values)
        if "threeDSHtmlContent" in answer:
            callback = complete_threeds(self.sandbox.http, answer["threeDSHtmlContent"])
            self.fields["conversationData"] = callback.fields["conversationData"]
            self.fields["paRes"] = callback.fields["conversationData"]  # completeThreeds forwards it as PaRes
        pages = [answer[field] for field in _PAGE_FIELDS if field in answer]
        if not pages and "checkoutFormContent" in answer:  # a subscription or card-update form
            pages.append(checkout_form_page_url(answer["checkoutFormContent"]))
        if pages:
            pay_hosted_page(self.sandbox.http, pages[0], HOSTED_PAGE_TEST_CARD)
        wallet_pages = [answer[field] for field in _WALLET_PAGE_FIELDS if field in answer]
        if wallet_pages and _writes(operation_id):  # a retrieve's redirectUrl is the page of a payment made
            pay_wallet_page(self.sandbox.http, wallet_pages[0], HOSTED_PAGE_TEST_CARD)
