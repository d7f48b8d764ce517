"""Text from outside (a request's conversationId, a response's errorMessage) made safe to log.

A value that ends a line can forge the next log line (`"c1\n... INFO payment 42 captured"`), and
terminal escapes can rewrite what an operator sees. `printable` writes every control character
(C0, DEL, C1, and the Unicode line and paragraph separators) as its Python escape, so a logged value
is always one piece of one line.
"""

from __future__ import annotations

import re

__all__ = ["printable"]

_CONTROL_CHARACTERS = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029]")


def _escape(match: re.Match[str]) -> str:
    return match.group().encode("unicode_escape").decode("ascii")


def printable(text: str) -> str:
    """`text` with every control character written as its escape (`"\\n"` becomes backslash + `n`)."""
    return _CONTROL_CHARACTERS.sub(_escape, text)
