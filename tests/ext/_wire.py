"""Real sockets on 127.0.0.1 for the transport tests: a scripted server and a proxy, both parsing with h11.

`ScriptedServer` answers each accepted connection the way a test scripts it (answer, delay, trickle,
close, reset, send junk, never answer) and records every request it read; `LoopbackProxy` relays
absolute-form requests (for http:// targets) and CONNECT tunnels (for https:// targets) and records
what it relayed. Requests are parsed by h11; responses are written as raw bytes, so a script can send
exactly the malformed or slow answer a test needs.
"""

from __future__ import annotations

import contextlib
import select
import socket
import ssl
import threading
import time
import typing
from collections.abc import Callable

import attrs
import h11
import httpx

TEST_DEADLINE = 10.0  # seconds a server thread waits for anything before giving up
_RECEIVE_BYTES = 65536


def reply(body: bytes, *fields: str, status: str = "200 OK", length: bool = True) -> bytes:
    """A response with these extra fields; with a Content-Length unless `length` is False."""
    lines = [f"HTTP/1.1 {status}", *fields, *([f"Content-Length: {len(body)}"] if length else [])]
    return "".join(f"{line}\r\n" for line in lines).encode() + b"\r\n" + body


@attrs.frozen
class ReceivedRequest:
    method: bytes
    target: bytes
    headers: dict[bytes, bytes]
    body: bytes


class Peer:
    """The server's end of one accepted connection, for a handler to script."""

    def __init__(self, sock: socket.socket, server: ScriptedServer) -> None:
        self.sock = sock
        self._server = server
        self._unread = b""

    def read_request(self) -> ReceivedRequest | None:
        """The next whole request, or None once the client closed (recorded on the server either way)."""
        parser = h11.Connection(h11.SERVER)  # one per request: our answers are raw bytes, not h11's
        if self._unread:
            parser.receive_data(self._unread)
        head: h11.Request | None = None
        body = b""
        while True:
            event = parser.next_event()
            if event is h11.NEED_DATA:
                data = self._receive()
                if not data:
                    self._server.closed_by_client.release()
                    return None
                parser.receive_data(data)
            elif isinstance(event, h11.Request):
                head = event
            elif isinstance(event, h11.Data):
                body += bytes(event.data)
            elif isinstance(event, h11.EndOfMessage):
                break
        assert head is not None
        self._unread = parser.trailing_data[0]  # what arrived after this request
        received = ReceivedRequest(head.method, head.target, dict(head.headers), body)
        self._server.requests.append(received)
        return received

    def wait_for_close(self) -> None:
        """Block until the client closes its end (recorded on the server)."""
        while self._receive():
            pass
        self._server.closed_by_client.release()

    def send(self, data: bytes) -> None:
        self.sock.sendall(data)

    def trickle(self, data: bytes, seconds_per_byte: float) -> None:
        """Send one byte at a time: each arrives well within a read timeout, the whole takes long."""
        for index in range(len(data)):
            self.sock.sendall(data[index : index + 1])
            time.sleep(seconds_per_byte)

    def close(self) -> None:
        self.sock.close()

    def reset(self) -> None:
        """Close with a TCP RST instead of a FIN."""
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, b"\x01\x00\x00\x00\x00\x00\x00\x00")
        self.sock.close()

    def _receive(self) -> bytes:
        try:
            return self.sock.recv(_RECEIVE_BYTES)
        except OSError:
            return b""


Handler = Callable[[Peer], object]


class _Listener:
    """A loopback listener whose accepted connections each run in their own thread until `close`."""

    def __init__(self, serve: Callable[[socket.socket], None], *, backlog: int | None = None) -> None:
        self._serve = serve
        self._socket = socket.create_server(("127.0.0.1", 0), backlog=backlog)
        self._socket.settimeout(0.01)  # so the accept loop notices `_stop`
        self.port: int = self._socket.getsockname()[1]
        self.accepted = 0
        self._stop = threading.Event()
        self._open: list[socket.socket] = []
        self._threads = [threading.Thread(target=self._accept_loop, daemon=True)]
        self._threads[0].start()

    def _accept_loop(self) -> None:
        while not self._stop.is_set():
            try:
                sock, _ = self._socket.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            self.accepted += 1
            self._open.append(sock)
            thread = threading.Thread(target=self._run, args=(sock,), daemon=True)
            self._threads.append(thread)
            thread.start()

    def _run(self, sock: socket.socket) -> None:
        sock.settimeout(TEST_DEADLINE)
        try:
            self._serve(sock)
        except (OSError, h11.ProtocolError):
            pass  # the client went away (or refused our certificate): the test looks at the outcome
        finally:
            sock.close()

    def close(self) -> None:
        self._stop.set()
        self._threads[0].join()
        self._socket.close()
        for sock in self._open:
            with contextlib.suppress(OSError):  # already closed by its handler
                sock.shutdown(socket.SHUT_RDWR)  # wakes a handler blocked in recv
        for thread in self._threads[1:]:
            thread.join(TEST_DEADLINE)


class _Service:
    """Something listening on 127.0.0.1 while its `with` block runs, serving each connection in `_serve`."""

    _listener: _Listener | None = None

    def _serve(self, sock: socket.socket) -> None:
        raise NotImplementedError

    @property
    def port(self) -> int:
        assert self._listener is not None
        return self._listener.port

    @property
    def accepted(self) -> int:
        assert self._listener is not None
        return self._listener.accepted

    def __enter__(self) -> typing.Self:
        self._listener = _Listener(self._serve)
        return self

    def __exit__(self, *exc_info: object) -> None:
        assert self._listener is not None
        self._listener.close()


class ScriptedServer(_Service):
    """`with ScriptedServer(handler) as server:` a TCP (or TLS) server on 127.0.0.1 running `handler`
    for every connection; `requests` holds every request it read, in order."""

    def __init__(self, handler: Handler, *, tls: ssl.SSLContext | None = None) -> None:
        self._handler = handler
        self._tls = tls
        self.requests: list[ReceivedRequest] = []
        self.closed_by_client = threading.Semaphore(0)

    def url(self, path: str = "") -> str:
        return f"{'https' if self._tls else 'http'}://127.0.0.1:{self.port}{path}"

    def _serve(self, sock: socket.socket) -> None:
        if self._tls is not None:
            sock = self._tls.wrap_socket(sock, server_side=True)
        try:
            self._handler(Peer(sock, self))
        finally:
            sock.close()


def _relay(one: socket.socket, other: socket.socket) -> None:
    """Copy bytes both ways until either side closes."""
    peers = {one: other, other: one}
    while True:
        readable, _, _ = select.select(list(peers), [], [], TEST_DEADLINE)
        if not readable:
            return
        for sock in readable:
            data = sock.recv(_RECEIVE_BYTES)
            if not data:
                return
            peers[sock].sendall(data)


# Hop-by-hop fields, and those describing a body that httpx hands over decoded.
_NOT_RELAYED = frozenset({b"connection", b"keep-alive", b"proxy-connection", b"transfer-encoding", b"content-length"})
_NOT_RELAYED_BACK = _NOT_RELAYED | {b"content-encoding"}


class LoopbackProxy(_Service):
    """`with LoopbackProxy() as proxy:` an HTTP proxy on 127.0.0.1 (forwarding and CONNECT).

    `forwarded` lists the absolute URLs it relayed, `tunnels` the `host:port` of each CONNECT.
    """

    def __init__(self) -> None:
        self.forwarded: list[str] = []
        self.tunnels: list[str] = []

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def _serve(self, client: socket.socket) -> None:
        parser = h11.Connection(h11.SERVER)
        while True:
            event = parser.next_event()
            if event is h11.NEED_DATA:
                data = client.recv(_RECEIVE_BYTES)
                if not data:
                    return
                parser.receive_data(data)
            elif isinstance(event, h11.Request) and event.method == b"CONNECT":
                self._tunnel(client, parser, event.target.decode())
                return
            elif isinstance(event, h11.Request):
                self._forward(client, parser, event)
                parser.start_next_cycle()
            else:
                return

    def _tunnel(self, client: socket.socket, parser: h11.Connection, target: str) -> None:
        self.tunnels.append(target)
        host, _, port = target.rpartition(":")
        with socket.create_connection((host, int(port)), timeout=TEST_DEADLINE) as upstream:
            while parser.next_event() is not h11.PAUSED:  # the CONNECT request's (empty) end
                pass
            client.sendall(parser.send(h11.Response(status_code=200, headers=[])) or b"")
            pending, _ = parser.trailing_data
            if pending:
                upstream.sendall(pending)
            _relay(client, upstream)

    def _forward(self, client: socket.socket, parser: h11.Connection, request: h11.Request) -> None:
        self.forwarded.append(request.target.decode())
        body = b""
        while not isinstance(event := parser.next_event(), h11.EndOfMessage):
            if event is h11.NEED_DATA:
                data = client.recv(_RECEIVE_BYTES)
                if not data:
                    return
                parser.receive_data(data)
            elif isinstance(event, h11.Data):
                body += bytes(event.data)
        headers = [(name, value) for name, value in request.headers if name.lower() not in _NOT_RELAYED]
        with httpx.Client(trust_env=False) as upstream:
            answer = upstream.request(request.method.decode(), request.target.decode(), headers=headers, content=body)
        fields = [(name, value) for name, value in answer.headers.raw if name.lower() not in _NOT_RELAYED_BACK]
        fields.append((b"content-length", str(len(answer.content)).encode()))
        for event in (h11.Response(status_code=answer.status_code, headers=fields), h11.Data(data=answer.content)):
            client.sendall(parser.send(event) or b"")
        client.sendall(parser.send(h11.EndOfMessage()) or b"")
