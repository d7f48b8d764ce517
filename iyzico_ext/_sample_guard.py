"""No dummy values in live: a request to the live API that carries one of iyzico's sample values is refused.

iyzico's go-live checklist: live requests carry the customer's own data, never "dummy" values copied from a
sample. With the live base URL (`LIVE_URL`), `IyzicoClient` checks every request body before it is signed
(`_sample_values`: the test cards, sample identity numbers, buyer ids, IPs, e-mail addresses, names,
addresses and GSM numbers iyzico publishes) and raises `RequestValidationError` naming the field and why,
before anything is sent. `IyzicoClient(..., sample_values="warn")` sends such a request anyway and logs one
WARNING per request instead (for merchants who know a value is genuinely their customer's). Against the
sandbox and the emulator the guard is off: sample values are what tests use there.

Neither the error nor the log record holds the value (a card number, an identity number); the error is
raised from this module's frame with the walk's frames cut off, as `_validation` does.
"""

from __future__ import annotations

import typing

import httpx

from iyzico_client.types import RequestJSON

from ._constants import LIVE_URL
from ._exceptions import RequestValidationError
from ._logging import logger
from ._operations import Operation
from ._sample_values import find_sample_values

__all__ = ["SampleGuard", "SampleValuesMode"]

SampleValuesMode = typing.Literal["refuse", "warn"]
_LIVE_HOST = httpx.URL(LIVE_URL).host
_SWITCH = "IyzicoClient(..., sample_values='warn') sends it anyway, with a warning"


class SampleGuard:
    """Refuses (or warns about) requests to the live API that carry iyzico's published sample values."""

    def __init__(self, mode: SampleValuesMode = "refuse") -> None:
        if mode not in typing.get_args(SampleValuesMode):
            raise ValueError(f"sample_values must be 'refuse' or 'warn', not {mode!r}")
        self.mode = mode

    @classmethod
    def for_base_url(cls, base_url: httpx.URL, mode: SampleValuesMode = "refuse") -> SampleGuard | None:
        """The guard for a client of `base_url`: on for the live API, `None` (off) anywhere else."""
        guard = cls(mode)  # an unknown mode is refused for every URL, not only the live one
        return guard if base_url.host == _LIVE_HOST else None

    def check(self, operation: Operation, body: RequestJSON) -> None:
        """Refuse (`RequestValidationError`) or log the request's sample values; nothing when it has none."""
        try:
            found = find_sample_values(body.value)
            if not found:
                return
            if self.mode == "warn":
                fields = ", ".join(f"{finding.field} ({finding.kind})" for finding in found)
                logger.warning(
                    "%s to the live API carries iyzico's sample values: %s; sent anyway (sample_values='warn')",
                    operation.operation_id,
                    fields,
                )
                return
            first = found[0]
            error = RequestValidationError(
                first.field,
                f"is {first.kind}; a live request must carry real data of the customer and the order, never "
                f"values copied from iyzico's samples (iyzico's go-live checklist). {_SWITCH}",
                operation_id=operation.operation_id,
            )
        except Exception as failure:
            raise failure.with_traceback(None)  # noqa: B904 - the same error, without the frames that held the body
        raise error.with_traceback(None)
