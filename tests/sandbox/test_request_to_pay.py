"""Request to pay between two merchant accounts of the emulator: the creditor asks, the debtor pays or refuses, the
creditor cancels; the request's rules (amount, early and deferred payment, expiration) and both sides' views."""

from __future__ import annotations

import datetime
import typing
from collections.abc import Iterator
from decimal import Decimal

import pytest

from iyzico_client.api.request_to_pay import (
    cancel_request_to_pay,
    create_request_to_pay,
    deny_request_to_pay,
    list_request_to_pay,
    reply_request_to_pay,
    retrieve_request_to_pay,
    retrieve_request_to_pay_detail,
)
from iyzico_client.models import (
    CreateRequestToPayRequest,
    DenyRequestToPayRequest,
    ListRequestToPayRequest,
    ReplyRequestToPayRequest,
    RequestToPayPurpose,
    RequestToPayRole,
    RequestToPayStatus,
    RetrieveRequestToPayDetailRequest,
)
from iyzico_client.types import UNSET
from iyzico_ext import InvalidRequestError, IyzicoClient
from iyzico_ext.sandbox._reporting import iban_checksum_valid

from ._emulated_merchant import Emulated, emulated, ok

DEBTOR_IBAN = "TR950086401100004979103567"


@pytest.fixture
def accounts() -> Iterator[Emulated]:
    with emulated(merchants=2) as running:
        yield running


def _at(accounts: Emulated, days: float) -> str:
    return (accounts.now() + datetime.timedelta(days=days)).replace(microsecond=0).isoformat()


def _request(accounts: Emulated, amount: str = "7700", **fields: typing.Any) -> str:
    body = CreateRequestToPayRequest(
        amount=Decimal(amount),
        receiver_name="John Stone",
        receiver_iban=DEBTOR_IBAN,
        payment_purpose=RequestToPayPurpose.RESIDENTIAL_RENT,
        **{"expiration_date_time": _at(accounts, 20), **fields},
    )
    created = ok(create_request_to_pay.sync(client=accounts.clients[0], body=body)).data
    assert (created.status, created.request_to_pay_status) == ("WAITING", "WAITING")
    return str(created.reference_number)


def _reply(client: IyzicoClient, reference: str, amount: str, when: str) -> str:
    body = ReplyRequestToPayRequest(reference_number=reference, amount=Decimal(amount), payment_date_time=when)
    return str(ok(reply_request_to_pay.sync(client=client, body=body)).data.status)


def _status(client: IyzicoClient, reference: str) -> str:
    return str(ok(retrieve_request_to_pay.sync(reference, client=client)).data.status)


def _refused(code: str, call: object) -> None:
    assert callable(call)
    with pytest.raises(InvalidRequestError) as refused:
        call()
    assert refused.value.error_code == code


def test_the_debtor_pays_now_or_schedules_the_payment(accounts: Emulated) -> None:
    creditor, debtor = accounts.clients
    now = _request(accounts)
    assert _reply(debtor, now, "7700", _at(accounts, -1)) == "COMPLETED"
    later = _request(accounts, requested_payment_date_time=_at(accounts, 5), early_payment=True)
    assert _reply(debtor, later, "7700", _at(accounts, 3)) == "ACCEPTED"
    assert _status(creditor, later) == "ACCEPTED"
    accounts.advance_clock(datetime.timedelta(days=4))
    assert _status(creditor, later) == _status(debtor, later) == "COMPLETED"
    _refused("6002", lambda: _reply(debtor, later, "7700", _at(accounts, 0)))  # answered once


def test_the_amount_and_the_payment_date_follow_the_request(accounts: Emulated) -> None:
    debtor = accounts.clients[1]
    due = _request(accounts, requested_payment_date_time=_at(accounts, 5))
    _refused("6003", lambda: _reply(debtor, due, "7000", _at(accounts, 5)))  # no partial payment
    _refused("6003", lambda: _reply(debtor, due, "8000", _at(accounts, 5)))
    _refused("6004", lambda: _reply(debtor, due, "7700", _at(accounts, 4)))  # no early payment
    _refused("6004", lambda: _reply(debtor, due, "7700", _at(accounts, 6)))  # no deferred payment
    _refused("6004", lambda: _reply(debtor, due, "7700", _at(accounts, 30)))  # after the expiration
    assert _reply(debtor, due, "7700", _at(accounts, 5)) == "ACCEPTED"
    partial = _request(
        accounts, partial_payment=True, deferred_payment=True, requested_payment_date_time=_at(accounts, 1)
    )
    assert _reply(debtor, partial, "100", _at(accounts, 2)) == "ACCEPTED"


def test_deny_cancel_and_expiry_end_a_waiting_request(accounts: Emulated) -> None:
    creditor, debtor = accounts.clients
    denied, cancelled, expiring = _request(accounts), _request(accounts), _request(accounts)
    deny = DenyRequestToPayRequest(reference_number=denied, description="Kira ödendi")
    answer = ok(deny_request_to_pay.sync(client=debtor, body=deny)).data
    assert (answer.status, answer.description) == ("CANCELLED", "Kira ödendi")
    assert ok(cancel_request_to_pay.sync(cancelled, client=creditor)).data.status == "CANCELLED"
    _refused("6001", lambda: cancel_request_to_pay.sync(expiring, client=debtor))  # only the creditor cancels
    accounts.advance_clock(datetime.timedelta(days=21))
    assert _status(creditor, expiring) == "CANCELLED"
    _refused("6002", lambda: _reply(debtor, expiring, "7700", _at(accounts, 0)))
    _refused("6002", lambda: cancel_request_to_pay.sync(cancelled, client=creditor))


def test_each_side_sees_its_requests(accounts: Emulated) -> None:
    creditor, debtor = accounts.clients
    paid, open_one = _request(accounts), _request(accounts, "10")
    _reply(debtor, paid, "7700", _at(accounts, 0))

    def listed(client: IyzicoClient, role: RequestToPayRole, *statuses: RequestToPayStatus) -> list[str]:
        body = ListRequestToPayRequest(request_to_pay_role=role, statuses=list(statuses) if statuses else UNSET)
        return [
            str(item.reference_number) for item in ok(list_request_to_pay.sync(client=client, body=body)).data.items
        ]

    assert listed(creditor, RequestToPayRole.CREDITOR) == [paid, open_one]
    assert listed(creditor, RequestToPayRole.CREDITOR, RequestToPayStatus.WAITING) == [open_one]
    assert listed(debtor, RequestToPayRole.DEBTOR) == [paid]
    assert listed(debtor, RequestToPayRole.CREDITOR) == []
    page = ok(
        list_request_to_pay.sync(
            client=creditor,
            body=ListRequestToPayRequest(request_to_pay_role=RequestToPayRole.CREDITOR, page=2, count=1),
        )
    ).data
    assert (page.current_page, page.total_page_count, [item.reference_number for item in page.items]) == (
        2,
        2,
        [open_one],
    )

    detail = RetrieveRequestToPayDetailRequest(
        request_to_pay_reference_number=paid, request_to_pay_role=RequestToPayRole.DEBTOR
    )
    seen = ok(retrieve_request_to_pay_detail.sync(client=debtor, body=detail)).data
    assert (seen.request_to_pay_role, seen.receiver_iban, seen.status) == ("DEBTOR", DEBTOR_IBAN, "COMPLETED")
    assert str(seen.sender_name).startswith("Sandbox Merchant ")
    assert iban_checksum_valid(str(seen.sender_iban))
    _refused(
        "6001",
        lambda: retrieve_request_to_pay_detail.sync(
            client=creditor,
            body=RetrieveRequestToPayDetailRequest(
                request_to_pay_reference_number=paid, request_to_pay_role=RequestToPayRole.DEBTOR
            ),
        ),
    )


def test_an_expiration_in_the_past_is_refused(accounts: Emulated) -> None:
    _refused("6005", lambda: _request(accounts, expiration_date_time=_at(accounts, -1)))
    _refused("5005", lambda: _request(accounts, "0"))
