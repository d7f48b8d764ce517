"""What the auth flow learned about one call, handed to the retrying transport via request extensions.

The auth flow runs before the transport and may rewrite the body (it injects a conversationId into
money-moving requests), so the transport reads the operation and the conversationId from here
instead of parsing the body again.
"""

from __future__ import annotations

import typing
from collections.abc import Mapping

import attrs
import httpx

from iyzico_client.types import RequestJSON

from ._operations import Operation, RetryClass

__all__ = ["CALL_EXTENSION", "CallContext"]

CALL_EXTENSION: typing.Final = "iyzico_ext.call"


@attrs.frozen
class CallContext:
    """One call: its operation (if it names one), what the request set (body, path and query), its conversationId.

    The request JSON stays in its redacting holder: every frame that holds a context (the retrying
    transport's included) shows the operation, never the card number.
    """

    method: str
    path: str
    operation: Operation | None
    sent: RequestJSON | None = None
    path_params: Mapping[str, str] = attrs.field(factory=dict)
    query: Mapping[str, str] = attrs.field(factory=dict)

    @property
    def label(self) -> str:
        return self.operation.operation_id if self.operation else f"{self.method} {self.path}"

    @property
    def retry_class(self) -> RetryClass:
        # A request that names no operation (sent with verification off) is treated like a non-idempotent write.
        return self.operation.retry if self.operation else "once"

    @property
    def money_moving(self) -> bool:
        return self.retry_class == "money-moving"

    @property
    def conversation_id(self) -> str | None:
        value = self.sent.value.get("conversationId") if self.sent else None
        return value if isinstance(value, str) else None

    @classmethod
    def of(cls, request: httpx.Request) -> CallContext | None:
        context = request.extensions.get(CALL_EXTENSION)
        return context if isinstance(context, CallContext) else None
