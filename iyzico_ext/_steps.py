"""Logic written once for sync and asyncio: a generator yields the API calls it needs, a driver makes them.

A flow (`Generator[ApiCall, answer, result]`) holds the decisions; `run_sync` and `run_async` only carry
out its calls, handing back the parsed answer or the `IyzicoError` it raised, so the two can never drift
apart (the retrying transports follow the same pattern).
"""

from __future__ import annotations

import typing
from collections.abc import Awaitable, Callable, Generator

import attrs

from ._exceptions import IyzicoError

__all__ = ["ApiCall", "Flow", "run_async", "run_sync"]

T = typing.TypeVar("T")
R = typing.TypeVar("R")


@attrs.frozen
class ApiCall(typing.Generic[T]):
    """One call of a generated endpoint, as a sync and an asyncio thunk."""

    sync: Callable[[], T]
    asyncio: Callable[[], Awaitable[T]]


Flow = Generator[ApiCall[T], T | IyzicoError, R]


def run_sync(flow: Flow[T, R]) -> R:
    try:
        call = next(flow)
        while True:
            answer: T | IyzicoError
            try:
                answer = call.sync()
            except IyzicoError as error:
                answer = error
            call = flow.send(answer)
    except StopIteration as finished:
        return typing.cast(R, finished.value)


async def run_async(flow: Flow[T, R]) -> R:
    try:
        call = next(flow)
        while True:
            answer: T | IyzicoError
            try:
                answer = await call.asyncio()
            except IyzicoError as error:
                answer = error
            call = flow.send(answer)
    except StopIteration as finished:
        return typing.cast(R, finished.value)
