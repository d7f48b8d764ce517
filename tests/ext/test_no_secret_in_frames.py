"""No frame of a failing call shows the secret key, a card number, a CVC or an identity number.

Error trackers collect the locals of every frame of an exception, `pytest --showlocals` prints them
and debug error pages show them. Every failing call of tests/ext/failing_calls.py is run twice: in
process, with its frames scanned the way Sentry serializes them (tests/frame_leaks.py), and under
`pytest --showlocals --tb=long -vv` (untruncated locals) in a subprocess whose output is scanned.
The transport-fault matrix (test_fault_matrix.py) scans the frames of its 96 failures the same way.
"""

from __future__ import annotations

import os
import pathlib
import subprocess
import sys
import textwrap

import pytest

from tests.frame_leaks import FRAME_CANARIES, frame_leaks

from .failing_calls import FAILING_CALLS

ROOT = pathlib.Path(__file__).resolve().parents[2]


@pytest.mark.parametrize("name", sorted(FAILING_CALLS))
def test_no_frame_of_a_failing_call_shows_a_secret(name: str) -> None:
    call = FAILING_CALLS[name]
    with pytest.raises(call.raises) as caught:
        call.run()
    assert frame_leaks(caught.value) == []


def test_the_scan_finds_a_secret_in_a_frame() -> None:
    def holds_the_key(key: str) -> None:
        raise ValueError("refused")

    with pytest.raises(ValueError, match="refused") as caught:
        holds_the_key(FRAME_CANARIES[0])
    where = "test_the_scan_finds_a_secret_in_a_frame.<locals>.holds_the_key"
    assert frame_leaks(caught.value) == [f"{where}: key (canary ending {FRAME_CANARIES[0][-4:]!r})"]


_CHILD_TEST = """
import pytest

from tests.ext.failing_calls import FAILING_CALLS


@pytest.mark.parametrize("name", sorted(FAILING_CALLS))
def test_call(name):
    FAILING_CALLS[name].run()
"""


def test_pytest_showlocals_prints_no_secret_for_any_failing_call(tmp_path: pathlib.Path) -> None:
    (tmp_path / "test_failing_calls.py").write_text(textwrap.dedent(_CHILD_TEST), encoding="utf-8")
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "--showlocals", "--tb=long", "-vv", "-q"],
        cwd=tmp_path,
        env={**os.environ, "PYTHONPATH": os.pathsep.join((str(ROOT), str(ROOT / "scripts")))},  # as pyproject sets
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    output = result.stdout + result.stderr
    assert f"{len(FAILING_CALLS)} failed" in output, output[-2000:]
    assert "RequestJSON(<" in output  # the locals were printed, request JSON in its holder
    assert [canary[-4:] for canary in FRAME_CANARIES if canary in output] == []
