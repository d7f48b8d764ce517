"""Read spec/iyzico.yaml exactly: YAML 1.2 (the generator's loader) with every float as a Decimal."""

from __future__ import annotations

import typing
from decimal import Decimal
from pathlib import Path

from ruamel.yaml import YAML
from ruamel.yaml.constructor import SafeConstructor
from ruamel.yaml.nodes import ScalarNode

ROOT = Path(__file__).resolve().parent.parent
SPEC_PATH = ROOT / "spec" / "iyzico.yaml"


class _DecimalConstructor(SafeConstructor):
    """YAML floats become exact Decimals (`94.2` stays 94.2, `100.0` keeps its trailing zero)."""

    def construct_yaml_float(self, node: ScalarNode) -> Decimal:  # type: ignore[override]  # Decimal, not float, on purpose
        text = str(self.construct_scalar(node)).replace("_", "")
        if text.lower() in {".inf", "+.inf", "-.inf", ".nan"}:
            raise ValueError(f"line {node.start_mark.line + 1}: {text} is not an amount")
        return Decimal(text)


_DecimalConstructor.add_constructor("tag:yaml.org,2002:float", _DecimalConstructor.construct_yaml_float)


def load_spec(path: Path = SPEC_PATH) -> dict[str, typing.Any]:
    """The spec as plain dicts and lists, with exact decimals."""
    yaml = YAML(typ="safe", pure=True)
    yaml.Constructor = _DecimalConstructor
    document = yaml.load(path.read_bytes())
    if not isinstance(document, dict):
        raise ValueError(f"{path} does not hold an OpenAPI document")
    return document
