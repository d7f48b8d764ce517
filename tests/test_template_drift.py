"""The upstream drift check of spec/templates/: clean at the pinned generator, and each kind of drift found in a
temporary copy (an edit outside a marked region, broken marks, a missing header, a stale pristine copy)."""

from __future__ import annotations

import shutil
from pathlib import Path

import _template_drift as template_drift
import pytest
from generate import GENERATOR_VERSION, TEMPLATES


@pytest.fixture
def templates(tmp_path: Path) -> Path:
    return Path(shutil.copytree(TEMPLATES, tmp_path / "templates"))


def _problems(templates: Path) -> list[str]:
    return template_drift.problems(templates, GENERATOR_VERSION, template_drift.installed_templates())


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, old
    path.write_text(text.replace(old, new), encoding="utf-8")


def test_the_overrides_differ_from_the_pinned_upstream_only_in_marked_regions() -> None:
    assert _problems(TEMPLATES) == []


def test_the_pristine_copies_are_the_installed_generators_templates() -> None:
    pristine = TEMPLATES / template_drift.UPSTREAM_DIR / GENERATOR_VERSION
    copies = sorted(path.relative_to(pristine).as_posix() for path in pristine.rglob("*.jinja"))
    assert copies == [
        "endpoint_macros.py.jinja",  # not overridden: a region of endpoint_module adapts two of its macros
        "endpoint_module.py.jinja",
        "model.py.jinja",
        "models_init.py.jinja",
        "property_templates/float_property.py.jinja",
        "types.py.jinja",
    ]
    for name in copies:
        assert (pristine / name).read_bytes() == (template_drift.installed_templates() / name).read_bytes()


def test_an_edit_outside_every_marked_region_is_drift(templates: Path) -> None:
    _edit(templates / "types.py.jinja", "class File:", "class UploadFile:")
    [problem] = _problems(templates)
    assert problem.startswith("types.py.jinja differs from upstream 0.29.1 outside its marked regions: lines ")
    assert "-class File:" in problem
    assert "+class UploadFile:" in problem


def test_an_upstream_line_deleted_outside_a_region_is_drift(templates: Path) -> None:
    _edit(templates / "endpoint_module.py.jinja", "from urllib.parse import quote\n", "")
    [problem] = _problems(templates)
    assert "endpoint_module.py.jinja differs from upstream" in problem
    assert "-from urllib.parse import quote" in problem


def test_an_edit_inside_a_marked_region_is_ours(templates: Path) -> None:
    _edit(templates / "types.py.jinja", "    parsed: T\n", "    parsed: T  # never None\n")
    assert _problems(templates) == []


def test_an_unclosed_region_is_reported(templates: Path) -> None:
    path = templates / "property_templates" / "float_property.py.jinja"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("{# iyzico: end #}\n", "", 1), encoding="utf-8")
    [problem] = _problems(templates)
    assert "is not closed by `iyzico: end` before the next begin" in problem


def test_an_override_without_its_header_is_reported(templates: Path) -> None:
    path = templates / "models_init.py.jinja"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("{# iyzico: override of", "{# override of", 1), encoding="utf-8")
    [problem] = _problems(templates)
    assert "region marks in a template without an `iyzico: override of` header" in problem


def test_a_copied_upstream_template_without_marks_is_reported(templates: Path) -> None:
    shutil.copy(template_drift.installed_templates() / "client.py.jinja", templates / "client.py.jinja")
    [problem] = _problems(templates)
    assert problem.startswith("client.py.jinja replaces the generator's template of that name")


def test_a_pristine_copy_that_is_not_upstreams_is_reported(templates: Path) -> None:
    _edit(templates / "upstream" / GENERATOR_VERSION / "types.py.jinja", "class File:", "class UploadFile:")
    problems = _problems(templates)
    stale = f"spec/templates/upstream/{GENERATOR_VERSION}/types.py.jinja"
    assert f"{stale} is not the installed generator's template" in problems


def test_an_override_of_another_version_is_reported(templates: Path) -> None:
    _edit(templates / "types.py.jinja", "client 0.29.1 templates/", "client 0.28.0 templates/")
    [problem] = _problems(templates)
    assert "its header names templates/types.py.jinja of 0.28.0; the pinned generator is 0.29.1" in problem


def test_a_template_a_region_adapts_keeps_its_pristine_copy(templates: Path) -> None:
    (templates / "upstream" / GENERATOR_VERSION / "endpoint_macros.py.jinja").unlink()
    assert _problems(templates) == [
        f"a region adapts templates/endpoint_macros.py.jinja: keep its pristine copy in "
        f"spec/templates/upstream/{GENERATOR_VERSION}/"
    ]


def test_a_pristine_copy_nothing_uses_is_reported(templates: Path) -> None:
    _edit(templates / "endpoint_module.py.jinja", " (adapted from templates/endpoint_macros.py.jinja)", "")
    assert _problems(templates) == [
        f"spec/templates/upstream/{GENERATOR_VERSION}/endpoint_macros.py.jinja: nothing overrides or adapts it; "
        "delete the copy"
    ]
