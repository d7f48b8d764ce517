"""An in-process emulator and a client of it that keeps a payment journal in a temporary SQLite file."""

from __future__ import annotations

import pathlib
from collections.abc import Iterator

import attrs
import pytest

from iyzico_ext import IyzicoClient, PaymentJournal
from iyzico_ext.sandbox import DEFAULT_API_KEY, DEFAULT_SECRET_KEY
from iyzico_ext.sandbox.embedded import IN_PROCESS_URL, SandboxHandle, in_process_sandbox, loopback_sandbox
from iyzico_ext.sandbox.transport import InProcessAsyncTransport, InProcessTransport


@attrs.frozen
class JournaledShop:
    sandbox: SandboxHandle
    client: IyzicoClient
    journal_path: pathlib.Path

    @property
    def journal(self) -> PaymentJournal:
        assert self.client.journal is not None
        return self.client.journal


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


@pytest.fixture
def loopback_shop(tmp_path: pathlib.Path) -> Iterator[JournaledShop]:
    """The same over a real loopback socket: a cancelled client does not cancel the server's work."""
    path = tmp_path / "journal.sqlite3"
    with (
        loopback_sandbox() as sandbox,
        IyzicoClient(DEFAULT_API_KEY, DEFAULT_SECRET_KEY, sandbox.base_url, journal=path) as client,
    ):
        yield JournaledShop(sandbox, client, path)


@pytest.fixture
def shop(tmp_path: pathlib.Path) -> Iterator[JournaledShop]:
    path = tmp_path / "journal.sqlite3"
    with in_process_sandbox() as sandbox:
        transport = InProcessTransport(sandbox.app)
        client = IyzicoClient(
            DEFAULT_API_KEY,
            DEFAULT_SECRET_KEY,
            IN_PROCESS_URL,
            transport=transport,
            async_transport=InProcessAsyncTransport(sandbox.app),
            journal=path,
        )
        try:
            yield JournaledShop(sandbox, client, path)
        finally:
            client.close()
            transport.close()
