"""What an error tracker or `pytest --showlocals` shows of an exception, scanned for canaries.

Every local of every frame of the exception's traceback, and of the tracebacks of its cause and
context, is written out the way Sentry serializes frame variables: mappings and sequences member by
member (a dict subclass with a redacting repr does not hide its items), everything else by its full,
untruncated `repr`. A canary in any of them is a leak.
"""

from __future__ import annotations

import types
import typing
from collections.abc import Iterable, Iterator, Mapping, Sequence, Set

from tests.canaries import CANARY_CVC, CANARY_IDENTITY, CANARY_PAN, CANARY_SECRET

# A CVC is three digits: it is looked for as a quoted value, as a repr of a str or bytes shows it.
FRAME_CANARIES = (CANARY_SECRET, CANARY_PAN, CANARY_IDENTITY, f"'{CANARY_CVC}'", f'"{CANARY_CVC}"')
_MAX_DEPTH = 10


def _texts(value: object, depth: int = 0) -> Iterator[str]:
    if depth > _MAX_DEPTH:
        return
    if isinstance(value, Mapping):
        for key, item in list(value.items()):
            yield from _texts(key, depth + 1)
            yield from _texts(item, depth + 1)
    elif isinstance(value, Sequence | Set) and not isinstance(value, str | bytes | bytearray | memoryview):
        for item in list(value):
            yield from _texts(item, depth + 1)
    else:
        try:
            yield repr(value)
        except Exception as error:  # a repr that raises shows nothing (Sentry writes a placeholder)
            yield f"<repr failed: {type(error).__name__}>"


def _chain(error: BaseException) -> Iterator[BaseException]:
    seen: list[BaseException] = []
    pending: list[BaseException | None] = [error]
    while pending:
        current = pending.pop()
        if current is None or any(current is known for known in seen):
            continue
        seen.append(current)
        yield current
        pending += [current.__cause__, current.__context__]


def _frames(error: BaseException) -> Iterator[types.FrameType]:
    for link in _chain(error):
        tb = link.__traceback__
        while tb is not None:
            yield tb.tb_frame
            tb = tb.tb_next


def frame_leaks(error: BaseException, canaries: Iterable[str] = FRAME_CANARIES) -> list[str]:
    """`function: local (canary ending ...)` for every frame local that shows a canary."""
    found: list[str] = []
    wanted = tuple(canaries)
    for frame in _frames(error):
        for name, value in typing.cast(dict[str, object], frame.f_locals).items():
            for text in _texts(value):
                found += [
                    f"{frame.f_code.co_qualname}: {name} (canary ending {canary[-4:]!r})"
                    for canary in wanted
                    if canary in text
                ]
    return found
