"""Reading a request body safely: only for a caller that can authenticate, within a size cap, depth-checked JSON.

An emulator runs on developers' machines, so a request must not be able to make it read or parse an
unbounded body: a caller whose Authorization header names no known merchant gets its answer (1000/1001)
without the body being read at all, a body is read up to `MAX_BODY_BYTES`, and JSON nested deeper than
`MAX_JSON_DEPTH` is refused as unreadable (iyzico's requests are at most four levels deep).
"""

from __future__ import annotations

from collections.abc import Mapping

import anyio
from starlette.requests import Request

from iyzico_client.types import json_loads

from .._secret import SecretKey
from .._signing import parse_authorization_header

__all__ = [
    "MAX_BODY_BYTES",
    "MAX_JSON_DEPTH",
    "BodyTooLarge",
    "Unparseable",
    "client_left_within",
    "parse_json",
    "read_body",
]

# The largest request iyzico documents carries a base64 product image (iyzilink); a few MiB is plenty.
MAX_BODY_BYTES = 4 * 1024 * 1024
MAX_JSON_DEPTH = 32


class BodyTooLarge(Exception):
    """The body is larger than `MAX_BODY_BYTES` (answered with HTTP 413, nothing processed)."""


class Unparseable:
    """The body is not JSON, or JSON nested beyond `MAX_JSON_DEPTH` (iyzico's code 11 after authentication)."""


def _can_authenticate(credentials: Mapping[str, SecretKey], authorization: str | None) -> bool:
    parts = parse_authorization_header(authorization or "")
    return parts is not None and parts.api_key in credentials


async def read_body(request: Request, credentials: Mapping[str, SecretKey], *, public: bool = False) -> bytes:
    """The raw body, or `b""` when the caller cannot authenticate anyway (its answer does not depend on it).

    `public` operations (the health check) are answered for anyone, so their body is read regardless.
    Raises `BodyTooLarge` as soon as the declared or received length passes the cap.
    """
    if not public and not _can_authenticate(credentials, request.headers.get("authorization")):
        return b""
    declared = request.headers.get("content-length")
    if declared is not None and declared.isdigit() and int(declared) > MAX_BODY_BYTES:
        raise BodyTooLarge
    chunks: list[bytes] = []
    received = 0
    async for chunk in request.stream():
        received += len(chunk)
        if received > MAX_BODY_BYTES:
            raise BodyTooLarge
        chunks.append(chunk)
    return b"".join(chunks)


def _depth_within_limit(value: object) -> bool:
    pending = [(value, 1)]
    while pending:
        node, depth = pending.pop()
        if isinstance(node, dict):
            children: list[object] = list(node.values())
        elif isinstance(node, list):
            children = node
        else:
            continue
        if depth > MAX_JSON_DEPTH:
            return False
        pending.extend((child, depth + 1) for child in children)
    return True


def parse_json(raw: bytes) -> object:
    """The parsed body (`None` when empty), or an `Unparseable` marker; amounts stay exact decimals, and a
    number out of any amount's range (1e999999999) is refused before anything formats it (the client's reader)."""
    if not raw.strip():
        return None
    try:
        parsed: object = json_loads(raw)
    except (ValueError, RecursionError):
        return Unparseable()
    return parsed if _depth_within_limit(parsed) else Unparseable()


async def client_left_within(request: Request, seconds: float) -> bool:
    """Wait `seconds` (an injected delay); `True` as soon as the client disconnects meanwhile.

    Called after the body was read, so the only message left to receive is the disconnect; a client that
    gives up waiting is an expected outcome of a delay, not an error to log.
    """
    with anyio.move_on_after(seconds):
        while (await request.receive())["type"] != "http.disconnect":
            pass
        return True
    return False
