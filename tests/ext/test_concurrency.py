"""Thread safety: 16 threads, forced GIL switching, one shared client, a loopback server that verifies.

The official client sent another thread's signature on 3-9 % of calls under this test
(reliability-performance.md 1.5). Ours keeps no per-request state on shared objects: 0 mismatches.
"""

from __future__ import annotations

import http.server
import json
import sys
import threading
import time
import typing
from collections.abc import Iterator
from decimal import Decimal

import httpx
import pytest

from iyzico_client.api.payment import retrieve_payment
from iyzico_client.models.retrieve_payment_request import RetrievePaymentRequest
from iyzico_client.types import json_dumps
from iyzico_ext import IyzicoClient, RetryPolicy
from iyzico_ext._secret import SecretKey
from iyzico_ext._signing import parse_authorization_header, request_signature_matches

from .conftest import CANARY_API_KEY, CANARY_SECRET, signed_payment

THREADS = 16
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


@pytest.fixture
def server() -> Iterator[http.server.ThreadingHTTPServer]:
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _VerifyingHandler)
    httpd.daemon_threads = True
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield httpd
    httpd.shutdown()
    httpd.server_close()
    thread.join()


def test_sixteen_threads_never_cross_signatures(server: http.server.ThreadingHTTPServer) -> None:
    host, port = server.server_address[:2]
    # One pooled connection per thread: with fewer, httpcore 1.0.9's sync pool can close a connection it has
    # already handed to a queued request (encode/httpcore#1110: ReadError EBADF or a hang until the read
    # timeout), a transport bug that is not what this test is about.
    client = IyzicoClient(
        CANARY_API_KEY,
        CANARY_SECRET,
        f"http://{host!s}:{port}",
        retry=RetryPolicy(max_retries=0),
        limits=httpx.Limits(max_connections=THREADS, max_keepalive_connections=THREADS),
    )
    failures: list[BaseException] = []
    deadline = time.monotonic() + RUN_SECONDS

    def worker(number: int) -> None:
        call = 0
        while time.monotonic() < deadline:
            conversation_id = f"t{number}-{call}"
            try:
                payment = retrieve_payment.sync(
                    client=client,
                    body=RetrievePaymentRequest(conversation_id=conversation_id, payment_id="25149157"),
                )
                assert payment is not None
                assert payment.conversation_id == conversation_id
            except BaseException as error:  # collected and reported from the main thread
                failures.append(error)
                return
            call += 1

    previous = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)
    try:
        threads = [threading.Thread(target=worker, args=(number,)) for number in range(THREADS)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    finally:
        sys.setswitchinterval(previous)
        client.close()
    assert failures == []
    assert _VerifyingHandler.mismatches == 0
    assert _VerifyingHandler.calls >= THREADS, _VerifyingHandler.calls
