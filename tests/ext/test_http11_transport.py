"""The HTTP/1.1 transports against real sockets on 127.0.0.1.

`ScriptedServer` runs in threads and answers each accepted connection the way a test scripts it
(answer, delay, close, send junk, never answer). Every test runs on every transport through a `Side`,
which sends one request and returns the read response: the sync transport directly, the asyncio one
on an event loop in a background thread.
"""

from __future__ import annotations

import asyncio
import contextlib
import gzip
import json
import socket
import ssl
import threading
import time
import typing
from collections.abc import Callable, Iterator
from pathlib import Path

import attrs
import httpx
import pytest
from _bench_fixtures import TlsFiles, write_tls_files
from _bench_fixtures import payment_request as bench_payment_request

from iyzico_client.api.payment import create_payment
from iyzico_client.models.create_payment_request import CreatePaymentRequest
from iyzico_client.models.payment_resource import PaymentResource
from iyzico_ext._http11_async import AsyncHttp11Transport
from iyzico_ext._http11_shared import SECONDS_LEFT_EXTENSION, PoolBook
from iyzico_ext._http11_sync import Http11Transport
from iyzico_ext._retry import RetryPolicy
from iyzico_ext._routing import Router
from iyzico_ext._transport import AsyncRetryingTransport, RetryingTransport
from iyzico_ext.sandbox.embedded import SandboxHandle

OK_BODY = b'{"status":"success"}'
SHORT = 0.2  # seconds: the timeout of the timeout tests (their servers never answer)
PATIENT = 5.0  # seconds: every other timeout, never reached when things work
TEST_DEADLINE = 10.0  # seconds a server thread waits for anything before giving up


def reply(body: bytes = OK_BODY, *fields: str, status: str = "200 OK", length: bool = True) -> bytes:
    """A response with these extra fields; with a Content-Length unless `length` is False."""
    lines = [f"HTTP/1.1 {status}", *fields, *([f"Content-Length: {len(body)}"] if length else [])]
    return "".join(f"{line}\r\n" for line in lines).encode() + b"\r\n" + body


def chunked(body: bytes) -> bytes:
    middle = len(body) // 2
    return b"".join(b"%x\r\n%s\r\n" % (len(part), part) for part in (body[:middle], body[middle:])) + b"0\r\n\r\n"


class Peer:
    """The server's end of one accepted connection, for a handler to script."""

    def __init__(self, sock: socket.socket, server: ScriptedServer) -> None:
        self.sock = sock
        self._server = server
        self._buffer = b""

    def read_request(self) -> bytes | None:
        """The next whole request (head and Content-Length body), or None once the client closed."""
        while b"\r\n\r\n" not in self._buffer:
            if not self._receive():
                self._server.closed_by_client.release()
                return None
        head, _, rest = self._buffer.partition(b"\r\n\r\n")
        fields = dict(line.lower().split(b": ", 1) for line in head.split(b"\r\n")[1:])
        length = int(fields.get(b"content-length", b"0"))
        self._buffer = rest
        while len(self._buffer) < length:
            if not self._receive():
                return None
        request = head + b"\r\n\r\n" + self._buffer[:length]
        self._buffer = self._buffer[length:]
        self._server.requests.append(request)
        return request

    def wait_for_close(self) -> None:
        """Block until the client closes its end (records it on the server)."""
        while self._receive():
            pass
        self._server.closed_by_client.release()

    def send(self, data: bytes) -> None:
        self.sock.sendall(data)

    def close(self) -> None:
        self.sock.close()

    def reset(self) -> None:
        """Close with a TCP RST instead of a FIN."""
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, b"\x01\x00\x00\x00\x00\x00\x00\x00")
        self.sock.close()

    def _receive(self) -> bool:
        try:
            data = self.sock.recv(65536)
        except OSError:
            return False
        self._buffer += data
        return bool(data)


Handler = Callable[[Peer], object]


class ScriptedServer:
    """A TCP (or TLS) server on a loopback address: each connection runs `handler` in its own thread."""

    def __init__(
        self, handler: Handler, *, tls: ssl.SSLContext | None = None, host: str = "127.0.0.1", receive_buffer: int = 0
    ) -> None:
        self._handler = handler
        self._tls = tls
        self._host = host
        family = socket.AF_INET6 if ":" in host else socket.AF_INET
        self._listener = socket.create_server((host, 0), family=family)
        if receive_buffer:  # accepted sockets inherit it (and lose the kernel's autotuning)
            self._listener.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, receive_buffer)
        self._listener.settimeout(0.01)  # so the accept loop notices `stop`
        self.port: int = self._listener.getsockname()[1]
        self.accepted = 0
        self.requests: list[bytes] = []
        self.closed_by_client = threading.Semaphore(0)
        self._stop = threading.Event()
        self._sockets: list[socket.socket] = []
        self._threads = [threading.Thread(target=self._accept_loop)]

    def url(self, path: str = "/", *, scheme: str = "http", host: str | None = None) -> str:
        shown = host or (f"[{self._host}]" if ":" in self._host else self._host)
        return f"{scheme}://{shown}:{self.port}{path}"

    def __enter__(self) -> ScriptedServer:
        self._threads[0].start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self._stop.set()
        self._threads[0].join()
        self._listener.close()
        for sock in self._sockets:
            with contextlib.suppress(OSError):  # already closed by its handler
                sock.shutdown(socket.SHUT_RDWR)  # wakes a handler blocked in recv
        for thread in self._threads[1:]:
            thread.join(TEST_DEADLINE)

    def _accept_loop(self) -> None:
        while not self._stop.is_set():
            try:
                sock, _ = self._listener.accept()
            except TimeoutError:
                continue
            self.accepted += 1
            self._sockets.append(sock)
            thread = threading.Thread(target=self._serve, args=(sock,))
            self._threads.append(thread)
            thread.start()

    def _serve(self, sock: socket.socket) -> None:
        sock.settimeout(TEST_DEADLINE)
        try:
            if self._tls is not None:
                sock = self._tls.wrap_socket(sock, server_side=True)
                self._sockets.append(sock)
            self._handler(Peer(sock, self))
        except OSError:
            pass  # the client went away (or refused our certificate): the test looks at the outcome
        finally:
            sock.close()


def keep_alive(peer: Peer) -> None:
    """Answer every request with OK until the client closes."""
    while peer.read_request() is not None:
        peer.send(reply())


def echo_path(peer: Peer) -> None:
    """Answer every request with its request target as the body."""
    while (request := peer.read_request()) is not None:
        peer.send(reply(request.split(b" ", 2)[1]))


# --- the transports under test, behind one synchronous face -------------------------------------------


class Side(typing.Protocol):
    def send(self, request: httpx.Request) -> httpx.Response:
        """One call through the transport, the response read."""

    def close(self) -> None:
        """The transport's close."""

    def shut_down(self) -> None:
        """After the test: close, and stop whatever runs the transport."""


class SyncSide:
    def __init__(self, **options: typing.Any) -> None:
        self._transport = Http11Transport(**options)

    def send(self, request: httpx.Request) -> httpx.Response:
        response = self._transport.handle_request(request)
        response.read()
        return response

    def close(self) -> None:
        self._transport.close()

    shut_down = close


class AsyncSide:
    """The asyncio transport on an event loop of its own, in a background thread (any thread may send)."""

    def __init__(self, **options: typing.Any) -> None:
        self._transport = AsyncHttp11Transport(**options)
        self.loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self.loop.run_forever)
        self._thread.start()

    def send(self, request: httpx.Request) -> httpx.Response:
        return self.run(self._send(request))

    async def _send(self, request: httpx.Request) -> httpx.Response:
        response = await self._transport.handle_async_request(request)
        await response.aread()
        return response

    def run(self, coroutine: typing.Coroutine[typing.Any, typing.Any, Result]) -> Result:
        return asyncio.run_coroutine_threadsafe(coroutine, self.loop).result()

    def close(self) -> None:
        self.run(self._transport.aclose())

    def shut_down(self) -> None:
        self.close()
        self.run(asyncio.sleep(0))  # the aborted connections finish closing on this turn of the loop
        self.loop.call_soon_threadsafe(self.loop.stop)
        self._thread.join()
        self.loop.close()


Result = typing.TypeVar("Result")
SIDES: dict[str, Callable[..., Side]] = {"sync": SyncSide, "async": AsyncSide}
MakeSide = Callable[..., Side]


@pytest.fixture(params=sorted(SIDES))
def make_side(request: pytest.FixtureRequest) -> Iterator[MakeSide]:
    made: list[Side] = []

    def make(**options: typing.Any) -> Side:
        made.append(SIDES[request.param](**options))
        return made[-1]

    yield make
    for side in made:
        side.shut_down()


@pytest.fixture(scope="module")
def tls_files(tmp_path_factory: pytest.TempPathFactory) -> TlsFiles:
    return write_tls_files(Path(tmp_path_factory.mktemp("tls")))


def build(url: str, *, method: str = "GET", timeout: float = PATIENT, **options: typing.Any) -> httpx.Request:
    return httpx.Request(method, url, extensions={"timeout": httpx.Timeout(timeout).as_dict()}, **options)


def fails_with(side: Side, request: httpx.Request, error: type[httpx.TransportError]) -> httpx.TransportError:
    """Send, expecting exactly `error` with the request attached."""
    with pytest.raises(httpx.TransportError) as raised:
        side.send(request)
    assert type(raised.value) is error, repr(raised.value)
    assert raised.value.request is request
    return raised.value


def in_thread(function: Callable[[], httpx.Response]) -> tuple[threading.Thread, list[httpx.Response]]:
    results: list[httpx.Response] = []
    thread = threading.Thread(target=lambda: results.append(function()))
    thread.start()
    return thread, results


# --- keep-alive and framing ---------------------------------------------------------------------------


def test_keep_alive_uses_one_connection_for_many_calls(make_side: MakeSide) -> None:
    side = make_side()
    with ScriptedServer(keep_alive) as server:
        responses = [side.send(build(server.url(f"/call/{index}"))) for index in range(5)]
    assert [response.json() for response in responses] == [{"status": "success"}] * 5
    assert server.accepted == 1
    assert [request.split(b" ")[1] for request in server.requests] == [f"/call/{index}".encode() for index in range(5)]


def test_the_request_arrives_as_httpx_built_it(make_side: MakeSide) -> None:
    side = make_side()
    body = json.dumps({"price": "1.0"}).encode()
    with ScriptedServer(keep_alive) as server:
        side.send(build(server.url("/payment/auth?locale=tr"), method="POST", content=body, headers={"X-A": "1"}))
    assert server.requests == [
        b"POST /payment/auth?locale=tr HTTP/1.1\r\nHost: 127.0.0.1:%d\r\nX-A: 1\r\nContent-Length: %d\r\n\r\n%s"
        % (server.port, len(body), body)
    ]


@pytest.mark.parametrize("sent_together", [True, False], ids=["with the response", "later, while idle"])
def test_a_connection_with_unasked_bytes_is_not_reused(make_side: MakeSide, sent_together: bool) -> None:
    junk_sent = threading.Event()

    def junk_after_reply(peer: Peer) -> None:
        peer.read_request()
        peer.send(reply() + b"junk" if sent_together else reply())
        if not sent_together:
            time.sleep(0.05)  # the client has read the response and pooled the connection
            peer.send(b"HTTP/1.1 200 OK\r\n")
        junk_sent.set()
        keep_alive(peer)

    side = make_side()
    with ScriptedServer(junk_after_reply) as server:
        side.send(build(server.url()))
        junk_sent.wait(TEST_DEADLINE)
        assert side.send(build(server.url())).status_code == 200
    assert server.accepted == 2


def test_a_connection_the_server_closed_while_idle_is_not_reused(make_side: MakeSide) -> None:
    closed = threading.Event()

    def reply_then_close(peer: Peer) -> None:
        peer.read_request()
        peer.send(reply())  # a keep-alive response ...
        peer.close()  # ... and yet the server closes (its idle timeout, a restart)
        closed.set()

    side = make_side()
    with ScriptedServer(reply_then_close) as server:
        side.send(build(server.url()))
        closed.wait(TEST_DEADLINE)
        time.sleep(0.05)  # the FIN reaches the client's socket
        assert side.send(build(server.url())).status_code == 200
    assert server.accepted == 2
    assert len(server.requests) == 2


def test_connection_close_is_honoured(make_side: MakeSide) -> None:
    def reply_close(peer: Peer) -> None:
        peer.read_request()
        peer.send(reply(OK_BODY, "Connection: close"))
        peer.wait_for_close()

    side = make_side()
    with ScriptedServer(reply_close) as server:
        side.send(build(server.url()))
        assert server.closed_by_client.acquire(timeout=TEST_DEADLINE)
        side.send(build(server.url()))
    assert server.accepted == 2


@pytest.mark.parametrize("framing", ["length", "chunked"])
def test_gzip_bodies_are_decoded_by_httpx(make_side: MakeSide, framing: str) -> None:
    document = {"status": "success", "items": list(range(200))}
    compressed = gzip.compress(json.dumps(document).encode())
    answer = (
        reply(compressed, "Content-Encoding: gzip")
        if framing == "length"
        else reply(chunked(compressed), "Content-Encoding: gzip", "Transfer-Encoding: chunked", length=False)
    )

    def gzip_reply(peer: Peer) -> None:
        while peer.read_request() is not None:
            peer.send(answer)

    side = make_side()
    with ScriptedServer(gzip_reply) as server:
        assert [side.send(build(server.url())).json() for _ in range(2)] == [document] * 2
    assert server.accepted == 1


def test_a_body_read_until_close(make_side: MakeSide) -> None:
    def reply_and_close(peer: Peer) -> None:
        peer.read_request()
        peer.send(reply(OK_BODY, "Content-Type: application/json", length=False))
        peer.close()

    side = make_side()
    with ScriptedServer(reply_and_close) as server:
        assert [side.send(build(server.url())).json() for _ in range(2)] == [{"status": "success"}] * 2
    assert server.accepted == 2


# --- errors: each phase maps to its exception ---------------------------------------------------------


def test_connection_refused_is_a_connect_error(make_side: MakeSide) -> None:
    with socket.create_server(("127.0.0.1", 0)) as unused:
        port = unused.getsockname()[1]
    error = fails_with(make_side(), build(f"http://127.0.0.1:{port}/"), httpx.ConnectError)
    assert isinstance(error.__cause__, ConnectionRefusedError)


def test_a_full_accept_queue_is_a_connect_timeout(make_side: MakeSide) -> None:
    with socket.create_server(("127.0.0.1", 0), backlog=0) as listener:
        port = listener.getsockname()[1]
        fillers = [socket.socket() for _ in range(4)]
        try:
            for filler in fillers:
                filler.setblocking(False)
                filler.connect_ex(("127.0.0.1", port))
            fails_with(make_side(), build(f"http://127.0.0.1:{port}/", timeout=SHORT), httpx.ConnectTimeout)
        finally:
            for filler in fillers:
                filler.close()


def test_a_server_that_never_answers_is_a_read_timeout_and_the_connection_is_closed(make_side: MakeSide) -> None:
    def never_answer(peer: Peer) -> None:
        peer.read_request()
        peer.wait_for_close()

    with ScriptedServer(never_answer) as server:
        fails_with(make_side(), build(server.url(), timeout=SHORT), httpx.ReadTimeout)
        assert server.closed_by_client.acquire(timeout=TEST_DEADLINE)


def test_a_response_trickling_in_past_the_calls_deadline_is_a_read_timeout(make_side: MakeSide) -> None:
    """Each byte comes well within the read timeout, but the whole response would take 4 s: the call's
    deadline (what the retrying transport passes on as seconds left) stops it at 0.3 s."""
    response = reply(b"x" * 40)

    def trickle(peer: Peer) -> None:
        peer.read_request()
        for byte in range(len(response)):
            peer.send(response[byte : byte + 1])
            time.sleep(0.1)

    with ScriptedServer(trickle) as server:
        request = build(server.url())
        request.extensions[SECONDS_LEFT_EXTENSION] = 0.3
        error = fails_with(make_side(), request, httpx.ReadTimeout)
    assert "deadline" in str(error)


def test_the_retrying_transport_passes_the_calls_budget_on() -> None:
    seen: list[object] = []

    def network(request: httpx.Request) -> httpx.Response:
        seen.append(request.extensions.get(SECONDS_LEFT_EXTENSION))
        return httpx.Response(200, content=OK_BODY)

    router = Router.for_base_url(httpx.URL("http://127.0.0.1"))
    transport = RetryingTransport(httpx.MockTransport(network), router, RetryPolicy(deadline=7.0))
    transport.handle_request(build("http://127.0.0.1/payment/test")).read()
    assert len(seen) == 1
    assert isinstance(seen[0], float)
    assert 6.0 < seen[0] <= 7.0


def test_a_server_that_never_reads_is_a_write_timeout(make_side: MakeSide) -> None:
    release = threading.Event()
    with ScriptedServer(lambda peer: release.wait(TEST_DEADLINE), receive_buffer=4096) as server:
        big = build(server.url(), method="POST", content=b"x" * (16 * 1024 * 1024), timeout=SHORT)
        try:
            fails_with(make_side(), big, httpx.WriteTimeout)
        finally:
            release.set()


def test_a_reset_while_reading_is_a_read_error(make_side: MakeSide) -> None:
    def reset_after_request(peer: Peer) -> None:
        peer.read_request()
        peer.reset()

    with ScriptedServer(reset_after_request) as server:
        fails_with(make_side(), build(server.url()), httpx.ReadError)


def test_a_malformed_response_is_a_protocol_error_and_the_connection_is_closed(make_side: MakeSide) -> None:
    def malformed(peer: Peer) -> None:
        peer.read_request()
        peer.send(b"HTTP/1.1 200 OK\r\nNo colon here\r\n\r\n")
        peer.wait_for_close()

    with ScriptedServer(malformed) as server:
        error = fails_with(make_side(), build(server.url()), httpx.RemoteProtocolError)
        assert "without a colon" in str(error)
        assert server.closed_by_client.acquire(timeout=TEST_DEADLINE)


def test_a_reused_connection_closed_after_the_request_is_a_protocol_error_not_a_connect_error(
    make_side: MakeSide,
) -> None:
    """The server may have acted on the request: never "nothing was sent", never resent here."""

    def answer_once_then_drop(peer: Peer) -> None:
        peer.read_request()
        peer.send(reply())
        peer.read_request()
        peer.close()

    side = make_side()
    with ScriptedServer(answer_once_then_drop) as server:
        side.send(build(server.url()))
        error = fails_with(side, build(server.url(), method="POST", content=b"{}"), httpx.RemoteProtocolError)
    assert "without sending a response" in str(error)
    assert server.accepted == 1
    assert len(server.requests) == 2


# --- the pool ---------------------------------------------------------------------------------------


def test_callers_beyond_max_connections_wait_then_get_a_pool_timeout(make_side: MakeSide) -> None:
    release, holding = threading.Event(), threading.Event()

    def slow(peer: Peer) -> None:
        while peer.read_request() is not None:
            holding.set()
            release.wait(TEST_DEADLINE)
            peer.send(reply())

    side = make_side(limits=httpx.Limits(max_connections=1))
    with ScriptedServer(slow) as server:
        thread, results = in_thread(lambda: side.send(build(server.url())))
        try:
            holding.wait(TEST_DEADLINE)
            fails_with(side, build(server.url(), timeout=SHORT), httpx.PoolTimeout)
        finally:
            release.set()
            thread.join(TEST_DEADLINE)
        assert results[0].status_code == 200
        assert side.send(build(server.url())).status_code == 200
    assert server.accepted == 1
    assert len(server.requests) == 2  # the pool timeout sent nothing


class _Socketless:
    def close(self) -> None:
        """Nothing to close."""


def test_the_pool_serves_waiters_first_come_first_served_and_newcomers_queue_behind_them() -> None:
    origin = ("http", "127.0.0.1", 80)
    book: PoolBook[_Socketless, str] = PoolBook(httpx.Limits(max_connections=1), time.monotonic)
    assert book.checkout(origin) == (True, None)  # the one slot, for a new connection
    assert book.checkout(origin) == (False, None)
    book.queue("first")
    book.queue("second")
    assert [book.next_waiter] == [None]  # nobody to wake: there is no room yet (a list: no narrowing)
    connection = _Socketless()
    book.checkin(origin, connection, reusable=True)
    assert book.next_waiter == "first"
    assert book.checkout(origin) == (False, None)  # a newcomer may not take it ahead of the queue
    assert book.checkout(origin, "second") == (False, None)  # nor may the second in line
    assert book.checkout(origin, "first") == (True, connection)
    assert [book.next_waiter] == [None]
    book.discard(connection)
    assert book.next_waiter == "second"
    book.leave("second")
    assert [book.next_waiter] == [None]
    assert book.checkout(origin) == (True, None)


def test_async_callers_beyond_the_pool_take_turns() -> None:
    """Four tasks over one connection complete in rotation: a task that just finished never jumps
    the queue (it used to, and with 32 calls over 8 connections some waited out their pool timeout)."""
    transport = AsyncHttp11Transport(limits=httpx.Limits(max_connections=1))
    completed: list[int] = []

    async def caller(server: ScriptedServer, number: int) -> None:
        for _ in range(3):
            response = await transport.handle_async_request(build(server.url(f"/{number}")))
            await response.aread()
            completed.append(number)

    async def run(server: ScriptedServer) -> None:
        await asyncio.gather(*(caller(server, number) for number in range(4)))
        await transport.aclose()

    with ScriptedServer(echo_path) as server:
        asyncio.run(run(server))
    assert completed == [0, 1, 2, 3] * 3


def test_sixteen_threads_share_one_transport(make_side: MakeSide) -> None:
    side = make_side()
    failures: list[BaseException] = []

    def caller(thread_number: int) -> None:
        try:
            for call in range(20):
                path = f"/{thread_number}/{call}"
                assert side.send(build(server.url(path))).content == path.encode()
        except BaseException as error:  # reported to the main thread below
            failures.append(error)

    with ScriptedServer(echo_path) as server:
        threads = [threading.Thread(target=caller, args=(number,)) for number in range(16)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(TEST_DEADLINE)
    assert failures == []
    assert len(server.requests) == 16 * 20
    assert server.accepted <= 8  # DEFAULT_LIMITS.max_connections


def test_expired_idle_connections_are_closed(make_side: MakeSide) -> None:
    side = make_side(limits=httpx.Limits(keepalive_expiry=0.05))
    with ScriptedServer(keep_alive) as server:
        side.send(build(server.url()))
        time.sleep(0.15)
        side.send(build(server.url()))
        assert server.closed_by_client.acquire(timeout=TEST_DEADLINE)
    assert server.accepted == 2


def test_no_keep_alive_when_max_keepalive_is_zero(make_side: MakeSide) -> None:
    side = make_side(limits=httpx.Limits(max_keepalive_connections=0))
    with ScriptedServer(keep_alive) as server:
        for _ in range(3):
            side.send(build(server.url()))
    assert server.accepted == 3


def test_close_closes_idle_connections_and_in_flight_ones_when_they_return(make_side: MakeSide) -> None:
    release, holding = threading.Event(), threading.Event()
    first_request = threading.Lock()

    def slow_first(peer: Peer) -> None:
        while peer.read_request() is not None:
            if first_request.acquire(blocking=False):
                holding.set()
                release.wait(TEST_DEADLINE)
            peer.send(reply())

    side = make_side()
    with ScriptedServer(slow_first) as server:
        thread, results = in_thread(lambda: side.send(build(server.url())))  # busy on connection 1
        holding.wait(TEST_DEADLINE)
        side.send(build(server.url()))  # connection 2, idle after this call
        side.close()
        assert server.closed_by_client.acquire(timeout=TEST_DEADLINE)  # connection 2, at once
        release.set()
        thread.join(TEST_DEADLINE)
        assert results[0].status_code == 200
        assert server.closed_by_client.acquire(timeout=TEST_DEADLINE)  # connection 1, once it returned
        with pytest.raises(RuntimeError, match="closed"):
            side.send(build(server.url()))
    assert server.accepted == 2


# --- addresses and TLS ------------------------------------------------------------------------------


def test_an_ipv6_literal_host(make_side: MakeSide) -> None:
    if not socket.has_ipv6:
        pytest.skip("no IPv6 on this machine")
    try:
        server = ScriptedServer(keep_alive, host="::1")
    except OSError:
        pytest.skip("::1 is not configured")
    with server:
        assert make_side().send(build(server.url())).status_code == 200
    assert server.requests[0].split(b"\r\n")[1] == b"Host: [::1]:%d" % server.port


def test_tls_with_a_trusted_ca_keeps_the_connection_alive(make_side: MakeSide, tls_files: TlsFiles) -> None:
    side = make_side(ssl_context=tls_files.client_context())
    with ScriptedServer(keep_alive, tls=tls_files.server_context()) as server:
        responses = [side.send(build(server.url(scheme="https"))) for _ in range(3)]
    assert [response.status_code for response in responses] == [200] * 3
    assert server.accepted == 1


def test_an_untrusted_certificate_is_a_connect_error_and_nothing_is_sent(
    make_side: MakeSide, tls_files: TlsFiles
) -> None:
    side = make_side()  # httpx's trust store, which does not hold the throwaway CA
    with ScriptedServer(keep_alive, tls=tls_files.server_context()) as server:
        error = fails_with(side, build(server.url(scheme="https")), httpx.ConnectError)
    assert "CERTIFICATE_VERIFY_FAILED" in str(error)
    assert isinstance(error.__cause__, ssl.SSLCertVerificationError)
    assert server.requests == []


def test_a_hostname_mismatch_is_a_connect_error_and_nothing_is_sent(make_side: MakeSide, tls_files: TlsFiles) -> None:
    side = make_side(ssl_context=tls_files.client_context())
    with ScriptedServer(keep_alive, tls=tls_files.server_context()) as server:
        error = fails_with(side, build(server.url(scheme="https", host="localhost")), httpx.ConnectError)
    assert "localhost" in str(error)
    assert server.requests == []


def test_a_tls_handshake_that_never_completes_is_a_connect_timeout(make_side: MakeSide, tls_files: TlsFiles) -> None:
    side = make_side(ssl_context=tls_files.client_context())
    with ScriptedServer(lambda peer: peer.wait_for_close()) as server:  # speaks no TLS at all
        fails_with(side, build(server.url(scheme="https"), timeout=SHORT), httpx.ConnectTimeout)


# --- asyncio only -----------------------------------------------------------------------------------


def test_a_cancelled_call_closes_its_connection_and_frees_its_slot() -> None:
    def first_never_answers(peer: Peer) -> None:
        if server.accepted == 1:
            peer.read_request()
            peer.wait_for_close()
        else:
            keep_alive(peer)

    side = AsyncSide(limits=httpx.Limits(max_connections=1))
    try:
        with ScriptedServer(first_never_answers) as server:
            with pytest.raises(TimeoutError):
                side.run(asyncio.wait_for(side._send(build(server.url())), SHORT))
            assert server.closed_by_client.acquire(timeout=TEST_DEADLINE)
            assert side.send(build(server.url(), timeout=SHORT)).status_code == 200
    finally:
        side.shut_down()


def test_the_async_transport_moves_to_a_new_loop_only_once_the_old_one_is_closed() -> None:
    transport = AsyncHttp11Transport(limits=httpx.Limits(max_keepalive_connections=0))

    async def call(url: str) -> int:
        response = await transport.handle_async_request(build(url))
        return response.status_code

    with ScriptedServer(keep_alive) as server:
        assert asyncio.run(call(server.url())) == 200
        assert asyncio.run(call(server.url())) == 200  # the first loop is closed: a fresh pool
        side = AsyncSide()
        try:
            side.run(call(server.url()))
            with pytest.raises(RuntimeError, match="second event loop"):
                asyncio.run(call(server.url()))  # the side's loop is alive: refused
        finally:
            side.shut_down()


# --- IyzicoClient over the default transports, against the emulator on a real port ------------------


def _emulator_payment(conversation_id: str) -> CreatePaymentRequest:
    return attrs.evolve(bench_payment_request(), conversation_id=conversation_id)


def _paid(sandbox: SandboxHandle, payments: list[PaymentResource], conversation_id: str) -> None:
    assert [payment.status for payment in payments] == ["success"] * len(payments)
    assert [entry["paymentId"] for entry in sandbox.ledger(conversation_id)] == [payments[-1].payment_id]


def test_iyzico_client_pays_over_the_default_sync_transport(iyzico_sandbox_server: SandboxHandle) -> None:
    client = iyzico_sandbox_server.client
    payments = [create_payment.sync(client=client, body=_emulator_payment(f"http11-sync-{n}")) for n in range(2)]
    assert not client.get_httpx_client().trust_env  # no proxy from the environment around our transports
    retrying = client.get_httpx_client()._transport  # httpx keeps its transport private
    assert isinstance(retrying, RetryingTransport)
    assert isinstance(retrying.inner, Http11Transport)
    _paid(iyzico_sandbox_server, payments, "http11-sync-1")


@pytest.mark.anyio
async def test_iyzico_client_pays_over_the_default_async_transport(iyzico_sandbox_server: SandboxHandle) -> None:
    client = iyzico_sandbox_server.client
    try:
        payments = [
            await create_payment.asyncio(client=client, body=_emulator_payment(f"http11-async-{n}")) for n in range(2)
        ]
    finally:
        await client.aclose()
    assert not client.get_async_httpx_client().trust_env
    retrying = client.get_async_httpx_client()._transport
    assert isinstance(retrying, AsyncRetryingTransport)
    assert isinstance(retrying.inner, AsyncHttp11Transport)
    _paid(iyzico_sandbox_server, payments, "http11-async-1")
