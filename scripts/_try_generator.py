"""`python3 scripts/generate.py --try-generator VERSION`: what taking another openapi-python-client version would
change, tried in throwaway folders; nothing in the checkout is touched.

1. A throwaway virtual environment gets that generator version from PyPI (`pip install --no-deps`); every
   other package comes from the project's pinned environment (a `.pth` file), so the generator is the one
   thing that changes. `pip check` says whether its declared dependencies are met by our pins.
2. Each template override is merged three ways (`git merge-file`): the pristine copy of the pinned
   upstream template (spec/templates/upstream/<pinned>/) as the base, that version's template as theirs,
   our override as ours. The report lists the templates upstream changed and the conflicts (the merged
   files, with conflict markers, are kept in the temp folder for the maintainer).
3. `scripts/generate.py` runs (our side taken in each conflict) in that environment with the merged templates into a
   temporary folder, and the report gives the diff against `generated/` (summary printed, full diff in a
   file).
4. The suite on the result: mypy --strict over the regenerated package and a fast subset of pytest (the
   money and request tests and every operation's example walked through the generated functions against
   the emulator), in a temporary copy of the checkout whose `generated/` is the new output. `--suite full`
   runs the whole pytest instead.

Exit code 0 when everything merged, generated and passed; 1 otherwise.
"""

from __future__ import annotations

import difflib
import os
import shutil
import subprocess
import sys
import sysconfig
import tempfile
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

import _template_drift as template_drift

FAST_SUITE = (
    "tests/test_money.py",
    "tests/test_requests.py",
    "tests/sandbox/test_client_against_emulator.py",
)
# What the regenerated checkout needs besides generated/ for the suite to run.
_CHECKOUT_PARTS = ("iyzico_ext", "tests", "scripts", "spec", "docs")
_CHECKOUT_FILES = ("pyproject.toml", "README.md", "CHANGELOG.md", "LICENSE")
_SHOWN_DIFF_LINES = 60


@dataclass(frozen=True)
class Merge:
    name: str
    upstream_changed: int  # lines upstream changed between the pinned version and the tried one
    conflicts: int
    text: str  # the three-way merge, with conflict markers
    ours_on_conflict: str  # the same merge with our side taken in each conflict (what the trial generates with)
    adapted_only: bool = False  # not overridden: a region of ours adapts code from it

    def conflict_lines(self) -> list[int]:
        return [number for number, line in enumerate(self.text.splitlines(), 1) if line.startswith("<<<<<<< ")]


def _print(text: str = "") -> None:
    print(text, flush=True)


def _run(
    command: list[str], *, cwd: Path | None = None, env: Mapping[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(command, capture_output=True, text=True, check=False, cwd=cwd, env=env)


def _venv(scratch: Path, version: str) -> Path | None:
    """A virtual environment with `openapi-python-client==version` over the project's packages; its python."""
    venv = scratch / "venv"
    made = _run([sys.executable, "-m", "venv", "--without-pip", str(venv)])
    python = venv / "bin" / "python"
    if made.returncode != 0:
        _print(f"could not create a virtual environment: {made.stderr.strip()}")
        return None
    site = Path(_run([str(python), "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"]).stdout.strip())
    # The project's packages come after the venv's own, so the tried generator shadows the pinned one.
    (site / "zz_project_packages.pth").write_text(sysconfig.get_path("purelib") + "\n")
    pip = [str(python), "-m", "pip", "--disable-pip-version-check"]
    installed = _run(
        [*pip, "install", "--quiet", "--no-deps", "--target", str(site), f"openapi-python-client=={version}"]
    )
    if installed.returncode != 0:
        _print(f"pip could not install openapi-python-client=={version}:\n{installed.stderr.strip()[-2000:]}")
        return None
    found = _run([str(python), "-c", "import openapi_python_client as g; print(g.__version__, g.__file__)"])
    _print(f"environment: openapi-python-client {found.stdout.strip()}")
    checked = _run([*pip, "check"])
    mine = [line for line in checked.stdout.splitlines() if line.lower().startswith("openapi-python-client")]
    _print("dependencies: " + ("; ".join(mine) if mine else "its declared requirements are met by the pinned packages"))
    return python


def _templates_of(python: Path) -> Path:
    where = _run([str(python), "-c", "import openapi_python_client as g; print(g.__file__)"]).stdout.strip()
    return Path(where).parent / "templates"


def _changed_lines(old: str, new: str) -> int:
    return sum(
        1
        for line in difflib.unified_diff(old.splitlines(), new.splitlines(), lineterm="", n=0)
        if line[:1] in "+-" and not line.startswith(("+++", "---"))
    )


def _merge(name: str, ours: Path, base: Path, theirs: Path) -> Merge:
    if not theirs.exists():
        return Merge(name, -1, 1, "", ours.read_text(encoding="utf-8"))
    labels = ["-L", "ours", "-L", "pinned upstream", "-L", "tried upstream"]
    merged = _run(["git", "merge-file", "-p", *labels, str(ours), str(base), str(theirs)])
    if merged.returncode < 0 or merged.returncode > 127:
        raise RuntimeError(f"git merge-file failed on {name}: {merged.stderr}")
    resolved = _run(["git", "merge-file", "-p", "--ours", str(ours), str(base), str(theirs)]).stdout
    changed = _changed_lines(base.read_text(encoding="utf-8"), theirs.read_text(encoding="utf-8"))
    return Merge(name, changed, merged.returncode, merged.stdout, resolved)


def merge_templates(templates: Path, pinned: str, tried: Path, into: Path) -> list[Merge]:
    """Copy `templates` to `into` with every override merged three ways against the tried version's templates
    (our side taken where they conflict)."""
    shutil.copytree(templates, into, ignore=shutil.ignore_patterns(template_drift.UPSTREAM_DIR))
    pristine = templates / template_drift.UPSTREAM_DIR / pinned
    merges = []
    for base in sorted(pristine.rglob("*.jinja")):
        name = base.relative_to(pristine).as_posix()
        if not (templates / name).exists():  # only adapted by a region: nothing to merge, only to review
            theirs = tried / name
            changed = (
                _changed_lines(base.read_text(encoding="utf-8"), theirs.read_text(encoding="utf-8"))
                if theirs.exists()
                else -1
            )
            merges.append(Merge(name, changed, 0, "", "", adapted_only=True))
            continue
        merge = _merge(name, templates / name, base, tried / name)
        merges.append(merge)
        (into / name).write_text(merge.ours_on_conflict, encoding="utf-8")
    return merges


def _report_merges(merges: list[Merge], version: str) -> bool:
    clean = True
    kept = Path(tempfile.gettempdir()) / f"iyzico-try-generator-{version}-merged"
    for merge in merges:
        if merge.adapted_only:
            if merge.upstream_changed:
                gone = merge.upstream_changed < 0
                what = "is GONE upstream" if gone else f"changed {merge.upstream_changed} lines upstream"
                _print(f"  {merge.name} (regions of ours adapt its code): {what}; review those regions")
                clean = False
            else:
                _print(f"  {merge.name} (regions of ours adapt its code): unchanged upstream")
            continue
        if merge.upstream_changed < 0:
            _print(f"  {merge.name}: GONE upstream (our override has nothing to merge into)")
            clean = False
        elif merge.conflicts:
            (kept / merge.name).parent.mkdir(parents=True, exist_ok=True)
            (kept / merge.name).write_text(merge.text, encoding="utf-8")
            at = ", ".join(str(line) for line in merge.conflict_lines())
            _print(
                f"  {merge.name}: upstream changed {merge.upstream_changed} lines; {merge.conflicts} CONFLICT(S) "
                f"(at lines {at} of {kept / merge.name})"
            )
            clean = False
        elif merge.upstream_changed:
            _print(f"  {merge.name}: upstream changed {merge.upstream_changed} lines; merged cleanly")
        else:
            _print(f"  {merge.name}: unchanged upstream")
    return clean


def _diff(committed: Path, fresh: Path) -> Iterator[str]:
    from generate import _files  # the drift check's own file listing

    want, have = _files(fresh), _files(committed)
    for name in sorted(want.keys() | have.keys()):
        old = have[name].read_text(encoding="utf-8").splitlines(keepends=True) if name in have else []
        new = want[name].read_text(encoding="utf-8").splitlines(keepends=True) if name in want else []
        yield from difflib.unified_diff(old, new, f"generated/iyzico_client/{name}", f"tried/iyzico_client/{name}")


def _report_diff(committed: Path, fresh: Path, version: str) -> None:
    lines = list(_diff(committed, fresh))
    files = [line for line in lines if line.startswith("+++ ")]
    added = sum(1 for line in lines if line.startswith("+") and not line.startswith("+++"))
    removed = sum(1 for line in lines if line.startswith("-") and not line.startswith("---"))
    saved = Path(tempfile.gettempdir()) / f"iyzico-try-generator-{version}.diff"
    saved.write_text("".join(lines), encoding="utf-8")
    _print(f"diff against generated/: {len(files)} files, +{added} -{removed} lines (full diff: {saved})")
    for line in lines[:_SHOWN_DIFF_LINES]:
        _print("  " + line.rstrip("\n"))
    if len(lines) > _SHOWN_DIFF_LINES:
        _print(f"  ... {len(lines) - _SHOWN_DIFF_LINES} more lines in {saved}")


def _checkout_with(root: Path, fresh: Path, into: Path) -> Path:
    for part in _CHECKOUT_PARTS:
        shutil.copytree(root / part, into / part, ignore=shutil.ignore_patterns("__pycache__", "site"))
    for name in _CHECKOUT_FILES:
        shutil.copy(root / name, into / name)
    shutil.copytree(fresh, into / "generated" / "iyzico_client")
    return into


def _suite(checkout: Path, full: bool) -> bool:
    env = {**os.environ, "PYTHONPATH": f"{checkout / 'generated'}{os.pathsep}{checkout}", "IYZICO_BOOTSTRAPPED": "1"}
    typed = _run([sys.executable, "-m", "mypy", "generated/iyzico_client"], cwd=checkout, env=env)
    verdict = typed.stdout.strip().splitlines()[-1] if typed.stdout.strip() else typed.stderr.strip()
    _print(f"  mypy --strict generated/iyzico_client: {verdict}")
    subset = [] if full else list(FAST_SUITE)
    if not full:  # a smoke test of the regenerated code, not a hunt for new counterexamples: lean examples
        env["HYPOTHESIS_PROFILE"] = "dev"
    tests = _run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-x", *subset], cwd=checkout, env=env)
    summary = tests.stdout.strip().splitlines()[-1] if tests.stdout.strip() else tests.stderr.strip()
    _print(f"  pytest {'(whole suite)' if full else '(fast subset: ' + ', '.join(FAST_SUITE) + ')'}: {summary}")
    if tests.returncode != 0:
        _print("\n".join("    " + line for line in tests.stdout.splitlines()[-30:]))
    return typed.returncode == 0 and tests.returncode == 0


def try_generator(version: str, *, root: Path, pinned: str, templates: Path, full_suite: bool) -> int:
    """The whole report; the exit code."""
    _print(f"== trying openapi-python-client {version} (pinned: {pinned})")
    with tempfile.TemporaryDirectory(prefix=f"iyzico-try-{version}-") as scratch_name:
        scratch = Path(scratch_name)
        python = _venv(scratch, version)
        if python is None:
            return 1
        _print(f"\n== template merge (base: upstream {pinned}, theirs: upstream {version}, ours: spec/templates/)")
        merged_templates = scratch / "templates"
        merges = merge_templates(templates, pinned, _templates_of(python), merged_templates)
        merged_cleanly = _report_merges(merges, version)
        if not merged_cleanly:
            _print("  the trial below takes our side of each conflict; resolve and review the above before taking it")
        _print("\n== regeneration")
        fresh = scratch / "out" / "iyzico_client"
        # ruff (the post-hooks') comes from the project's environment: its bin follows the throwaway one on PATH.
        path = f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}"
        options = ["--any-generator", "--templates", str(merged_templates), "--output", str(fresh)]
        generated = _run(
            [str(python), str(root / "scripts" / "generate.py"), *options],
            env={**os.environ, "IYZICO_BOOTSTRAPPED": "1", "PATH": path},
        )
        if generated.returncode != 0:
            _print(f"generation FAILED (exit {generated.returncode}):")
            _print("\n".join("  " + line for line in (generated.stdout + generated.stderr).strip().splitlines()[-25:]))
            _print(
                f"\n== openapi-python-client {version}: NOT ready (it cannot generate with our templates and patches)"
            )
            return 1
        _print(f"  {generated.stdout.strip()}")
        _report_diff(root / "generated" / "iyzico_client", fresh, version)
        _print("\n== the suite on the regenerated package")
        passed = _suite(_checkout_with(root, fresh, scratch / "checkout"), full_suite)
        ready = passed and merged_cleanly
        _print(f"\n== openapi-python-client {version}: {'ready to take' if ready else 'NOT ready'}")
        return 0 if ready else 1
