"""Trusting a response: its signature (recipes from the spec) and its echo of the request.

iyzico signs a response with HMAC-SHA256 over some of its own fields (`_signing`); which fields, in
which order, is a vendor extension on each operation of the spec. A valid signature alone does not
bind the response to *this* request (it has no nonce), so the echo check compares what the operation's
`x-iyzico-echo` names (conversationId, ids, amounts, basketId, currency; body fields, path and query
parameters) with what was sent.
"""

from __future__ import annotations

import re
import typing
from collections.abc import Mapping
from decimal import Decimal

from ._call import CallContext
from ._exceptions import (
    MismatchedPaymentOutcome,
    ResponseMismatchError,
    SignatureVerificationError,
    UnverifiedPaymentOutcome,
)
from ._fields import value_at, values_at
from ._logging import logger as _logger
from ._operations import Echo, Operation, SignatureRecipe
from ._secret import SecretKey
from ._signing import response_signature_matches

__all__ = ["check_echo", "verify_response_signature"]

_NUMERIC_TEXT = re.compile(r"-?[0-9]{1,30}(\.[0-9]{1,30})?")


def _matching_recipe(
    recipes: tuple[SignatureRecipe, ...], body: Mapping[str, object], secret: SecretKey
) -> SignatureRecipe | None:
    received = body.get("signature")
    # Every recipe is computed and compared, so timing does not tell which one matched.
    matches = [recipe for recipe in recipes if response_signature_matches(secret, body, recipe.fields, received)]
    return matches[0] if matches else None


def verify_response_signature(
    operation: Operation, body: Mapping[str, object], secret: SecretKey, *, conversation_id: str | None
) -> SignatureRecipe | None:
    """Check the signature of a `status: success` body; the recipe that matched, `None` if unsigned.

    Raises `SignatureVerificationError` (`UnverifiedPaymentOutcome` for money-moving calls) when the
    signature is missing or matches none of the operation's recipes. Operations whose recipe the
    spec marks unconfirmed (refunds) accept any of their recipes and log which one matched.
    """
    if not operation.signed:
        return None
    tried = tuple(recipe.source for recipe in operation.signature_recipes)
    matched = _matching_recipe(operation.signature_recipes, body, secret)
    if matched is not None:
        if not operation.signature_confirmed:
            _logger.info("%s: response signature matched recipe %s", operation.operation_id, matched.source)
        return matched
    problem = "has no signature" if body.get("signature") is None else "has a signature that does not match"
    error_class = UnverifiedPaymentOutcome if operation.money_moving else SignatureVerificationError
    raise error_class(
        f"{operation.operation_id}: the success response {problem} (recipes tried: {', '.join(tried)})",
        recipes_tried=tried,
        operation_id=operation.operation_id,
        conversation_id=conversation_id,
    )


def _number(value: object) -> Decimal | None:
    if isinstance(value, Decimal | int) and not isinstance(value, bool):
        return Decimal(value)
    if isinstance(value, str) and _NUMERIC_TEXT.fullmatch(value):
        return Decimal(value)
    return None


def _same(sent: object, received: object) -> bool:
    """Amounts compare as numbers (the request's 100.00 is the response's 100.0; a path's "12" is 12)."""
    if isinstance(sent, str) and isinstance(received, str):
        return sent == received
    sent_number, received_number = _number(sent), _number(received)
    if sent_number is not None or received_number is not None:
        return sent_number is not None and sent_number == received_number
    return sent == received


def _request_value(context: CallContext, source: str) -> object | None:
    """What the request set at `source` (`body.<path>`, `path.<name>`, `query.<name>`), or `None`."""
    location, _, name = source.partition(".")
    if location == "path":
        return context.path_params.get(name)
    if location == "query":
        return context.query.get(name)
    return value_at(context.sent.value, name) if context.sent else None


def _differs(echo: Echo, context: CallContext, received: Mapping[str, typing.Any]) -> bool:
    sent = _request_value(context, echo.request)
    if sent is None:
        return False
    if "[]" in echo.response:  # every element of the list must carry the request's value
        return any(not _same(sent, value) for value in values_at(received, echo.response))
    return not _same(sent, value_at(received, echo.response))


def check_echo(operation: Operation, context: CallContext, received: Mapping[str, typing.Any]) -> None:
    """Raise `ResponseMismatchError` if the response disagrees with a value the request set.

    The operation's echo fields (from the spec) are compared where the request set them: body fields,
    path and query parameters. Money-moving calls raise `MismatchedPaymentOutcome`. The request JSON
    stays in the context's redacting holder (this frame is in the traceback of the error).
    """
    differing = tuple(echo.response for echo in operation.echo if _differs(echo, context, received))
    if not differing:
        return
    error_class = MismatchedPaymentOutcome if operation.money_moving else ResponseMismatchError
    raise error_class(
        f"{operation.operation_id}: the response's {', '.join(differing)} differ from the request's "
        "(a replayed or mixed-up response)",
        fields=differing,
        operation_id=operation.operation_id,
        conversation_id=context.conversation_id,
    )
