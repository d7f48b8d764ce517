"""`IyzicoAuth`: the one place where a request is validated, signed, and its response judged.

Request side, in order, before any byte is sent:

1. the operation the request names (generated functions name theirs), checked against its method and
   path; a request that names none, or another operation's, is refused (fail closed) unless
   verification was turned off explicitly;
2. validate the request JSON (`_validation`); a `RequestValidationError` means nothing was sent; for the
   live API, refuse (or warn about) iyzico's published sample values (`_sample_guard`);
3. money-moving call without a conversationId: splice a fresh one (uuid4 hex) in right after the
   opening `{` of the exact bytes, so the rest is never re-serialized, and send a new request; with a
   client-wide default locale, a request without a `locale` of its own gets one the same way (`_locale`);
4. sign IYZWSv2 over `randomKey + path-without-query + the exact body bytes` with a fresh CSPRNG
   random key. A bodyless request (GET) sends no body and signs `randomKey + path`, as the php and
   java clients do; iyzico verifies the raw bytes it receives.

Response side (the retrying transport has already read the whole body):

5. `status: failure` body -> `IyzicoAPIError` subclass by errorCode; HTTP 429 -> `RateLimitError`;
   anything that is not a `status: success` JSON body with HTTP 200 (iyzico answers every outcome with
   200: 5xx, 201, 302, HTML, truncated JSON, a number out of range) -> `IyzicoConnectionError`, or
   `PaymentOutcomeUnknown` for a money-moving call;
6. signed operation -> verify the signature (on by default; recipes from the spec);
7. echo check of the operation's echo fields against the request (body, path and query) ->
   `ResponseMismatchError`;
8. the fields the operation guarantees are there and readable (`_guarantees`) -> `MalformedResponseError`.
   A `PaymentOutcomeUnknown` raised on the response side carries the ids the answer showed.

The flow keeps no per-request state on `self`, so one instance serves every thread and task.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable, Generator

import httpx

from iyzico_client._runtime.responses import RESPONSE_ERRORS_EXTENSION
from iyzico_client.types import PARSED_JSON_EXTENSION, REQUEST_JSON_EXTENSION, RedactedBytes, RequestJSON

from ._body import parse_json_object, with_first_member
from ._call import CALL_EXTENSION, CallContext
from ._exceptions import (
    IyzicoConnectionError,
    PaymentOutcomeUnknown,
    RateLimitError,
    RequestValidationError,
    api_error_from_body,
)
from ._explain import explained
from ._guarantees import AnswerErrors, check_guaranteed, outcome_ids
from ._locale import with_default_locale
from ._logging import log_exchange
from ._operations import Operation
from ._recorder import CallRecorder
from ._routing import Router
from ._sample_guard import SampleGuard
from ._secret import SecretKey
from ._signing import authorization_header, new_random_key, request_signature
from ._validation import validate_request
from ._verify import check_echo, verify_response_signature

__all__ = ["IyzicoAuth"]

_HTTP_OK = 200
_HTTP_TOO_MANY_REQUESTS = 429


def _request_json(request: httpx.Request) -> RequestJSON | None:
    """The JSON object the body was written from (the generated code hands it over), else the body
    parsed; `None` for a body that is not a JSON object with every number in range."""
    written_from = request.extensions.get(REQUEST_JSON_EXTENSION)
    if isinstance(written_from, RequestJSON):
        return written_from
    parsed = parse_json_object(request.content)
    return None if parsed is None else RequestJSON(parsed)


class IyzicoAuth(httpx.Auth):
    """IYZWSv2 request signing plus response verification, as an httpx auth flow (sync and async)."""

    requires_request_body = True
    requires_response_body = True

    def __init__(
        self,
        api_key: str,
        secret_key: SecretKey,
        router: Router,
        *,
        verify_signatures: bool = True,
        random_key: Callable[[], str] = new_random_key,
        recorder: CallRecorder | None = None,
        locale: str | None = None,
        sample_guard: SampleGuard | None = None,
    ) -> None:
        self._api_key = api_key
        self._secret_key = secret_key
        self._router = router
        self._verify_signatures = verify_signatures
        self._random_key = random_key
        self._recorder = recorder or CallRecorder()
        self._locale = locale
        self._sample_guard = sample_guard

    def __repr__(self) -> str:
        return "IyzicoAuth(api_key='***', secret_key='***')"

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        request, context = self._prepare(request)
        # Money-moving calls: journal intent before the first byte leaves, outcome (or a WARNING) after.
        with self._recorder.call(context) as call:
            started = time.perf_counter()
            response = yield request
            call.answered(response)
            log_exchange(context, response, time.perf_counter() - started)
            with outcome_ids(response):
                self._judge(context, response)

    def _operation(self, request: httpx.Request) -> tuple[Operation | None, dict[str, str]]:
        """The operation the request names and its path parameters; refused when that is not provable."""
        operation = self._router.operation(request)
        if operation is None:
            if self._verify_signatures:
                raise RequestValidationError(
                    "request",
                    f"{request.method} {self._router.relative_path(request.url)} names no operation of the spec, so "
                    "its answer could not be verified; send it through the generated functions "
                    "(verify_signatures=False sends it unverified)",
                )
            return None, {}
        path_params = self._router.path_params(operation, request)
        if path_params is None:
            raise RequestValidationError(
                "request",
                f"{request.method} {self._router.relative_path(request.url)} is not {operation.method} "
                f"{operation.path}, the operation it names",
                operation_id=operation.operation_id,
            )
        return operation, path_params

    def _prepare(self, request: httpx.Request) -> tuple[httpx.Request, CallContext]:
        operation, path_params = self._operation(request)
        # Held in its redacting holder: this frame is in the traceback of every error raised below.
        sent = _request_json(request)
        if operation is not None and sent is None and request.content and request.method != "GET":
            # Not validated means not sent: a body we cannot read (malformed, or a number out of range).
            raise RequestValidationError(
                "body", "must be a JSON object with every number in range", operation_id=operation.operation_id
            )
        if operation is not None and sent is not None:
            validate_request(operation, sent)
            if self._sample_guard is not None:
                self._sample_guard.check(operation, sent)
            if operation.money_moving and "conversationId" not in sent.value:
                sent.value["conversationId"] = uuid.uuid4().hex
                request = with_first_member(request, "conversationId", sent.value["conversationId"])
            elif operation.money_moving and not sent.value["conversationId"]:
                raise RequestValidationError(
                    "conversationId",
                    "must not be empty on a money-moving call",
                    operation_id=operation.operation_id,
                )
        if operation is not None:
            request = with_default_locale(request, operation, sent, self._locale)
        context = CallContext(
            request.method,
            self._router.relative_path(request.url),
            operation,
            sent,
            path_params=path_params,
            query=dict(request.url.params),
        )
        request.extensions = {
            **request.extensions,
            CALL_EXTENSION: context,
            RESPONSE_ERRORS_EXTENSION: AnswerErrors(context),
        }
        random_key = self._random_key()
        signature = request_signature(
            self._secret_key, random_key, request.url.raw_path, RedactedBytes(request.content)
        )
        request.headers["Authorization"] = authorization_header(self._api_key, random_key, signature)
        return request, context

    def _judge(self, context: CallContext, response: httpx.Response) -> None:
        operation = context.operation
        operation_id = operation.operation_id if operation else None
        body = parse_json_object(response.content)
        if body is not None:
            # The generated parser reads this instead of parsing the same bytes a second time.
            response.extensions[PARSED_JSON_EXTENSION] = body
        status = body.get("status") if body else None
        if body is not None and status == "failure":
            error = api_error_from_body(body, http_status=response.status_code, operation_id=operation_id)
            error.conversation_id = error.conversation_id or context.conversation_id
            raise explained(error, response.request, operation)
        if response.status_code == _HTTP_TOO_MANY_REQUESTS:
            raise RateLimitError(
                error_code=None,
                error_message="HTTP 429 Too Many Requests",
                error_group=None,
                http_status=response.status_code,
                operation_id=operation_id,
                conversation_id=context.conversation_id,
            )
        if body is None or status != "success" or response.status_code != _HTTP_OK:
            what = f"HTTP {response.status_code} with {'an iyzico' if body else 'an unreadable'} body"
            if context.money_moving:
                conversation_id = context.conversation_id or ""
                raise PaymentOutcomeUnknown(
                    f"{context.label}: outcome unknown ({what}); "
                    f"reconcile with conversationId {conversation_id!r} before resending",
                    operation_id=operation_id,
                    conversation_id=conversation_id,
                )
            raise IyzicoConnectionError(
                f"{context.label}: no usable response ({what})",
                operation_id=operation_id,
                conversation_id=context.conversation_id,
            )
        if operation is None:
            return
        if self._verify_signatures:
            verify_response_signature(operation, body, self._secret_key, conversation_id=context.conversation_id)
        check_echo(operation, context, body)
        check_guaranteed(operation, context, body)
