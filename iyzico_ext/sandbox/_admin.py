"""Introspection and control under `/_sandbox/` (no authentication: the emulator is a local test tool).

Every endpoint refuses what a web page could forge (`_guard.admin_only`): POSTs need a JSON body type.

* `GET /_sandbox/ledger` - every payment by conversationId with what was charged, captured, refunded;
* `POST /_sandbox/reset` - forget all state (payments, cards, sub-merchants, tokens) and armed faults;
* `GET|POST|DELETE /_sandbox/faults` - list, arm (`{"operation", "fault", "count", "delay"}`), clear;
* `GET /_sandbox/webhooks` - notifications sent and their delivery state;
* `GET|POST /_sandbox/clock` - the emulator's time; POST `{"advanceSeconds": N}` moves it forward.
"""

from __future__ import annotations

import datetime
import json
import math
import typing
from decimal import Decimal

import attrs
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response

from iyzico_client.types import json_dumps

from .._operations import operations
from ._faults import Fault, parse_fault
from ._guard import admin_only
from ._state import Sandbox

__all__ = ["clock_endpoint", "faults_endpoint", "ledger_endpoint", "reset_endpoint", "webhooks_endpoint"]

_MAX_FAULT_COUNT = 1_000_000


def _json(value: object, status_code: int = 200) -> Response:
    return Response(json_dumps(value), status_code=status_code, media_type="application/json")


def _sandbox(request: Request) -> Sandbox:
    sandbox: Sandbox = request.app.state.sandbox
    return sandbox


def _ledger_entry(merchant: str, document: dict[str, typing.Any]) -> dict[str, typing.Any]:
    resource = document["resource"]
    refunded = sum(document["refunded"].values(), Decimal(0))
    return {
        "merchant": merchant,
        "conversationId": document["conversationId"],
        "paymentId": resource["paymentId"],
        "phase": resource["phase"],
        "price": resource["price"],
        "paidPrice": resource["paidPrice"],
        "currency": resource["currency"],
        "cancelled": document["cancelled"],
        "refunded": refunded,
        "items": [
            {
                "paymentTransactionId": item["paymentTransactionId"],
                "paidPrice": item["paidPrice"],
                "transactionStatus": item["transactionStatus"],
                "refunded": document["refunded"].get(item["paymentTransactionId"], Decimal(0)),
            }
            for item in resource["itemTransactions"]
        ],
    }


@admin_only
async def ledger_endpoint(request: Request) -> Response:
    documents = _sandbox(request).store.all("payment", request.query_params.get("conversationId"))
    return _json({"payments": [_ledger_entry(merchant, document) for merchant, document in documents]})


@admin_only
async def reset_endpoint(request: Request) -> Response:
    sandbox = _sandbox(request)
    sandbox.store.reset()
    sandbox.faults.clear()
    return _json({"status": "reset"})


def _count(value: object) -> int:
    """A positive whole number of calls (a JSON `1e400` or `1.5` is refused, not converted)."""
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise ValueError("count must be a whole number of calls")
    if value != int(value) or not 1 <= value <= _MAX_FAULT_COUNT:
        raise ValueError(f"count must be a whole number from 1 to {_MAX_FAULT_COUNT}")
    return int(value)


def _fault_order(body: bytes) -> tuple[str, Fault, int]:
    """(operation, fault, count) of a `POST /_sandbox/faults` body; `ValueError` naming what is wrong."""
    try:
        order = json.loads(body)
    except (ValueError, RecursionError) as error:
        raise ValueError("the body is not JSON") from error
    if not isinstance(order, dict):
        raise ValueError("the body must be a JSON object")
    operation = order.get("operation", "*")
    if not isinstance(operation, str) or (operation != "*" and operation not in operations()):
        raise ValueError(f"unknown operation {operation!r}")
    kind = order.get("fault")
    if not isinstance(kind, str):
        raise ValueError("fault must be one of the fault kinds, as a string")
    delay = order.get("delay")
    if delay is not None and (isinstance(delay, bool) or not isinstance(delay, int | float)):
        raise ValueError("delay must be a number of seconds")
    fault = parse_fault(kind if delay is None else f"{kind};delay={delay}")
    return operation, fault, _count(order.get("count", 1))


@admin_only
async def faults_endpoint(request: Request) -> Response:
    plan = _sandbox(request).faults
    if request.method == "DELETE":
        plan.clear()
    elif request.method == "POST":
        try:
            plan.arm(*_fault_order(await request.body()))
        except ValueError as error:
            return PlainTextResponse(f"bad fault order: {error}", status_code=400)
    return _json({"faults": plan.describe()})


@admin_only
async def webhooks_endpoint(request: Request) -> Response:
    sender = _sandbox(request).webhooks
    deliveries = [] if sender is None else [attrs.asdict(delivery) for delivery in sender.deliveries]
    return _json({"url": None if sender is None else sender.url, "deliveries": deliveries})


def _clock_answer(sandbox: Sandbox) -> Response:
    now = sandbox.clock()
    offset = sandbox.clock.offset.total_seconds()
    return _json(
        {"now": now.isoformat(), "epochMillis": int(now.timestamp() * 1000), "advancedSeconds": Decimal(offset)}
    )


async def clock_endpoint(request: Request) -> Response:
    sandbox = _sandbox(request)
    if request.method == "POST":
        try:
            order = json.loads(await request.body(), parse_float=Decimal, parse_constant=_refuse)
            seconds = order["advanceSeconds"]
            if isinstance(seconds, bool) or not isinstance(seconds, int | Decimal):
                raise ValueError("advanceSeconds must be a number of seconds")
            sandbox.advance_clock(datetime.timedelta(seconds=float(seconds)))
        except (ValueError, KeyError, TypeError, OverflowError) as error:
            return PlainTextResponse(f"bad clock order: {error}", status_code=400)
    return _clock_answer(sandbox)


def _refuse(name: str) -> typing.NoReturn:
    raise ValueError(f"{name} is not a number of seconds")
