"""The `iyzico-sandbox` command: says how to install the emulator's dependencies when they are missing.

The emulator lives in `iyzico_ext.sandbox` and needs the `sandbox` extra (starlette, uvicorn, jsonschema,
python-multipart, trustme, and rich for `iyzico-sandbox readiness`). This module imports none of them, so that
without the extra the command prints one line saying what to install instead of a `ModuleNotFoundError`
traceback.
"""

from __future__ import annotations

import importlib.util
import sys
from collections.abc import Sequence

__all__ = ["main"]

_EXTRA_MODULES = ("starlette", "uvicorn", "jsonschema", "python_multipart", "trustme", "rich")
INSTALL_HINT = 'pip install "iyzico-typed[sandbox]"'


def _missing() -> list[str]:
    missing = []
    for name in _EXTRA_MODULES:
        try:
            found = importlib.util.find_spec(name) is not None
        except (ImportError, ValueError):  # a module set to None in sys.modules, or without a spec
            found = False
        if not found:
            missing.append(name)
    return missing


def main(argv: Sequence[str] | None = None) -> None:
    missing = _missing()
    if missing:
        print(  # noqa: T201
            f"iyzico-sandbox needs the emulator's dependencies ({', '.join(missing)} missing): {INSTALL_HINT}",
            file=sys.stderr,
        )
        sys.exit(2)
    from iyzico_ext.sandbox.__main__ import main as serve

    serve(argv)
