"""The emulator's clock: real time (or a given clock) plus however far tests have moved it forward.

Settlement dates, token expiry and, with subscriptions, renewals are read off this clock, so a test can
jump ahead a week or a year (`POST /_sandbox/clock {"advanceSeconds": N}`, `SandboxHandle.advance_clock`)
instead of waiting. Time never goes backwards. Hooks run after each jump, with the moments before and
after it, for what falls due in between.
"""

from __future__ import annotations

import datetime
import threading
import typing
from collections.abc import Callable

if typing.TYPE_CHECKING:
    from ._state import Sandbox

__all__ = ["ClockHook", "MAX_ADVANCE", "SandboxClock"]

# Runs after the clock moved from `before` to `after`, inside one store transaction.
ClockHook = Callable[["Sandbox", datetime.datetime, datetime.datetime], None]
MAX_ADVANCE = datetime.timedelta(days=3660)  # one jump of at most ten years


class SandboxClock:
    """Callable like `datetime.datetime.now`; `advance` moves it forward for everyone who reads it."""

    def __init__(self, source: Callable[[], datetime.datetime] = datetime.datetime.now) -> None:
        self._source = source
        self._offset = datetime.timedelta(0)
        self._lock = threading.Lock()

    def __call__(self) -> datetime.datetime:
        return self._source() + self._offset

    @property
    def offset(self) -> datetime.timedelta:
        return self._offset

    def advance(self, delta: datetime.timedelta) -> None:
        if not datetime.timedelta(0) <= delta <= MAX_ADVANCE:
            raise ValueError(f"the clock moves forward only, by at most {MAX_ADVANCE.days} days at a time")
        with self._lock:
            self._offset += delta
