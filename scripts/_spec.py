"""Read the spec exactly and bundle it: `spec/iyzico.yaml` (the root) plus one part per API family.

The root holds what every family shares (info, servers, security, the shared schemas); each file of
`spec/paths/` holds one family: its `tags`, `paths` and the `components` only it uses. Bundling merges
them into the single OpenAPI document that the validator, the spec rules, the generator, the drift
check and the packaged `openapi.json` all see; `$ref`s are written against that bundle
(`#/components/schemas/Address`), so a part is a fragment, not a standalone document. Adding a family
is adding a file; a name defined twice is an error naming both files.

YAML is read as YAML 1.2 (the generator's loader) with every float as an exact Decimal.
"""

from __future__ import annotations

import hashlib
import typing
from collections.abc import Iterable, Mapping
from decimal import Decimal
from pathlib import Path

from ruamel.yaml import YAML
from ruamel.yaml.constructor import SafeConstructor
from ruamel.yaml.nodes import ScalarNode

ROOT = Path(__file__).resolve().parent.parent
SPEC_DIR = ROOT / "spec"
ROOT_FILE = "iyzico.yaml"
PARTS_DIR = "paths"
# What a part may contribute: these mappings merge name by name, `tags` (a list) appends.
_MERGED_MAPPINGS = ("paths", "webhooks")
_PART_SECTIONS = frozenset({*_MERGED_MAPPINGS, "tags", "components"})

Json = typing.Any


class _DecimalConstructor(SafeConstructor):
    """YAML floats become exact Decimals (`94.2` stays 94.2, `100.0` keeps its trailing zero)."""

    def construct_yaml_float(self, node: ScalarNode) -> Decimal:  # type: ignore[override]  # Decimal, not float, on purpose
        text = str(self.construct_scalar(node)).replace("_", "")
        if text.lower() in {".inf", "+.inf", "-.inf", ".nan"}:
            raise ValueError(f"line {node.start_mark.line + 1}: {text} is not an amount")
        return Decimal(text)


_DecimalConstructor.add_constructor("tag:yaml.org,2002:float", _DecimalConstructor.construct_yaml_float)


def read_yaml(path: Path) -> dict[str, Json]:
    """One YAML file as plain dicts and lists, with exact decimals."""
    yaml = YAML(typ="safe", pure=True)
    yaml.Constructor = _DecimalConstructor
    document = yaml.load(path.read_bytes())
    if not isinstance(document, dict):
        raise ValueError(f"{path} does not hold a YAML mapping")
    return document


def spec_files(spec_dir: Path = SPEC_DIR) -> list[Path]:
    """The root first, then every part in name order (the bundle's order, hence the generated code's)."""
    return [spec_dir / ROOT_FILE, *sorted((spec_dir / PARTS_DIR).glob("*.yaml"))]


def _merge(into: dict[str, Json], items: Mapping[str, Json], where: str, owners: dict[str, str], section: str) -> None:
    for name, value in items.items():
        key = f"{section} {name}"
        if key in owners:
            raise ValueError(f"{key} is defined in both {owners[key]} and {where}")
        owners[key] = where
        into[name] = value


def bundle(documents: Iterable[tuple[str, Mapping[str, Json]]]) -> dict[str, Json]:
    """Merge (file name, document) pairs, root first, into one OpenAPI document; duplicates are errors."""
    (_, root), *parts = documents
    bundled: dict[str, Json] = {key: value for key, value in root.items() if key not in _PART_SECTIONS}
    owners: dict[str, str] = {}
    for where, document in [(ROOT_FILE, root), *parts]:
        unexpected = set(document) - _PART_SECTIONS
        if document is not root and unexpected:
            raise ValueError(f"{where}: a part may only hold {sorted(_PART_SECTIONS)}, not {sorted(unexpected)}")
        for section in _MERGED_MAPPINGS:
            if section in document:
                _merge(bundled.setdefault(section, {}), document[section], where, owners, section)
        if "tags" in document:
            tags = {tag["name"]: tag for tag in document["tags"]}
            _merge({}, tags, where, owners, "tag")
            bundled.setdefault("tags", []).extend(tags.values())
        for kind, items in document.get("components", {}).items():
            components = bundled.setdefault("components", {})
            _merge(components.setdefault(kind, {}), items, where, owners, f"components/{kind}")
    return bundled


def load_spec(spec_dir: Path = SPEC_DIR) -> dict[str, Json]:
    """The bundled spec as plain dicts and lists, with exact decimals."""
    return bundle((path.relative_to(spec_dir.parent).as_posix(), read_yaml(path)) for path in spec_files(spec_dir))


def spec_digest(spec_dir: Path = SPEC_DIR) -> str:
    """SHA-256 over every spec file's name and bytes, in bundle order (for provenance)."""
    digest = hashlib.sha256()
    for path in spec_files(spec_dir):
        digest.update(path.relative_to(spec_dir).as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()
