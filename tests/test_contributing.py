"""CONTRIBUTING.md: every `sh` block runs, as written, in a temporary clone of the repository (its history,
with the working tree's tracked files on top), with the project's environment. The one exception is the CI
command itself, `python3 scripts/check.py`, which would run this suite inside the suite: the test checks
that it is exactly what `.ci/run` runs."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import textwrap
from pathlib import Path

import pytest
from generate import GENERATOR_VERSION

ROOT = Path(__file__).resolve().parents[1]
GUIDE = ROOT / "CONTRIBUTING.md"
CI_COMMAND = "python3 scripts/check.py"
# What some blocks must print besides exiting 0 (by a line of the block): the pinned generator, tried as an
# upgrade, merges with nothing to do, regenerates exactly generated/ and passes its checks.
EXPECTED = {
    "python3 scripts/generate.py --try-generator 0.29.1": [
        "environment: openapi-python-client 0.29.1 ",
        "types.py.jinja: unchanged upstream",
        "diff against generated/: 0 files, +0 -0 lines",
        "mypy --strict generated/iyzico_client: Success",
        "== openapi-python-client 0.29.1: ready to take",
    ],
}
_BLOCK = re.compile(r"^(?P<indent> *)```sh\n(?P<body>.*?)^(?P=indent)```$", re.MULTILINE | re.DOTALL)


def _blocks() -> list[str]:
    return [textwrap.dedent(found["body"]) for found in _BLOCK.finditer(GUIDE.read_text(encoding="utf-8"))]


def _runnable() -> list[str]:
    return [block for block in _blocks() if block.strip() != CI_COMMAND]


def test_the_guide_has_commands_for_each_task() -> None:
    text = GUIDE.read_text(encoding="utf-8")
    for heading in ("## Add an operation", "## Change a field", "## Upgrade the generator", "## Cut a release"):
        assert heading in text
    assert len(_runnable()) >= 5


def test_the_ci_command_is_what_ci_runs() -> None:
    assert [block for block in _blocks() if block.strip() == CI_COMMAND]
    assert f"exec {CI_COMMAND}\n" in (ROOT / ".ci" / "run").read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def clone(tmp_path_factory: pytest.TempPathFactory) -> Path:
    target = tmp_path_factory.mktemp("clone") / "repo"
    subprocess.run(["git", "clone", "--quiet", str(ROOT), str(target)], check=True)  # noqa: S607 (git from PATH)
    tracked = subprocess.run(["git", "ls-files", "-z"], cwd=ROOT, capture_output=True, check=True)  # noqa: S607 (same)
    for name in tracked.stdout.decode().split("\0"):
        if name and (ROOT / name).is_file():
            (target / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(ROOT / name, target / name)
    (target / ".venv").symlink_to(ROOT / ".venv")
    return target


@pytest.mark.parametrize("block", _runnable(), ids=lambda block: block.strip().splitlines()[-1][:60])
def test_every_command_of_the_guide_runs(clone: Path, block: str) -> None:
    env = {
        **os.environ,
        "PATH": f"{ROOT / '.venv' / 'bin'}{os.pathsep}{os.environ.get('PATH', '')}",
        "PYTHONPATH": f"{clone / 'generated'}{os.pathsep}{clone}",
        "IYZICO_BOOTSTRAPPED": "1",  # the environment is this one: no bootstrap in the clone
    }
    result = subprocess.run(
        ["bash", "-euo", "pipefail", "-c", block],  # noqa: S607 (bash from PATH, as a maintainer's shell)
        cwd=clone,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, f"{block}\n--- stdout\n{result.stdout[-3000:]}\n--- stderr\n{result.stderr[-3000:]}"
    for line in block.splitlines():
        for expected in EXPECTED.get(line.strip(), []):
            assert expected in result.stdout, f"{line.strip()} did not print {expected!r}:\n{result.stdout}"


def test_the_expected_outputs_belong_to_commands_of_the_guide() -> None:
    lines = {line.strip() for block in _runnable() for line in block.splitlines()}
    assert set(EXPECTED) <= lines


def test_the_guide_tries_the_pinned_generator() -> None:
    assert f"python3 scripts/generate.py --try-generator {GENERATOR_VERSION}" in EXPECTED
