"""A holder that keeps the secret key out of reprs, logs and tracebacks."""

from __future__ import annotations

import hmac
import typing

__all__ = ["SecretKey"]


@typing.final
class SecretKey:
    """The merchant's secret key.

    The value is only unwrapped at the HMAC call (`reveal()`), so `--showlocals` tracebacks,
    error-tracker frame locals and `repr(client)` never show it.
    """

    __slots__ = ("_value",)

    def __init__(self, value: str) -> None:
        if not isinstance(value, str) or not value.strip():
            raise ValueError("secret_key must be a non-empty string")
        self._value = value.encode("utf-8")

    def reveal(self) -> bytes:
        """The UTF-8 bytes of the key, for HMAC computation only."""
        return self._value

    def __repr__(self) -> str:
        return "SecretKey('***')"

    __str__ = __repr__

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, SecretKey):
            return NotImplemented
        return hmac.compare_digest(self._value, other._value)

    def __hash__(self) -> int:
        return hash((SecretKey, len(self._value)))

    def __reduce__(self) -> typing.NoReturn:
        # Pickling would write the key in clear to wherever the pickle goes.
        raise TypeError("SecretKey cannot be pickled")
