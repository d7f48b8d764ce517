"""Every item of a paged list, without writing the page loop: `iterate_pages` and `iterate_pages_async`.

    from iyzico_client.api.subscription import search_subscriptions
    from iyzico_client.models import SubscriptionStatus

    unpaid = iterate_pages(search_subscriptions.sync, client=client, subscription_status=SubscriptionStatus.UNPAID)
    for subscription in unpaid:  # SubscriptionDetails, page after page
        ...

Any operation whose answer the spec gives the `data-items` envelope (one page under `data.items`, with
`data.pageCount`) works: the subscription products, plans, customers and the subscription search. The
helper owns `page`; every other argument (filters, `count` per page) goes with each call. Each page is a
verified call of its own, bound to the page it asked for (`data.currentPage`), so an answer for another page
is refused, never read twice. Lists are oldest first: what is created while walking comes on later pages;
what is deleted meanwhile can move an item to a page already read (compare `data.totalCount` if it matters).
"""

from __future__ import annotations

import typing
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator, Sequence

from iyzico_client.types import Unset

from ._exceptions import IyzicoConnectionError
from ._operations import operations

if typing.TYPE_CHECKING:
    from ._client import IyzicoClient

__all__ = ["ListPage", "PagedAnswer", "iterate_pages", "iterate_pages_async"]

T = typing.TypeVar("T")
T_co = typing.TypeVar("T_co", covariant=True)


class ListPage(typing.Protocol[T_co]):
    """`data` of a paged answer (e.g. `SubscriptionPage`)."""

    @property
    def items(self) -> Sequence[T_co] | Unset: ...

    @property
    def page_count(self) -> int | Unset: ...


class PagedAnswer(typing.Protocol[T_co]):
    """The answer of a `data-items` operation (e.g. `SubscriptionSearchResource`)."""

    @property
    def data(self) -> ListPage[T_co] | Unset: ...


def _paged_operation(function: Callable[..., object], arguments: dict[str, object]) -> str:
    """The operationId of a generated function of a `data-items` operation; `ValueError` otherwise."""
    module = getattr(function, "__module__", None)
    operation = next((found for found in operations().values() if found.module == module), None)
    if operation is None or operation.envelope != "data-items":
        name = getattr(function, "__qualname__", repr(function))
        raise ValueError(f"{module}.{name} is not a paged list: pass the sync / asyncio of a data-items operation")
    if "page" in arguments:
        raise ValueError("iterate_pages asks for every page itself: leave `page` out")
    return operation.operation_id


def _read(operation_id: str, answer: PagedAnswer[T] | None, page: int) -> tuple[Sequence[T], bool]:
    """(the page's items, whether another page follows)."""
    if answer is None or isinstance(answer.data, Unset):
        raise IyzicoConnectionError(f"{operation_id}: page {page} came without its data", operation_id=operation_id)
    items = answer.data.items
    found: Sequence[T] = [] if isinstance(items, Unset) else items
    pages = answer.data.page_count
    return found, bool(found) and isinstance(pages, int) and page < pages


def iterate_pages(
    function: Callable[..., PagedAnswer[T] | None], /, *, client: IyzicoClient, **arguments: typing.Any
) -> Iterator[T]:
    """Every item of a paged list, page after page: `function` is the generated `sync` of a `data-items`
    operation, `arguments` its other keyword arguments. Raises what the calls raise (`IyzicoError`)."""
    operation_id = _paged_operation(function, arguments)
    page = 1
    while True:
        items, more = _read(operation_id, function(client=client, page=page, **arguments), page)
        yield from items
        if not more:
            return
        page += 1


async def iterate_pages_async(
    function: Callable[..., Awaitable[PagedAnswer[T] | None]], /, *, client: IyzicoClient, **arguments: typing.Any
) -> AsyncIterator[T]:
    """The asyncio twin of `iterate_pages`: `function` is the generated `asyncio` of a `data-items` operation."""
    operation_id = _paged_operation(function, arguments)
    page = 1
    while True:
        items, more = _read(operation_id, await function(client=client, page=page, **arguments), page)
        for item in items:
            yield item
        if not more:
            return
        page += 1
