"""Every change `scripts/generate.py` makes to openapi-python-client's internals, in one place.

Neither custom templates nor programmatic use are covered by the generator's versioning promise, so each
patch is tested against the pinned version (tests/test_generator_patches.py) and says which upstream
change would make it unnecessary. Nothing else in the project imports generator internals, except the
`reader` helper below, which names property classes.
"""

from __future__ import annotations

import ast
import typing
from collections.abc import Callable, Mapping
from decimal import Decimal

from openapi_python_client import Project
from openapi_python_client.parser.properties import AnyProperty, EnumProperty, ModelProperty
from openapi_python_client.parser.properties.boolean import BooleanProperty
from openapi_python_client.parser.properties.float import FloatProperty
from openapi_python_client.parser.properties.int import IntProperty
from openapi_python_client.parser.properties.list_property import ListProperty
from openapi_python_client.parser.properties.protocol import Value
from openapi_python_client.parser.properties.string import StringProperty
from openapi_python_client.strings import PythonCode

__all__ = ["apply", "import_parts", "reader"]

# The names the templates read besides the generator's own: set by `apply`.
TemplateGlobals = Mapping[str, object]


def reader(prop: typing.Any) -> str:
    """How the runtime reads one property (`iyzico_client._runtime.models`), as source for the model template."""
    if isinstance(prop, FloatProperty):
        return "_read.amount"
    if isinstance(prop, BooleanProperty):
        return "_read.boolean"
    if isinstance(prop, IntProperty):
        return "_read.integer"
    if isinstance(prop, StringProperty):
        return "_read.text"
    if isinstance(prop, EnumProperty):
        return f"_read.enum_of({prop.class_info.name})"
    if isinstance(prop, ModelProperty):
        return f"_read.model({prop.class_info.name}.from_dict)"
    if isinstance(prop, ListProperty):
        return f"_read.list_of({reader(prop.inner_property)})"
    if isinstance(prop, AnyProperty):
        return "_read.anything"
    raise ValueError(f"no runtime reader for {type(prop).__name__} {prop.name!r}: add one to spec/runtime/models.py")


def import_parts(statement: str) -> tuple[str, str]:
    """(module, name) of one `from .module import Name` line the generator hands models_init (read as Python,
    so a change in how upstream spells the line fails here, loudly, instead of splitting wrong)."""
    tree = ast.parse(statement)
    node = tree.body[0] if len(tree.body) == 1 else None
    if not isinstance(node, ast.ImportFrom) or len(node.names) != 1 or node.names[0].asname:
        raise ValueError(f"expected `from .module import Name`, the generator gave {statement!r}")
    return "." * node.level + (node.module or ""), node.names[0].name


def _numbers_are_decimals() -> None:
    """`type: number` becomes `decimal.Decimal`: its type, its import, and its defaults written exactly.

    Removed by: upstream support for a decimal number type (e.g. `format: decimal` read as Decimal, or a
    config option choosing the Python type of `number`); the generator has none as of 0.29.1.
    """
    FloatProperty._type_string = "Decimal"
    FloatProperty._json_type_string = "Decimal"
    upstream_get_imports = FloatProperty.get_imports

    def get_imports(self: FloatProperty, *, prefix: str) -> set[str]:
        return upstream_get_imports(self, prefix=prefix) | {
            "from decimal import Decimal",
            f"from {prefix}types import to_decimal",
        }

    def convert_value(cls: type[FloatProperty], value: typing.Any) -> Value | None:
        if isinstance(value, Value) or value is None:
            return value
        if isinstance(value, bool) or not isinstance(value, str | int | float | Decimal):
            raise ValueError(f"cannot use {value!r} as a decimal default")
        exact = Decimal(str(value))
        return Value(python_code=PythonCode(f'Decimal("{exact}")'), raw_value=value)

    FloatProperty.get_imports = get_imports  # type: ignore[method-assign,assignment]  # the patch itself
    FloatProperty.convert_value = classmethod(convert_value)  # type: ignore[method-assign,assignment]  # same


def _templates_see(template_globals: TemplateGlobals) -> None:
    """The templates' Jinja environment gets our globals (the spec's tables and the helpers above).

    Removed by: an upstream way to hand custom templates extra globals or filters (a config key or a
    public hook on `Project`); as of 0.29.1 the environment is built inside `Project.__init__` only.
    """
    upstream_init = Project.__init__

    def project_init(self: Project, **kwargs: typing.Any) -> None:
        upstream_init(self, **kwargs)
        self.env.globals.update(template_globals)

    Project.__init__ = project_init  # type: ignore[method-assign]  # the patch itself


def apply(template_globals: TemplateGlobals) -> None:
    """Apply every patch (once per process: `scripts/generate.py` runs the generator once)."""
    _numbers_are_decimals()
    helpers: dict[str, Callable[..., object]] = {"iyzico_reader": reader, "iyzico_import_parts": import_parts}
    _templates_see({**template_globals, **helpers})
