#!/usr/bin/env python3
"""Every check and the whole test suite: the command CI runs (`.ci/run`).

    python3 scripts/check.py            # all checks, then pytest
    python3 scripts/check.py -- -k sig  # extra arguments after `--` go to pytest

Steps: OpenAPI validation of the bundled spec (openapi-spec-validator) and the project's spec rules, breaking
API changes since the last release tag named in CHANGELOG.md (scripts/_spec_diff.py), the upstream drift check
of the template overrides (scripts/_template_drift.py), the drift check of generated/, byte-compilation of
generated/, ruff (lint + format), mypy --strict over iyzico_ext, tests, scripts and the generated package,
pyright over the generated package and iyzico_ext (strict over the typing examples, tests/typing_examples/),
the API reference site (MkDocs, warnings are errors), then pytest. Every step runs; the exit code is non-zero
if any failed. With CI=true the hypothesis `ci` profile is used.
"""

from __future__ import annotations

import _bootstrap

_bootstrap.ensure_venv()

import os
import subprocess
import sys
import time
from collections.abc import Callable

import _spec_diff as spec_diff
import _template_drift as template_drift
import spec_rules
from _spec import ROOT, load_spec
from generate import GENERATOR_VERSION, TEMPLATES
from openapi_spec_validator import validate
from openapi_spec_validator.validation.exceptions import OpenAPIValidationError

Step = Callable[[], bool]


def _run(*command: str, env: dict[str, str] | None = None) -> bool:
    return subprocess.run(command, cwd=ROOT, env=None if env is None else {**os.environ, **env}).returncode == 0


def _tool(name: str) -> str:
    return str(ROOT / ".venv" / "bin" / name)


def spec_is_valid() -> bool:
    try:
        validate(load_spec())
    except (OpenAPIValidationError, ValueError) as error:  # ValueError: the parts do not bundle
        print(f"spec: {error}")
        return False
    print("spec/ bundles into a valid OpenAPI 3.1 document")
    return True


def spec_follows_project_rules() -> bool:
    found = spec_rules.problems(load_spec())
    for problem in found:
        print(f"spec rule: {problem}")
    return not found


def breaking_changes_are_in_the_changelog() -> bool:
    passed, lines = spec_diff.changelog_check()
    for line in lines:
        print(line)
    return passed


def templates_follow_upstream() -> bool:
    found = template_drift.problems(TEMPLATES, GENERATOR_VERSION, template_drift.installed_templates())
    for problem in found:
        print(f"template: {problem}")
    if not found:
        print(f"spec/templates/ overrides differ from openapi-python-client {GENERATOR_VERSION} only in marked regions")
    return not found


def generated_is_up_to_date() -> bool:
    return _run(sys.executable, "scripts/generate.py", "--check")


def generated_compiles() -> bool:
    return _run(sys.executable, "-m", "compileall", "-q", "generated")


def ruff_is_clean() -> bool:
    linted = _run(_tool("ruff"), "check", ".")
    formatted = _run(_tool("ruff"), "format", "--check", ".")
    return linted and formatted


def mypy_is_clean() -> bool:
    return _run(_tool("mypy"))


def pyright_is_clean() -> bool:
    # Configured in pyproject.toml ([tool.pyright]); runs on the machine's node (or a nodeenv it fetches).
    return _run(_tool("pyright"))


def docs_build() -> bool:
    # NO_MKDOCS_2_WARNING: Material's end-of-life banner, printed on every build, is not a build warning.
    quiet = {"NO_MKDOCS_2_WARNING": "1"}
    return _run(_tool("mkdocs"), "build", "--strict", "--quiet", "--config-file", "docs/mkdocs.yml", env=quiet)


def tests_pass(pytest_args: list[str]) -> bool:
    # pytest exits 5 when it collects nothing: that is a failure here, like any other non-zero code.
    return _run(sys.executable, "-m", "pytest", *pytest_args)


def main(argv: list[str]) -> int:
    pytest_args = argv[argv.index("--") + 1 :] if "--" in argv else []
    steps: list[tuple[str, Step]] = [
        ("spec: OpenAPI 3.1 validation", spec_is_valid),
        ("spec: project rules", spec_follows_project_rules),
        ("spec: breaking changes named in CHANGELOG.md", breaking_changes_are_in_the_changelog),
        ("templates: upstream drift", templates_follow_upstream),
        ("generated/ matches the spec", generated_is_up_to_date),
        ("generated/ compiles", generated_compiles),
        ("ruff", ruff_is_clean),
        ("mypy --strict", mypy_is_clean),
        ("pyright", pyright_is_clean),
        ("docs: mkdocs build --strict", docs_build),
        ("pytest", lambda: tests_pass(pytest_args)),
    ]
    failed: list[str] = []
    for number, (title, step) in enumerate(steps, start=1):
        started = time.perf_counter()
        print(f"\n=== [{number}/{len(steps)}] {title}", flush=True)
        ok = step()
        if not ok:
            failed.append(title)
        if not ok or number < len(steps):  # pytest's own summary line stays the last line of a green run
            print(f"=== {title}: {'ok' if ok else 'FAILED'} ({time.perf_counter() - started:.1f} s)", flush=True)
    if failed:
        print(f"\ncheck FAILED: {', '.join(failed)}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
