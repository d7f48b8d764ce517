"""A local emulator of iyzico's sandbox: signed requests verified, state kept, rules enforced, responses signed.

    app = create_app()                       # ASGI; `python -m iyzico_ext.sandbox` serves it with uvicorn

See `_faults` for fault injection, `_admin` for the `/_sandbox/` endpoints, `_readiness` for the go-live
readiness report, and the `iyzico_sandbox` pytest fixture (`iyzico_ext.pytest_plugin`) for users' tests.
"""

from __future__ import annotations

try:
    from ._api import SimulatedConnectionDrop
    from ._app import create_app
    from ._faults import FAULT_HEADER
    from ._readiness_model import ReadinessItem, ReadinessReport, RefusedGroup
    from ._readiness_probe import ProbeImpossible
    from ._state import DEFAULT_API_KEY, DEFAULT_SECRET_KEY, Sandbox
    from ._webhooks import SIGNATURE_HEADER as WEBHOOK_SIGNATURE_HEADER
    from ._webhooks import webhook_signature
except ModuleNotFoundError as missing:  # the `sandbox` extra is not installed: say what to install
    from .._sandbox_cli import INSTALL_HINT

    message = f"iyzico_ext.sandbox needs {missing.name}: {INSTALL_HINT}"
    raise ModuleNotFoundError(message, name=missing.name) from missing

__all__ = [
    "DEFAULT_API_KEY",
    "DEFAULT_SECRET_KEY",
    "FAULT_HEADER",
    "ProbeImpossible",
    "ReadinessItem",
    "ReadinessReport",
    "RefusedGroup",
    "Sandbox",
    "SimulatedConnectionDrop",
    "WEBHOOK_SIGNATURE_HEADER",
    "create_app",
    "webhook_signature",
]
