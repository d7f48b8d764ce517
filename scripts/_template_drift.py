"""The upstream drift check of our template overrides: each differs from the generator's own template only
inside marked regions, so a generator upgrade is a mechanical three-way merge.

An override (a file in `spec/templates/` with the same name as one of the generator's templates) starts
with a header naming the upstream file and its version, and marks every change:

    {# iyzico: override of openapi-python-client 0.29.1 templates/types.py.jinja
       Why: ... #}
    ...upstream lines, verbatim...
    {# iyzico: begin <why this region differs> #}
    ...our lines, which replace zero or more upstream lines...
    {# iyzico: end #}
    ...upstream lines, verbatim...

Pristine copies of the upstream templates we override (and of those a region adapts code from, named in its
reason as `(adapted from templates/<name>)`) are kept in `spec/templates/upstream/<version>/`.
With the regions taken out, what is left of an override must be the pristine copy with, at each region,
some run of its lines (possibly none) taken out: an edit outside a region is a problem, and so is an
override without a pristine copy or a pristine copy that is not the installed generator's file.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

UPSTREAM_DIR = "upstream"
HEADER = re.compile(r"\{# iyzico: override of openapi-python-client (?P<version>\S+) templates/(?P<name>\S+)")
# Jinja's whitespace control (`{#-`, `-#}`) is allowed on the marks: a region inside a `{%- ... -%}` block
# may need it to leave the output as it was.
BEGIN = re.compile(r"\s*\{#-? iyzico: begin (?P<reason>.*?)(?:-?#\})?$")
END = re.compile(r"\s*\{#-? iyzico: end -?#\}\s*$")
COMMENT_END = "#}"
# A region that adapts code of another upstream template names it; that template's pristine copy is kept too,
# so an upgrade shows when it changed.
ADAPTED = re.compile(r"\(adapted from templates/(?P<name>[^)\s]+)\)")
_REGION_PLACEHOLDER = "{# iyzico: (marked region) #}"


class MarkError(ValueError):
    """An override whose header or region marks cannot be read."""


@dataclass(frozen=True)
class Region:
    """A marked region: the reason on its begin mark and its lines (the marks included)."""

    reason: str
    lines: tuple[str, ...]


@dataclass(frozen=True)
class Verbatim:
    """A run of lines outside every region, which must be upstream's; `first` is its first line's number."""

    first: int
    lines: tuple[str, ...]


@dataclass(frozen=True)
class Override:
    """An override read into its header and a sequence of verbatim runs and marked regions."""

    version: str
    upstream_name: str
    parts: tuple[Verbatim | Region, ...]

    @property
    def regions(self) -> list[Region]:
        return [part for part in self.parts if isinstance(part, Region)]

    @property
    def adapted(self) -> set[str]:
        """The other upstream templates whose code the regions adapt."""
        return {found["name"] for region in self.regions for found in ADAPTED.finditer(" ".join(region.lines))}


def _comment(lines: Sequence[str], start: int) -> int:
    """Index of the line that closes the Jinja comment opened on `lines[start]`."""
    for index in range(start, len(lines)):
        if COMMENT_END in lines[index]:
            return index
    raise MarkError(f"line {start + 1}: a comment that is never closed")


def read_override(text: str) -> Override | None:
    """The override in `text`, or None when it has no override header (a template of our own)."""
    lines = text.splitlines()
    found = HEADER.match(lines[0]) if lines else None
    if found is None:
        if any(BEGIN.match(line) or END.match(line) for line in lines):
            raise MarkError("region marks in a template without an `iyzico: override of` header")
        return None
    parts: list[Verbatim | Region] = []
    verbatim: list[str] = []
    index = _comment(lines, 0) + 1
    first = index + 1
    while index < len(lines):
        line = lines[index]
        if END.match(line):
            raise MarkError(f"line {index + 1}: `iyzico: end` without a begin")
        begin = BEGIN.match(line)
        if begin is None:
            verbatim.append(line)
            index += 1
            continue
        reason = begin["reason"].strip()
        if not reason:
            raise MarkError(f"line {index + 1}: a region without a reason")
        closes = next((at for at in range(index + 1, len(lines)) if END.match(lines[at])), None)
        inside = lines[index + 1 : closes]
        if closes is None or any(BEGIN.match(line) for line in inside):
            raise MarkError(f"line {index + 1}: region {reason!r} is not closed by `iyzico: end` before the next begin")
        parts.append(Verbatim(first, tuple(verbatim)))
        verbatim = []
        parts.append(Region(reason, tuple(lines[index : closes + 1])))
        index = closes + 1
        first = index + 1
    parts.append(Verbatim(first, tuple(verbatim)))
    return Override(found["version"], found["name"], tuple(parts))


def mismatch(override: Override, upstream: Sequence[str]) -> str | None:
    """None when the upstream lines are the override's verbatim runs in order with some run of lines (possibly
    none) at each region; otherwise which verbatim run is not upstream's, for the report."""
    # Every upstream position the parts read so far can end at (a region may stand for any run of lines).
    ends = {0}
    for part in override.parts:
        if isinstance(part, Region):
            ends = set(range(min(ends), len(upstream) + 1))
            continue
        ends = {at + len(part.lines) for at in ends if tuple(upstream[at : at + len(part.lines)]) == part.lines}
        if not ends:
            last = part.first + len(part.lines) - 1
            return f"lines {part.first}-{last} (outside any marked region) are not upstream's lines at that place"
    if len(upstream) not in ends:
        return "upstream lines after the last marked region are missing from the override"
    return None


def _without_regions(override: Override) -> list[str]:
    lines: list[str] = []
    for part in override.parts:
        lines.extend([_REGION_PLACEHOLDER] if isinstance(part, Region) else part.lines)
    return lines


def _override_problems(name: str, text: str, upstream: Path, version: str, installed: Path) -> Iterator[str]:
    try:
        override = read_override(text)
    except MarkError as error:
        yield f"{name}: {error}"
        return
    if override is None:
        if (installed / name).exists():
            yield (
                f"{name} replaces the generator's template of that name: start it with "
                f"`{{# iyzico: override of openapi-python-client {version} templates/{name}` and mark its edits"
            )
        return
    if override.version != version or override.upstream_name != name:
        named = f"templates/{override.upstream_name} of {override.version}"
        yield f"{name}: its header names {named}; the pinned generator is {version}"
        return
    if not upstream.exists():
        yield f"{name}: no pristine upstream copy at spec/templates/{UPSTREAM_DIR}/{version}/{name}"
        return
    pristine = upstream.read_text(encoding="utf-8").splitlines()
    wrong = mismatch(override, pristine)
    if wrong is None:
        return
    ours = _without_regions(override)
    diff = difflib.unified_diff(pristine, ours, f"upstream {version} {name}", f"{name} (regions out)", lineterm="")
    yield f"{name} differs from upstream {version} outside its marked regions: {wrong}\n" + "\n".join(diff)


def adapted_templates(templates: Path) -> set[str]:
    """Every upstream template whose code a region of an override adapts (unreadable overrides left out)."""
    found: set[str] = set()
    for path in templates.glob("**/*.jinja"):
        if UPSTREAM_DIR not in path.relative_to(templates).parts[:1]:
            try:
                override = read_override(path.read_text(encoding="utf-8"))
            except MarkError:
                continue
            found |= override.adapted if override else set()
    return found


def problems(templates: Path, version: str, installed: Path | None) -> list[str]:
    """Everything wrong with the overrides in `templates` against the pristine copies of `version` (and, when
    given, the installed generator's template folder, which the pristine copies must equal)."""
    pristine_dir = templates / UPSTREAM_DIR / version
    found: list[str] = []
    for path in sorted(templates.rglob("*.jinja")):
        name = path.relative_to(templates).as_posix()
        if name.startswith(f"{UPSTREAM_DIR}/"):
            continue
        text = path.read_text(encoding="utf-8")
        found.extend(_override_problems(name, text, pristine_dir / name, version, installed or pristine_dir))
    adapted = adapted_templates(templates)
    keep = f"spec/templates/{UPSTREAM_DIR}/{version}/"
    found.extend(
        f"a region adapts templates/{name}: keep its pristine copy in {keep}"
        for name in sorted(adapted)
        if not (pristine_dir / name).exists()
    )
    for copy in sorted(pristine_dir.rglob("*.jinja")):
        name = copy.relative_to(pristine_dir).as_posix()
        if not (templates / name).exists() and name not in adapted:
            found.append(
                f"spec/templates/{UPSTREAM_DIR}/{version}/{name}: nothing overrides or adapts it; delete the copy"
            )
        elif installed is not None and copy.read_bytes() != (installed / name).read_bytes():
            found.append(f"spec/templates/{UPSTREAM_DIR}/{version}/{name} is not the installed generator's template")
    return found


def installed_templates() -> Path:
    """The template folder of the installed openapi-python-client."""
    import openapi_python_client

    return Path(openapi_python_client.__file__).parent / "templates"
