"""The benchmark's loopback server: one fixed HTTP/1.1 keep-alive response, over HTTP and TLS.

It runs in its own process, so its CPU never counts as client CPU:

    python scripts/_bench_server.py --body BODY.json --cert server.pem --key server.key

prints `READY <http port> <tls port> <slow http port>` on stdout once the sockets listen on 127.0.0.1
and answers every request (any method and path) with the body until stdin closes or it is terminated.
The slow port answers each request `--delay-ms` later (default 5 ms), standing in for the time iyzico
and the bank take: on bare loopback every client is CPU-bound, so only with some server latency can
concurrency show what it buys. It is a
bare asyncio protocol, not a framework, so the server side stays cheap and its work per request
is constant; a request with `Connection: close` gets its response and then the close.

`FixedResponseServer` starts and stops this process for the benchmark and the smoke test.
"""

from __future__ import annotations

import argparse
import asyncio
import ssl
import subprocess
import sys
import typing
from pathlib import Path

__all__ = ["SLOW_PORT_DELAY_MS", "FixedResponseServer", "http_response"]

_HEADER_END = b"\r\n\r\n"
_READY = "READY"
_STOP_SECONDS = 5.0
SLOW_PORT_DELAY_MS = 5.0


def http_response(body: bytes) -> bytes:
    """The whole fixed response (status line, headers, body), built once."""
    head = (
        "HTTP/1.1 200 OK\r\n"
        "Content-Type: application/json;charset=UTF-8\r\n"
        f"Content-Length: {len(body)}\r\n"
        "Connection: keep-alive\r\n"
        "\r\n"
    )
    return head.encode("ascii") + body


def _content_length(head: bytes) -> int:
    for line in head.split(b"\r\n")[1:]:
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"content-length":
            return int(value.strip())
    return 0


def _wants_close(head: bytes) -> bool:
    return b"\r\nconnection: close" in head.lower()


class _FixedResponseProtocol(asyncio.Protocol):
    """Parses pipelined HTTP/1.1 requests just enough to find their ends, answers each with `response`."""

    def __init__(self, response: bytes, delay_seconds: float = 0.0) -> None:
        self._response = response
        self._delay_seconds = delay_seconds
        self._buffer = bytearray()
        self._transport: asyncio.Transport | None = None

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self._transport = typing.cast(asyncio.Transport, transport)

    def data_received(self, data: bytes) -> None:
        self._buffer += data
        while True:
            end = self._buffer.find(_HEADER_END)
            if end < 0:
                return
            head = bytes(self._buffer[:end])
            total = end + len(_HEADER_END) + _content_length(head)
            if len(self._buffer) < total:
                return
            del self._buffer[:total]
            if self._delay_seconds:
                asyncio.get_running_loop().call_later(self._delay_seconds, self._answer, _wants_close(head))
            else:
                self._answer(_wants_close(head))

    def _answer(self, then_close: bool) -> None:
        if self._transport is None:
            return
        self._transport.write(self._response)
        if then_close:
            self._transport.close()
            self._transport = None

    def connection_lost(self, exc: Exception | None) -> None:
        self._transport = None


async def _serve(response: bytes, tls: ssl.SSLContext, delay_seconds: float) -> None:
    loop = asyncio.get_running_loop()
    plain = await loop.create_server(lambda: _FixedResponseProtocol(response), "127.0.0.1", 0, backlog=1024)
    secure = await loop.create_server(lambda: _FixedResponseProtocol(response), "127.0.0.1", 0, ssl=tls, backlog=1024)
    slow = await loop.create_server(
        lambda: _FixedResponseProtocol(response, delay_seconds), "127.0.0.1", 0, backlog=1024
    )
    ports = [server.sockets[0].getsockname()[1] for server in (plain, secure, slow)]
    print(_READY, *ports, flush=True)
    # Run until the parent closes our stdin (or dies), so no orphan outlives the benchmark.
    await loop.run_in_executor(None, sys.stdin.read)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--body", type=Path, required=True, help="file with the response body")
    parser.add_argument("--cert", type=Path, required=True, help="server certificate (PEM)")
    parser.add_argument("--key", type=Path, required=True, help="server private key (PEM)")
    parser.add_argument("--delay-ms", type=float, default=SLOW_PORT_DELAY_MS, help="latency of the slow port")
    arguments = parser.parse_args()
    tls = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    tls.load_cert_chain(str(arguments.cert), str(arguments.key))
    asyncio.run(_serve(http_response(arguments.body.read_bytes()), tls, arguments.delay_ms / 1000))


class FixedResponseServer:
    """The server process, started on entry and stopped (stdin closed, then terminated) on exit."""

    def __init__(self, body_file: Path, cert: Path, key: Path) -> None:
        self._command = [sys.executable, __file__, "--body", str(body_file), "--cert", str(cert), "--key", str(key)]
        self._process: subprocess.Popen[str] | None = None
        self.http_port = 0
        self.tls_port = 0
        self.slow_http_port = 0

    def __enter__(self) -> FixedResponseServer:
        self._process = subprocess.Popen(
            self._command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, close_fds=True
        )
        assert self._process.stdout is not None
        line = self._process.stdout.readline().split()
        if len(line) != 4 or line[0] != _READY:
            self.__exit__()
            raise RuntimeError(f"the benchmark server did not start (said {line!r})")
        self.http_port, self.tls_port, self.slow_http_port = (int(port) for port in line[1:])
        return self

    @property
    def http_url(self) -> str:
        return f"http://127.0.0.1:{self.http_port}"

    @property
    def slow_http_url(self) -> str:
        return f"http://127.0.0.1:{self.slow_http_port}"

    @property
    def tls_url(self) -> str:
        return f"https://127.0.0.1:{self.tls_port}"

    def __exit__(self, *exc_info: object) -> None:
        process, self._process = self._process, None
        if process is None:
            return
        assert process.stdin is not None
        process.stdin.close()
        try:
            process.wait(_STOP_SECONDS)
        except subprocess.TimeoutExpired:
            process.terminate()
            process.wait(_STOP_SECONDS)
        if process.stdout is not None:
            process.stdout.close()


if __name__ == "__main__":
    main()
