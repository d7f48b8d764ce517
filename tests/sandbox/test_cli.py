"""`iyzico-sandbox` as people run it: a real process, its output, its errors, its options."""

from __future__ import annotations

import contextlib
import logging
import socket
import ssl
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from iyzico_ext.sandbox import create_app
from iyzico_ext.sandbox.__main__ import _warn_if_exposed
from iyzico_ext.sandbox._server import ServerThread

from .conftest import Caller, ledger, payment_body

_STARTUP_LINES = 40


class Running:
    def __init__(self, process: subprocess.Popen[str], output: list[str]) -> None:
        self.process = process
        self.output = output

    @property
    def url(self) -> str:
        return self.output[-1].strip().rsplit(" ", 1)[-1]


@contextlib.contextmanager
def cli(*arguments: str, python: str = sys.executable) -> Iterator[Running]:
    """`python -m iyzico_ext.sandbox ...` until the block ends; yields once it printed its URL."""
    process = subprocess.Popen(
        [python, "-m", "iyzico_ext.sandbox", "--port", "0", *arguments],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert process.stdout is not None
    output: list[str] = []
    try:
        while len(output) < _STARTUP_LINES and not (output and "listening on" in output[-1]):
            line = process.stdout.readline()
            if not line:
                break
            output.append(line)
        assert output, "the emulator printed nothing"
        assert "listening on" in output[-1], output
        yield Running(process, output)
    finally:
        process.terminate()
        process.wait(timeout=10)
        process.stdout.close()
        assert process.stderr is not None
        process.stderr.close()


def _stderr(running: Running) -> str:
    running.process.terminate()
    _, errors = running.process.communicate(timeout=10)
    return errors


def test_cli_serves_and_persists(tmp_path: Path) -> None:
    database = str(tmp_path / "cli.db")
    for round_number in range(2):
        with cli("--db", database, "--api-key", "k", "--secret-key", "s") as running:
            assert "k / s" in running.output[0]
            assert len(running.output) == 4
            with httpx.Client(base_url=running.url) as client:
                if round_number == 0:
                    Caller(client, api_key="k", secret_key="s").ok("/payment/auth", payment_body(conversationId="cli"))
                assert [entry["conversationId"] for entry in ledger(client)] == ["cli"]


def _without_extra(code: str) -> subprocess.CompletedProcess[str]:
    blocked = "import sys; sys.modules.update(starlette=None, uvicorn=None); "
    return subprocess.run([sys.executable, "-c", blocked + code], capture_output=True, text=True, check=False)


def test_without_the_sandbox_extra_it_says_what_to_install() -> None:
    command = _without_extra("from iyzico_ext._sandbox_cli import main; main([])")
    assert command.returncode == 2
    assert command.stderr.strip().splitlines() == [
        "iyzico-sandbox needs the emulator's dependencies (starlette, uvicorn missing): "
        'pip install "iyzico-typed[sandbox]"'
    ]
    imported = _without_extra("import iyzico_ext.sandbox")
    assert 'pip install "iyzico-typed[sandbox]"' in imported.stderr


def test_a_port_in_use_is_one_clear_line() -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        command = subprocess.run(
            [sys.executable, "-m", "iyzico_ext.sandbox", "--port", str(port)],
            capture_output=True,
            text=True,
            timeout=30,
            check=False,
        )
    assert command.returncode == 1
    assert command.stderr.strip().splitlines() == [
        f"iyzico-sandbox: port {port} on 127.0.0.1 is already in use; stop the other server or pick another "
        "(--port N, 0 = any)"
    ]


def test_version() -> None:
    command = subprocess.run(
        [sys.executable, "-m", "iyzico_ext.sandbox", "--version"], capture_output=True, text=True, check=True
    )
    assert command.stdout.startswith("iyzico-sandbox 0.")


def test_home_page_links_the_admin_endpoints() -> None:
    with cli() as running:
        page = httpx.get(f"{running.url}/")
    assert page.status_code == 200
    for path in ("/_sandbox/ledger", "/_sandbox/faults", "/_sandbox/webhooks"):
        assert f'href="{path}"' in page.text


def test_request_log_is_redacted() -> None:
    with cli("--log-requests") as running:
        with httpx.Client(base_url=running.url) as client:
            Caller(client).ok("/payment/auth", payment_body())
            client.get("/payment/test%0aINFO forged line?paymentConversationId=query-stays-out")
        errors = _stderr(running)
    lines = errors.strip().splitlines()
    assert any("POST /payment/auth -> 200" in line for line in lines), lines
    assert any("/payment/test\\x0aINFO forged line -> 404" in line for line in lines), lines
    assert "query-stays-out" not in errors
    assert "John Doe" not in errors  # no body
    assert "IYZWSv2" not in errors
    assert "forged line\n" not in errors


def test_client_leaving_during_a_delay_logs_nothing_at_error(caplog: pytest.LogCaptureFixture) -> None:
    app = create_app()
    with caplog.at_level(logging.WARNING), ServerThread(app) as url:
        host, port = url.removeprefix("http://").split(":")
        for request in (
            b"GET /payment/test HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Sandbox-Fault: delay;delay=0.5\r\n\r\n",
            b"POST /payment/auth HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 100\r\nX-Sandbox-Fault: delay\r\n\r\n{",
        ):
            with socket.create_connection((host, int(port))) as connection:
                connection.sendall(request)
                time.sleep(0.1)
        time.sleep(0.7)
        assert httpx.get(f"{url}/_sandbox/ledger").json()["payments"] == []
    app.state.sandbox.close()
    assert [record for record in caplog.records if record.levelno >= logging.ERROR] == []


def test_tls_prints_how_to_trust_it_and_keeps_its_ca(tmp_path: Path) -> None:
    folder = tmp_path / "tls"
    with cli("--tls", "--tls-dir", str(folder)) as running:
        printed = "".join(running.output)
        assert running.url.startswith("https://127.0.0.1:")
        ca = folder / "ca.pem"
        for expected in (
            f"SSL_CERT_FILE={folder / 'trust-bundle.pem'}",
            f"REQUESTS_CA_BUNDLE={folder / 'trust-bundle.pem'}",
            f"NODE_EXTRA_CA_CERTS={ca}",
            f"curl --cacert {ca} {running.url}/payment/test",
        ):
            assert expected in printed
        answer = httpx.get(f"{running.url}/payment/test", verify=ssl.create_default_context(cafile=ca))
        assert answer.json()["status"] == "success"
        first_ca = ca.read_bytes()
    assert (folder / "ca-key.pem").stat().st_mode & 0o077 == 0
    with cli("--tls", "--tls-dir", str(folder)):
        assert ca.read_bytes() == first_ca  # the variables users set stay valid across restarts


def test_binding_beyond_loopback_warns(capsys: pytest.CaptureFixture[str]) -> None:
    _warn_if_exposed("0.0.0.0")  # noqa: S104 - the address is only printed here, nothing is bound
    assert "WARNING: listening on 0.0.0.0" in capsys.readouterr().err
    _warn_if_exposed("127.0.0.1")
    _warn_if_exposed("::1")
    assert capsys.readouterr().err == ""
