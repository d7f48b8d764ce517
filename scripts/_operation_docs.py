"""What each generated operation's docstring says beyond the spec's summary: errors, signature, guarantees, link.

The text follows from the operation table (retry class, signature recipes, echo fields) and the guaranteed
fields, so a docstring can only say what the trust layer does: `help(create_payment.sync)` names the
`iyzico_ext` errors the call can raise and when, what the answer's signature covers, which fields are never
`UNSET`, and the operation's page in the API reference.
"""

from __future__ import annotations

import textwrap
import typing

import _operation_table as operation_table
from _guarantees import guaranteed_fields
from openapi_python_client.strings import PythonIdentifier
from spec_rules import operations

__all__ = ["OperationDocs", "for_endpoints", "raises", "reference_page"]

Json = typing.Any
_WIDTH = 96  # the generated docstrings' body is indented by 4 more characters


class OperationDocs(typing.NamedTuple):
    """Ready-to-indent docstring sections of one operation."""

    returns: str
    raises: str
    answer: str
    reference: str


def reference_page(tag: str, module: str) -> str:
    """The operation's page of the API reference, relative to `docs/` (one page per operation)."""
    return f"reference/{tag}/{module}.md"


def _fields(paths: typing.Iterable[str]) -> str:
    return ", ".join(f"`{path}`" for path in paths)


def raises(record: operation_table.Record, guaranteed: list[str]) -> list[tuple[str, str]]:
    """(exception, when) for every error the operation can raise, in the order a reader needs them."""
    money = record["retry"] == "money-moving"
    signed = bool(record["signature_recipes"])
    echoed = [response for response, _ in record["echo"]]
    found = [
        ("iyzico_ext.RequestValidationError", "a field breaks a rule iyzico would refuse it for; nothing was sent."),
    ]
    if money or record["carries_card"]:
        found.append(
            (
                "iyzico_ext.CardDeclinedError",
                "the card's bank declined (`.error_code` is 10000 + the bank's code; map on `.error_group`).",
            )
        )
    found += [
        (
            "iyzico_ext.InvalidRequestError",
            "iyzico refused the request under its validation or business rules "
            "(`status: failure`; `.error_code`, `.error_message`).",
        ),
        (
            "iyzico_ext.AuthenticationError",
            "unknown API key (1001), or iyzico could not verify the request signature (1000: the message says "
            "what was signed and the usual causes).",
        ),
        (
            "iyzico_ext.RateLimitError",
            "iyzico's request limit (errorCode 50000 or HTTP 429)"
            + ("; a money-moving call is never resent automatically." if money else "."),
        ),
    ]
    if money:
        found.append(
            (
                "iyzico_ext.PaymentOutcomeUnknown",
                "the request may have moved money but no usable answer came back (a transport failure after the "
                "bytes left, HTTP 5xx or any status but 200); `.conversation_id` finds it: reconcile "
                "(`reconcile_payment`, `reconcile_refund`, `reconcile_cancel`) before resending.",
            )
        )
        if signed:
            found.append(
                (
                    "iyzico_ext.UnverifiedPaymentOutcome",
                    "a PaymentOutcomeUnknown: the success answer's signature is missing or does not match.",
                )
            )
        if echoed:
            found.append(
                (
                    "iyzico_ext.MismatchedPaymentOutcome",
                    f"a PaymentOutcomeUnknown: the answer's {_fields(echoed)} differ from the request's "
                    "(a replayed or mixed-up answer).",
                )
            )
        found += [
            (
                "iyzico_ext.MalformedPaymentOutcome",
                "a PaymentOutcomeUnknown: the success answer lacks a field the operation guarantees"
                + (f" ({_fields(guaranteed)})" if guaranteed else "")
                + " or holds one that cannot be read; `.ids` holds the ids that could be read.",
            ),
            (
                "iyzico_ext.IyzicoConnectionError",
                "the request provably never left (connection refused, connect or pool timeout), after the "
                "retries; nothing moved.",
            ),
            ("iyzico_ext.IyzicoTimeoutError", "an IyzicoConnectionError: the connect or pool timeout ran out."),
        ]
    else:
        resent = " (a read is resent up to twice first)" if record["retry"] == "safe" else ""
        found += [
            (
                "iyzico_ext.IyzicoConnectionError",
                f"no usable answer{resent}: a transport failure, HTTP 5xx or any status but 200, a body that is "
                "not iyzico JSON.",
            ),
            ("iyzico_ext.IyzicoTimeoutError", "an IyzicoConnectionError: a timeout or the call's deadline ran out."),
        ]
        if signed:
            found.append(
                (
                    "iyzico_ext.SignatureVerificationError",
                    "the success answer's signature is missing or does not match.",
                )
            )
        if echoed:
            found.append(
                (
                    "iyzico_ext.ResponseMismatchError",
                    f"the answer's {_fields(echoed)} differ from the request's (a replayed or mixed-up answer).",
                )
            )
        found.append(
            (
                "iyzico_ext.MalformedResponseError",
                "the success answer lacks a field the operation guarantees"
                + (f" ({_fields(guaranteed)})" if guaranteed else "")
                + " or holds one that cannot be read.",
            )
        )
    found.append(("TypeError", "`client` cannot sign requests (pass an `iyzico_ext.IyzicoClient`); nothing was sent."))
    return found


def _answer(record: operation_table.Record) -> str:
    recipes = record["signature_recipes"]
    echoed = [response for response, _ in record["echo"]]
    if not recipes:
        text = "Not signed by iyzico."
    elif len(recipes) == 1:
        source, fields = recipes[0]
        text = (
            "Signed: the trust layer recomputes HMAC-SHA256 (your secret key) over "
            f"{', '.join(fields)} and compares it in constant time ({source})."
        )
    else:
        shown = "; ".join(f"{', '.join(fields)} ({source})" for source, fields in recipes)
        text = (
            "Signed, with a recipe iyzico's sources disagree on: one of these must match, HMAC-SHA256 "
            f"(your secret key) over {shown}."
        )
    if echoed:
        text += f" Bound to the request: {_fields(echoed)} must equal what the request set."
    return text


def _wrapped(text: str, indent: str = "") -> str:
    return textwrap.fill(text, _WIDTH, initial_indent=indent, subsequent_indent=indent + "    ", break_on_hyphens=False)


def _docs(spec: Json, record: operation_table.Record, operation: Json) -> OperationDocs:
    guaranteed = [path for path, _ in guaranteed_fields(spec, operation)]
    model = record["response_schema"]
    always = (
        f" Always present (never `UNSET`): {_fields(guaranteed)}."
        if guaranteed
        else " No field but `status` is guaranteed."
    )
    returns = _wrapped(
        f"{model}: the success answer, after the checks below.{always} Every other field may be `UNSET`; a value "
        "iyzico sends in an unexpected form is kept, as received, in `additional_properties`."
    )
    return OperationDocs(
        returns=returns,
        raises="\n".join(_wrapped(f"{name}: {when}") for name, when in raises(record, guaranteed)),
        answer=_wrapped(_answer(record)),
        reference=reference_page(record["tag"], record["module"].rsplit(".", 1)[-1]),
    )


def for_endpoints(spec: Json) -> dict[str, OperationDocs]:
    """{endpoint name as the generator spells it: its docstring sections}."""
    by_id = {op["operationId"]: op for _, _, op in operations(spec)}
    return {
        str(PythonIdentifier(record["operation_id"], prefix="")): _docs(spec, record, by_id[record["operation_id"]])
        for record in operation_table.records(spec)
    }
