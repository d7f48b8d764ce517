"""What changed in the API between two versions of the spec, as users of the generated client see it.

A structural diff over the bundled documents (scripts/_spec.py), operation by operation (by operationId):
operations added or removed (or moved to another method or path), parameters, request and response fields
(dotted paths through `$ref`, `allOf` and arrays: `basketItems[].price`) with their kind, required flag and
enum values, the fields a success always carries (scripts/_guarantees.py: what the models make non-optional),
and the `x-iyzico-*` rules the trust layer follows (signed fields, retry class, echoes). Each
change says whether it breaks code written against the older version: a request gains a required field or
loses one, a value it may send is no longer accepted, an answer loses a field, a required answer field
becomes optional, or an answer field may carry an enum value existing code does not handle.

Why not a library: the OpenAPI diff tools on PyPI are young single-maintainer projects with uncertain OpenAPI
3.1 support (`type: [number, string]`), and none knows the `x-iyzico-*` extensions, which are half of what a
changelog of this API must say; the well-kept tool (oasdiff) is a Go binary, not a PyPI package.
"""

from __future__ import annotations

import json
import re
import subprocess
import tempfile
import typing
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

import spec_rules
from _guarantees import guaranteed_fields
from _spec import PARTS_DIR, ROOT, ROOT_FILE, load_spec, read_yaml

Json = typing.Any

CHANGELOG = ROOT / "CHANGELOG.md"
RELEASE_TAGS = "v[0-9]*"


@dataclass(frozen=True)
class Field:
    kind: str
    required: bool
    enum: tuple[str, ...]


@dataclass(frozen=True)
class Change:
    operation: str  # the operationId
    what: str
    breaking: bool

    def __str__(self) -> str:
        return f"{'BREAKING ' if self.breaking else ''}{self.operation}: {self.what}"


# -- reading a version of the spec ------------------------------------------------------------------------


def _git(repo: Path, *arguments: str) -> bytes:
    return subprocess.run(["git", *arguments], cwd=repo, capture_output=True, check=True).stdout


def _spec_at(ref: str, repo: Path) -> Json:
    """The bundled spec of a git commit (the root file and its parts, as that commit had them)."""
    try:
        _git(repo, "rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}")
    except subprocess.CalledProcessError:
        raise ValueError(f"{ref!r} is neither a file, a folder nor a git commit of {repo}") from None
    listed = _git(repo, "ls-tree", "-r", "--name-only", ref, "--", f"spec/{ROOT_FILE}", f"spec/{PARTS_DIR}")
    names = listed.decode().split()
    if f"spec/{ROOT_FILE}" not in names:
        return {"paths": {}}  # a commit from before the spec: no API yet
    with tempfile.TemporaryDirectory(prefix="iyzico-spec-") as scratch:
        for name in names:
            target = Path(scratch) / name
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(_git(repo, "show", f"{ref}:{name}"))
        return load_spec(Path(scratch) / "spec")


def load(version: str, repo: Path = ROOT) -> Json:
    """A spec given as a git ref, a checkout or `spec/` folder, a root `iyzico.yaml`, or one bundled file."""
    path = Path(version)
    if path.is_dir():
        return load_spec(path / "spec" if (path / "spec" / ROOT_FILE).exists() else path)
    if path.is_file():
        if path.suffix == ".json":
            return json.loads(path.read_text(encoding="utf-8"), parse_float=Decimal)
        if path.name == ROOT_FILE and (path.parent / PARTS_DIR).is_dir():
            return load_spec(path.parent)
        return read_yaml(path)
    return _spec_at(version, repo)


# -- what an operation looks like to a user ---------------------------------------------------------------


def _kind(spec: Json, schema: Mapping[str, Json]) -> str:
    name = spec_rules.schema_name(schema)
    resolved = spec_rules._resolve(spec, schema)
    kinds = resolved.get("type")
    text = "|".join(kinds) if isinstance(kinds, list) else str(kinds or ("object" if name else "any"))
    if resolved.get("format"):
        text += f" ({resolved['format']})"
    if text == "array":
        return f"array of {_kind(spec, resolved.get('items', {}))}"
    return name or text


def _enum(spec: Json, schema: Mapping[str, Json]) -> tuple[str, ...]:
    resolved = spec_rules._resolve(spec, schema)
    if resolved.get("type") == "array":
        resolved = spec_rules._resolve(spec, resolved.get("items", {}))
    return tuple(str(value) for value in resolved.get("enum", ()))


def _has_fields(spec: Json, schema: Mapping[str, Json]) -> bool:
    return bool(spec_rules.properties(spec, schema))


def fields(
    spec: Json, schema: Mapping[str, Json], prefix: str = "", seen: frozenset[str] = frozenset()
) -> dict[str, Field]:
    """Every field reachable from `schema`, by dotted path (`items[]` for each element of a list)."""
    found: dict[str, Field] = {}
    required = spec_rules.required_properties(spec, schema)
    for name, prop in spec_rules.properties(spec, schema).items():
        path = f"{prefix}{name}"
        found[path] = Field(_kind(spec, prop), name in required, _enum(spec, prop))
        resolved = spec_rules._resolve(spec, prop)
        inner, suffix = (resolved.get("items", {}), "[].") if resolved.get("type") == "array" else (prop, ".")
        ref = spec_rules.schema_name(inner) or spec_rules.schema_name(spec_rules._resolve(spec, inner))
        if ref in seen or not _has_fields(spec, inner):
            continue
        found.update(fields(spec, inner, path + suffix, seen | {ref} if ref else seen))
    return found


@dataclass(frozen=True)
class Operation:
    method: str
    path: str
    parameters: dict[str, Field]
    request: dict[str, Field]
    response: dict[str, Field]
    signature: tuple[tuple[str, ...], ...]
    signature_confirmed: bool | None
    retry: str | None
    echo: tuple[str, ...]
    guaranteed: tuple[str, ...]  # response fields every success carries (non-optional on the models)


def operations(spec: Json) -> dict[str, Operation]:
    found = {}
    for method, path, operation in spec_rules.operations(spec):
        body = operation.get("requestBody", {}).get("content", {}).get("application/json", {}).get("schema")
        answer = spec_rules.response_schema(operation)
        signature = operation.get("x-iyzico-signature") or {}
        found[operation["operationId"]] = Operation(
            method=method.upper(),
            path=path,
            parameters={
                f"{parameter['in']}.{parameter['name']}": Field(
                    _kind(spec, parameter.get("schema", {})),
                    bool(parameter.get("required")),
                    _enum(spec, parameter.get("schema", {})),
                )
                for parameter in spec_rules.parameters(spec, operation)
            },
            request=fields(spec, body) if body else {},
            response=fields(spec, answer) if answer else {},
            signature=tuple(tuple(recipe["fields"]) for recipe in signature.get("recipes", [])),
            signature_confirmed=signature.get("confirmed"),
            retry=operation.get("x-iyzico-retry"),
            echo=tuple(f"{response}<-{request}" for response, request in spec_rules.echoes(operation)),
            guaranteed=tuple(path for path, _ in guaranteed_fields(spec, operation)),
        )
    return found


# -- the diff -------------------------------------------------------------------------------------------------


def _ancestor_in(path: str, paths: set[str]) -> bool:
    parts = re.split(r"\[\]\.|\.", path)
    separators = re.findall(r"\[\]\.|\.", path)
    prefix = ""
    for part, separator in zip(parts[:-1], separators, strict=True):
        prefix += part
        if prefix in paths:
            return True
        prefix += separator
    return False


def _field_changes(old: dict[str, Field], new: dict[str, Field], where: str, sent: bool) -> Iterator[tuple[str, bool]]:
    """(what, breaking) for one table of fields; `sent`: the user writes them (request, parameters)."""
    removed, added = old.keys() - new.keys(), new.keys() - old.keys()
    for path in sorted(removed):
        if not _ancestor_in(path, removed):
            yield f"{where} `{path}` removed", True
    for path in sorted(added):
        if not _ancestor_in(path, added):
            field = new[path]
            label = "required" if field.required else "optional"
            yield f"{where} `{path}` added ({label}, {field.kind})", sent and field.required
    for path in sorted(old.keys() & new.keys()):
        before, after = old[path], new[path]
        if before.kind != after.kind:
            yield f"{where} `{path}` changed kind: {before.kind} -> {after.kind}", True
        if before.required != after.required:
            now = "required" if after.required else "optional"
            yield f"{where} `{path}` is now {now}", after.required == sent
        gone = [value for value in before.enum if value not in after.enum]
        new_values = [value for value in after.enum if value not in before.enum]
        if gone:
            yield f"{where} `{path}` enum values removed: {', '.join(gone)}", sent
        if new_values:
            yield f"{where} `{path}` enum values added: {', '.join(new_values)}", not sent


def _operation_changes(old: Operation, new: Operation) -> Iterator[tuple[str, bool]]:
    if (old.method, old.path) != (new.method, new.path):
        yield f"moved from {old.method} {old.path} to {new.method} {new.path}", True
    yield from _field_changes(old.parameters, new.parameters, "parameter", sent=True)
    yield from _field_changes(old.request, new.request, "request field", sent=True)
    yield from _field_changes(old.response, new.response, "response field", sent=False)
    # A field (or its parent) that is gone altogether is reported as removed, not as no longer guaranteed.
    lost = {path for path in old.guaranteed if path not in new.guaranteed}
    for path in [path for path in old.guaranteed if path in lost and path in new.response]:
        if not _ancestor_in(path, lost):
            yield f"response field `{path}` no longer guaranteed on a success (now optional on the model)", True
    gained = {path for path in new.guaranteed if path not in old.guaranteed}
    for path in [path for path in new.guaranteed if path in gained and path in old.response]:
        if not _ancestor_in(path, gained):
            yield f"response field `{path}` now guaranteed on a success (non-optional on the model)", False
    if old.signature != new.signature:
        shown = [
            " | ".join(" + ".join(recipe) for recipe in signature) or "none"
            for signature in (old.signature, new.signature)
        ]
        yield f"signed fields (x-iyzico-signature): [{shown[0]}] -> [{shown[1]}]", False
    if old.signature_confirmed != new.signature_confirmed:
        yield f"signature recipe confirmed: {old.signature_confirmed} -> {new.signature_confirmed}", False
    if old.retry != new.retry:
        yield f"retry class (x-iyzico-retry): {old.retry} -> {new.retry}", False
    if old.echo != new.echo:
        yield f"echoed fields (x-iyzico-echo): [{', '.join(old.echo)}] -> [{', '.join(new.echo)}]", False


def diff(old_spec: Json, new_spec: Json) -> list[Change]:
    """Every change from `old_spec` to `new_spec`, operation by operation (operationIds sorted)."""
    old, new = operations(old_spec), operations(new_spec)
    changes: list[Change] = []
    for operation_id in sorted(old.keys() | new.keys()):
        if operation_id not in new:
            was = old[operation_id]
            changes.append(Change(operation_id, f"operation removed ({was.method} {was.path})", True))
        elif operation_id not in old:
            now = new[operation_id]
            changes.append(Change(operation_id, f"operation added ({now.method} {now.path})", False))
        else:
            changes.extend(
                Change(operation_id, what, breaking)
                for what, breaking in _operation_changes(old[operation_id], new[operation_id])
            )
    return changes


def report(changes: list[Change], old_label: str, new_label: str) -> str:
    if not changes:
        return f"No API changes from {old_label} to {new_label}.\n"
    breaking = sum(change.breaking for change in changes)
    lines = [f"API changes from {old_label} to {new_label}: {len(changes)} ({breaking} breaking)", ""]
    current = None
    for change in changes:
        if change.operation != current:
            current = change.operation
            lines.append(f"{change.operation}")
        lines.append(f"  {'BREAKING ' if change.breaking else ''}{change.what}")
    return "\n".join(lines) + "\n"


# -- the changelog rule -------------------------------------------------------------------------------------


def unreleased_section(changelog: str) -> str:
    """The text of the changelog's first `## ` section whose heading says "unreleased" ("" when none)."""
    sections = re.split(r"(?m)^(?=## )", changelog)
    return next(
        (
            section
            for section in sections
            if section.startswith("## ") and "unreleased" in section.splitlines()[0].lower()
        ),
        "",
    )


def undocumented(changes: list[Change], changelog: str) -> list[Change]:
    """The breaking changes whose operationId the changelog's unreleased section does not mention."""
    section = unreleased_section(changelog)
    return [
        change
        for change in changes
        if change.breaking and not re.search(rf"\b{re.escape(change.operation)}\b", section)
    ]


def last_release(repo: Path = ROOT) -> str | None:
    """The newest release tag (`v<version>`), or None before the first release."""
    tags = _git(repo, "tag", "--list", RELEASE_TAGS, "--sort=-v:refname").decode().split()
    return tags[0] if tags else None


def changelog_check(repo: Path = ROOT) -> tuple[bool, list[str]]:
    """(passed, lines to print): every breaking change of the spec since the last release tag is named (by
    its operationId) in the unreleased section of CHANGELOG.md."""
    try:
        release = last_release(repo)
    except (OSError, subprocess.CalledProcessError):
        return True, ["not a git checkout: no release to compare the spec with"]
    if release is None:
        return True, [f"no release tag ({RELEASE_TAGS}) yet: nothing released, so nothing to break"]
    changes = diff(load(release, repo), load_spec(repo / "spec"))
    missing = undocumented(changes, (repo / "CHANGELOG.md").read_text(encoding="utf-8"))
    breaking = [change for change in changes if change.breaking]
    if not missing:
        return True, [
            f"{len(breaking)} breaking spec change(s) since {release}, each named in CHANGELOG.md's unreleased section"
        ]
    lines = [
        f"breaking spec change since {release} that CHANGELOG.md's unreleased section does not name: {change}"
        for change in missing
    ]
    lines.append(f"(see `python3 scripts/spec_diff.py {release}`; name each operationId under the unreleased heading)")
    return False, lines
