"""pytest fixtures: a running iyzico emulator and an `IyzicoClient` configured for it.

    def test_checkout(iyzico_sandbox):
        payment = create_payment.sync(client=iyzico_sandbox.client, body=request)

* `iyzico_sandbox` - in-process (no socket, fast): the client's sync and async transports call the app directly.
* `iyzico_sandbox_server` - the same on a real loopback port served by uvicorn (wire faults behave as on
  a network: a dropped connection is a real half-closed socket).

Both give a fresh emulator per test, with the default credentials (see `embedded` for the same outside pytest).
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from .embedded import SandboxHandle, in_process_sandbox, loopback_sandbox

__all__ = ["SandboxHandle", "iyzico_sandbox", "iyzico_sandbox_server"]


@pytest.fixture
def iyzico_sandbox() -> Iterator[SandboxHandle]:
    """An in-process emulator and an `IyzicoClient` (sync and async) wired to it."""
    with in_process_sandbox() as sandbox:
        yield sandbox


@pytest.fixture
def iyzico_sandbox_server() -> Iterator[SandboxHandle]:
    """The emulator on a real loopback port (uvicorn), with an `IyzicoClient` using that URL."""
    with loopback_sandbox() as sandbox:
        yield sandbox
