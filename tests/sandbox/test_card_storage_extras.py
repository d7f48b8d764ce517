"""Card storage extras against the emulator: the blacklist refuses every way of paying with a card, Universal Card
Storage tells consumers with stored cards, the card management page deletes and adds cards and hands back."""

from __future__ import annotations

import functools
import typing
from collections.abc import Callable, Iterator

import pytest

from iyzico_client.api.card_storage import (
    blacklist_card,
    create_card,
    delete_card,
    initialize_card_management_page,
    initialize_universal_card_storage,
    retrieve_blacklisted_card,
    retrieve_card_management_page_cards,
    unblacklist_card,
)
from iyzico_client.api.checkout_form import initialize_checkout_form
from iyzico_client.api.payment import create_payment
from iyzico_client.api.threeds import initialize_threeds
from iyzico_client.models import (
    CardBlacklistRequest,
    CardInformation,
    CreateCardRequest,
    CreatePaymentRequest,
    DeleteCardRequest,
    InitializeCardManagementPageRequest,
    InitializeCheckoutFormRequest,
    InitializeThreedsRequest,
    InitializeUniversalCardStorageRequest,
    RetrieveBlacklistedCardRequest,
)
from iyzico_ext import CardDeclinedError, InvalidRequestError, IyzicoAPIError
from iyzico_ext.sandbox.browser import HOSTED_PAGE_TEST_CARD, pay_hosted_page, read_form

from ._emulated_merchant import Emulated, emulated, ok
from .conftest import NEXT_YEAR, checkout_body, payment_body, with_card

CARD = "5528790000000008"
DEBIT_CARD = "5890040000000016"  # Halkbank debit card (test card table)


@pytest.fixture
def shop() -> Iterator[Emulated]:
    with emulated() as running:
        yield running


def _store(shop: Emulated, number: str = CARD, user_key: str | None = None) -> tuple[str, str]:
    card = CardInformation(card_number=number, expire_month="12", expire_year=NEXT_YEAR, card_holder_name="Ayşe")
    body = CreateCardRequest(card=card, email="ayse@example.com.tr", external_id="BY789")
    if user_key is not None:
        body = CreateCardRequest(card=card, card_user_key=user_key)
    stored = ok(create_card.sync(client=shop.client, body=body))
    return str(stored.card_user_key), str(stored.card_token)


def _pay_raw(shop: Emulated, number: str, conversation_id: str) -> object:
    body = with_card(payment_body(conversationId=conversation_id), cardNumber=number)
    return create_payment.sync(client=shop.client, body=CreatePaymentRequest.from_dict(body))


def _pay_stored(shop: Emulated, user_key: str, token: str, conversation_id: str) -> object:
    body = payment_body(conversationId=conversation_id, paymentCard={"cardUserKey": user_key, "cardToken": token})
    return create_payment.sync(client=shop.client, body=CreatePaymentRequest.from_dict(body))


def _blacklisted(shop: Emulated, number: str = CARD) -> bool:
    found = ok(
        retrieve_blacklisted_card.sync(client=shop.client, body=RetrieveBlacklistedCardRequest(card_number=number))
    )
    assert found.card_number == f"{number[:6]}{'*' * (len(number) - 10)}{number[-4:]}"
    return bool(found.blacklisted)


def test_a_blacklisted_card_is_refused_by_every_way_of_paying(shop: Emulated) -> None:
    user_key, token = _store(shop)
    answer = ok(
        blacklist_card.sync(client=shop.client, body=CardBlacklistRequest(card_user_key=user_key, card_token=token))
    )
    assert (answer.blacklisted, answer.card_number) == (True, "552879******0008")
    assert _blacklisted(shop)
    pays: list[Callable[[], object]] = [
        functools.partial(_pay_raw, shop, CARD, "raw"),
        functools.partial(_pay_stored, shop, user_key, token, "stored"),
    ]
    for pay in pays:
        with pytest.raises(CardDeclinedError) as refused:
            pay()
        assert (refused.value.error_code, refused.value.error_group) == ("10209", "BLOCKED_CARD")
    threeds = {**payment_body(conversationId="3ds"), "callbackUrl": "https://shop.example/3ds"}
    with pytest.raises(CardDeclinedError):
        initialize_threeds.sync(client=shop.client, body=InitializeThreedsRequest.from_dict(threeds))
    started = ok(
        initialize_checkout_form.sync(client=shop.client, body=InitializeCheckoutFormRequest.from_dict(checkout_body()))
    )
    pay_hosted_page(shop.browser, str(started.payment_page_url), HOSTED_PAGE_TEST_CARD)
    assert [(event.status, event.event_type) for event in shop.webhooks()] == [
        ("FAILURE", "API_AUTH"),
        ("FAILURE", "API_AUTH"),
        ("FAILURE", "CHECKOUT_FORM_AUTH"),
    ]
    # Another card pays; the blacklisted one again once it is off the list.
    assert _pay_raw(shop, "4603450000000000", "other") is not None
    ok(unblacklist_card.sync(client=shop.client, body=CardBlacklistRequest(card_user_key=user_key, card_token=token)))
    assert not _blacklisted(shop)
    assert _pay_raw(shop, CARD, "again") is not None


def test_deleting_a_blacklisted_card_keeps_it_blacklisted(shop: Emulated) -> None:
    user_key, token = _store(shop)
    keys = CardBlacklistRequest(card_user_key=user_key, card_token=token)
    ok(blacklist_card.sync(client=shop.client, body=keys))
    ok(delete_card.sync(client=shop.client, body=DeleteCardRequest(card_user_key=user_key, card_token=token)))
    assert _blacklisted(shop)
    with pytest.raises(CardDeclinedError):
        _pay_raw(shop, CARD, "after-delete")
    with pytest.raises(InvalidRequestError) as gone:
        _pay_stored(shop, user_key, token, "by-token")
    assert gone.value.error_code == "3006"
    ok(unblacklist_card.sync(client=shop.client, body=keys))
    assert _pay_raw(shop, CARD, "after-unblacklist") is not None
    with pytest.raises(InvalidRequestError) as forgotten:
        unblacklist_card.sync(client=shop.client, body=keys)
    assert forgotten.value.error_code == "3006"


def test_the_blacklist_is_the_merchants_own() -> None:
    with emulated(merchants=2) as two:
        user_key, token = _store(two)
        ok(blacklist_card.sync(client=two.client, body=CardBlacklistRequest(card_user_key=user_key, card_token=token)))
        body = with_card(payment_body(conversationId="elsewhere"), cardNumber=CARD)
        assert create_payment.sync(client=two.clients[1], body=CreatePaymentRequest.from_dict(body)) is not None
        with pytest.raises(InvalidRequestError) as unknown:
            blacklist_card.sync(
                client=two.clients[1], body=CardBlacklistRequest(card_user_key=user_key, card_token=token)
            )
        assert unknown.value.error_code == "3005"


def test_universal_card_storage_knows_consumers_with_stored_cards(shop: Emulated) -> None:
    def start(email: str) -> str:
        body = InitializeUniversalCardStorageRequest(email=email, gsm_number="+905557378631")
        session = ok(initialize_universal_card_storage.sync(client=shop.client, body=body))
        assert session.masked_gsm_number == "+90********31"
        assert f'"ucsToken": "{session.ucs_token}"' in str(session.script)
        assert "</script>" not in str(session.script)[: -len("</script>")]
        return str(session.script_type)

    assert start("ayse@example.com.tr") == "UCS_CONSENT"
    _store(shop)
    assert start("ayse@example.com.tr") == "CONSUMER_WITH_CARD_EXIST"
    assert start("someone@else.com") == "UCS_CONSENT"


def test_the_script_cannot_be_closed_by_what_the_request_holds(shop: Emulated) -> None:
    body = InitializeUniversalCardStorageRequest(email="a</script><script>x@y.com", gsm_number="+905557378631")
    session = ok(initialize_universal_card_storage.sync(client=shop.client, body=body))
    assert str(session.script).count("</script>") == 1


def _page(shop: Emulated, **fields: object) -> tuple[str, str]:
    values: dict[str, typing.Any] = {
        "callback_url": "https://shop.example/cards",
        "add_new_card_enabled": True,
        **fields,
    }
    page = ok(
        initialize_card_management_page.sync(client=shop.client, body=InitializeCardManagementPageRequest(**values))
    )
    return str(page.token), str(page.card_page_url)


def _cards(shop: Emulated, token: str) -> list[str]:
    read = ok(retrieve_card_management_page_cards.sync(token, client=shop.client))
    return [str(card.last_four_digits) for card in read.card_details]


def _add(shop: Emulated, url: str, number: str) -> str:
    form = {
        "action": "add",
        "cardHolderName": "Ayşe",
        "cardNumber": number,
        "expireMonth": "12",
        "expireYear": NEXT_YEAR,
    }
    return shop.browser.post(url, data=form).text


def test_the_card_management_page_deletes_and_adds_cards_then_hands_back(shop: Emulated) -> None:
    user_key, token_of_card = _store(shop)
    page_token, url = _page(shop, card_user_key=user_key, external_id="BY789", debit_card_allowed=False)
    assert "552879" in shop.browser.get(url).text
    assert "Banka kartları saklanamaz" in _add(shop, url, DEBIT_CARD)
    _add(shop, url, "4603450000000000")
    shop.browser.post(url, data={"action": "delete", "cardToken": token_of_card})
    assert _cards(shop, page_token) == ["0000"]
    done = read_form(shop.browser.post(url, data={"action": "done"}).text)
    assert (done.action, done.fields) == ("https://shop.example/cards", {"token": page_token})
    assert shop.browser.get(url).status_code == 404  # used
    assert _cards(shop, page_token) == ["0000"]  # still readable


def test_a_new_card_user_is_created_with_the_first_card_and_bank_checks_apply(shop: Emulated) -> None:
    page_token, url = _page(shop, email="yeni@example.com.tr", validate_new_card=True)
    assert _cards(shop, page_token) == []
    assert "Kart limiti yetersiz" in _add(shop, url, "4111111111111129")
    _add(shop, url, DEBIT_CARD)
    read = ok(retrieve_card_management_page_cards.sync(page_token, client=shop.client))
    assert isinstance(read.card_user_key, str)
    assert [card.card_type for card in read.card_details] == ["DEBIT_CARD"]


def test_card_management_refusals(shop: Emulated) -> None:
    for fields, code in (({"callback_url": ""}, "23"), ({"card_user_key": "nope"}, "3005"), ({}, "3")):
        with pytest.raises(IyzicoAPIError) as refused:
            _page(shop, **fields)
        assert refused.value.error_code == code
    with pytest.raises(InvalidRequestError) as unknown:
        retrieve_card_management_page_cards.sync("no-such-page", client=shop.client)
    assert (unknown.value.error_code, unknown.value.error_message) == ("4002", "Geçersiz token")
