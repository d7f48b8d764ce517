"""Which spec operation a request is, given the client's base URL (which may carry a path prefix)."""

from __future__ import annotations

import attrs
import httpx

from ._operations import Operation, operation_for

__all__ = ["Router"]


@attrs.frozen
class Router:
    """Maps a request's URL back to the operation of the spec it calls."""

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
        return operation_for(request.method, self.relative_path(request.url))
