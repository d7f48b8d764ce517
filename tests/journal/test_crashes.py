"""Crash and cancellation tests of the payment journal against one loopback emulator.

A payer process is SIGKILLed at random points (before the request is sent, while it is out, after the
answer arrived, inside the journal's SQLite writes, or at a random moment); then, as a restarted process
would, `reconcile_pending()` runs. It must leave no intent unknown, and the emulator's ledger and the
journal must agree: every charged payment has an intent settled as charged with its paymentId (nothing
lost), no conversationId is charged twice, and every intent settled as not charged has no payment.
The asyncio twin cancels `create_payment.asyncio` tasks at random moments instead.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import json
import pathlib
import subprocess
import sys
import time
import typing
from collections.abc import Iterator

import attrs
import httpx
import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from iyzico_client.api.payment import create_payment
from iyzico_ext import IyzicoClient, IyzicoError, PaymentJournal, reconcile_pending, reconcile_pending_async
from iyzico_ext.sandbox import DEFAULT_API_KEY, DEFAULT_SECRET_KEY, create_app
from iyzico_ext.sandbox._server import ServerThread
from tests.conftest import PROFILE
from tests.journal._payer import POINTS
from tests.shop import payment_request

ROOT = pathlib.Path(__file__).resolve().parents[2]
# At least 30 kills in CI and 200 in the nightly run.
KILLS = {"nightly": 200, "ci": 30}.get(PROFILE, 15)
_QUIET_TIMEOUT_SECONDS = 10.0
_counter = itertools.count()


@attrs.frozen
class Emulator:
    server: ServerThread
    url: str
    http: httpx.Client

    def ledger(self, prefix: str) -> list[dict[str, typing.Any]]:
        payments: list[dict[str, typing.Any]] = self.http.get("/_sandbox/ledger").json()["payments"]
        return [entry for entry in payments if entry["conversationId"].startswith(prefix)]

    def quiesce(self) -> None:
        """Wait until the emulator has finished every request a killed payer left behind.

        A request a dead payer fully sent may still sit in the server's socket buffers. A barrier request
        on a new connection is read after it (connections are accepted in order, and both are readable by
        then), so once the barrier is answered, that request has a task; then wait for the tasks to end.
        """
        self.http.get("/_sandbox/ledger").raise_for_status()
        state = self.server._server.server_state  # uvicorn's own bookkeeping of in-flight requests
        deadline = time.monotonic() + _QUIET_TIMEOUT_SECONDS
        while state.tasks and time.monotonic() < deadline:
            time.sleep(0.002)
        assert not state.tasks, "the emulator did not finish its requests"


@pytest.fixture(scope="module")
def emulator() -> Iterator[Emulator]:
    server = ServerThread(create_app())
    with server as url, httpx.Client(base_url=url) as http:
        yield Emulator(server, url, http)


@pytest.fixture(scope="module")
def journal_path(tmp_path_factory: pytest.TempPathFactory) -> pathlib.Path:
    return tmp_path_factory.mktemp("crash") / "journal.sqlite3"


@pytest.fixture(scope="module")
def payer(emulator: Emulator, journal_path: pathlib.Path) -> Iterator[subprocess.Popen[str]]:
    process = subprocess.Popen(
        [sys.executable, "-m", "tests.journal._payer", emulator.url, str(journal_path)],
        cwd=ROOT,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert process.stdout is not None
    assert process.stdout.readline().strip() == "ready"
    yield process
    assert process.stdin is not None
    process.stdin.close()
    process.wait(timeout=10)
    process.stdout.close()


@pytest.fixture(scope="module")
def restarted(emulator: Emulator, journal_path: pathlib.Path) -> Iterator[IyzicoClient]:
    """The process after the restart: the same journal file, a new client."""
    with IyzicoClient(DEFAULT_API_KEY, DEFAULT_SECRET_KEY, emulator.url, journal=journal_path) as client:
        yield client


def check_agreement(emulator: Emulator, journal: PaymentJournal, prefix: str) -> None:
    ledger = emulator.ledger(prefix)
    charged: dict[str, str] = {}
    for entry in ledger:
        assert entry["conversationId"] not in charged, f"{entry['conversationId']} was charged twice"
        charged[entry["conversationId"]] = entry["paymentId"]
    intents = [intent for intent in journal.intents() if intent.conversation_id.startswith(prefix)]
    assert all(intent.settled for intent in intents)
    succeeded = {intent.conversation_id: intent.result_payment_id for intent in intents if intent.state == "succeeded"}
    assert succeeded == charged  # nothing lost, nothing charged that the journal calls not charged


def reconciled(journal: PaymentJournal, prefix: str) -> str:
    """How the example's intents were settled, for hypothesis's statistics (`--hypothesis-show-statistics`)."""
    details = [intent.detail or "" for intent in journal.intents() if intent.conversation_id.startswith(prefix)]
    found = sum("reconciled: found" in detail for detail in details)
    missing = sum("reconciled: iyzico has no such payment" in detail for detail in details)
    return f"reconciled {found} charged + {missing} not charged"


def settle(emulator: Emulator, client: IyzicoClient) -> None:
    emulator.quiesce()
    results = reconcile_pending(client, settle_after=0)
    assert [result for result in results if result.settlement == "unknown"] == []
    assert client.journal is not None
    assert client.journal.unsettled() == []


@st.composite
def plans(draw: st.DrawFn) -> dict[str, typing.Any]:
    """Where the payer dies: a named point of one of its payments, or a random moment (`timed`)."""
    payments = draw(st.integers(1, 3))
    return {
        "point": draw(st.sampled_from(POINTS)),
        "payments": payments,
        "at": draw(st.integers(0, payments - 1)),
        "kill_after": draw(st.floats(0.0, 0.04)),
    }


@settings(max_examples=KILLS, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(plan=plans())
def test_a_killed_payer_loses_nothing_and_charges_nothing_twice(
    emulator: Emulator, payer: subprocess.Popen[str], restarted: IyzicoClient, plan: dict[str, typing.Any]
) -> None:
    prefix = f"kill{next(_counter)}x"
    assert payer.stdin is not None
    assert payer.stdout is not None
    payer.stdin.write(json.dumps({**plan, "prefix": prefix}) + "\n")
    payer.stdin.flush()
    ended = payer.stdout.readline().split()
    assert ended[0] == "ended"
    assert int(ended[1]) in (0, -9), "the payer failed on its own"
    settle(emulator, restarted)
    assert restarted.journal is not None
    check_agreement(emulator, restarted.journal, prefix)
    event(f"{plan['point']}: {'killed' if ended[1] == '-9' else 'finished'}, {reconciled(restarted.journal, prefix)}")


@settings(max_examples=KILLS, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(cancel_after=st.floats(0.0, 0.03), payments=st.integers(1, 3))
def test_a_cancelled_task_loses_nothing_and_charges_nothing_twice(
    emulator: Emulator, restarted: IyzicoClient, cancel_after: float, payments: int
) -> None:
    prefix = f"cancel{next(_counter)}x"

    async def pay_then_cancel() -> None:
        async def pay() -> None:
            for number in range(payments):
                with contextlib.suppress(IyzicoError):
                    await create_payment.asyncio(client=restarted, body=payment_request(f"{prefix}-{number}"))

        task = asyncio.ensure_future(pay())
        await asyncio.sleep(cancel_after)
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task
        await restarted.aclose()  # its pool belongs to this event loop

    asyncio.run(pay_then_cancel())
    restarted._async_client = None  # the next example runs on a new event loop: a new pool for it
    settle(emulator, restarted)
    assert restarted.journal is not None
    check_agreement(emulator, restarted.journal, prefix)
    event(f"cancelled: {reconciled(restarted.journal, prefix)}")
    assert asyncio.run(reconcile_pending_async(restarted, settle_after=0)) == []  # nothing left for the async twin
