"""Stateful: requests to pay between two merchant accounts created, paid (whole, in part, too much, early, late),
refused, cancelled and left to expire while the clock moves on. Each answer and, after every step, each
request's status as both sides read it is what the walk's model of the rules says; the lists of each side hold
exactly its requests."""

from __future__ import annotations

import contextlib
import datetime
import typing
from decimal import Decimal

import attrs
from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    initialize,
    invariant,
    precondition,
    rule,
    run_state_machine_as_test,
)

from iyzico_client.api.request_to_pay import (
    cancel_request_to_pay,
    create_request_to_pay,
    deny_request_to_pay,
    list_request_to_pay,
    reply_request_to_pay,
    retrieve_request_to_pay,
)
from iyzico_client.models import (
    CreateRequestToPayRequest,
    DenyRequestToPayRequest,
    ListRequestToPayRequest,
    ReplyRequestToPayRequest,
    RequestToPayPurpose,
    RequestToPayRole,
)
from iyzico_client.types import UNSET
from iyzico_ext import InvalidRequestError, IyzicoClient
from tests.sandbox._emulated_merchant import Emulated, emulated, ok

# Whole ticks of the clock, a little longer than a day; the request's dates sit half a tick off them, so a
# payment moment and a due date never tie.
TICK = datetime.timedelta(days=1, minutes=1)
AMOUNT = Decimal("100.00")


# (due in whole ticks or none, lifetime in ticks, partialPayment, earlyPayment, deferredPayment)
Terms = tuple[int | None, int, bool, bool, bool]
TERMS: st.SearchStrategy[Terms] = st.tuples(
    st.sampled_from([0, 1, 2, 3, 4, None]), st.integers(2, 8), st.booleans(), st.booleans(), st.booleans()
)


@attrs.define
class Request:
    reference: str
    created: int  # the tick it was created at
    due: float | None  # ticks (half) of requestedPaymentDateTime
    expires: float
    partial: bool
    early: bool
    deferred: bool
    status: str = "WAITING"
    paid_at: int | None = None  # the tick the payment is scheduled for
    debtor_answered: bool = False

    def status_at(self, tick: int) -> str:
        if self.status == "WAITING" and tick > self.expires:
            return "CANCELLED"
        if self.status == "ACCEPTED" and self.paid_at is not None and tick >= self.paid_at:
            return "COMPLETED"
        return self.status


class RequestsToPay(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        self._stack = contextlib.ExitStack()
        self.accounts: Emulated = self._stack.enter_context(emulated(merchants=2))
        self.creditor, self.debtor = self.accounts.clients
        self.start = self.accounts.now()
        self.tick = 0
        self.requests: list[Request] = []

    def teardown(self) -> None:
        self._stack.close()

    def _at(self, ticks: float) -> str:
        """The date-time `ticks` from the walk's start (the emulator's clock started there)."""
        return (self.start + TICK * ticks).replace(microsecond=0).isoformat()

    @initialize(terms=st.lists(TERMS, min_size=1, max_size=4))
    def open_requests(self, terms: list[Terms]) -> None:
        """Some requests exist from the start, so that short walks answer them too."""
        for term in terms:
            self.create(*term)

    @rule(terms=TERMS)
    def create_one(self, terms: Terms) -> None:
        self.create(*terms)

    def create(self, due: int | None, lifetime: int, partial: bool, early: bool, deferred: bool) -> None:
        expires = self.tick + lifetime + 0.5
        due_at = None if due is None else self.tick + min(due, lifetime - 1) + 0.5
        body = CreateRequestToPayRequest(
            amount=AMOUNT,
            receiver_name="John Stone",
            receiver_iban="TR950086401100004979103567",
            payment_purpose=RequestToPayPurpose.BUSINESS_PAYMENT,
            expiration_date_time=self._at(expires),
            requested_payment_date_time=UNSET if due_at is None else self._at(due_at),
            partial_payment=partial,
            early_payment=early,
            deferred_payment=deferred,
        )
        created = ok(create_request_to_pay.sync(client=self.creditor, body=body))
        request = Request(str(created.data.reference_number), self.tick, due_at, expires, partial, early, deferred)
        self.requests.append(request)

    def _expected_reply(self, request: Request, amount: Decimal, paid_at: int) -> str:
        """The emulator's rules: the state first, then the amount, then the payment date."""
        if request.status_at(self.tick) != "WAITING":
            return "6002"
        if amount > AMOUNT or (amount < AMOUNT and not request.partial):
            return "6003"
        late_for_due = request.due is not None and paid_at > request.due and not request.deferred
        early_for_due = request.due is not None and paid_at < request.due and not request.early
        if paid_at > request.expires or late_for_due or early_for_due:
            return "6004"
        return "COMPLETED" if paid_at == self.tick else "ACCEPTED"

    def _outcome(self, send: typing.Callable[[], typing.Any]) -> str:
        try:
            answer = send()
        except InvalidRequestError as refused:
            return str(refused.error_code)
        assert answer is not None
        return str(answer.data.status)

    def _moment(self, request: Request, when: str) -> int:
        """A whole tick for the payment: now, just before or after the due date, or after the expiration."""
        due = request.expires - 1 if request.due is None else request.due
        choices = {"now": 0.0, "before due": due - 0.5, "after due": due + 0.5, "after expiry": request.expires + 0.5}
        return max(self.tick, int(choices[when]))

    @precondition(lambda self: self.requests)
    @rule(
        data=st.data(),
        amount=st.sampled_from(["100.00", "60.00", "120.00"]),
        when=st.sampled_from(["now", "before due", "after due", "after expiry"]),
    )
    def reply(self, data: st.DataObject, amount: str, when: str) -> None:
        # Mostly a waiting request (answering a closed one is the 6002 that deny and cancel meet too).
        waiting = [request for request in self.requests if request.status_at(self.tick) == "WAITING"]
        request = data.draw(st.sampled_from((waiting or self.requests)[::-1]))
        paid_at = self._moment(request, when)
        expected = self._expected_reply(request, Decimal(amount), paid_at)
        body = ReplyRequestToPayRequest(
            reference_number=request.reference, amount=Decimal(amount), payment_date_time=self._at(paid_at)
        )
        assert self._outcome(lambda: reply_request_to_pay.sync(client=self.debtor, body=body)) == expected
        if expected in ("ACCEPTED", "COMPLETED"):
            request.status, request.paid_at, request.debtor_answered = "ACCEPTED", paid_at, True

    @precondition(lambda self: self.requests)
    @rule(data=st.data())
    def deny(self, data: st.DataObject) -> None:
        request = data.draw(st.sampled_from(self.requests[::-1]))  # the newest first: draws lean to it
        expected = "CANCELLED" if request.status_at(self.tick) == "WAITING" else "6002"
        body = DenyRequestToPayRequest(reference_number=request.reference)
        assert self._outcome(lambda: deny_request_to_pay.sync(client=self.debtor, body=body)) == expected
        if expected == "CANCELLED":
            request.status, request.debtor_answered = "CANCELLED", True

    @precondition(lambda self: self.requests)
    @rule(data=st.data())
    def cancel(self, data: st.DataObject) -> None:
        request = data.draw(st.sampled_from(self.requests[::-1]))  # the newest first: draws lean to it
        expected = "CANCELLED" if request.status_at(self.tick) == "WAITING" else "6002"
        outcome = self._outcome(lambda: cancel_request_to_pay.sync(request.reference, client=self.creditor))
        assert outcome == expected
        if expected == "CANCELLED":
            request.status = "CANCELLED"

    @rule(ticks=st.integers(1, 2))
    def advance(self, ticks: int) -> None:
        self.accounts.advance_clock(TICK * ticks)
        self.tick += ticks

    def _listed(self, client: IyzicoClient, role: RequestToPayRole) -> list[str]:
        body = ListRequestToPayRequest(request_to_pay_role=role, count=100)
        answer = ok(list_request_to_pay.sync(client=client, body=body))
        return [str(item.reference_number) for item in answer.data.items]

    @invariant()
    def both_sides_see_what_the_walk_knows(self) -> None:
        for request in self.requests:
            expected = request.status_at(self.tick)
            seen_by = [self.creditor] + ([self.debtor] if request.debtor_answered else [])
            for client in seen_by:
                answer = ok(retrieve_request_to_pay.sync(request.reference, client=client))
                assert answer.data.status == expected
        assert self._listed(self.creditor, RequestToPayRole.CREDITOR) == [r.reference for r in self.requests]
        answered = [r.reference for r in self.requests if r.debtor_answered]
        assert self._listed(self.debtor, RequestToPayRole.DEBTOR) == answered
        assert self._listed(self.debtor, RequestToPayRole.CREDITOR) == []


def test_request_to_pay_walk() -> None:
    profile = settings.default
    assert profile is not None
    runs = max(5, profile.max_examples // 10)  # ci: 20 runs; nightly: 200
    run_state_machine_as_test(RequestsToPay, settings=settings(profile, max_examples=runs, stateful_step_count=20))
