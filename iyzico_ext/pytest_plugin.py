"""pytest fixtures: a running iyzico emulator and an `IyzicoClient` configured for it.

    def test_checkout(iyzico_sandbox):
        payment = create_payment.sync(client=iyzico_sandbox.client, body=request)

* `iyzico_sandbox` - in-process (no socket, fast): the client's sync and async transports call the app directly.
* `iyzico_sandbox_server` - the same on a real loopback port served by uvicorn (wire faults behave as on
  a network: a dropped connection is a real half-closed socket).

Both give a fresh emulator per test, with the default credentials (see `iyzico_ext.sandbox.embedded` for the
same outside pytest).

This module is registered as a pytest plugin for everyone who installs the package, so it imports nothing
beyond pytest at load time: the emulator (Starlette, uvicorn, jsonschema: the `sandbox` extra) is imported
only when a test asks for one of the fixtures.
"""

from __future__ import annotations

import typing
from collections.abc import Iterator

import pytest

if typing.TYPE_CHECKING:
    from .sandbox.embedded import SandboxHandle

__all__ = ["iyzico_sandbox", "iyzico_sandbox_server"]

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


@pytest.fixture
def iyzico_sandbox_server() -> Iterator[SandboxHandle]:
    """The emulator on a real loopback port (uvicorn), with an `IyzicoClient` using that URL."""
    with _embedded().loopback_sandbox() as sandbox:
        yield sandbox
