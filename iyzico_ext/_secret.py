"""A holder that keeps the secret key out of reprs, logs, tracebacks and frame locals."""

from __future__ import annotations

import hmac
import typing

__all__ = ["SecretKey"]


@typing.final
class SecretKey:
    """The merchant's secret key.

    The key never leaves this object: HMACs are computed (and compared) by its methods, so no frame
    of the library ever holds the key, a message that starts with it, or the signature expected for
    a forged message, as a plain value (`pytest --showlocals`, error trackers that collect frame
    locals, debug error pages). Functions that accept the key as a `str` wrap it first thing.
    """

    __slots__ = ("_value",)

    def __init__(self, value: str) -> None:
        if not isinstance(value, str) or not value.strip():
            raise ValueError("secret_key must be a non-empty string")
        self._value = value.encode("utf-8", "surrogatepass")

    @classmethod
    def of(cls, secret_key: str | SecretKey) -> SecretKey:
        """`secret_key` itself, or a `SecretKey` holding the string."""
        return secret_key if isinstance(secret_key, SecretKey) else cls(secret_key)

    def hmac_sha256_hex(self, message: bytes, *, prefix_key: bool = False, before_key: bytes = b"") -> str:
        """Lowercase hex HMAC-SHA256 keyed with this key over `message` (with `prefix_key`, over `before_key`,
        the key, then `message`: iyzico's webhook formulas; the subscription one starts with the merchant id)."""
        if before_key and not prefix_key:
            raise ValueError("before_key places the key inside the message: it needs prefix_key=True")
        return hmac.digest(self._value, before_key + self._value + message if prefix_key else message, "sha256").hex()

    def signs(self, message: bytes, signature: object, *, prefix_key: bool = False, before_key: bytes = b"") -> bool:
        """Whether `signature` is `hmac_sha256_hex(message, ...)`, compared in constant time; anything that is
        not a string never matches. The expected value is never bound to a name."""
        if not isinstance(signature, str):
            return False
        return hmac.compare_digest(
            self.hmac_sha256_hex(message, prefix_key=prefix_key, before_key=before_key).encode("ascii"),
            signature.encode("utf-8", "surrogatepass"),
        )

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
