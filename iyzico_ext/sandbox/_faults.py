"""Fault injection: per request (`X-Sandbox-Fault` header) or armed for the next N calls of an operation.

Kinds, and what a client sees over a real socket:

* `delay` - the answer comes `delay` seconds late (any kind takes `;delay=S` too);
* `drop-before-commit` - nothing is stored, the connection closes mid-response (`httpx.RemoteProtocolError`);
* `drop-after-commit` - the operation is stored, then the same drop: the ambiguous case reconciliation exists for;
* `status-500` / `status-502` / `status-503` - an HTML error page from "the gateway", nothing stored;
* `truncated-body` - stored, then HTTP 200 with half of the JSON body (a `Content-Length` that matches it);
* `bad-signature` - stored, the response signature is computed with the wrong key (signed operations only).
"""

from __future__ import annotations

import threading
import typing

import attrs

__all__ = ["FAULT_HEADER", "Fault", "FaultKind", "FaultPlan", "parse_fault"]

FAULT_HEADER = "x-sandbox-fault"
FaultKind = typing.Literal[
    "delay",
    "drop-before-commit",
    "drop-after-commit",
    "status-500",
    "status-502",
    "status-503",
    "truncated-body",
    "bad-signature",
]
_KINDS: frozenset[str] = frozenset(typing.get_args(FaultKind))
_DEFAULT_DELAY_SECONDS = 1.0
_MAX_DELAY_SECONDS = 600.0


@attrs.frozen
class Fault:
    kind: FaultKind
    delay: float = 0.0

    @property
    def drops(self) -> bool:
        return self.kind in ("drop-before-commit", "drop-after-commit")

    @property
    def commits(self) -> bool:
        """Whether the operation's effects are kept."""
        return self.kind not in ("drop-before-commit", "status-500", "status-502", "status-503")

    @property
    def http_status(self) -> int | None:
        return int(self.kind.removeprefix("status-")) if self.kind.startswith("status-") else None


def parse_fault(text: str) -> Fault:
    """`kind[;delay=seconds]`; `ValueError` with a readable message when it is not one."""
    kind, *options = (part.strip() for part in text.split(";"))
    if kind not in _KINDS:
        raise ValueError(f"unknown fault {kind!r}; expected one of {sorted(_KINDS)}")
    delay = _DEFAULT_DELAY_SECONDS if kind == "delay" else 0.0
    for option in options:
        name, _, value = option.partition("=")
        if name.strip() != "delay":
            raise ValueError(f"unknown fault option {name!r}; only 'delay=seconds' is supported")
        try:
            delay = float(value)
        except ValueError as error:
            raise ValueError(f"delay must be a number of seconds, got {value!r}") from error
        if not 0 <= delay <= _MAX_DELAY_SECONDS:
            raise ValueError(f"delay must be between 0 and {_MAX_DELAY_SECONDS} seconds")
    return Fault(typing.cast(FaultKind, kind), delay)


@attrs.define
class _Armed:
    operation_id: str
    fault: Fault
    remaining: int


class FaultPlan:
    """Faults armed through the admin endpoint, consumed by the next matching calls (`*` matches any)."""

    def __init__(self) -> None:
        self._armed: list[_Armed] = []
        self._lock = threading.Lock()

    def arm(self, operation_id: str, fault: Fault, count: int) -> None:
        if count < 1:
            raise ValueError("count must be at least 1")
        with self._lock:
            self._armed.append(_Armed(operation_id, fault, count))

    def take(self, operation_id: str) -> Fault | None:
        with self._lock:
            for armed in self._armed:
                if armed.operation_id in (operation_id, "*"):
                    armed.remaining -= 1
                    if not armed.remaining:
                        self._armed.remove(armed)
                    return armed.fault
        return None

    def describe(self) -> list[dict[str, object]]:
        with self._lock:
            return [
                {
                    "operation": a.operation_id,
                    "fault": a.fault.kind,
                    "delay": str(a.fault.delay),
                    "remaining": a.remaining,
                }
                for a in self._armed
            ]

    def clear(self) -> None:
        with self._lock:
            self._armed.clear()
