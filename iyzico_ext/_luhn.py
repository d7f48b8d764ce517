"""The Luhn checksum of card numbers (iyzico refuses a number that fails it with error 12)."""

from __future__ import annotations

__all__ = ["luhn_check_digit", "luhn_valid"]

# The digit sum of 2*d for each digit d (what the doubled positions contribute).
_DOUBLED = {str(digit): sum(divmod(digit * 2, 10)) for digit in range(10)}
_PLAIN = {str(digit): digit for digit in range(10)}


def _checksum(digits: str, *, doubled_first: bool) -> int:
    """The Luhn sum of `digits` counted from the right; the rightmost is doubled if `doubled_first`."""
    backwards = digits[::-1]
    doubled, plain = (backwards[::2], backwards[1::2]) if doubled_first else (backwards[1::2], backwards[::2])
    return sum(map(_DOUBLED.__getitem__, doubled)) + sum(map(_PLAIN.__getitem__, plain))


def luhn_check_digit(payload: str) -> str:
    """The digit that makes `payload + digit` pass the Luhn check (`payload` is all digits)."""
    # Once the check digit is appended, the payload's rightmost digit sits in a doubled position.
    return str(-_checksum(payload, doubled_first=True) % 10)


def luhn_valid(number: str) -> bool:
    """Whether a non-empty string of ASCII digits passes the Luhn check."""
    return number.isascii() and number.isdigit() and _checksum(number, doubled_first=False) % 10 == 0
