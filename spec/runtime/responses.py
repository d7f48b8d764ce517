"""What an endpoint does with its answer: the success model, or the error of the client that sent the request.

`sync` and `asyncio` return the model or raise. The client that sent the request (iyzico_ext's
`IyzicoClient`) judges the answer first and leaves, in the request's extensions under
`RESPONSE_ERRORS_EXTENSION`, an object that turns an answer the endpoint still cannot use into its own
typed error (for a money-moving call: an unknown outcome carrying the conversationId), so nothing but the
client's errors escapes once a request was sent. Without that object the endpoint raises
`errors.UnexpectedStatus` for a status it has no model for, and the model's own error otherwise.
"""

from __future__ import annotations

import typing
from collections.abc import Callable

import httpx

from .. import errors
from .exchange import response_json

__all__ = ["RESPONSE_ERRORS_EXTENSION", "ResponseErrors", "parse_success", "unexpected_status"]

M = typing.TypeVar("M")

RESPONSE_ERRORS_EXTENSION = "iyzico_client.response_errors"


class ResponseErrors(typing.Protocol):
    """Turns an answer the endpoint cannot use into the sending client's error."""

    def unusable(self, response: httpx.Response, reason: str) -> Exception: ...


def _errors_of(response: httpx.Response) -> ResponseErrors | None:
    try:
        request = response.request
    except RuntimeError:  # a response built by hand, without its request
        return None
    found = request.extensions.get(RESPONSE_ERRORS_EXTENSION)
    return typing.cast(ResponseErrors, found) if hasattr(found, "unusable") else None


def parse_success(response: httpx.Response, from_dict: Callable[[typing.Any], M]) -> M:
    """The success model read from the body, or the sending client's error for a body it cannot become."""
    try:
        return from_dict(response_json(response))
    except Exception as error:
        handler = _errors_of(response)
        if handler is None:
            raise
        reason = f"the success body does not read as the operation's model ({type(error).__name__}: {error})"
        raise handler.unusable(response, reason[:500]) from None


def unexpected_status(response: httpx.Response) -> Exception:
    """The error for an answer with a status the endpoint has no model for."""
    handler = _errors_of(response)
    if handler is None:
        return errors.UnexpectedStatus(response.status_code, response.content)
    return handler.unusable(response, f"HTTP {response.status_code}, which the operation does not answer with")
