# Hand-written: copied unchanged by scripts/generate.py from spec/runtime/exchange.py. Edit it there.
"""What passes between a generated endpoint and the client that sends its request: the request extensions
that name the operation and carry the request's JSON, the check that the client signs, and the answer's
JSON parsed once per call. `iyzico_client.types` re-exports the public names.
"""

from __future__ import annotations

from typing import Any, TypeVar

import httpx

from .json_codec import json_loads

__all__ = [
    "OPERATION_EXTENSION",
    "PARSED_JSON_EXTENSION",
    "REQUEST_JSON_EXTENSION",
    "require_signing_client",
    "response_json",
]

# An httpx auth flow or transport that already parsed `response.content` with `json_loads` semantics
# (iyzico_ext does, to verify the signature) leaves the value here, so the body is parsed once per call.
PARSED_JSON_EXTENSION = "iyzico_client.parsed_json"
# The JSON object a request body was written from, in a `RequestJSON` holder, as a request extension.
REQUEST_JSON_EXTENSION = "iyzico_client.request_json"
# The operationId of the spec operation a request was built for, as a request extension: a trust layer
# looks the operation up in `operation_table.OPERATIONS` and refuses requests that name none.
OPERATION_EXTENSION = "iyzico_client.operation_id"

_Client = TypeVar("_Client")


def require_signing_client(client: _Client) -> _Client:
    """The client, if it signs requests (its class sets `signs_requests = True`); a TypeError otherwise.

    iyzico answers an unsigned request with `status: failure` (error 1000 or 1001); the generated `Client`
    and `AuthenticatedClient` cannot sign, so a call through them fails here, before anything is sent.
    """
    if getattr(type(client), "signs_requests", False) is not True:
        raise TypeError(
            f"{type(client).__name__} cannot sign iyzico requests (IYZWSv2) and nothing was sent; "
            "pass client=iyzico_ext.IyzicoClient(api_key, secret_key, base_url)"
        )
    return client


_NOT_PARSED = object()


def response_json(response: httpx.Response) -> Any:
    """The response body as `json_loads` reads it, reusing a value parsed earlier in this call."""
    parsed = response.extensions.get(PARSED_JSON_EXTENSION, _NOT_PARSED)
    return json_loads(response.content) if parsed is _NOT_PARSED else parsed
