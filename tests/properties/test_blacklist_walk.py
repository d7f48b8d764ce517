"""Stateful: cards stored, blacklisted, taken off the blacklist and deleted in any order, and payments with their
numbers or their tokens. A payment is refused with 10209 exactly when its card number is blacklisted in the
walk's model (a deleted card stays blacklisted until it is taken off), and retrieveBlacklistedCard says the same
after every step."""

from __future__ import annotations

import contextlib
import uuid

import attrs
from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, precondition, rule, run_state_machine_as_test

from iyzico_client.api.card_storage import (
    blacklist_card,
    create_card,
    delete_card,
    retrieve_blacklisted_card,
    unblacklist_card,
)
from iyzico_client.api.payment import create_payment
from iyzico_client.models import (
    CardBlacklistRequest,
    CardInformation,
    CreateCardRequest,
    CreatePaymentRequest,
    DeleteCardRequest,
    RetrieveBlacklistedCardRequest,
)
from iyzico_ext import CardDeclinedError, InvalidRequestError
from tests.sandbox._emulated_merchant import Emulated, emulated
from tests.sandbox.conftest import NEXT_YEAR, payment_body, with_card

NUMBERS = ("5528790000000008", "4603450000000000", "5890040000000016")


@attrs.define
class Stored:
    user_key: str
    token: str
    number: str
    blacklisted: bool = False
    deleted: bool = False
    forgotten: bool = False  # deleted and off the blacklist: the vault no longer has it


class Blacklist(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        self._stack = contextlib.ExitStack()
        self.shop: Emulated = self._stack.enter_context(emulated())
        self.users: list[str] = []
        self.cards: list[Stored] = []

    def teardown(self) -> None:
        self._stack.close()

    def _blacklisted_numbers(self) -> set[str]:
        return {card.number for card in self.cards if card.blacklisted}

    @rule(number=st.sampled_from(NUMBERS), user=st.integers(0, 2))
    def store(self, number: str, user: int) -> None:
        card = CardInformation(card_number=number, expire_month="12", expire_year=NEXT_YEAR, card_holder_name="Ayşe")
        known = user < len(self.users)
        body = (
            CreateCardRequest(card=card, card_user_key=self.users[user])
            if known
            else CreateCardRequest(card=card, email="ayse@example.com.tr")
        )
        stored = create_card.sync(client=self.shop.client, body=body)
        assert stored is not None
        if not known:
            self.users.append(str(stored.card_user_key))
        self.cards.append(Stored(str(stored.card_user_key), str(stored.card_token), number))

    def _keys(self, card: Stored) -> CardBlacklistRequest:
        return CardBlacklistRequest(card_user_key=card.user_key, card_token=card.token)

    @precondition(lambda self: self.cards)
    @rule(data=st.data(), blacklisted=st.booleans())
    def set_blacklisted(self, data: st.DataObject, blacklisted: bool) -> None:
        card = data.draw(st.sampled_from(self.cards[::-1]))
        call = blacklist_card if blacklisted else unblacklist_card
        if card.forgotten:
            with contextlib.suppress(InvalidRequestError):
                call.sync(client=self.shop.client, body=self._keys(card))
                raise AssertionError("a card no longer in the vault was found")
            return
        answer = call.sync(client=self.shop.client, body=self._keys(card))
        assert answer is not None
        assert answer.blacklisted is blacklisted
        card.blacklisted = blacklisted
        card.forgotten = card.deleted and not blacklisted

    @precondition(lambda self: any(not card.deleted for card in self.cards))
    @rule(data=st.data())
    def delete(self, data: st.DataObject) -> None:
        card = data.draw(st.sampled_from([card for card in self.cards if not card.deleted]))
        body = DeleteCardRequest(card_user_key=card.user_key, card_token=card.token)
        assert delete_card.sync(client=self.shop.client, body=body) is not None
        card.deleted = True
        card.forgotten = not card.blacklisted

    def _pay(self, card: dict[str, str]) -> str:
        """ "paid", or the errorCode of the refusal."""
        body = payment_body(conversationId=uuid.uuid4().hex, paymentCard=card)
        try:
            create_payment.sync(client=self.shop.client, body=CreatePaymentRequest.from_dict(body))
        except (CardDeclinedError, InvalidRequestError) as refused:
            return str(refused.error_code)
        return "paid"

    @rule(number=st.sampled_from(NUMBERS))
    def pay_with_number(self, number: str) -> None:
        card = with_card(payment_body(), cardNumber=number)["paymentCard"]
        expected = "10209" if number in self._blacklisted_numbers() else "paid"
        assert self._pay(card) == expected

    @precondition(lambda self: self.cards)
    @rule(data=st.data())
    def pay_with_token(self, data: st.DataObject) -> None:
        card = data.draw(st.sampled_from(self.cards[::-1]))
        outcome = self._pay({"cardUserKey": card.user_key, "cardToken": card.token})
        if card.deleted:
            assert outcome == "3006"
        else:
            assert outcome == ("10209" if card.number in self._blacklisted_numbers() else "paid")

    @invariant()
    def the_blacklist_is_what_the_walk_knows(self) -> None:
        for number in NUMBERS:
            found = retrieve_blacklisted_card.sync(
                client=self.shop.client, body=RetrieveBlacklistedCardRequest(card_number=number)
            )
            assert found is not None
            assert found.blacklisted is (number in self._blacklisted_numbers())


def test_blacklist_walk() -> None:
    profile = settings.default
    assert profile is not None
    runs = max(3, profile.max_examples // 20)  # ci: 10 runs; nightly: 100
    run_state_machine_as_test(Blacklist, settings=settings(profile, max_examples=runs, stateful_step_count=20))
