"""The README's SaaS subscription guide, run verbatim: its two files written into a fresh folder, its command run
there, and what it prints compared with what the README says it prints."""

from __future__ import annotations

import pathlib
import subprocess

from tests.test_readme_shops import check_pip_line, guide, project, python_command


def test_the_saas_guide(tmp_path: pathlib.Path) -> None:
    found = guide("A SaaS monthly plan, end to end")
    assert sorted(found.files) == ["saas.py", "try_saas.py"]
    pip, run, *printed = found.commands  # the sh block, then the text block of what it prints
    check_pip_line(pip)
    assert run == "python try_saas.py"
    result = subprocess.run(
        python_command(run), cwd=project(tmp_path, found), capture_output=True, text=True, timeout=300, check=False
    )
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout.splitlines() == printed
