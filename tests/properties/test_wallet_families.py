"""Stateful: the basic payments, alternative payment methods and wallets, interleaved with card payments, refunds,
cancels and injected faults. The walk of `test_no_double_charge` (its rules and its ledger invariant: no
conversationId charged twice, every unknown outcome reconciled to zero or one charge, the client's view equal to
the emulator's ledger) runs with rules for every family of those operations added: basic Non-3DS payments and
pre-authorisations with their capture, basic 3-D Secure completed by either auth call, APM, BKM Express (full
and basic), Pecco and iyziup, each page paid or given up. A buyer's page or a token pays at most once."""

from __future__ import annotations

import typing
import uuid
from decimal import Decimal

import httpx
import pytest
from hypothesis import strategies as st
from hypothesis.stateful import precondition, rule

from iyzico_client.models import (
    CompleteThreedsRequest,
    CreateBasicPaymentRequest,
    CreatePeccoPaymentRequest,
    CreatePostAuthPaymentRequest,
    CreateThreedsPaymentRequest,
    Currency,
    InitializeApmRequest,
    InitializeBasicBkmRequest,
    InitializeBasicThreedsRequest,
    InitializeBkmRequest,
    InitializeIyziupFormRequest,
    InitializePeccoRequest,
    IyziupAddress,
    IyziupInitialConsumer,
    RetrieveApmRequest,
    RetrieveBkmRequest,
    RetrieveIyziupFormRequest,
)
from iyzico_client.types import UNSET
from iyzico_ext import IyzicoAPIError, PaymentOutcomeUnknown, reconcile_payment
from iyzico_ext.sandbox.browser import complete_threeds, pay_wallet_page
from iyzico_ext.testing import strategies as iyzico_st

from ._support import call, succeeded_anyway
from .test_no_double_charge import PAYMENT_FAULTS, NoDoubleCharge, _pick, examples, run_walk

STEPS_PER_RUN = 25
_APPROVED_CARDS = iyzico_st.payment_cards(st.sampled_from(iyzico_st.SUCCESSFUL_TEST_CARDS))
_PLAIN_BASKETS = iyzico_st.baskets(marketplace=False)
_CONSUMER = IyziupInitialConsumer(
    name="Ayşe",
    surname="Yılmaz",
    email="ayse@example.com.tr",
    gsm_number="+905350000000",
    address_list=[
        IyziupAddress(contact_name="Ayşe Yılmaz", address_line_1="Bora Sok. No:1", city="İstanbul", country="Türkiye")
    ],
)


def _conversation() -> str:
    return uuid.uuid4().hex


class WalletFamilies(NoDoubleCharge):
    def __init__(self) -> None:
        super().__init__()
        self.pre_authorised: set[str] = set()  # conversationIds of basic pre-authorisations not captured yet

    def _charged(self, operation_id: str, fault: str | None, conversation_id: str, body: object) -> bool:
        """Send a money-moving call under `fault`; record what the emulator charged under `conversation_id`
        (looked up, never resent, when the outcome is unknown). Whether it charged."""
        self._fault(operation_id, fault)
        try:
            self._call(operation_id, body)
        except PaymentOutcomeUnknown:
            pass  # reconciled below
        except IyzicoAPIError:
            self.nothing_charged.add(conversation_id)
            return False
        else:
            assert succeeded_anyway(operation_id, fault)
        self._record(conversation_id, reconcile_payment(self.emulator.client, conversation_id))
        return conversation_id in self.charges

    def _call(self, operation_id: str, body: object) -> typing.Any:
        return call(self.emulator.client, operation_id, body=body)

    def _basic(self, data: st.DataObject, fault: str | None, operation_id: str) -> str | None:
        """A basic payment or pre-authorisation with an approved test card; its conversationId if it charged."""
        conversation_id = _conversation()
        request = data.draw(
            iyzico_st.from_model(
                CreateBasicPaymentRequest,
                conversation_id=st.just(conversation_id),
                currency=st.just(Currency.TRY),
                installment=st.just(1),
                payment_card=_APPROVED_CARDS,
            )
        )
        return conversation_id if self._charged(operation_id, fault, conversation_id, request) else None

    @rule(data=st.data(), fault=st.sampled_from(PAYMENT_FAULTS))
    def basic_payment(self, data: st.DataObject, fault: str | None) -> None:
        self._basic(data, fault, "createBasicPayment")

    @rule(data=st.data(), fault=st.sampled_from(PAYMENT_FAULTS))
    def basic_pre_auth(self, data: st.DataObject, fault: str | None) -> None:
        pre_authorised = self._basic(data, fault, "createBasicPreAuthPayment")
        if pre_authorised is not None:
            self.pre_authorised.add(pre_authorised)

    @precondition(lambda self: self.pre_authorised)
    @rule(data=st.data(), share=st.integers(1, 100), fault=st.sampled_from(PAYMENT_FAULTS))
    def capture(self, data: st.DataObject, share: int, fault: str | None) -> None:
        conversation_id = _pick(data, {key: None for key in self.pre_authorised})
        charge = self.charges[conversation_id]
        amount = max(Decimal("0.01"), (charge.paid_price * share / 100).quantize(Decimal("0.01")))
        request = CreatePostAuthPaymentRequest(
            conversation_id=_conversation(), payment_id=charge.payment_id, paid_price=amount
        )
        self._fault("createBasicPostAuthPayment", fault)
        try:
            self._call("createBasicPostAuthPayment", request)
        except PaymentOutcomeUnknown:
            pass  # the payment says whether it was captured: zero or one capture
        except IyzicoAPIError:
            return  # refused (the sandbox card that cannot be captured); nothing moved
        payment = reconcile_payment(self.emulator.client, conversation_id)
        assert payment is not None
        if payment.phase == "POST_AUTH":
            assert payment.paid_price == amount
            self.pre_authorised.discard(conversation_id)
            self._record(conversation_id, payment)

    @rule(
        data=st.data(),
        fails_authentication=st.booleans(),
        forwarded=st.booleans(),
        fault=st.sampled_from(PAYMENT_FAULTS),
    )
    def basic_threeds(
        self, data: st.DataObject, fails_authentication: bool, forwarded: bool, fault: str | None
    ) -> None:
        request = data.draw(
            iyzico_st.from_model(
                InitializeBasicThreedsRequest,
                currency=st.just(Currency.TRY),
                installment=st.just(1),
                payment_card=_APPROVED_CARDS,
            )
        )
        try:
            started = self._call("initializeBasicThreeds", request)
        except IyzicoAPIError:
            return  # e.g. a card to store without the buyer's e-mail
        bank = complete_threeds(
            self.emulator.handle.http, started.three_ds_html_content, authenticate=not fails_authentication
        )
        conversation_id = _conversation()
        payment_id, data_field = bank.fields["paymentId"], bank.fields["conversationData"]
        auth: object = (
            CompleteThreedsRequest(
                conversation_id=conversation_id, md=payment_id, pa_res=data_field, term_url=request.callback_url
            )
            if forwarded
            else CreateThreedsPaymentRequest(
                conversation_id=conversation_id, payment_id=payment_id, conversation_data=data_field
            )
        )
        operation_id = "completeThreeds" if forwarded else "createBasicThreedsPayment"
        charged = self._charged(operation_id, fault, conversation_id, auth)
        assert not (charged and fails_authentication)

    @rule(data=st.data(), gives_up=st.booleans())
    def apm(self, data: st.DataObject, gives_up: bool) -> None:
        conversation_id = _conversation()
        request = data.draw(
            iyzico_st.from_model(InitializeApmRequest, conversation_id=st.just(conversation_id), basket=_PLAIN_BASKETS)
        )
        started = self._call("initializeApm", request)
        pay_wallet_page(self.emulator.handle.http, started.redirect_url, approve=not gives_up)
        outcome = self._call("retrieveApm", RetrieveApmRequest(payment_id=started.payment_id))
        assert outcome.payment_status == ("FAILURE" if gives_up else "SUCCESS")
        self._settle(conversation_id, paid=not gives_up)

    def _settle(self, conversation_id: str, *, paid: bool) -> None:
        """A page's outcome: the payment under the initialize call's conversationId, or nothing."""
        if paid:
            self._record(conversation_id, reconcile_payment(self.emulator.client, conversation_id))
        else:
            self.nothing_charged.add(conversation_id)

    @rule(data=st.data(), gives_up=st.booleans(), basic=st.booleans())
    def bkm(self, data: st.DataObject, gives_up: bool, basic: bool) -> None:
        conversation_id = _conversation()
        request = data.draw(
            iyzico_st.from_model(InitializeBasicBkmRequest, conversation_id=st.just(conversation_id))
            if basic
            else iyzico_st.from_model(
                InitializeBkmRequest,
                conversation_id=st.just(conversation_id),
                currency=st.just(Currency.TRY),
                enabled_installments=st.just(UNSET),
                basket=_PLAIN_BASKETS,
            )
        )
        started = self._call("initializeBasicBkm" if basic else "initializeBkm", request)
        pay_wallet_page(self.emulator.handle.http, started.html_content, approve=not gives_up)
        with pytest.raises(httpx.HTTPStatusError):  # a page pays once
            pay_wallet_page(self.emulator.handle.http, started.html_content)
        outcome = self._call("retrieveBasicBkm" if basic else "retrieveBkm", RetrieveBkmRequest(token=started.token))
        assert outcome.payment_status == ("FAILURE" if gives_up else "SUCCESS")
        self._settle(conversation_id, paid=not gives_up)

    @rule(data=st.data(), gives_up=st.booleans(), fault=st.sampled_from(PAYMENT_FAULTS))
    def pecco(self, data: st.DataObject, gives_up: bool, fault: str | None) -> None:
        request = data.draw(iyzico_st.from_model(InitializePeccoRequest, basket=_PLAIN_BASKETS))
        started = self._call("initializePecco", request)
        pay_wallet_page(self.emulator.handle.http, started.redirect_url, approve=not gives_up)
        charges = 0
        for attempt in (fault, None):  # the auth call, then (after reconciling) the same token once more
            conversation_id = _conversation()
            auth = CreatePeccoPaymentRequest(conversation_id=conversation_id, token=started.token)
            charges += self._charged("createPeccoPayment", attempt, conversation_id, auth)
        assert charges == (0 if gives_up else 1)  # a token charges once, whatever the faults

    @rule(data=st.data(), gives_up=st.booleans())
    def iyziup(self, data: st.DataObject, gives_up: bool) -> None:
        conversation_id = _conversation()
        request = data.draw(
            iyzico_st.from_model(
                InitializeIyziupFormRequest,
                conversation_id=st.just(conversation_id),
                currency=st.just(Currency.TRY),
                enabled_installments=st.just(UNSET),
                enabled_card_family=st.just(UNSET),
                initial_consumer=st.just(_CONSUMER),
            )
        )
        started = self._call("initializeIyziupForm", request)
        pay_wallet_page(self.emulator.handle.http, started.content, approve=not gives_up)
        order = self._call("retrieveIyziupForm", RetrieveIyziupFormRequest(token=started.token))
        assert order.order_response_status == ("payment_failed" if gives_up else "payment_completed")
        self._settle(conversation_id, paid=not gives_up)


def test_wallet_families_keep_the_ledger_under_faults() -> None:
    run_walk(WalletFamilies, runs=max(3, examples() // 40), steps=STEPS_PER_RUN)  # ci: 5 x 25; nightly: 50 x 25
