"""Thread and task safety: 16 callers, forced GIL switching, one shared client, a loopback server that verifies.

The official client sent another thread's signature on 3-9 % of calls under this test
(reliability-performance.md 1.5). Ours keeps no per-request state on shared objects: 0 mismatches, on every
default transport: threads over httpcore, tasks over httpx-aiohttp and over httpcore's async pool.
"""

from __future__ import annotations

import asyncio
import http.server
import json
import sys
import threading
import time
import typing
from collections.abc import Callable, Iterator
from decimal import Decimal

import pytest

from iyzico_client.api.payment import retrieve_payment
from iyzico_client.models.retrieve_payment_request import RetrievePaymentRequest
from iyzico_client.types import json_dumps
from iyzico_ext import IyzicoClient, RetryPolicy
from iyzico_ext._secret import SecretKey
from iyzico_ext._signing import parse_authorization_header, request_signature_matches

from .conftest import CANARY_API_KEY, CANARY_SECRET, DEFAULT_TRANSPORTS, in_threads, signed_payment

CALLERS = 16
RUN_SECONDS = 1.5


class _VerifyingHandler(http.server.BaseHTTPRequestHandler):
    """Recomputes IYZWSv2 over the raw path and bytes received; answers a signed echo or error 1000."""

    protocol_version = "HTTP/1.1"  # keep-alive, like iyzico
    mismatches = 0
    calls = 0
    lock = threading.Lock()

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers.get("content-length", "0")))
        parts = parse_authorization_header(self.headers.get("authorization", ""))
        valid = parts is not None and request_signature_matches(
            SecretKey(CANARY_SECRET), parts.random_key, self.path, body, parts.signature
        )
        with self.lock:
            type(self).calls += 1
            type(self).mismatches += 0 if valid else 1
        sent = json.loads(body, parse_float=Decimal)
        reply: dict[str, typing.Any] = (
            signed_payment(CANARY_SECRET, conversationId=sent["conversationId"])
            if valid
            else {"status": "failure", "errorCode": "1000", "errorMessage": "invalid signature"}
        )
        content = json_dumps(reply)
        self.send_response(200)
        self.send_header("content-type", "application/json")
        self.send_header("content-length", str(len(content)))
        self.end_headers()
        self.wfile.write(content)

    def log_message(self, format: str, *args: object) -> None:
        """Silence the per-request stderr line."""


class _Server(http.server.ThreadingHTTPServer):
    request_queue_size = 64  # every caller connects at once (the default backlog is 5)
    daemon_threads = True


@pytest.fixture
def server() -> Iterator[http.server.ThreadingHTTPServer]:
    _VerifyingHandler.calls = _VerifyingHandler.mismatches = 0
    httpd = _Server(("127.0.0.1", 0), _VerifyingHandler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield httpd
    httpd.shutdown()
    httpd.server_close()
    thread.join()


def _retrieve(conversation_id: str) -> RetrievePaymentRequest:
    return RetrievePaymentRequest(conversation_id=conversation_id, payment_id="25149157")


def _threads(client: IyzicoClient, deadline: float, failures: list[BaseException]) -> None:
    def worker(number: int) -> None:
        call = 0
        while time.monotonic() < deadline:
            conversation_id = f"t{number}-{call}"
            try:
                payment = retrieve_payment.sync(client=client, body=_retrieve(conversation_id))
                assert payment is not None
                assert payment.conversation_id == conversation_id
            except BaseException as error:  # collected and reported from the main thread
                failures.append(error)
                return
            call += 1

    in_threads(worker, CALLERS)
    client.close()


def _tasks(client: IyzicoClient, deadline: float, failures: list[BaseException]) -> None:
    async def worker(number: int) -> None:
        call = 0
        while time.monotonic() < deadline:
            conversation_id = f"a{number}-{call}"
            try:
                payment = await retrieve_payment.asyncio(client=client, body=_retrieve(conversation_id))
                assert payment is not None
                assert payment.conversation_id == conversation_id
            except BaseException as error:  # collected and reported below
                failures.append(error)
                return
            call += 1

    async def run() -> None:
        try:
            await asyncio.gather(*(worker(number) for number in range(CALLERS)))
        finally:
            await client.aclose()

    asyncio.run(run())


RUNNERS: dict[str, Callable[[IyzicoClient, float, list[BaseException]], None]] = {
    "sync": _threads,
    "async-aiohttp": _tasks,
    "async-httpcore": _tasks,
}


def test_sixteen_callers_never_cross_signatures(
    server: http.server.ThreadingHTTPServer, default_transport: str
) -> None:
    assert sorted(RUNNERS) == sorted(DEFAULT_TRANSPORTS)
    host, port = server.server_address[:2]
    # The default pool: more connections than callers, so none waits (see DEFAULT_LIMITS on httpcore#1110).
    client = IyzicoClient(CANARY_API_KEY, CANARY_SECRET, f"http://{host!s}:{port}", retry=RetryPolicy(max_retries=0))
    failures: list[BaseException] = []
    previous = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)
    try:
        RUNNERS[default_transport](client, time.monotonic() + RUN_SECONDS, failures)
    finally:
        sys.setswitchinterval(previous)
    assert failures == []
    assert _VerifyingHandler.mismatches == 0
    assert _VerifyingHandler.calls >= CALLERS, _VerifyingHandler.calls
