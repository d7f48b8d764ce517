"""One distribution ships both import packages, typed, with the spec the trust layer reads at run time."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

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
        "iyzico_ext.IyzicoClient('key', 'secret').get_httpx_client()\n"
        "print(loaded({'httpcore', 'aiohttp', 'httpx_aiohttp'}))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.split("\n")[:2] == ["[]", "['httpcore']"]
