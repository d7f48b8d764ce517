"""The `httpx.Client` / `httpx.AsyncClient` that `IyzicoClient` sends through: stock httpx, minus two
per-call costs that iyzico's API never needs (together about a tenth of a call's client CPU).

* Spec paths are resolved once. httpx merges a relative URL with `base_url` on every request (URL
  parsing, ~30 µs); the generated functions always pass one of the spec's fixed paths, so those are
  resolved once per base URL (shared by every client of it), with httpx's own merge, and httpx gets the
  absolute URL. Any other URL takes httpx's normal path.
* No cookie jar. iyzico's API is stateless (IYZWSv2 signs every call); a jar would parse every
  response for `Set-Cookie` (~15 µs) and send a load balancer's cookie back on later calls, which
  `IyzicoClient` promises never to do.
"""

from __future__ import annotations

import functools
import typing
from collections.abc import Mapping

import httpx
from httpx._client import BaseClient  # the shared base of Client and AsyncClient, where both hooks live

from ._operations import operations

__all__ = ["IyzicoAsyncHttpxClient", "IyzicoHttpxClient"]

_NO_COOKIES = "iyzico uses no cookies; IyzicoClient neither stores nor sends any"


class _NoCookies(httpx.Cookies):
    """An always-empty cookie jar: responses' cookies are ignored, none can be added."""

    def extract_cookies(self, response: httpx.Response) -> None:
        """Keep nothing (see the module docstring)."""

    def set(self, name: str, value: str, domain: str = "", path: str = "/") -> None:
        raise TypeError(_NO_COOKIES)


@functools.lru_cache(maxsize=64)
def _spec_urls(base_url: str) -> Mapping[str, httpx.URL]:
    """Each spec path merged with `base_url` by httpx itself (a bare BaseClient: no transport, no TLS)."""
    merger = BaseClient(base_url=base_url)
    fixed = {operation.path for operation in operations().values() if "{" not in operation.path}  # no templates
    return {path: merger.build_request("POST", path).url for path in fixed}


class _IyzicoRequests(BaseClient):
    """What both clients change: the spec's paths resolved once, and no cookie jar."""

    def __init__(self, **options: typing.Any) -> None:
        super().__init__(**options)
        self._no_cookies = _NoCookies()
        self._spec_urls = _spec_urls(str(self.base_url))

    @property
    def cookies(self) -> httpx.Cookies:
        return self._no_cookies

    @cookies.setter
    def cookies(self, cookies: object) -> None:
        raise TypeError(_NO_COOKIES)

    def build_request(self, method: str, url: httpx.URL | str, **options: typing.Any) -> httpx.Request:
        resolved = self._spec_urls.get(url, url) if isinstance(url, str) else url
        return super().build_request(method, resolved, **options)


class IyzicoHttpxClient(_IyzicoRequests, httpx.Client):
    """`httpx.Client` with the spec's paths resolved once and no cookie jar."""


class IyzicoAsyncHttpxClient(_IyzicoRequests, httpx.AsyncClient):
    """The asyncio twin of `IyzicoHttpxClient`."""
