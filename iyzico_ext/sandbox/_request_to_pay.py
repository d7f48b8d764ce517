"""Request to pay (the Java SDK's merchant account API): a creditor asks a debtor to pay; the debtor pays or refuses.

Only the Java SDK has these calls and no document describes them, so the rules are the emulator's
(the spec marks them `x-iyzico-unconfirmed`):

* a request is kept under its creditor (the merchant that created it) and found by its reference number;
  the emulator routes nothing to an account by IBAN, so any merchant that knows the reference number may
  act as the debtor (reply or deny), and the debtor side of a list is what the caller answered;
* WAITING until the debtor replies (ACCEPTED when the payment is scheduled for later, COMPLETED once its
  moment has passed) or denies, the creditor cancels, or the expiration passes (all three end CANCELLED,
  the status list having no other end); statuses are read against the emulator's clock;
* the payment's amount is the requested one, or less with `partialPayment`; before the requested payment
  date needs `earlyPayment`, after it `deferredPayment`; never after the expiration;
* each merchant has one account: "Sandbox Merchant <n>" with a checksum-valid IBAN made from its number.
"""

from __future__ import annotations

import datetime
import math
import typing
import uuid
from collections.abc import Mapping
from decimal import Decimal

from ._context import Context
from ._failures import ApiFailure
from ._rules import read_amount
from ._store import Document
from ._webhooks import merchant_number

__all__ = ["HANDLERS", "account_iban"]

_KIND = "request-to-pay"
_DATE_TIME = "%Y-%m-%dT%H:%M:%S"
_DEFAULT_LIFETIME = datetime.timedelta(days=30)
_DEFAULT_PAGE_SIZE = 10
_NOT_FOUND, _WRONG_STATE, _WRONG_AMOUNT, _WRONG_DATE, _EXPIRATION = "6001", "6002", "6003", "6004", "6005"
_TURKISH_BANK_CODE = "00061"  # the emulator's accounts are at one (made-up) bank
_REQUEST_FIELDS = (
    "amount",
    "receiverName",
    "receiverIban",
    "paymentPurpose",
    "kolasReferenceNumber",
    "qrReferenceNumber",
    "description",
)
_PERMISSIONS = ("partialPayment", "earlyPayment", "deferredPayment")


def account_iban(merchant: str) -> str:
    """The emulator's IBAN of a merchant's account: TR, ISO 13616 check digits, bank code, reserve digit, account."""
    bban = f"{_TURKISH_BANK_CODE}0{merchant_number(merchant):016d}"
    # Check digits: 98 - (BBAN + "TR00", letters as numbers) mod 97; T = 29, R = 27.
    check = 98 - int(f"{bban}292700") % 97
    return f"TR{check:02d}{bban}"


def _moment(text: object, field: str) -> datetime.datetime:
    try:
        return datetime.datetime.fromisoformat(str(text)).replace(microsecond=0)
    except ValueError:
        raise ApiFailure("11", f"{field}: not a date and time") from None


def _status(request: Mapping[str, typing.Any], now: datetime.datetime) -> str:
    """The request's status now: a scheduled payment completes, a waiting request expires."""
    status = str(request["status"])
    if status == "WAITING" and now > _moment(request["expirationDateTime"], "expirationDateTime"):
        return "CANCELLED"
    if status == "ACCEPTED" and now >= _moment(request["paymentDateTime"], "paymentDateTime"):
        return "COMPLETED"
    return status


def _public(request: Mapping[str, typing.Any], now: datetime.datetime) -> dict[str, typing.Any]:
    status = _status(request, now)
    fields = {
        "requestToPayStatus": status,
        "status": status,
        "referenceNumber": request["referenceNumber"],
        **{name: request.get(name) for name in _REQUEST_FIELDS},
        "expirationDateTime": request["expirationDateTime"],
        "requestedPaymentDateTime": request.get("requestedPaymentDateTime"),
        **{name: request[name] for name in _PERMISSIONS},
        "createdDate": request["createdDate"],
    }
    return {key: value for key, value in fields.items() if value is not None}


def create_request_to_pay(ctx: Context, body: Mapping[str, typing.Any]) -> dict[str, typing.Any]:
    amount = read_amount(body.get("amount"), "amount")
    expiration = (
        _moment(body["expirationDateTime"], "expirationDateTime")
        if body.get("expirationDateTime")
        else ctx.now.replace(microsecond=0) + _DEFAULT_LIFETIME
    )
    requested = body.get("requestedPaymentDateTime")
    if expiration <= ctx.now or (requested and _moment(requested, "requestedPaymentDateTime") > expiration):
        raise ApiFailure(_EXPIRATION)
    reference = f"{merchant_number(ctx.merchant) % 10_000:04d}-{uuid.uuid4()}"
    request: Document = {
        **{name: body.get(name) for name in _REQUEST_FIELDS},
        "amount": amount,
        "expirationDateTime": expiration.strftime(_DATE_TIME),
        "requestedPaymentDateTime": _moment(requested, "requestedPaymentDateTime").strftime(_DATE_TIME)
        if requested
        else None,
        **{name: bool(body.get(name, False)) for name in _PERMISSIONS},
        "referenceNumber": reference,
        "status": "WAITING",
        "createdDate": ctx.now.strftime(_DATE_TIME),
        "debtor": None,
    }
    ctx.store.put(_KIND, reference, ctx.merchant, request, ctx.conversation_id)
    return _public(request, ctx.now)


def _any_request(ctx: Context, reference: object) -> tuple[str, Document]:
    """(creditor, request) by reference number, whoever asks (the debtor's side)."""
    found = ctx.store.get_for_any_merchant(_KIND, str(reference or ""))
    if found is None:
        raise ApiFailure(_NOT_FOUND)
    return found


def _waiting(request: Mapping[str, typing.Any], now: datetime.datetime) -> None:
    if _status(request, now) != "WAITING":
        raise ApiFailure(_WRONG_STATE)


def _payment_moment(
    request: Mapping[str, typing.Any], body: Mapping[str, typing.Any], now: datetime.datetime
) -> datetime.datetime:
    """When the debtor pays: the requested moment (now, if it is past), within what the request allows."""
    moment = max(_moment(body["paymentDateTime"], "paymentDateTime"), now.replace(microsecond=0))
    if moment > _moment(request["expirationDateTime"], "expirationDateTime"):
        raise ApiFailure(_WRONG_DATE)
    requested = request.get("requestedPaymentDateTime")
    if requested:
        due = _moment(requested, "requestedPaymentDateTime")
        if (moment < due and not request["earlyPayment"]) or (moment > due and not request["deferredPayment"]):
            raise ApiFailure(_WRONG_DATE)
    return moment


def reply_request_to_pay(ctx: Context, body: Mapping[str, typing.Any]) -> dict[str, typing.Any]:
    creditor, request = _any_request(ctx, body.get("referenceNumber"))
    _waiting(request, ctx.now)
    amount, requested = read_amount(body.get("amount"), "amount"), Decimal(request["amount"])
    if amount > requested or (amount < requested and not request["partialPayment"]):
        raise ApiFailure(_WRONG_AMOUNT)
    moment = _payment_moment(request, body, ctx.now)
    request.update(
        status="ACCEPTED",
        debtor=ctx.merchant,
        paidAmount=amount,
        paymentDateTime=moment.strftime(_DATE_TIME),
        replyDescription=body.get("description"),
    )
    ctx.store.put(_KIND, request["referenceNumber"], creditor, request)
    return _public(request, ctx.now)


def deny_request_to_pay(ctx: Context, body: Mapping[str, typing.Any]) -> dict[str, typing.Any]:
    creditor, request = _any_request(ctx, body.get("referenceNumber"))
    _waiting(request, ctx.now)
    request.update(
        status="CANCELLED", debtor=ctx.merchant, description=body.get("description") or request["description"]
    )
    ctx.store.put(_KIND, request["referenceNumber"], creditor, request)
    return _public(request, ctx.now)


def _own_request(ctx: Context, reference: object) -> Document:
    """A request the caller created (its creditor's side)."""
    request = ctx.store.get(_KIND, str(reference or ""), ctx.merchant)
    if request is None:
        raise ApiFailure(_NOT_FOUND)
    return request


def cancel_request_to_pay(ctx: Context, body: Mapping[str, typing.Any]) -> dict[str, typing.Any]:
    request = _own_request(ctx, ctx.path_params["referenceNumber"])
    _waiting(request, ctx.now)
    request["status"] = "CANCELLED"
    ctx.store.put(_KIND, request["referenceNumber"], ctx.merchant, request)
    return _public(request, ctx.now)


def _seen_by(ctx: Context, reference: object, role: str) -> tuple[str, Document]:
    """(creditor, request) of a request the caller is a party of, from the side `role` (6001 otherwise)."""
    creditor, request = _any_request(ctx, reference)
    if ctx.merchant != (creditor if role == "CREDITOR" else request["debtor"]):
        raise ApiFailure(_NOT_FOUND)
    return creditor, request


def retrieve_request_to_pay(ctx: Context, body: Mapping[str, typing.Any]) -> dict[str, typing.Any]:
    creditor, request = _any_request(ctx, ctx.path_params["referenceNumber"])
    if ctx.merchant not in (creditor, request["debtor"]):
        raise ApiFailure(_NOT_FOUND)
    return _public(request, ctx.now)


def retrieve_request_to_pay_detail(ctx: Context, body: Mapping[str, typing.Any]) -> dict[str, typing.Any]:
    role = str(body["requestToPayRole"])
    creditor, request = _seen_by(ctx, body.get("requestToPayReferenceNumber"), role)
    public = _public(request, ctx.now)
    del public["requestToPayStatus"]
    return {
        **public,
        "senderName": f"Sandbox Merchant {merchant_number(creditor)}",
        "senderIban": account_iban(creditor),
        "requestToPayRole": role,
    }


def _listed(ctx: Context, role: str) -> list[Document]:
    if role == "CREDITOR":
        return [request for merchant, request in ctx.store.all(_KIND) if merchant == ctx.merchant]
    return [request for _, request in ctx.store.all(_KIND) if request["debtor"] == ctx.merchant]


def list_request_to_pay(ctx: Context, body: Mapping[str, typing.Any]) -> dict[str, typing.Any]:
    start = _moment(body["startDate"], "startDate") if body.get("startDate") else None
    end = _moment(body["endDate"], "endDate") if body.get("endDate") else None
    statuses = set(body.get("statuses") or ())
    found = [
        request
        for request in _listed(ctx, str(body["requestToPayRole"]))
        if (start is None or _moment(request["createdDate"], "createdDate") >= start)
        and (end is None or _moment(request["createdDate"], "createdDate") <= end)
        and (not statuses or _status(request, ctx.now) in statuses)
    ]
    page, count = int(body.get("page") or 1), int(body.get("count") or _DEFAULT_PAGE_SIZE)
    rows = found[(page - 1) * count : page * count]
    return {
        "currentPage": page,
        "totalPageCount": max(1, math.ceil(len(found) / count)),
        "items": [_public(request, ctx.now) for request in rows],
    }


HANDLERS = {
    "createRequestToPay": create_request_to_pay,
    "replyRequestToPay": reply_request_to_pay,
    "denyRequestToPay": deny_request_to_pay,
    "cancelRequestToPay": cancel_request_to_pay,
    "retrieveRequestToPay": retrieve_request_to_pay,
    "listRequestToPay": list_request_to_pay,
    "retrieveRequestToPayDetail": retrieve_request_to_pay_detail,
}
