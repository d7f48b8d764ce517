"""One distribution ships both import packages, typed, with the spec the trust layer reads at run time."""

from __future__ import annotations

import os
import subprocess
import sys
import tarfile
import zipfile
from pathlib import Path

from tests.sandbox.test_cli import cli

ROOT = Path(__file__).resolve().parents[1]


def test_the_wheel_ships_both_packages_typed_with_the_spec(tmp_path: Path) -> None:
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--quiet",
            "--no-deps",
            "--no-build-isolation",
            "-w",
            str(tmp_path),
            ".",
        ],
        cwd=ROOT,
        check=True,
        capture_output=True,
    )
    (wheel,) = tmp_path.glob("*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    for required in (
        "iyzico_client/py.typed",
        "iyzico_client/openapi.json",
        "iyzico_client/api/payment/create_payment.py",
        "iyzico_ext/py.typed",
        "iyzico_ext/__init__.py",
        "iyzico_ext/pytest_plugin.py",
    ):
        assert required in names, required
    assert not any(name.startswith(("tests/", "scripts/", "spec/")) for name in names)
    entry_points = next(name for name in names if name.endswith("entry_points.txt"))
    text = zipfile.ZipFile(wheel).read(entry_points).decode()
    assert "iyzico-sandbox = iyzico_ext._sandbox_cli:main" in text
    assert "iyzico_sandbox = iyzico_ext.pytest_plugin" in text


def test_the_pytest_plugin_and_the_client_load_without_the_sandbox_extra() -> None:
    """Every user with pytest loads the plugin: it must not need Starlette, uvicorn, jsonschema or hypothesis."""
    code = (
        "import sys, iyzico_ext, iyzico_ext.pytest_plugin\n"
        "from iyzico_client.api.payment import create_payment\n"
        "heavy = {'starlette', 'uvicorn', 'jsonschema', 'hypothesis'}\n"
        "print(sorted(heavy & {name.split('.')[0] for name in sys.modules}))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "[]"


def test_a_sync_user_never_imports_asyncio_the_json_reader_or_the_transports_at_import_time() -> None:
    """Import time is a target (bench.py `import_ms_over_httpx`): these load on first use instead, and a sync
    client never loads aiohttp at all."""
    code = (
        "import sys, iyzico_ext\n"
        "from iyzico_client.api.payment import create_payment\n"
        "def loaded(names): return sorted(names & {name.split('.')[0] for name in sys.modules})\n"
        "print(loaded({'asyncio', 'anyio', 'msgspec', 'httpcore', 'aiohttp', 'httpx_aiohttp'}))\n"
        "iyzico_ext.IyzicoClient('sandbox-key', 'secret').get_httpx_client()\n"
        "print(loaded({'httpcore', 'aiohttp', 'httpx_aiohttp'}))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.split("\n")[:2] == ["[]", "['httpcore']"]


def _quickstart() -> str:
    """The README's Quickstart code block, as a reader copies it."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("<!-- --8<-- [start:quickstart] -->", 1)[1].split("<!-- --8<-- [end:quickstart] -->", 1)[0]
    return section.split("```python\n", 1)[1].split("```", 1)[0]


def test_the_sdist_and_the_wheel_install_in_a_fresh_venv_and_run_the_quickstart(tmp_path: Path) -> None:
    """What a new user does: build, install with an extra into an empty venv, run the README's Quickstart verbatim
    against the emulator that venv installed (`iyzico-sandbox`)."""
    dist = tmp_path / "dist"
    subprocess.run(
        [sys.executable, "-m", "hatchling", "build", "-d", str(dist)], cwd=ROOT, check=True, capture_output=True
    )
    (sdist,) = dist.glob("*.tar.gz")
    (wheel,) = dist.glob("*.whl")
    with tarfile.open(sdist) as archive:
        top = {name.split("/", 1)[1] for name in archive.getnames() if name.count("/") == 1}
    assert {"LICENSE", "CHANGELOG.md", "README.md", "pyproject.toml"} <= top
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    python = str(venv / "bin" / "python")
    pip = [python, "-m", "pip", "install", "--quiet", "--disable-pip-version-check"]
    script = tmp_path / "quickstart.py"
    script.write_text(_quickstart(), encoding="utf-8")
    # The sdist first, with its dependencies; then the wheel over it (the dependencies are the same).
    for artifact, options in ((sdist, ()), (wheel, ("--force-reinstall", "--no-deps"))):
        subprocess.run([*pip, *options, f"iyzico-typed[sandbox] @ {artifact.as_uri()}"], check=True)
        with cli(python=python) as emulator:
            environment = {
                "PATH": os.environ.get("PATH", ""),
                "IYZIPAY_API_KEY": "sandbox-api-key",
                "IYZIPAY_SECRET_KEY": "sandbox-secret-key",
                "IYZIPAY_BASE_URL": emulator.url,
            }
            result = subprocess.run(
                [python, str(script)], env=environment, cwd=tmp_path, capture_output=True, text=True, check=False
            )
        assert result.returncode == 0, result.stderr
        payment_id, paid, item = result.stdout.split()
        assert (payment_id.isdigit(), paid, item.isdigit()) == (True, "49.90", True)
    metadata = subprocess.run(
        [
            python,
            "-c",
            "import importlib.metadata as m, iyzico_ext; print(m.version('iyzico-typed'), iyzico_ext.__version__)",
        ],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.split()
    assert metadata[0] == metadata[1]
