"""The endpoint behind every operation of the spec: fault, authenticate, validate, handle, sign, answer.

`api_routes()` gives one route per path of the spec (path parameters come from the route), dispatching
by method to the operation's handler, registered by operationId. Order matters and mirrors iyzico:
credentials are checked over the raw bytes before the body is even parsed as JSON, validation (body,
path and query parameters) happens before any state is touched, and the handler runs inside one store
transaction so that a rejected, failed or faulted request ("before commit") leaves nothing behind. A
handler returns the payload; enveloped operations (`x-iyzico-envelope`) answer it under `data`.
"""

from __future__ import annotations

import typing
from collections.abc import Awaitable, Callable, Mapping

import attrs
from starlette.requests import ClientDisconnect, Request
from starlette.responses import HTMLResponse, PlainTextResponse, Response
from starlette.routing import Route
from starlette.types import Receive, Scope, Send

from iyzico_client.types import json_dumps

from .._operations import Operation, operations
from .._secret import SecretKey
from .._signing import response_signature
from ._apm import HANDLERS as APM_HANDLERS
from ._auth import authenticate
from ._basic import HANDLERS as BASIC_HANDLERS
from ._bkm import HANDLERS as BKM_HANDLERS
from ._card_blacklist import HANDLERS as CARD_BLACKLIST_HANDLERS
from ._card_inquiries import HANDLERS as CARD_INQUIRY_HANDLERS
from ._card_management import HANDLERS as CARD_MANAGEMENT_HANDLERS
from ._cardstorage import HANDLERS as CARD_STORAGE_HANDLERS
from ._clock import ClockHook
from ._context import Context, Handler, Notification
from ._failures import ApiFailure, failure_body
from ._faults import FAULT_HEADER, Fault, parse_fault
from ._hosted import HANDLERS as HOSTED_HANDLERS
from ._intake import BodyTooLarge, Unparseable, client_left_within, parse_json, read_body
from ._iyzilink import HANDLERS as IYZILINK_HANDLERS
from ._iyziup import HANDLERS as IYZIUP_HANDLERS
from ._lookups import HANDLERS as LOOKUP_HANDLERS
from ._lookups import PUBLIC_OPERATIONS
from ._marketplace import HANDLERS as MARKETPLACE_HANDLERS
from ._payments import HANDLERS as PAYMENT_HANDLERS
from ._pecco import HANDLERS as PECCO_HANDLERS
from ._readiness_record import record_answer
from ._refund_to_balance import HANDLERS as REFUND_TO_BALANCE_HANDLERS
from ._reporting import HANDLERS as REPORTING_HANDLERS
from ._request_to_pay import HANDLERS as REQUEST_TO_PAY_HANDLERS
from ._settlement_to_balance import HANDLERS as SETTLEMENT_TO_BALANCE_HANDLERS
from ._state import Sandbox
from ._sub_merchant_money import HANDLERS as SUB_MERCHANT_MONEY_HANDLERS
from ._subscriptions import ANSWERS_WITHOUT_ECHO, run_renewals
from ._subscriptions import HANDLERS as SUBSCRIPTION_HANDLERS
from ._ucs import HANDLERS as UCS_HANDLERS
from ._validation import validate_parameters, validate_request

__all__ = ["CLOCK_HOOKS", "HANDLERS", "SimulatedConnectionDrop", "api_routes", "not_routed"]

HANDLERS: dict[str, Handler] = {
    **PAYMENT_HANDLERS,
    **HOSTED_HANDLERS,
    **CARD_STORAGE_HANDLERS,
    **MARKETPLACE_HANDLERS,
    **LOOKUP_HANDLERS,
    **REPORTING_HANDLERS,
    **REFUND_TO_BALANCE_HANDLERS,
    **SUBSCRIPTION_HANDLERS,
    # Basic payments, alternative payment methods and wallets (issue 16).
    **BASIC_HANDLERS,
    **APM_HANDLERS,
    **BKM_HANDLERS,
    **PECCO_HANDLERS,
    **IYZIUP_HANDLERS,
    **CARD_INQUIRY_HANDLERS,
    # issue 16: iyzilink, card storage and marketplace extras, request to pay
    **IYZILINK_HANDLERS,
    **CARD_BLACKLIST_HANDLERS,
    **UCS_HANDLERS,
    **CARD_MANAGEMENT_HANDLERS,
    **SUB_MERCHANT_MONEY_HANDLERS,
    **SETTLEMENT_TO_BALANCE_HANDLERS,
    **REQUEST_TO_PAY_HANDLERS,
}
# What runs when tests move the emulator's clock forward (renewals and the like register here).
CLOCK_HOOKS: tuple[ClockHook, ...] = (run_renewals,)

# iyzipay-python 1.0.46 initializes the checkout form on this older path; iyzico's other clients and docs
# use `/initialize/auth/ecom` (iyzico-api.md c.3). Accepting both lets the official package run unchanged.
_PATH_ALIASES = {
    "/payment/iyzipos/checkoutform/initialize/ecom": "/payment/iyzipos/checkoutform/initialize/auth/ecom",
    # The same package's basic 3-D Secure pre-authorisation (api-union.md: a python-only path alias).
    "/payment/iyziconnect/initialize3ds/preauth": "/payment/3dsecure/initialize/preauth/basic",
}
# iyzipay-java deletes a subscription customer with DELETE on the customer's own path (iyzico-api.md i).
_METHOD_ALIASES = {("/v2/subscription/customers/{customerReferenceCode}", "DELETE"): "deleteSubscriptionCustomer"}
_LOCALES = frozenset({"tr", "en"})
_WRONG_KEY = SecretKey("not-the-merchant-secret")


class SimulatedConnectionDrop(Exception):
    """Raised after the response has started: the server closes the connection without finishing it."""


class _DroppedResponse(Response):
    """Promises a body, sends a few bytes of it, then aborts the connection."""

    def __init__(self, body: bytes) -> None:
        super().__init__(content=body, media_type="application/json")

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        await send({"type": "http.response.start", "status": 200, "headers": self.raw_headers})
        await send({"type": "http.response.body", "body": self.body[:8], "more_body": True})
        raise SimulatedConnectionDrop("sandbox fault: connection dropped")


def api_routes() -> list[Route]:
    """One route per path of the spec (and its aliases), literal paths before templated ones.

    Every operation of the spec must have a handler: an emulator that silently 404s a documented
    operation would pass tests that production fails.
    """
    missing = sorted(operations().keys() - HANDLERS.keys())
    if missing:
        raise RuntimeError(f"the emulator has no handler for these operations of the spec: {', '.join(missing)}")
    by_path: dict[str, dict[str, Operation]] = {}
    for operation in operations().values():
        by_path.setdefault(operation.path, {})[operation.method] = operation
    for alias, path in _PATH_ALIASES.items():
        by_path[alias] = by_path[path]
    for (path, method), operation_id in _METHOD_ALIASES.items():
        by_path[path][method] = operations()[operation_id]
    ordered = sorted(by_path.items(), key=lambda item: (item[0].count("{"), item[0]))
    return [Route(path, _endpoint_for(by_method), methods=list(by_method)) for path, by_method in ordered]


def _endpoint_for(by_method: Mapping[str, Operation]) -> Callable[[Request], Awaitable[Response]]:
    async def endpoint(request: Request) -> Response:
        operation = by_method.get(request.method)
        if operation is None:  # HEAD, which Starlette adds to every GET route; iyzico answers no HEAD
            return PlainTextResponse("method not allowed", status_code=405, headers={"Allow": ", ".join(by_method)})
        return await _answer(request, operation)

    return endpoint


async def not_routed(request: Request) -> Response:
    """405 with `Allow` when the path is an operation's with other methods, else 404."""
    path = request.url.path
    allowed = [
        method
        for route in request.app.routes
        if isinstance(route, Route) and route.endpoint is not not_routed and route.path_regex.fullmatch(path)
        for method in sorted((route.methods or set()) - {"HEAD"})
    ]
    if not allowed:
        return PlainTextResponse("no such iyzico operation", status_code=404)
    return PlainTextResponse("method not allowed", status_code=405, headers={"Allow": ", ".join(allowed)})


def _request_fault(request: Request, operation: Operation, sandbox: Sandbox) -> Fault | None:
    header = request.headers.get(FAULT_HEADER)
    if header is not None:
        return parse_fault(header)
    return sandbox.faults.take(operation.operation_id)


def _common(body: object, query: Mapping[str, str], sandbox: Sandbox) -> dict[str, typing.Any]:
    """The fields every answer starts with, from whatever part of the body (or, for GETs, query) is readable."""
    fields = body if isinstance(body, dict) else query
    locale = fields.get("locale")
    conversation_id = fields.get("conversationId")
    return {
        "status": "success",
        "locale": locale if isinstance(locale, str) and locale in _LOCALES else "tr",
        "systemTime": int(sandbox.clock().timestamp() * 1000),
        "conversationId": conversation_id if isinstance(conversation_id, str) else None,
    }


@attrs.frozen
class _Outcome:
    merchant: str | None
    fields: dict[str, typing.Any]
    notifications: list[Notification]


class _Discard(Exception):
    """Rolls back a request whose fault says its effects never happened, keeping its answer."""

    def __init__(self, fields: dict[str, typing.Any]) -> None:
        super().__init__("discarded by a sandbox fault")
        self.fields = fields


def _execute(
    request: Request,
    operation: Operation,
    sandbox: Sandbox,
    raw: bytes,
    body: object,
    common: dict[str, typing.Any],
    fault: Fault | None,
) -> _Outcome:
    """Authenticate, validate and run the operation; a failure becomes iyzico's failure fields."""
    merchant = None
    try:
        if operation.operation_id not in PUBLIC_OPERATIONS:
            merchant = authenticate(
                sandbox.credentials, request.headers.get("authorization"), request.scope["raw_path"], raw
            )
        if isinstance(body, Unparseable):
            raise ApiFailure("11", "the body is not JSON")
        if operation.request_schema is not None:
            validate_request(operation.request_schema, {} if body is None else body)
        validate_parameters(operation.operation_id, request.path_params, request.query_params)
        context = Context(
            store=sandbox.store,
            merchant=merchant or "",
            conversation_id=common["conversationId"],
            base_url=str(request.base_url).rstrip("/"),
            now=sandbox.clock(),
            path_params=dict(request.path_params),
            query=dict(request.query_params),
        )
        with sandbox.store.transaction():
            fields = HANDLERS[operation.operation_id](context, typing.cast(dict[str, typing.Any], body or {}))
            if fault is not None and not fault.commits:
                raise _Discard(fields)
    except ApiFailure as failure:
        return _Outcome(merchant, failure_body(failure, common["locale"]), [])
    except _Discard as discarded:
        return _Outcome(merchant, discarded.fields, [])
    return _Outcome(merchant, fields, context.notifications)


async def _answer(request: Request, operation: Operation) -> Response:
    sandbox: Sandbox = request.app.state.sandbox
    try:
        fault = _request_fault(request, operation, sandbox)
    except ValueError as error:
        return PlainTextResponse(str(error), status_code=400)
    try:
        raw = await read_body(request, sandbox.credentials, public=operation.operation_id in PUBLIC_OPERATIONS)
    except BodyTooLarge:
        return PlainTextResponse("request body too large", status_code=413)
    except ClientDisconnect:
        return Response(status_code=499)  # nobody is left to answer
    if fault is not None and fault.delay and await client_left_within(request, fault.delay):
        return Response(status_code=499)
    body = parse_json(raw)
    common = _common(body, request.query_params, sandbox)
    outcome = _execute(request, operation, sandbox, raw, body, common, fault)
    if operation.operation_id in ANSWERS_WITHOUT_ECHO:
        common = {key: value for key, value in common.items() if key not in ("locale", "conversationId")}
    sandbox.notify(outcome.notifications)
    fields = outcome.fields
    if operation.envelope != "none" and fields.get("status") != "failure":
        fields = {"data": fields}
    answer = {key: value for key, value in {**common, **fields}.items() if value is not None}
    if fault is None or fault.commits:  # the go-live readiness report counts what the merchant's calls got
        record_answer(sandbox, operation, request.headers.get("authorization"), outcome.merchant, body, answer)
    if answer["status"] == "success" and operation.signed and outcome.merchant is not None:
        key = (
            _WRONG_KEY if fault is not None and fault.kind == "bad-signature" else sandbox.secret_for(outcome.merchant)
        )
        answer["signature"] = response_signature(key, answer, operation.signature_recipes[0].fields)
    return _respond(json_dumps(answer), fault)


def _respond(encoded: bytes, fault: Fault | None) -> Response:
    if fault is None or fault.kind in ("delay", "bad-signature"):
        return Response(encoded, media_type="application/json")
    if fault.drops:
        return _DroppedResponse(encoded)
    if fault.http_status is not None:
        return HTMLResponse(
            f"<html><body><h1>{fault.http_status}</h1>sandbox fault</body></html>",
            status_code=fault.http_status,
            headers={"Retry-After": "1"} if fault.http_status == 503 else None,
        )
    return Response(encoded[: len(encoded) // 2], media_type="application/json")  # truncated-body
