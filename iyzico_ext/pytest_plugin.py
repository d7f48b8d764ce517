"""pytest fixtures: a running iyzico emulator and an `IyzicoClient` configured for it.

    def test_checkout(iyzico_sandbox):
        payment = create_payment.sync(client=iyzico_sandbox.client, body=request)

* `iyzico_sandbox` - in-process (no socket, fast): the client's sync and async transports call the app directly.
* `iyzico_sandbox_server` - the same on a real loopback port served by uvicorn (wire faults behave as on
  a network: a dropped connection is a real half-closed socket).

Both give a fresh emulator per test, with the default credentials (see `iyzico_ext.sandbox.embedded` for the
same outside pytest). The loopback server itself starts once per session (stopping uvicorn takes a fifth of a
second); every test gets a new, empty emulator state on it.

This module is registered as a pytest plugin for everyone who installs the package, so it imports nothing
beyond pytest at load time: the emulator (Starlette, uvicorn, jsonschema: the `sandbox` extra) is imported
only when a test asks for one of the fixtures.
"""

from __future__ import annotations

import typing
from collections.abc import Iterator

import pytest

if typing.TYPE_CHECKING:
    from .sandbox.embedded import LoopbackServer, SandboxHandle

__all__ = ["iyzico_sandbox", "iyzico_sandbox_loopback_server", "iyzico_sandbox_server"]

_MISSING_EXTRA = 'the iyzico emulator needs the sandbox extra: pip install "iyzico-typed[sandbox]"'


def _embedded() -> typing.Any:
    try:
        from .sandbox import embedded  # deferred: see the module docstring
    except ImportError as error:
        raise pytest.UsageError(f"{_MISSING_EXTRA} ({error})") from error
    return embedded


@pytest.fixture
def iyzico_sandbox() -> Iterator[SandboxHandle]:
    """An in-process emulator and an `IyzicoClient` (sync and async) wired to it."""
    with _embedded().in_process_sandbox() as sandbox:
        yield sandbox


@pytest.fixture(scope="session")
def iyzico_sandbox_loopback_server() -> Iterator[LoopbackServer]:
    """The uvicorn server behind `iyzico_sandbox_server`, started once per session."""
    with _embedded().LoopbackServer() as server:
        yield server


@pytest.fixture
def iyzico_sandbox_server(iyzico_sandbox_loopback_server: LoopbackServer) -> Iterator[SandboxHandle]:
    """The emulator on a real loopback port (uvicorn), with an `IyzicoClient` using that URL; fresh state per test."""
    with iyzico_sandbox_loopback_server.fresh() as sandbox:
        yield sandbox
