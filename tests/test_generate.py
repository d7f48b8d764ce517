"""The drift check: clean tree passes, a one-character spec edit or a hand edit of generated code fails."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from ._checkout import copy_checkout, run_generate


@pytest.fixture(scope="module")
def checkout(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of what the generator reads and writes, so the tests can break it freely."""
    return copy_checkout(tmp_path_factory.mktemp("checkout"))


def _check(checkout: Path) -> subprocess.CompletedProcess[str]:
    return run_generate(checkout, "--check")


def test_check_passes_on_a_clean_tree(checkout: Path) -> None:
    result = _check(checkout)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "up to date" in result.stdout


def test_check_fails_with_a_diff_after_a_one_character_spec_edit(checkout: Path) -> None:
    spec = checkout / "spec" / "paths" / "bin_installment.yaml"
    original = spec.read_text(encoding="utf-8")
    edited = original.replace("operationId: checkBin", "operationId: checkBim", 1)
    assert edited != original
    assert len(edited) == len(original)
    spec.write_text(edited, encoding="utf-8")
    try:
        result = _check(checkout)
    finally:
        spec.write_text(original, encoding="utf-8")
    assert result.returncode == 1
    assert "check_bim.py" in result.stdout
    assert "out of date" in result.stderr


def test_check_fails_after_a_hand_edit_of_generated_code(checkout: Path) -> None:
    module = checkout / "generated" / "iyzico_client" / "_runtime" / "money.py"
    original = module.read_text(encoding="utf-8")
    module.write_text(original.replace("def to_decimal", "def to_decimal_", 1), encoding="utf-8")
    try:
        result = _check(checkout)
    finally:
        module.write_text(original, encoding="utf-8")
    assert result.returncode == 1
    assert "-def to_decimal_" in result.stdout
    assert "+def to_decimal(" in result.stdout


def test_generator_warnings_are_failures(checkout: Path) -> None:
    spec = checkout / "spec" / "paths" / "health.yaml"
    original = spec.read_text(encoding="utf-8")
    # An unsupported response content type makes the generator skip a response with only a warning.
    broken = original.replace("application/json", "application/x-unsupported", 1)
    spec.write_text(broken, encoding="utf-8")
    try:
        result = _check(checkout)
    finally:
        spec.write_text(original, encoding="utf-8")
    assert result.returncode == 2, result.stdout + result.stderr
    assert "generator warning" in result.stderr


@pytest.mark.parametrize("order", ["sorted", "reversed"])
def test_every_model_module_imports_first_in_a_fresh_interpreter(order: str) -> None:
    """Nested models are imported at the bottom of each model module (a marked region of model.py.jinja):
    whichever module is imported first, models that refer to each other still load."""
    code = (
        "import importlib, pkgutil, iyzico_client.models as models\n"
        "names = sorted(module.name for module in pkgutil.iter_modules(models.__path__))\n"
        f"for name in ({'names' if order == 'sorted' else 'names[::-1]'}):\n"
        "    importlib.import_module(f'iyzico_client.models.{name}')\n"
        "print(len(names))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr
    assert int(result.stdout) > 50
