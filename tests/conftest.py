"""Suite-wide settings: hypothesis profiles.

* `dev` (default): quick, for the edit-test loop.
* `ci` (selected when CI=true): enough examples to matter, no per-example deadline (a loaded 2-core
  CI machine must not turn slowness into flaky failures), too_slow health check off for the same reason.
* `nightly`: long; run with `HYPOTHESIS_PROFILE=nightly python3 scripts/check.py`.
"""

from __future__ import annotations

import os

from hypothesis import HealthCheck, settings

settings.register_profile("dev", max_examples=30, deadline=None)
settings.register_profile(
    "ci",
    max_examples=200,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
    print_blob=False,
)
settings.register_profile(
    "nightly",
    max_examples=2000,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
    print_blob=False,
)
settings.load_profile(
    os.environ.get("HYPOTHESIS_PROFILE") or ("ci" if os.environ.get("CI", "").lower() == "true" else "dev")
)
