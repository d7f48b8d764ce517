"""`IyzicoClient`: the generated `iyzico_client.Client`, wired with signing, verification and retries.

It *is* a generated `Client` (a subclass), so every generated `sync*` / `asyncio*` function accepts it
and type-checks. Both httpx clients it builds share one `IyzicoAuth` (validation, signing,
verification) and wrap the default network transports of `_network` (httpcore; httpx-aiohttp for
asyncio), or the caller's own, in the retrying transports.
"""

# pyright: reportTypedDictNotRequiredAccess=false
# (the options are stored complete, every key set in __init__; ClientOptions is total=False for **options.)
from __future__ import annotations

import os
import ssl
import threading
import typing
from collections.abc import Mapping

import httpx

from iyzico_client import Client

from ._auth import IyzicoAuth
from ._constants import (
    CLIENT_VERSION_HEADER,
    DEFAULT_LIMITS,
    DEFAULT_TIMEOUT,
    ENV_API_KEY,
    ENV_BASE_URL,
    ENV_SECRET_KEY,
    LIVE_URL,
    LOOPBACK_HOSTS,
    SANDBOX_KEY_PREFIX,
    SANDBOX_URL,
)
from ._httpx_client import IyzicoAsyncHttpxClient, IyzicoHttpxClient
from ._locale import checked_locale
from ._logging import configure_logging_from_env
from ._logging import logger as _logger
from ._network_settings import NetworkSettings, ProxyOption, checked_proxy, network_settings
from ._recorder import CallRecorder
from ._response_body import ACCEPT_ENCODING
from ._retry import RetryPolicy
from ._routing import Router
from ._sample_guard import SampleGuard, SampleValuesMode
from ._secret import SecretKey
from ._transport import AsyncRetryingTransport, RetryingTransport

if typing.TYPE_CHECKING:
    from ._journal import JournalStore, PaymentJournal

__all__ = ["ClientOptions", "IyzicoClient"]

_VISIBLE_KEY_PREFIX = 4
_OWN_HTTPX_CLIENT_REFUSED = (
    "IyzicoClient builds its own httpx clients (they sign, verify and retry); pass transport= or "
    "async_transport= to change how bytes travel, timeout= or limits= to tune them"
)


class ClientOptions(typing.TypedDict, total=False):
    """The keyword options of `IyzicoClient`, also accepted by `IyzicoClient.from_env`."""

    timeout: httpx.Timeout
    retry: RetryPolicy
    limits: httpx.Limits
    transport: httpx.BaseTransport | None
    async_transport: httpx.AsyncBaseTransport | None
    proxy: ProxyOption | None
    ssl_context: ssl.SSLContext | None
    trust_env: bool
    verify_signatures: bool
    headers: Mapping[str, str]
    journal: str | os.PathLike[str] | JournalStore | None
    locale: str | None
    sample_values: SampleValuesMode


def _checked_base_url(base_url: str) -> httpx.URL:
    url = httpx.URL(base_url)
    if url.scheme == "https" and url.host:
        return url
    if url.scheme == "http" and url.host in LOOPBACK_HOSTS:
        return url
    raise ValueError(
        f"base_url must be https:// (plain http:// only for {', '.join(sorted(LOOPBACK_HOSTS))}); "
        f"got scheme {url.scheme!r} and host {url.host!r}"
    )


def _checked_api_key(api_key: object, url: httpx.URL) -> str:
    if not isinstance(api_key, str) or not api_key.strip():
        raise ValueError("api_key must be a non-empty string")
    # iyzico answers a key of the other environment with error 1001 on every call: refused here instead.
    sandbox_key = api_key.startswith(SANDBOX_KEY_PREFIX)
    if url.host == httpx.URL(LIVE_URL).host and sandbox_key:
        raise ValueError(f"a sandbox API key ({SANDBOX_KEY_PREFIX}...) cannot be used against the live URL {LIVE_URL}")
    if url.host == httpx.URL(SANDBOX_URL).host and not sandbox_key:
        raise ValueError(
            f"sandbox API keys start with {SANDBOX_KEY_PREFIX!r}; this one looks like a live key, "
            f"which cannot be used against the sandbox URL {SANDBOX_URL}"
        )
    return api_key


def _environment(environ: Mapping[str, str] | None) -> Mapping[str, str]:
    return os.environ if environ is None else environ


def _journal_of(journal: str | os.PathLike[str] | JournalStore | None) -> PaymentJournal | None:
    if journal is None:
        return None
    from ._journal import PaymentJournal  # on first use: `import iyzico_ext` stays cheap without a journal

    return PaymentJournal.of(journal)


def _checked_ssl_context(context: ssl.SSLContext | None) -> ssl.SSLContext | None:
    if context is not None and (context.verify_mode != ssl.CERT_REQUIRED or not context.check_hostname):
        raise ValueError("ssl_context must verify certificates and host names (CERT_REQUIRED, check_hostname)")
    return context


def _masked(api_key: str) -> str:
    return api_key[:_VISIBLE_KEY_PREFIX] + "***"


class IyzicoClient(Client):
    """A `Client` for iyzico that signs, validates, verifies and retries (see the package docs).

    Only requests of the generated functions are sent (each names its operation of the spec); with
    verification on, any other request through its httpx clients is refused before a byte leaves.

    The network transports are httpx's own (httpcore) for sync calls and httpx-aiohttp's for asyncio,
    HTTP/1.1 keep-alive pools of `limits`, verifying TLS with `ssl_context` (default: certifi's bundle,
    or `SSL_CERT_FILE` / `SSL_CERT_DIR`; one context shared by all clients). `proxy` (an http:// or
    https:// proxy URL), or with `trust_env` the environment's `HTTPS_PROXY` / `HTTP_PROXY` /
    `ALL_PROXY` / `NO_PROXY`, routes them through a proxy. `transport` / `async_transport` replace
    them (tests, the in-process emulator); signing, verification, retries, the deadline and the body
    caps stay in place around any transport.
    """

    def __init__(
        self,
        api_key: str,
        secret_key: str | SecretKey,
        base_url: str = SANDBOX_URL,
        *,
        timeout: httpx.Timeout = DEFAULT_TIMEOUT,
        retry: RetryPolicy | None = None,
        limits: httpx.Limits = DEFAULT_LIMITS,
        transport: httpx.BaseTransport | None = None,
        async_transport: httpx.AsyncBaseTransport | None = None,
        proxy: ProxyOption | None = None,
        ssl_context: ssl.SSLContext | None = None,
        trust_env: bool = True,
        verify_signatures: bool = True,
        headers: Mapping[str, str] | None = None,
        journal: str | os.PathLike[str] | JournalStore | None = None,
        locale: str | None = None,
        sample_values: SampleValuesMode = "refuse",
    ) -> None:
        """A client for the iyzico account of `api_key` / `secret_key` at `base_url`.

        Args:
            api_key: the merchant's API key (sandbox keys start with `sandbox-`).
            secret_key: the secret key, as a `str` or a `SecretKey` (kept in a `SecretKey` either way;
                never shown in a repr, log or traceback).
            base_url: `SANDBOX_URL` (the default), `LIVE_URL`, or an emulator on 127.0.0.1 / localhost (the
                only hosts plain `http://` is allowed for).
            timeout: connect, read, write and pool timeouts (`DEFAULT_TIMEOUT`: 5 s, 60 s, 10 s, 5 s).
            retry: retries and the deadline of a whole call (`RetryPolicy()`: 2 retries, 90 s).
            limits: the connection pool (`DEFAULT_LIMITS`).
            transport: the sync network transport (default: httpx's, over httpcore); signing, verification,
                retries and the deadline stay in place around it.
            async_transport: the asyncio network transport (default: httpx-aiohttp's when installed, else
                httpx's).
            proxy: an http:// or https:// proxy URL or `httpx.Proxy` (default: the environment's, see
                `trust_env`).
            ssl_context: the TLS context of both transports (default: certifi's bundle); it must verify
                certificates and host names.
            trust_env: take the proxy from the environment (`HTTPS_PROXY` / `HTTP_PROXY` / `NO_PROXY`) when
                `proxy` is not given.
            verify_signatures: verify response signatures (on by default; turning it off is logged).
            headers: extra headers for every request.
            journal: a payment journal (a SQLite path or a `JournalStore`): every money-moving call is written
                down before it leaves, for `reconcile_pending`.
            locale: `"en"` or `"tr"`: the language of iyzico's messages for every call that sets no `locale`
                of its own (iyzico's default is Turkish).
            sample_values: `"refuse"` (the default) or `"warn"`: what a call against the live URL does with a
                value copied from iyzico's samples (a test buyer, the sample IP or address).

        Raises:
            ValueError: an empty key, a base URL that is not https (outside loopback), a sandbox key against
                the live URL or a live key against the sandbox URL, or an unknown locale.
        """
        secret = SecretKey.of(secret_key)
        del secret_key  # first thing: the plain key must not stay in this frame while the checks may raise
        url = _checked_base_url(base_url)
        self._api_key = _checked_api_key(api_key, url)
        default_locale = checked_locale(locale)
        if proxy is not None:
            checked_proxy(proxy)  # a bad proxy URL fails here, not on the first call
        super().__init__(
            base_url=str(url),
            headers={
                CLIENT_VERSION_HEADER[0]: CLIENT_VERSION_HEADER[1],
                "Accept-Encoding": ACCEPT_ENCODING,  # the one coding the body reader decodes
                **(headers or {}),
            },
            timeout=timeout,
            verify_ssl=True,
            follow_redirects=False,
        )
        configure_logging_from_env()
        if not verify_signatures:
            _logger.warning("response signature verification is OFF for the client of %s", url.host)
        router = Router.for_base_url(url)
        self._journal = _journal_of(journal)
        self._options = ClientOptions(
            timeout=timeout,
            retry=retry or RetryPolicy(),
            limits=limits,
            transport=transport,
            async_transport=async_transport,
            proxy=proxy,
            ssl_context=_checked_ssl_context(ssl_context),
            trust_env=trust_env,
            verify_signatures=verify_signatures,
            headers=dict(headers or {}),
            journal=self._journal.store if self._journal else None,
            locale=default_locale,
            sample_values=sample_values,
        )
        self._secret = secret
        self._router = router
        self._auth = IyzicoAuth(
            self._api_key,
            secret,
            router,
            verify_signatures=verify_signatures,
            recorder=CallRecorder(self._journal),
            locale=default_locale,
            sample_guard=SampleGuard.for_base_url(url, sample_values),
        )
        self._build_lock = threading.Lock()

    @classmethod
    def from_env(
        cls, environ: Mapping[str, str] | None = None, **options: typing.Unpack[ClientOptions]
    ) -> IyzicoClient:
        """A client from `IYZIPAY_API_KEY`, `IYZIPAY_SECRET_KEY` and `IYZIPAY_BASE_URL` (default: sandbox)."""
        # The environment is read where it is used, never bound to a name here: a frame holding
        # os.environ would show the secret key in a traceback with locals.
        missing = [name for name in (ENV_API_KEY, ENV_SECRET_KEY) if not _environment(environ).get(name, "").strip()]
        if missing:
            raise ValueError(f"{' and '.join(missing)} must be set to a non-empty value")
        return cls(
            _environment(environ)[ENV_API_KEY],
            SecretKey(_environment(environ)[ENV_SECRET_KEY]),
            _environment(environ).get(ENV_BASE_URL) or SANDBOX_URL,
            **options,
        )

    # The generated functions refuse clients that do not sign (`iyzico_client.types.require_signing_client`).
    signs_requests: typing.ClassVar[bool] = True

    def __repr__(self) -> str:
        return f"IyzicoClient(base_url={self._base_url!r}, api_key={_masked(self._api_key)!r})"

    __str__ = __repr__

    def __reduce__(self) -> typing.NoReturn:
        raise TypeError("IyzicoClient cannot be pickled (it holds the secret key)")

    @property
    def retry_policy(self) -> RetryPolicy:
        """The retry policy every call of this client follows."""
        return self._options["retry"]

    @property
    def locale(self) -> str | None:
        """The default `locale` of this client's requests (`None`: iyzico's default, Turkish)."""
        return self._options["locale"]

    @property
    def journal(self) -> PaymentJournal | None:
        """The payment journal (`journal=` a SQLite path or a `JournalStore`), or `None` when off."""
        return self._journal

    def _rebuilt(self, **changes: typing.Unpack[ClientOptions]) -> IyzicoClient:
        options = ClientOptions(**self._options)
        options.update(changes)
        return IyzicoClient(self._api_key, self._secret, self._base_url, **options)

    def with_headers(self, headers: dict[str, str]) -> IyzicoClient:
        """A new client with these headers added (the generated `evolve` cannot build this class)."""
        return self._rebuilt(headers={**self._options["headers"], **headers})

    def with_cookies(self, cookies: dict[str, str]) -> IyzicoClient:
        """Refused: iyzico uses no cookies."""
        raise TypeError("iyzico uses no cookies; IyzicoClient does not send any")

    def with_timeout(self, timeout: httpx.Timeout) -> IyzicoClient:
        """A new client with another timeout configuration."""
        return self._rebuilt(timeout=timeout)

    def set_httpx_client(self, client: httpx.Client) -> typing.NoReturn:
        """Refused: a client of your own would send without signing, verification and retries."""
        raise TypeError(_OWN_HTTPX_CLIENT_REFUSED)

    def set_async_httpx_client(self, async_client: httpx.AsyncClient) -> typing.NoReturn:
        """Refused, like `set_httpx_client`."""
        raise TypeError(_OWN_HTTPX_CLIENT_REFUSED)

    def _network_settings(self) -> NetworkSettings:
        options = self._options
        return network_settings(
            httpx.URL(self._base_url),
            limits=options["limits"],
            proxy=options["proxy"],
            ssl_context=options["ssl_context"],
            trust_env=options["trust_env"],
        )

    def get_httpx_client(self) -> httpx.Client:
        """The signing, verifying, retrying `httpx.Client` (built once, thread safe)."""
        with self._build_lock:
            if self._client is None:
                network = self._options["transport"]
                if network is None:
                    from ._network import NetworkTransport  # httpcore loads with the first client, not on import

                    network = NetworkTransport(self._network_settings())
                self._client = IyzicoHttpxClient(
                    base_url=self._base_url,
                    trust_env=False,  # the proxy and trust store are the network transport's (above)
                    headers=self._headers,
                    timeout=self._timeout,
                    follow_redirects=False,
                    auth=self._auth,
                    transport=RetryingTransport(network, self._router, self._options["retry"]),
                )
            return self._client

    def get_async_httpx_client(self) -> httpx.AsyncClient:
        """The asyncio twin of `get_httpx_client`."""
        with self._build_lock:
            if self._async_client is None:
                network = self._options["async_transport"]
                if network is None:
                    from ._network import AsyncNetworkTransport

                    network = AsyncNetworkTransport(self._network_settings())
                self._async_client = IyzicoAsyncHttpxClient(
                    base_url=self._base_url,
                    trust_env=False,
                    headers=self._headers,
                    timeout=self._timeout,
                    follow_redirects=False,
                    auth=self._auth,
                    transport=AsyncRetryingTransport(network, self._router, self._options["retry"]),
                )
            return self._async_client

    def close(self) -> None:
        """Close the pooled connections of the sync client."""
        if self._client is not None:
            self._client.close()

    async def aclose(self) -> None:
        """Close the pooled connections of the async client."""
        if self._async_client is not None:
            await self._async_client.aclose()
