"""Make the scripts self-sufficient: create or refresh `.venv` from the pinned lock, then re-run inside it.

Every entry script starts with `import _bootstrap; _bootstrap.ensure_venv()`, so on a fresh machine with
only Python 3.11 the first run installs exactly the pinned tools (scripts/requirements.lock) plus this
project in editable mode, and later runs start at once. Editing the lock or pyproject.toml refreshes it.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VENV = ROOT / ".venv"
LOCK = ROOT / "scripts" / "requirements.lock"
_STAMP = VENV / ".bootstrap-stamp"
_MIN_PYTHON = (3, 11)
_MARKER = "IYZICO_BOOTSTRAPPED"


def _venv_python() -> Path:
    return VENV / ("Scripts/python.exe" if os.name == "nt" else "bin/python")


def _wanted_stamp() -> str:
    digest = hashlib.sha256()
    for path in (LOCK, ROOT / "pyproject.toml"):
        digest.update(path.read_bytes())
    digest.update(sys.version.encode())
    return digest.hexdigest()


def _inside_venv() -> bool:
    return Path(sys.prefix).resolve() == VENV.resolve()


def _install() -> None:
    print(f"bootstrap: preparing {VENV.relative_to(ROOT)} from {LOCK.relative_to(ROOT)} ...", file=sys.stderr)
    subprocess.run([sys.executable, "-m", "venv", "--clear", str(VENV)], check=True)
    pip = [str(_venv_python()), "-m", "pip", "--disable-pip-version-check", "--quiet"]
    subprocess.run([*pip, "install", "--requirement", str(LOCK)], check=True)
    subprocess.run([*pip, "install", "--no-deps", "--no-build-isolation", "--editable", str(ROOT)], check=True)


def ensure_venv() -> None:
    """Re-execute the running script with the project's virtual environment, preparing it if needed."""
    if sys.version_info < _MIN_PYTHON:
        sys.exit(f"Python {'.'.join(map(str, _MIN_PYTHON))} or newer is needed, this is {sys.version.split()[0]}")
    if _inside_venv() or os.environ.get(_MARKER) == "1":
        return
    wanted = _wanted_stamp()
    if not (_venv_python().exists() and _STAMP.exists() and _STAMP.read_text() == wanted):
        _install()
        _STAMP.write_text(wanted)
    python = str(_venv_python())
    os.environ[_MARKER] = "1"  # child processes (tests running copies of these scripts) are already set up
    os.execv(python, [python, *sys.argv])  # noqa: S606  (re-run this very script, no shell involved)
