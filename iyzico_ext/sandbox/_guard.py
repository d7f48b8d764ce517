"""What keeps a locally running emulator from being driven by web pages the developer happens to visit.

* Host allow-list (DNS rebinding): a page on `evil.example` that resolves its name to 127.0.0.1 reaches the
  emulator with `Host: evil.example`; only the loopback names and hosts the operator named are answered.
* The admin endpoints (`/_sandbox/...` ledger, reset, faults, webhooks) refuse requests a browser can send
  cross-site without asking: a POST must carry `Content-Type: application/json` (an HTML form cannot send
  it, and a script can only after a CORS preflight the emulator never grants; other write methods need that
  preflight anyway), and any request the browser marks `Sec-Fetch-Site: cross-site` is refused outright.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Awaitable, Callable, Iterable

from starlette.middleware import Middleware
from starlette.middleware.trustedhost import TrustedHostMiddleware
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response

__all__ = ["LOOPBACK_HOSTS", "admin_only", "host_allow_list", "is_loopback"]

LOOPBACK_HOSTS = ("127.0.0.1", "localhost", "[::1]")
Endpoint = Callable[[Request], Awaitable[Response]]


def is_loopback(host: str) -> bool:
    """Whether `host` (a name or an IP address, IPv6 with or without brackets) stays on this machine."""
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def host_allow_list(extra_hosts: Iterable[str] = ()) -> Middleware:
    """Answer only requests whose `Host` is a loopback name or one of `extra_hosts` (400 otherwise)."""
    bracketed = (f"[{host}]" if ":" in host and not host.startswith("[") else host for host in extra_hosts)
    hosts = [*LOOPBACK_HOSTS, *bracketed]
    return Middleware(TrustedHostMiddleware, allowed_hosts=hosts, www_redirect=False)


def _cross_site_refusal(request: Request) -> str | None:
    if request.headers.get("sec-fetch-site") == "cross-site":
        return "cross-site requests to the admin endpoints are refused"
    if request.method == "POST":
        media_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
        if media_type != "application/json":
            return "admin POSTs need Content-Type: application/json (an HTML form cannot send it)"
    return None


def admin_only(endpoint: Endpoint) -> Endpoint:
    """Wrap an admin endpoint so that requests a web page could forge are refused with 403."""

    async def guarded(request: Request) -> Response:
        refusal = _cross_site_refusal(request)
        if refusal is not None:
            return PlainTextResponse(refusal, status_code=403)
        return await endpoint(request)

    guarded.__name__ = endpoint.__name__
    guarded.__doc__ = endpoint.__doc__
    return guarded
