"""`scripts/generate.py --try-generator VERSION`: the three-way template merge on synthetic templates and, opt-in,
the whole trial of an older version (the pinned version's trial is a command of CONTRIBUTING.md, run by
tests/test_contributing.py)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import _try_generator as try_generator
import pytest

ROOT = Path(__file__).resolve().parents[1]

UPSTREAM = "a\nb\nc\nd\ne\n"
OURS = (
    "{# iyzico: override of openapi-python-client 1.0 templates/t.jinja #}\n"
    "a\n{# iyzico: begin ours #}\nB\n{# iyzico: end #}\nc\nd\ne\n"
)


def _merge(tmp_path: Path, theirs: str) -> try_generator.Merge:
    templates, tried = tmp_path / "templates", tmp_path / "tried"
    (templates / "upstream" / "1.0").mkdir(parents=True)
    tried.mkdir()
    (templates / "upstream" / "1.0" / "t.jinja").write_text(UPSTREAM)
    (templates / "t.jinja").write_text(OURS)
    (tried / "t.jinja").write_text(theirs)
    [merge] = try_generator.merge_templates(templates, "1.0", tried, tmp_path / "merged")
    assert not (tmp_path / "merged" / "upstream").exists()
    assert (tmp_path / "merged" / "t.jinja").read_text() == merge.ours_on_conflict
    return merge


def test_an_upstream_change_outside_our_regions_merges_cleanly(tmp_path: Path) -> None:
    merge = _merge(tmp_path, UPSTREAM.replace("d\n", "d2\n"))
    assert (merge.upstream_changed, merge.conflicts) == (2, 0)
    assert merge.text == OURS.replace("d\n", "d2\n")


def test_an_upstream_change_inside_our_region_is_a_conflict(tmp_path: Path) -> None:
    merge = _merge(tmp_path, UPSTREAM.replace("b\n", "b2\n"))
    assert merge.conflicts == 1
    assert merge.conflict_lines() == [3]  # the header, `a`, then the conflict
    assert "<<<<<<< ours" in merge.text
    assert ">>>>>>> tried upstream" in merge.text
    assert merge.ours_on_conflict == OURS


def test_a_template_gone_upstream_is_reported(tmp_path: Path) -> None:
    templates, tried = tmp_path / "templates", tmp_path / "tried"
    (templates / "upstream" / "1.0").mkdir(parents=True)
    tried.mkdir()
    (templates / "upstream" / "1.0" / "t.jinja").write_text(UPSTREAM)
    (templates / "t.jinja").write_text(OURS)
    [merge] = try_generator.merge_templates(templates, "1.0", tried, tmp_path / "merged")
    assert merge.upstream_changed == -1
    assert merge.ours_on_conflict == OURS


def _try(version: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "generate.py"), "--try-generator", version],
        capture_output=True,
        text=True,
        env={**os.environ, "IYZICO_BOOTSTRAPPED": "1"},
        check=False,
    )


# The pinned version's whole trial (ready to take, no diff) runs as a command of CONTRIBUTING.md, in
# tests/test_contributing.py.


@pytest.mark.other_generator
@pytest.mark.skipif(os.environ.get("IYZICO_TRY_GENERATORS") != "1", reason="installs 0.28.0 from PyPI")
def test_an_older_version_reports_its_conflicts_and_why_it_cannot_generate() -> None:
    result = _try("0.28.0")
    assert result.returncode == 1
    out = result.stdout
    assert "endpoint_macros.py.jinja (regions of ours adapt its code): changed 38 lines upstream" in out
    assert "endpoint_module.py.jinja: upstream changed 34 lines; 4 CONFLICT(S)" in out
    assert "model.py.jinja: upstream changed 48 lines; 6 CONFLICT(S)" in out
    assert "generation FAILED" in out
    assert "No module named 'openapi_python_client.strings'" in out
    assert "== openapi-python-client 0.28.0: NOT ready (it cannot generate with our templates and patches)" in out
