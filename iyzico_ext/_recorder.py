"""The one hook of the call path: `IyzicoAuth.auth_flow` wraps the exchange of every money-moving call in it.

Whether or not a payment journal is configured, a money-moving call that ends without an answer (a
cancelled task, `asyncio.wait_for` around it, a transport failure) logs its conversationId at WARNING, so
the caller can always learn what to reconcile. With a journal, the intent is written before the first
byte leaves (`__enter__`) and the outcome when it is known (`__exit__`).
"""

from __future__ import annotations

import logging
import types
import typing

import httpx

from iyzico_client.types import PARSED_JSON_EXTENSION

from ._call import CallContext
from ._constants import LOGGER_NAME
from ._exceptions import IyzicoAPIError, PaymentOutcomeUnknown

if typing.TYPE_CHECKING:
    from ._journal import IntentState, PaymentIntent, PaymentJournal

__all__ = ["CallRecorder"]

_logger = logging.getLogger(LOGGER_NAME)


def _settled_state(error: BaseException | None) -> tuple[IntentState, str | None]:
    if error is None:
        return "succeeded", None
    if isinstance(error, PaymentOutcomeUnknown):
        return "unknown", type(error).__name__
    if isinstance(error, IyzicoAPIError):
        # iyzico processed the call and refused it: nothing moved.
        return "failed", f"errorCode {error.error_code or '-'}"
    return "unknown", _ended_without_answer(error)


def _ended_without_answer(error: BaseException) -> str:
    if isinstance(error, GeneratorExit):
        # httpx closed the flow without a response: a cancelled task, a timeout around the call, or a
        # transport failure that the caller receives as an IyzicoError.
        return "ended without an answer (cancelled, timed out, or failed in transit)"
    return f"ended without an answer ({type(error).__name__})"


class _RecordedCall:
    """One money-moving call in flight: the intent is written on enter, the outcome on exit."""

    __slots__ = ("_context", "_conversation_id", "_intent", "_journal", "_response")

    def __init__(self, context: CallContext, journal: PaymentJournal | None) -> None:
        self._context = context
        self._journal = journal
        self._conversation_id = context.conversation_id or ""
        self._intent: PaymentIntent | None = None
        self._response: httpx.Response | None = None

    def answered(self, response: httpx.Response) -> None:
        self._response = response

    def __enter__(self) -> _RecordedCall:
        if self._journal is not None:
            from ._journal import PaymentIntent  # loaded already: the client built the journal with it

            self._intent = PaymentIntent.for_call(self._context, self._conversation_id)
            self._journal.store.record_intent(self._intent)
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: types.TracebackType | None
    ) -> None:
        if error is not None and not isinstance(error, IyzicoAPIError | PaymentOutcomeUnknown):
            _logger.warning(
                "%s %s; conversationId %r may have been charged: reconcile it before resending",
                self._context.label,
                _ended_without_answer(error),
                self._conversation_id,
            )
        if self._intent is None or self._journal is None:
            return
        state, detail = _settled_state(error)
        body = self._response.extensions.get(PARSED_JSON_EXTENSION) if self._response is not None else None
        payment_id = body.get("paymentId") if isinstance(body, dict) and state == "succeeded" else None
        self._journal.store.record_outcome(
            self._intent.intent_id,
            state,
            result_payment_id=None if payment_id is None else str(payment_id),
            detail=detail,
        )


class _Untracked:
    """Calls that move no money: nothing to record."""

    __slots__ = ()

    def answered(self, response: httpx.Response) -> None:
        """Nothing to keep."""

    def __enter__(self) -> _Untracked:
        return self

    def __exit__(self, *exc_info: object) -> None:
        return None


_UNTRACKED = _Untracked()


class CallRecorder:
    """Hands the auth flow a recorder for each call: a no-op unless the call moves money."""

    __slots__ = ("journal",)

    def __init__(self, journal: PaymentJournal | None = None) -> None:
        self.journal = journal

    def call(self, context: CallContext) -> _RecordedCall | _Untracked:
        if not context.money_moving:
            return _UNTRACKED
        return _RecordedCall(context, self.journal)
