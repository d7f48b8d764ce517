"""What a success answer must carry before a model is built from it, and the error when it does not.

Each operation lists, in the generated table, the fields every success answer of it carries (its signed
fields, the echoes of values the request always sends, the ids it must return) with their kind. A verified
success that lacks one, or holds one the model could not read (`paymentId: {}`, `price: "abc"`), is a
`MalformedResponseError` (`MalformedPaymentOutcome` for a money-moving call: the money may have moved, so
the conversationId and the ids that could be read travel with it) instead of a `KeyError` or `TypeError`
later. Checked in the auth flow, so a journal records such a call as unknown, never as succeeded.

Odd values in the other fields are not refused here: the models read those leniently (kept, as received,
in `additional_properties`). Whatever the generated parser still cannot read becomes the same typed error
(`AnswerErrors`, which the generated code finds in the request's extensions).
"""

from __future__ import annotations

import contextlib
import re
import types
import typing
from collections.abc import Iterator, Mapping

import httpx

from iyzico_client._runtime.models import KIND_READERS
from iyzico_client.types import PARSED_JSON_EXTENSION

from ._call import CallContext
from ._exceptions import MalformedPaymentOutcome, MalformedResponseError, PaymentOutcomeUnknown
from ._operations import SENSITIVE_FIELDS, Guarantee, Operation

__all__ = ["AnswerErrors", "check_guaranteed", "outcome_ids", "readable_ids"]

_ID_KEY = re.compile(r"(?:[a-z]Id|Key|Token|token|ReferenceCode|referenceCode)$")
_ID_TEXT = re.compile(r"[0-9A-Za-z._:-]{1,64}")
_MAX_IDS = 8


def _kind_problem(value: object, kind: str) -> str | None:
    if kind == "list":
        return None if type(value) is list else "is not a list"
    if kind == "object":
        return None if isinstance(value, Mapping) else "is not an object"
    try:
        KIND_READERS[kind](value)
    except Exception:  # the reader's own refusal (OddValue) or a value no reader accepts
        return f"is not {'an' if kind[0] in 'aeiou' else 'a'} {kind} value"
    return None


def _problems(node: object, steps: list[str], where: str, kind: str) -> Iterator[str]:
    step, *rest = steps
    name, each = (step[:-2], True) if step.endswith("[]") else (step, False)
    value = node.get(name) if isinstance(node, Mapping) else None
    here = f"{where}.{name}" if where else name
    if value is None:
        if not each:
            yield f"{here} is missing"
        return  # a list that is not there has no elements to check (the list itself is guaranteed apart)
    if each:
        if type(value) is not list:
            yield f"{here} is not a list"
            return
        for index, element in enumerate(value):
            if not isinstance(element, Mapping):
                yield f"{here}[{index}] is not an object"
            elif rest:
                yield from _problems(element, rest, f"{here}[{index}]", kind)
        return
    if rest:
        yield from _problems(value, rest, here, kind)
        return
    problem = _kind_problem(value, kind)
    if problem is not None:
        yield f"{here} {problem}"


def _guarantee_problems(guarantees: tuple[Guarantee, ...], body: Mapping[str, object]) -> list[str]:
    found = (problem for item in guarantees for problem in _problems(body, item.path.split("."), "", item.kind))
    return list(dict.fromkeys(found))


def readable_ids(body: object) -> dict[str, str]:
    """The ids an answer shows at its top level (`paymentId`, `paymentTransactionId`, `token`, ...), as read,
    for an unknown outcome to carry; stored-card credentials are left out."""
    if not isinstance(body, Mapping):
        return {}
    found: dict[str, str] = {}
    for key, value in body.items():
        if len(found) == _MAX_IDS:
            break
        if not isinstance(key, str) or not _ID_KEY.search(key) or key in SENSITIVE_FIELDS:
            continue
        text = str(value) if type(value) in (str, int) else ""
        if _ID_TEXT.fullmatch(text):
            found[key] = text
    return found


def _malformed(
    operation: Operation, context: CallContext, reason: str, fields: tuple[str, ...], body: object
) -> MalformedResponseError:
    if operation.money_moving:
        conversation_id = context.conversation_id or ""
        error: MalformedResponseError = MalformedPaymentOutcome(
            f"{operation.operation_id}: outcome unknown: {reason}; reconcile with conversationId "
            f"{conversation_id!r} before resending",
            fields=fields,
            operation_id=operation.operation_id,
            conversation_id=conversation_id,
        )
        typing.cast(PaymentOutcomeUnknown, error).ids = types.MappingProxyType(readable_ids(body))
        return error
    return MalformedResponseError(
        f"{operation.operation_id}: {reason}",
        fields=fields,
        operation_id=operation.operation_id,
        conversation_id=context.conversation_id,
    )


def check_guaranteed(operation: Operation, context: CallContext, body: Mapping[str, object]) -> None:
    """Raise `MalformedResponseError` (`MalformedPaymentOutcome`) unless the success answer carries every
    field the operation guarantees, each readable as its kind."""
    problems = _guarantee_problems(operation.guaranteed, body)
    if problems:
        fields = tuple(dict.fromkeys(problem.split(" ", 1)[0] for problem in problems))
        shown = "; ".join(problems[:5]) + ("; ..." if len(problems) > 5 else "")
        raise _malformed(operation, context, f"the success answer is malformed ({shown})", fields, body)


@contextlib.contextmanager
def outcome_ids(response: httpx.Response) -> Iterator[None]:
    """A `PaymentOutcomeUnknown` raised inside carries the ids the answer shows (its conversationId it has)."""
    try:
        yield
    except PaymentOutcomeUnknown as unknown:
        if not unknown.ids:
            unknown.ids = types.MappingProxyType(readable_ids(response.extensions.get(PARSED_JSON_EXTENSION)))
        raise


class AnswerErrors:
    """Left in the request's extensions for the generated parser: an answer it still cannot read becomes
    this call's typed error (see `iyzico_client._runtime.responses`)."""

    __slots__ = ("_context",)

    def __init__(self, context: CallContext) -> None:
        self._context = context

    def __repr__(self) -> str:
        return f"AnswerErrors({self._context.label})"

    def unusable(self, response: httpx.Response, reason: str) -> Exception:
        operation = self._context.operation
        if operation is None:
            return MalformedResponseError(f"{self._context.label}: {reason}")
        return _malformed(operation, self._context, reason, (), response.extensions.get(PARSED_JSON_EXTENSION))
