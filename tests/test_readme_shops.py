"""The README's FastAPI and Django shops, run verbatim against the emulator, from the first request to a paid order.

The Python blocks of each guide (each starting with `# <path>`) are written into a fresh folder and the guide's
commands run there in subprocesses, with the emulator's URL and keys in the environment. A buyer (httpx,
following the pages' forms as a browser would) pays order the guide creates; the order must end paid, iyzico's
webhook must reach the shop, the emulator must hold exactly one payment for it, and reconciliation must find
nothing open. The `pip install` lines must name extras that exist.
"""

from __future__ import annotations

import os
import pathlib
import re
import shlex
import socket
import subprocess
import sys
import time
import tomllib
from collections.abc import Iterator

import attrs
import httpx
import pytest

from iyzico_ext.sandbox import DEFAULT_API_KEY, DEFAULT_SECRET_KEY, create_app
from iyzico_ext.sandbox._server import ServerThread
from iyzico_ext.sandbox.browser import HOSTED_PAGE_TEST_CARD, pay_hosted_page, read_form

ROOT = pathlib.Path(__file__).resolve().parent.parent
_BLOCK = re.compile(r"```(\w+)\n(.*?)```", re.DOTALL)
_START_TIMEOUT_SECONDS = 60.0
_WEBHOOK_TIMEOUT_SECONDS = 15.0


@attrs.frozen
class Guide:
    files: dict[str, str]
    commands: list[str]


def guide(title: str) -> Guide:
    readme = (ROOT / "README.md").read_text()
    start = readme.index(f"### {title}")
    end = min(index for index in (readme.find("\n## ", start), readme.find("\n### ", start + 4)) if index > 0)
    files: dict[str, str] = {}
    commands: list[str] = []
    for language, code in _BLOCK.findall(readme[start:end]):
        if language == "python":
            files[code.partition("\n")[0].removeprefix("# ").strip()] = code
        else:
            commands.extend(line for line in code.splitlines() if line and not line.startswith("export "))
    return Guide(files, commands)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@attrs.frozen
class Emulator:
    url: str
    http: httpx.Client


@pytest.fixture
def shop_port() -> int:
    return free_port()


@pytest.fixture
def emulator(shop_port: int) -> Iterator[Emulator]:
    app = create_app(webhook_url=f"http://127.0.0.1:{shop_port}/iyzico/webhook")
    with ServerThread(app) as url, httpx.Client(base_url=url) as http:
        yield Emulator(url, http)


def project(tmp_path: pathlib.Path, found: Guide) -> pathlib.Path:
    for name, code in found.files.items():
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(code)
        if path.parent != tmp_path:
            (path.parent / "__init__.py").touch()
    return tmp_path


def environment(emulator: Emulator, **extra: str) -> dict[str, str]:
    return {
        **os.environ,
        "IYZIPAY_API_KEY": DEFAULT_API_KEY,
        "IYZIPAY_SECRET_KEY": DEFAULT_SECRET_KEY,
        "IYZIPAY_BASE_URL": emulator.url,
        **extra,
    }


def python_command(line: str) -> list[str]:
    """A guide's command line, run with this interpreter (`uvicorn ...` as `python -m uvicorn ...`)."""
    words = shlex.split(line)
    if words[0] == "python":
        return [sys.executable, *words[1:]]
    return [sys.executable, "-m", *words]


def check_pip_line(line: str) -> None:
    extras = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["optional-dependencies"]
    wanted = re.search(r'"iyzico-typed\[(\w+)\]"', line)
    assert wanted is not None
    assert wanted.group(1) in extras


@attrs.define
class Server:
    process: subprocess.Popen[bytes]
    url: str
    log: pathlib.Path

    def wait_until_up(self) -> None:
        deadline = time.monotonic() + _START_TIMEOUT_SECONDS
        while time.monotonic() < deadline:
            assert self.process.poll() is None, self.log.read_text()
            try:
                httpx.get(self.url + "/thanks", timeout=1.0)
            except httpx.TransportError:
                time.sleep(0.1)
            else:
                return
        raise AssertionError(f"the shop did not start: {self.log.read_text()}")


def serve(command: list[str], cwd: pathlib.Path, env: dict[str, str], port: int) -> Server:
    log = cwd / "server.log"
    with log.open("wb") as output:
        process = subprocess.Popen(command, cwd=cwd, env=env, stdout=output, stderr=subprocess.STDOUT)
    server = Server(process, f"http://127.0.0.1:{port}", log)
    server.wait_until_up()
    return server


def pay_on_hosted_page(buyer: httpx.Client, redirect: httpx.Response) -> httpx.Response:
    assert redirect.status_code in (302, 303), redirect.text
    callback = pay_hosted_page(buyer, redirect.headers["location"], HOSTED_PAGE_TEST_CARD)
    return buyer.post(callback.action, data=callback.fields)


def wait_for(check: httpx.Client, url: str, expected: dict[str, object]) -> None:
    deadline = time.monotonic() + _WEBHOOK_TIMEOUT_SECONDS
    while (found := check.get(url).json()) != expected and time.monotonic() < deadline:
        time.sleep(0.1)
    assert found == expected


def test_the_fastapi_shop(tmp_path: pathlib.Path, emulator: Emulator, shop_port: int) -> None:
    found = guide("A FastAPI shop")
    folder = project(tmp_path, found)
    pip, start = found.commands
    check_pip_line(pip)
    assert start == "uvicorn shop:app"
    server = serve([*python_command(start), "--port", str(shop_port)], folder, environment(emulator), shop_port)
    try:
        with httpx.Client(base_url=server.url) as buyer:
            thanks = pay_on_hosted_page(buyer, buyer.post("/orders/1001/pay"))
            assert (thanks.status_code, thanks.headers["location"]) == (303, "/thanks")
            assert buyer.get("/thanks").json() == {"message": "Thank you, your order is paid"}
            wait_for(buyer, "/orders/1001", {"status": "paid", "notified": True})
    finally:
        server.process.terminate()
        server.process.wait(timeout=30)
    assert [entry["conversationId"] for entry in emulator.http.get("/_sandbox/ledger").json()["payments"]] == ["1001"]
    assert (folder / "payments.sqlite3").exists()


def test_the_django_shop(tmp_path: pathlib.Path, emulator: Emulator, shop_port: int) -> None:
    found = guide("A Django shop")
    folder = project(tmp_path, found)
    pip, *setup, start, reconcile = found.commands
    check_pip_line(pip)
    assert start == "python -m django runserver"
    env = environment(emulator, DJANGO_SETTINGS_MODULE="shopsite.settings")
    for line in setup:
        subprocess.run(python_command(line), cwd=folder, env=env, check=True, capture_output=True)
    command = [*python_command(start), f"127.0.0.1:{shop_port}", "--noreload"]
    server = serve(command, folder, env, shop_port)
    try:
        with httpx.Client(base_url=server.url) as buyer:
            order_page = read_form(buyer.get("/orders/1").text)
            redirect = buyer.post(order_page.action, data=order_page.fields)  # with the CSRF cookie and token
            thanks = pay_on_hosted_page(buyer, redirect)
            assert (thanks.status_code, thanks.headers["location"]) == (303, "/thanks")
            assert buyer.get("/thanks").text == "Thank you, your order is paid"
            wait_for(buyer, "/orders/1/status", {"status": "paid", "notified": True})
            refused = buyer.post(order_page.action)  # the shop's own views keep their CSRF protection
            assert refused.status_code == 403
    finally:
        server.process.terminate()
        server.process.wait(timeout=30)
    assert [entry["conversationId"] for entry in emulator.http.get("/_sandbox/ledger").json()["payments"]] == ["1"]
    settled = subprocess.run(python_command(reconcile), cwd=folder, env=env, check=True, capture_output=True, text=True)
    assert settled.stdout.strip().splitlines()[-1] == "[]"  # Django 5.2 shell first says what it imported
