"""The payer of the crash tests: a process that pays against the emulator and is SIGKILLed at some point.

    python -m tests.journal._payer BASE_URL JOURNAL_PATH

It imports everything once, then for each plan read from stdin (one JSON object per line) forks a worker
that pays `payments` orders (conversationIds `<prefix>-<n>`) with a journal, and reports on stdout how the
worker ended (`ended <signal>`). The worker dies by SIGKILL at the plan's `point` of payment `at`:

* `before-send` - the intent is journaled, the request not yet handed to the network;
* `after-send` - the request is out (the emulator holds it back), the answer not yet in;
* `after-response` - the answer arrived, nothing recorded yet;
* `in-intent-write` / `in-outcome-write` - inside the SQLite transaction writing the intent / the outcome;
* `timed` - at `kill_after` seconds after the fork, wherever the worker is (sent by this process, the
  worker's parent, so the pid cannot have been reused).

Forking a warm process keeps a kill to a few milliseconds instead of a fresh interpreter's start.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import sqlite3
import sys
import threading
import time
import typing

import httpx

from iyzico_client.api.payment import create_payment
from iyzico_ext import IyzicoClient, IyzicoError, SqliteJournal
from iyzico_ext.sandbox import DEFAULT_API_KEY, DEFAULT_SECRET_KEY, FAULT_HEADER
from tests.shop import payment_request

POINTS = ("before-send", "after-send", "after-response", "in-intent-write", "in-outcome-write", "timed")
_HELD_BACK_SECONDS = 0.3  # how long the emulator sits on a request in the `after-send` case
_POLL_SECONDS = 0.001


def _die() -> typing.NoReturn:
    os.kill(os.getpid(), signal.SIGKILL)
    raise AssertionError("unreachable: SIGKILL cannot be caught")


class _KillingTransport(httpx.BaseTransport):
    """Dies at a point around the network exchange of the `at`-th payment."""

    def __init__(self, inner: httpx.BaseTransport, point: str, at: int) -> None:
        self._inner, self._point, self._countdown = inner, point, at

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        this_one = self._countdown == 0
        self._countdown -= 1
        if this_one and self._point == "before-send":
            _die()
        if this_one and self._point == "after-send":
            request.headers[FAULT_HEADER] = f"delay;delay={_HELD_BACK_SECONDS}"
            threading.Timer(_HELD_BACK_SECONDS / 3, _die).start()
        response = self._inner.handle_request(request)
        if this_one and self._point == "after-response":
            response.read()
            _die()
        return response


def _kill_inside_write(journal: SqliteJournal, point: str, at: int) -> None:
    """Dies while SQLite executes the `at`-th intent INSERT (or outcome UPDATE), before its COMMIT."""
    statement_start = "INSERT INTO iyzico_payment_intents" if point == "in-intent-write" else "UPDATE"
    seen = 0

    def trace(statement: str) -> None:
        nonlocal seen
        if statement.startswith(statement_start):
            if seen == at:
                _die()
            seen += 1

    journal._connection.set_trace_callback(trace)


def _work(base_url: str, journal_path: str, plan: dict[str, typing.Any]) -> None:
    journal = SqliteJournal(journal_path)
    point, at = plan["point"], plan["at"]
    if point.startswith("in-"):
        _kill_inside_write(journal, point, at)
    transport = _KillingTransport(httpx.HTTPTransport(), point, at)
    client = IyzicoClient(DEFAULT_API_KEY, DEFAULT_SECRET_KEY, base_url, transport=transport, journal=journal)
    for number in range(plan["payments"]):
        with contextlib.suppress(IyzicoError):  # a decline or an unknown outcome: the journal has it either way
            create_payment.sync(client=client, body=payment_request(f"{plan['prefix']}-{number}"))


def _run(base_url: str, journal_path: str, plan: dict[str, typing.Any]) -> int:
    pid = os.fork()
    if pid == 0:
        code = 0
        try:
            _work(base_url, journal_path, plan)
        except BaseException:  # the worker's own failure is reported as its exit status
            code = 1
        os._exit(code)
    deadline = time.monotonic() + plan.get("kill_after", 0.0) if plan["point"] == "timed" else None
    while True:
        ended, status = os.waitpid(pid, os.WNOHANG)
        if ended:
            return os.waitstatus_to_exitcode(status)
        if deadline is not None and time.monotonic() >= deadline:
            os.kill(pid, signal.SIGKILL)
            deadline = None
        time.sleep(_POLL_SECONDS)


def main(base_url: str, journal_path: str) -> None:
    sqlite3.connect(":memory:").close()  # load the sqlite3 extension before forking
    _report("ready")
    for line in sys.stdin:
        _report(f"ended {_run(base_url, journal_path, json.loads(line))}")


def _report(line: str) -> None:
    sys.stdout.write(line + "\n")
    sys.stdout.flush()


if __name__ == "__main__":
    main(*sys.argv[1:3])
