"""The pytest plugin's loopback emulator: one uvicorn server per session, a fresh emulator state per test."""

from __future__ import annotations

import sqlite3

import pytest

from iyzico_client.api.payment import create_payment
from iyzico_client.models.create_payment_request import CreatePaymentRequest
from iyzico_ext.sandbox.embedded import LoopbackServer, SandboxHandle

from .conftest import payment_body


def _pay(sandbox: SandboxHandle, conversation_id: str) -> None:
    request = CreatePaymentRequest.from_dict(payment_body(conversationId=conversation_id))
    payment = create_payment.sync(client=sandbox.client, body=request)
    assert payment is not None
    assert payment.status == "success"


def test_each_test_gets_an_empty_emulator_on_the_same_server(iyzico_sandbox_loopback_server: LoopbackServer) -> None:
    server = iyzico_sandbox_loopback_server
    with server.fresh() as first:
        _pay(first, "first-test")
        first.arm_fault("createPayment", "status-503", count=5)
        assert len(first.ledger()) == 1
        state = first.state
    with pytest.raises(sqlite3.ProgrammingError, match="closed"):  # the test's state is gone with it
        state.store.all("payment")
    with server.fresh() as second:
        assert second.base_url == first.base_url
        assert second.ledger() == []
        assert second.http.get("/_sandbox/faults").json() == {"faults": []}
        _pay(second, "second-test")  # no fault is left armed from before
        assert [entry["conversationId"] for entry in second.ledger()] == ["second-test"]


def test_the_fixture_hands_a_fresh_emulator_with_its_client(iyzico_sandbox_server: SandboxHandle) -> None:
    assert iyzico_sandbox_server.ledger() == []
    _pay(iyzico_sandbox_server, "fixture")
    assert len(iyzico_sandbox_server.ledger("fixture")) == 1
