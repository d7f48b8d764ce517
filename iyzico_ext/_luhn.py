"""The Luhn checksum of card numbers (iyzico refuses a number that fails it with error 12)."""

from __future__ import annotations

__all__ = ["luhn_check_digit", "luhn_valid"]


def luhn_check_digit(payload: str) -> str:
    """The digit that makes `payload + digit` pass the Luhn check (`payload` is all digits)."""
    total = 0
    for position, char in enumerate(reversed(payload)):
        digit = int(char)
        if position % 2 == 0:  # doubled: these become the odd positions once the check digit is appended
            digit = digit * 2 - 9 if digit > 4 else digit * 2
        total += digit
    return str(-total % 10)


def luhn_valid(number: str) -> bool:
    """Whether a non-empty string of digits passes the Luhn check."""
    return number.isdigit() and luhn_check_digit(number[:-1]) == number[-1]
