"""Each patch of the generator's internals (scripts/_generator_patches.py) against the pinned version: what
upstream looks like before it (so an upgrade that changes it fails here first) and what it does. In a fresh
interpreter, so the patched classes never leak into other tests."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import _generator_patches as generator_patches
import pytest

SCRIPTS = Path(__file__).resolve().parents[1] / "scripts"


def _run(code: str) -> None:
    result = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code)], cwd=SCRIPTS, capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_numbers_become_decimals_with_exact_defaults_and_imports() -> None:
    _run(
        """
        from decimal import Decimal
        from openapi_python_client.parser.properties.float import FloatProperty
        import _generator_patches

        # upstream 0.29.1: a float, written from a float default
        assert (FloatProperty._type_string, FloatProperty._json_type_string) == ("float", "float")
        assert FloatProperty.convert_value("1.10").python_code.as_unembedded_code() == "1.1"
        _generator_patches.apply({})
        assert (FloatProperty._type_string, FloatProperty._json_type_string) == ("Decimal", "Decimal")
        assert FloatProperty.convert_value("1.10").python_code.as_unembedded_code() == 'Decimal("1.10")'
        assert FloatProperty.convert_value(Decimal("2.50")).python_code.as_unembedded_code() == 'Decimal("2.50")'
        for wrong in (True, [1]):
            try:
                FloatProperty.convert_value(wrong)
            except ValueError:
                pass
            else:
                raise AssertionError(wrong)
        prop = FloatProperty.build(name="price", required=True, default=None, python_name="price",
                                   description=None, example=None)
        assert {"from decimal import Decimal", "from ..types import to_decimal"} <= prop.get_imports(prefix="..")
        """
    )


def test_the_templates_see_our_globals() -> None:
    _run(
        """
        from pathlib import Path
        from openapi_python_client import Project
        from openapi_python_client.config import Config, ConfigFile, MetaType
        from openapi_python_client.parser import GeneratorData
        import _generator_patches

        spec = {"openapi": "3.1.0", "info": {"title": "t", "version": "1"}, "paths": {}}
        config = Config.from_sources(ConfigFile(), MetaType.NONE, Path("spec.yaml"), "utf-8", overwrite=True,
                                     output_path=Path("unused"))
        data = GeneratorData.from_dict(spec, config=config)
        assert "iyzico_docs" not in Project(openapi=data, config=config).env.globals
        _generator_patches.apply({"iyzico_docs": {"checkBin": "docs"}})
        env = Project(openapi=data, config=config).env
        assert env.globals["iyzico_docs"] == {"checkBin": "docs"}
        assert env.globals["iyzico_reader"] is _generator_patches.reader
        assert env.globals["iyzico_import_parts"] is _generator_patches.import_parts
        """
    )


def test_import_lines_are_read_as_python() -> None:
    assert generator_patches.import_parts("from .payment_resource import PaymentResource") == (
        ".payment_resource",
        "PaymentResource",
    )
    for odd in ("import os", "from .a import B, C", "from .a import B as C", "from .a import"):
        with pytest.raises((ValueError, SyntaxError)):
            generator_patches.import_parts(odd)
