"""Trusting a response: its signature (recipes from the spec) and its echo of the request.

iyzico signs a response with HMAC-SHA256 over some of its own fields (`_signing`); which fields, in
which order, is a vendor extension on each operation of the spec. A valid signature alone does not
bind the response to *this* request (it has no nonce), so the echo check compares conversationId,
amounts, basketId and currency with what was sent.
"""

from __future__ import annotations

import typing
from collections.abc import Mapping
from decimal import Decimal

from iyzico_client.types import RequestJSON

from ._exceptions import (
    MismatchedPaymentOutcome,
    ResponseMismatchError,
    SignatureVerificationError,
    UnverifiedPaymentOutcome,
)
from ._logging import logger as _logger
from ._operations import Operation, SignatureRecipe
from ._secret import SecretKey
from ._signing import response_signature_matches

__all__ = ["check_echo", "verify_response_signature"]


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


def _same(sent: object, received: object) -> bool:
    if isinstance(sent, Decimal | int) and not isinstance(sent, bool):
        # Amounts compare as numbers: the request's 100.00 is the response's 100.0.
        return isinstance(received, Decimal | int) and not isinstance(received, bool) and sent == received
    return sent == received


def check_echo(
    operation: Operation,
    sent: RequestJSON | None,
    received: Mapping[str, typing.Any],
    *,
    conversation_id: str | None,
) -> None:
    """Raise `ResponseMismatchError` if the response disagrees with a value the request set.

    Only the operation's echo fields (a vendor extension of the spec) are compared, and only where
    the request set them. Money-moving calls raise `MismatchedPaymentOutcome`. The request stays in
    its redacting holder (this frame is in the traceback of the error).
    """
    if sent is None:
        return
    differing = tuple(
        field
        for field in operation.echo_fields
        if sent.value.get(field) is not None and not _same(sent.value[field], received.get(field))
    )
    if not differing:
        return
    error_class = MismatchedPaymentOutcome if operation.money_moving else ResponseMismatchError
    raise error_class(
        f"{operation.operation_id}: the response's {', '.join(differing)} differ from the request's "
        "(a replayed or mixed-up response)",
        fields=differing,
        operation_id=operation.operation_id,
        conversation_id=conversation_id,
    )
