"""Introspection and control under `/_sandbox/` (no authentication: the emulator is a local test tool).

* `GET /_sandbox/ledger` - every payment by conversationId with what was charged, captured, refunded;
* `POST /_sandbox/reset` - forget all state (payments, cards, sub-merchants, tokens) and armed faults;
* `GET|POST|DELETE /_sandbox/faults` - list, arm (`{"operation", "fault", "count", "delay"}`), clear;
* `GET /_sandbox/webhooks` - notifications sent and their delivery state;
* `GET|POST /_sandbox/clock` - the emulator's time; POST `{"advanceSeconds": N}` moves it forward.
"""

from __future__ import annotations

import datetime
import json
import typing
from decimal import Decimal

import attrs
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response

from iyzico_client.types import json_dumps

from .._operations import operations
from ._faults import parse_fault
from ._state import Sandbox

__all__ = ["clock_endpoint", "faults_endpoint", "ledger_endpoint", "reset_endpoint", "webhooks_endpoint"]


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


async def ledger_endpoint(request: Request) -> Response:
    conversation_id = request.query_params.get("conversationId")
    entries = [_ledger_entry(merchant, document) for merchant, document in _sandbox(request).store.all("payment")]
    if conversation_id is not None:
        entries = [entry for entry in entries if entry["conversationId"] == conversation_id]
    return _json({"payments": entries})


async def reset_endpoint(request: Request) -> Response:
    sandbox = _sandbox(request)
    sandbox.store.reset()
    sandbox.faults.clear()
    return _json({"status": "reset"})


async def faults_endpoint(request: Request) -> Response:
    plan = _sandbox(request).faults
    if request.method == "DELETE":
        plan.clear()
    elif request.method == "POST":
        try:
            order = json.loads(await request.body())
            operation = str(order.get("operation", "*"))
            if operation != "*" and operation not in operations():
                raise ValueError(f"unknown operation {operation!r}")
            fault = parse_fault(f"{order['fault']};delay={order['delay']}" if "delay" in order else order["fault"])
            plan.arm(operation, fault, int(order.get("count", 1)))
        except (ValueError, KeyError, TypeError, AttributeError) as error:
            return PlainTextResponse(f"bad fault order: {error}", status_code=400)
    return _json({"faults": plan.describe()})


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
