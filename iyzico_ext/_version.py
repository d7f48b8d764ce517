"""The distribution's version, in one place (pyproject.toml reads it from here)."""

__version__: str = "0.1.0"
