"""A throwaway copy of what the generator reads and writes, for tests that change the spec or the output."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def copy_checkout(destination: Path) -> Path:
    """Copy spec/, scripts/, generated/ and pyproject.toml into `destination`; returns it."""
    for name in ("spec", "scripts", "generated"):
        shutil.copytree(ROOT / name, destination / name, ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "pyproject.toml", destination / "pyproject.toml")
    return destination


def run_generate(checkout: Path, *arguments: str) -> subprocess.CompletedProcess[str]:
    """`scripts/generate.py` of the copy, in this environment (no bootstrap)."""
    return subprocess.run(
        [sys.executable, str(checkout / "scripts" / "generate.py"), *arguments],
        capture_output=True,
        text=True,
        env={**os.environ, "IYZICO_BOOTSTRAPPED": "1"},
        check=False,
    )
