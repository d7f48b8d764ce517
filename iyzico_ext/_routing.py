"""Which operation a request claims to be, and whether its method and path agree with that claim.

A generated function names its operation in the request (`OPERATION_EXTENSION`); nothing is looked up by
path. The claim is still checked against the request's method and path (relative to the base URL,
which may carry a prefix), because the operation decides the retry class and the checks of the answer:
a request that says `checkApiHealth` but posts to `/payment/auth` must not be resent as a safe read.
"""

from __future__ import annotations

import urllib.parse

import attrs
import httpx

from iyzico_client.types import OPERATION_EXTENSION

from ._operations import Operation, operation_named

__all__ = ["Router"]


@attrs.frozen
class Router:
    """Maps a request to the operation it names, given the client's base URL."""

    base_path: bytes

    @classmethod
    def for_base_url(cls, base_url: httpx.URL) -> Router:
        return cls(base_url.raw_path.split(b"?", 1)[0].rstrip(b"/"))

    def relative_path(self, url: httpx.URL) -> str:
        path = url.raw_path.split(b"?", 1)[0]
        if self.base_path and path.startswith(self.base_path):
            path = path[len(self.base_path) :]
        return path.decode("ascii")

    def operation(self, request: httpx.Request) -> Operation | None:
        """The operation the request names, or `None` when it names none."""
        return operation_named(request.extensions.get(OPERATION_EXTENSION))

    def path_params(self, operation: Operation, request: httpx.Request) -> dict[str, str] | None:
        """The path parameters, when method and path fit the operation's template; `None` when they do not."""
        if request.method != operation.method:
            return None
        template = operation.path.split("/")
        actual = self.relative_path(request.url).split("/")
        if len(template) != len(actual):
            return None
        params: dict[str, str] = {}
        for expected, segment in zip(template, actual, strict=True):
            if expected.startswith("{") and expected.endswith("}"):
                if not segment:
                    return None
                params[expected[1:-1]] = urllib.parse.unquote(segment)
            elif expected != segment:
                return None
        return params
