"""Hand-written runtime of the generated client: what generated modules call instead of carrying the logic.

The sources live in `spec/runtime/`; `scripts/generate.py` copies them into `iyzico_client/_runtime/`
unchanged (they are checked by ruff there and by mypy here, with the generated code that imports them).
"""
