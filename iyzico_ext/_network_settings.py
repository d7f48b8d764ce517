"""The trust store and the proxy of the default network transports.

One TLS context per trust store is shared by every client (loading a CA bundle costs milliseconds). The
proxy is the one passed to `IyzicoClient`, or the environment's for the client's base URL (`HTTPS_PROXY`,
`HTTP_PROXY`, `ALL_PROXY`, `NO_PROXY`, as `urllib.request` reads them, which is how requests and httpx
read them too).
"""

from __future__ import annotations

import functools
import os
import ssl
import typing

import httpx

__all__ = [
    "NetworkSettings",
    "ProxyOption",
    "checked_proxy",
    "default_ssl_context",
    "environment_proxy",
    "network_settings",
]

ProxyOption = str | httpx.URL | httpx.Proxy
_PROXY_SCHEMES = frozenset({"http", "https"})


@functools.cache
def _ssl_context_for(cafile: str | None, capath: str | None) -> ssl.SSLContext:
    if cafile or capath:
        return ssl.create_default_context(cafile=cafile, capath=capath)
    return httpx.create_ssl_context(trust_env=False)  # certifi's bundle, as httpx uses by default


def default_ssl_context(*, trust_env: bool = True) -> ssl.SSLContext:
    """The verifying TLS context every client shares: certifi's CA bundle, or `SSL_CERT_FILE` /
    `SSL_CERT_DIR` when set and `trust_env` (as httpx reads them). Built once per trust store."""
    if not trust_env:
        return _ssl_context_for(None, None)
    return _ssl_context_for(os.environ.get("SSL_CERT_FILE") or None, os.environ.get("SSL_CERT_DIR") or None)


def checked_proxy(proxy: ProxyOption) -> httpx.Proxy:
    """`proxy` as an `httpx.Proxy`; only http:// and https:// proxies (aiohttp speaks no SOCKS)."""
    scheme = (proxy.url if isinstance(proxy, httpx.Proxy) else httpx.URL(proxy)).scheme
    if scheme not in _PROXY_SCHEMES:
        raise ValueError(f"proxy must be an http:// or https:// URL, got scheme {scheme!r}")
    return proxy if isinstance(proxy, httpx.Proxy) else httpx.Proxy(proxy)


def environment_proxy(url: httpx.URL) -> httpx.Proxy | None:
    """The proxy the environment names for `url` (scheme-specific, then ALL_PROXY), unless NO_PROXY
    exempts its host. A proxy written without a scheme is an http:// one, as httpx reads it."""
    import urllib.request  # here: it imports http.client and email, which `import iyzico_ext` does not need

    proxies = urllib.request.getproxies()
    named = proxies.get(url.scheme) or proxies.get("all")
    if not named or urllib.request.proxy_bypass(url.netloc.decode("ascii")):
        return None
    return checked_proxy(named if "://" in named else f"http://{named}")


class NetworkSettings(typing.NamedTuple):
    """What every default network transport is built with."""

    ssl_context: ssl.SSLContext
    limits: httpx.Limits
    proxy: httpx.Proxy | None


@functools.cache
def _no_trust_store() -> ssl.SSLContext:
    """A context that verifies but trusts nobody: for a client that never speaks TLS (plain http:// on
    loopback, no https:// proxy), so it does not load a CA bundle it would never use."""
    return ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)  # CERT_REQUIRED and check_hostname by default


def network_settings(
    base_url: httpx.URL,
    *,
    limits: httpx.Limits,
    proxy: ProxyOption | None,
    ssl_context: ssl.SSLContext | None,
    trust_env: bool,
) -> NetworkSettings:
    """The settings for a client of `base_url`: the given proxy and trust store, else (with `trust_env`)
    the environment's, else none and the shared default."""
    chosen = checked_proxy(proxy) if proxy is not None else environment_proxy(base_url) if trust_env else None
    if ssl_context is None:
        plain = base_url.scheme == "http" and (chosen is None or chosen.url.scheme == "http")
        ssl_context = _no_trust_store() if plain else default_ssl_context(trust_env=trust_env)
    return NetworkSettings(ssl_context, limits, chosen)
