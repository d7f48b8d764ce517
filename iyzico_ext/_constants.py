"""Every tunable number of the client in one place: base URLs, timeouts, pool size and retry policy.

The values follow `reliability-performance.md` section 0 (R1, R2): finite timeouts on every phase,
an overall deadline per call (httpx timeouts are per socket operation, so a slow-drip server could
otherwise keep a call alive forever), and Stainless-style backoff.
"""

from __future__ import annotations

import typing

import httpx

from ._version import __version__

__all__ = [
    "BACKOFF_CAP_SECONDS",
    "CLIENT_VERSION_HEADER",
    "ENV_API_KEY",
    "ENV_BASE_URL",
    "ENV_SECRET_KEY",
    "PAYMENT_NOT_FOUND_CODES",
    "BACKOFF_INITIAL_SECONDS",
    "DEFAULT_DEADLINE_SECONDS",
    "DEFAULT_LIMITS",
    "DEFAULT_MAX_RETRIES",
    "DEFAULT_TIMEOUT",
    "JITTER_MIN_FACTOR",
    "LIVE_URL",
    "LOOPBACK_HOSTS",
    "LOG_ENV_VAR",
    "LOGGER_NAME",
    "MAX_RESPONSE_BODY_BYTES",
    "MAX_RESPONSE_DECODED_BYTES",
    "RETRY_AFTER_MAX_SECONDS",
    "SANDBOX_KEY_PREFIX",
    "SANDBOX_URL",
]

SANDBOX_URL: typing.Final = "https://sandbox-api.iyzipay.com"
LIVE_URL: typing.Final = "https://api.iyzipay.com"
# iyzico's sandbox API keys start with this; live keys do not.
SANDBOX_KEY_PREFIX: typing.Final = "sandbox-"

# Plain http:// is only acceptable when the bytes never leave the machine (the sandbox emulator).
LOOPBACK_HOSTS: typing.Final = frozenset({"127.0.0.1", "::1", "localhost"})

# connect 5 s, read 60 s (iyzico waits on the bank), write 10 s, wait for a pooled connection 5 s.
DEFAULT_TIMEOUT: typing.Final = httpx.Timeout(connect=5.0, read=60.0, write=10.0, pool=5.0)
# The whole call, retries and backoff included, never takes longer than this.
DEFAULT_DEADLINE_SECONDS: typing.Final = 90.0
# One web worker's concurrent checkouts: iyzico answers a payment in 100 ms or more (it waits on the bank),
# so calls in flight need a connection each; with fewer, they queue behind each other. This is about
# concurrency, not volume: iyzico limits each merchant to about 50 payment calls a minute (errorCode 50000),
# which no pool size changes. As many idle connections are kept as may be open: a pool that closes surplus
# idle connections can close one it already promised to a waiting call (encode/httpcore#1110).
DEFAULT_LIMITS: typing.Final = httpx.Limits(max_connections=32, max_keepalive_connections=32, keepalive_expiry=30.0)

# iyzico's largest answers (reports, installment tables) are a few hundred KiB, so a body near these is an
# attack or a broken peer, refused before it can exhaust memory: as received, and once decompressed.
MAX_RESPONSE_BODY_BYTES: typing.Final = 64 * 1024 * 1024
MAX_RESPONSE_DECODED_BYTES: typing.Final = 64 * 1024 * 1024

DEFAULT_MAX_RETRIES: typing.Final = 2
BACKOFF_INITIAL_SECONDS: typing.Final = 0.5  # 0.5 s * 2**n ...
BACKOFF_CAP_SECONDS: typing.Final = 8.0  # ... capped at 8 s ...
JITTER_MIN_FACTOR: typing.Final = 0.75  # ... times a random factor in [0.75, 1]
RETRY_AFTER_MAX_SECONDS: typing.Final = 60.0  # a longer Retry-After stops the retries

LOGGER_NAME: typing.Final = "iyzico"
LOG_ENV_VAR: typing.Final = "IYZICO_LOG"

# Sent on every request, like the official clients' `x-iyzi-client-version`.
CLIENT_VERSION_HEADER: typing.Final = ("x-iyzi-client-version", f"iyzico-typed-python-{__version__}")

# errorCode of "no payment with that id / conversationId" on retrievePayment. iyzico does not document
# it; 5015 is what the sandbox emulator answers. Anything else from the lookup is raised as is.
PAYMENT_NOT_FOUND_CODES: typing.Final = frozenset({"5015"})

ENV_API_KEY: typing.Final = "IYZIPAY_API_KEY"
ENV_SECRET_KEY: typing.Final = "IYZIPAY_SECRET_KEY"  # noqa: S105 (a variable name, not a secret)
ENV_BASE_URL: typing.Final = "IYZIPAY_BASE_URL"
