"""Marketplace extras against the emulator: cross-bookings move a sub-merchant's balance and are paid out the next
day, the balance follows payments, refunds and payouts, settlement to balance is confirmed on a page, individual
sellers register by SMS code and are paid to their iyzico balance."""

from __future__ import annotations

import datetime
import pathlib
from collections.abc import Iterator
from decimal import Decimal

import pytest

from iyzico_client.api.marketplace import (
    approve_payment_item,
    cross_booking_from_sub_merchant,
    cross_booking_to_sub_merchant,
    initialize_settlement_to_balance,
    initialize_settlement_to_balance_sub_merchant,
    retrieve_blockage_info,
    retrieve_sub_merchant,
    verify_settlement_to_balance_sub_merchant,
)
from iyzico_client.api.payment import create_payment
from iyzico_client.api.reporting import (
    retrieve_bounced_bank_transfers,
    retrieve_daily_transactions_report,
    retrieve_payout_completed_transactions,
)
from iyzico_client.models import (
    ApprovePaymentItemRequest,
    CreateCrossBookingRequest,
    CreatePaymentRequest,
    Currency,
    InitializeSettlementToBalanceRequest,
    InitializeSettlementToBalanceSubMerchantRequest,
    PaymentResource,
    RetrieveBlockageInfoRequest,
    RetrieveSubMerchantRequest,
    RetrieveTransactionsRequest,
    VerifySettlementToBalanceSubMerchantRequest,
)
from iyzico_ext import InvalidRequestError, IyzicoClient, PaymentOutcomeUnknown, reconcile_pending
from iyzico_ext.sandbox import DEFAULT_API_KEY, DEFAULT_SECRET_KEY
from iyzico_ext.sandbox.browser import read_form
from iyzico_ext.sandbox.transport import InProcessTransport

from ._emulated_merchant import Emulated, emulated, ok
from .conftest import BASE_URL, payment_body
from .test_reporting import BOUNCING_IBAN, VALID_IBAN, register_sub_merchant

DAY = datetime.timedelta(days=1)


@pytest.fixture
def market() -> Iterator[Emulated]:
    with emulated() as running:
        yield running


def sub_merchant(market: Emulated, external_id: str, iban: str = VALID_IBAN, currency: Currency = Currency.TRY) -> str:
    return register_sub_merchant(market.client, external_id, iban, currency)


def balance(market: Emulated, key: str) -> tuple[Decimal, Decimal, Decimal]:
    """(totalBalance, totalBlockage, usableBlockage)."""
    info = ok(retrieve_blockage_info.sync(client=market.client, body=RetrieveBlockageInfoRequest(sub_merchant_key=key)))
    return Decimal(info.total_balance), Decimal(info.total_blockage), Decimal(info.usable_blockage)


def cross_book(market: Emulated, key: str, amount: str, *, to_sub_merchant: bool, conversation_id: str) -> None:
    body = CreateCrossBookingRequest(
        conversation_id=conversation_id,
        sub_merchant_key=key,
        price=Decimal(amount),
        reason="Kargo",
        currency=Currency.TRY,
    )
    book = cross_booking_to_sub_merchant if to_sub_merchant else cross_booking_from_sub_merchant
    ok(book.sync(client=market.client, body=body))


def marketplace_payment(market: Emulated, key: str, conversation_id: str) -> PaymentResource:
    body = payment_body(conversationId=conversation_id)
    body["basketItems"] = body["basketItems"][:1]
    body["price"] = body["basketItems"][0]["price"]
    body["basketItems"][0].update(subMerchantKey=key, subMerchantPrice=Decimal("0.25"))
    payment = ok(create_payment.sync(client=market.client, body=CreatePaymentRequest.from_dict(body)))
    assert isinstance(payment, PaymentResource)
    assert isinstance(payment.item_transactions, list)
    return payment


def payouts(market: Emulated, day: datetime.date) -> set[tuple[str | None, str, Decimal]]:
    request = RetrieveTransactionsRequest(date=day.isoformat())
    rows = ok(retrieve_payout_completed_transactions.sync(client=market.client, body=request))
    return {
        (
            row.sub_merchant_key if isinstance(row.sub_merchant_key, str) else None,
            str(row.payout_type),
            row.payout_amount,
        )
        for row in rows.payout_completed_transactions
        if not isinstance(row.payment_transaction_id, str)  # movements only, not item payouts
    }


def test_cross_bookings_move_the_balance_at_once_and_are_paid_out_the_next_day(market: Emulated) -> None:
    key = sub_merchant(market, "seller")
    cross_book(market, key, "10.0", to_sub_merchant=True, conversation_id="send-1")
    cross_book(market, key, "2.5", to_sub_merchant=False, conversation_id="receive-1")
    assert balance(market, key) == (Decimal("7.5"), Decimal(0), Decimal("7.5"))
    today = market.now().date()
    report = ok(
        retrieve_daily_transactions_report.sync(client=market.client, transaction_date=today.isoformat(), page=1)
    )
    assert [
        (row.transaction_type, row.conversation_id, row.sub_merchant_payout_amount) for row in report.transactions
    ] == [
        ("CROSS_BOOKING_TO_SUB_MERCHANT", "send-1", Decimal("10.0")),
        ("CROSS_BOOKING_FROM_SUB_MERCHANT", "receive-1", Decimal("-2.5")),
    ]
    tomorrow = today + DAY
    assert payouts(market, tomorrow) == set()
    market.advance_clock(DAY)
    assert payouts(market, tomorrow) == {
        (key, "SUB_MERCHANT", Decimal("10.0")),
        (None, "MERCHANT", Decimal("-10.0")),
        (key, "SUB_MERCHANT", Decimal("-2.5")),
        (None, "MERCHANT", Decimal("2.5")),
    }
    assert balance(market, key) == (Decimal(0), Decimal(0), Decimal(0))


def test_a_cross_booking_from_a_sub_merchant_may_take_its_balance_below_zero(market: Emulated) -> None:
    key = sub_merchant(market, "owing")
    cross_book(market, key, "4", to_sub_merchant=False, conversation_id="commission")
    assert balance(market, key)[0] == Decimal(-4)


def test_the_balance_holds_the_item_shares_until_they_are_paid_out(market: Emulated) -> None:
    key = sub_merchant(market, "seller")
    payment = marketplace_payment(market, key, "order-1")
    assert isinstance(payment.item_transactions, list)
    (item,) = payment.item_transactions
    share = Decimal(str(item.sub_merchant_payout_amount))
    assert balance(market, key) == (share, share, Decimal(0))
    cross_book(market, key, "1", to_sub_merchant=True, conversation_id="bonus")
    assert balance(market, key) == (share + 1, share, Decimal(1))
    ok(
        approve_payment_item.sync(
            client=market.client,
            body=ApprovePaymentItemRequest(payment_transaction_id=str(item.payment_transaction_id)),
        )
    )
    market.advance_clock(8 * DAY)
    assert balance(market, key) == (Decimal(0), Decimal(0), Decimal(0))


def test_payouts_to_a_bad_iban_bounce_unless_they_go_to_the_iyzico_balance(market: Emulated) -> None:
    key = sub_merchant(market, "bouncing", iban=BOUNCING_IBAN)
    cross_book(market, key, "3", to_sub_merchant=True, conversation_id="send")
    market.advance_clock(DAY)
    tomorrow = (market.now()).date()
    request = RetrieveTransactionsRequest(date=tomorrow.isoformat())
    bounced = ok(retrieve_bounced_bank_transfers.sync(client=market.client, body=request))
    assert [row.sub_merchant_key for row in bounced.bounced_rows] == [key]
    assert (key, "SUB_MERCHANT", Decimal(3)) not in payouts(market, tomorrow)


def test_a_cross_booking_is_in_the_sub_merchants_currency(market: Emulated) -> None:
    key = sub_merchant(market, "euro", currency=Currency.EUR)
    with pytest.raises(InvalidRequestError) as refused:
        cross_book(market, key, "1", to_sub_merchant=True, conversation_id="try")
    assert refused.value.error_code == "2041"
    with pytest.raises(InvalidRequestError) as unknown:
        cross_book(market, "nobody", "1", to_sub_merchant=True, conversation_id="x")
    assert unknown.value.error_code == "2004"


def _offer(market: Emulated, key: str, amount: str) -> tuple[str, str, bool]:
    body = InitializeSettlementToBalanceRequest(
        sub_merchant_key=key, callback_url="https://shop.example/settled", price=Decimal(amount)
    )
    offer = ok(initialize_settlement_to_balance.sync(client=market.client, body=body))
    return str(offer.token), str(offer.url), bool(offer.settings_all_time)


def test_settlement_to_balance_is_confirmed_on_a_page_and_paid_at_once(market: Emulated) -> None:
    key = sub_merchant(market, "bouncing", iban=BOUNCING_IBAN)
    token, url, all_time = _offer(market, key, "50")
    assert not all_time
    assert "50 TRY" in market.browser.get(url).text
    back = read_form(market.browser.post(url, data={"action": "confirm", "allTime": "1"}).text)
    assert (back.action, back.fields) == ("https://shop.example/settled", {"token": token, "status": "success"})
    assert market.browser.get(url).status_code == 404  # used
    assert balance(market, key)[0] == Decimal(0)  # paid at once, nothing held
    assert payouts(market, market.now().date()) == {
        (key, "SUB_MERCHANT", Decimal("50")),
        (None, "MERCHANT", Decimal("-50")),
    }
    assert _offer(market, key, "1")[2]  # all its payouts now go to its balance: no bank transfer bounces
    cross_book(market, key, "3", to_sub_merchant=True, conversation_id="send")
    market.advance_clock(DAY)
    assert (key, "SUB_MERCHANT", Decimal(3)) in payouts(market, market.now().date())


def test_a_declined_settlement_moves_nothing(market: Emulated) -> None:
    key = sub_merchant(market, "seller")
    token, url, _ = _offer(market, key, "5")
    back = read_form(market.browser.post(url, data={"action": "decline"}).text)
    assert back.fields == {"token": token, "status": "failure"}
    assert payouts(market, market.now().date()) == set()


def _onboard(market: Emulated, external_id: str) -> str:
    body = InitializeSettlementToBalanceSubMerchantRequest(
        name="John",
        surname="Doe",
        email="john@example.com",
        gsm_number="+905558001479",
        tck_no="74300864791",
        birth_date="1996-10-07",
        address="Beşiktaş / İstanbul",
        external_id=external_id,
    )
    return str(ok(initialize_settlement_to_balance_sub_merchant.sync(client=market.client, body=body)).tx_id)


def _verify(market: Emulated, tx_id: str, code: str) -> str:
    body = VerifySettlementToBalanceSubMerchantRequest(tx_id=tx_id, sms_verification_code=code)
    return str(ok(verify_settlement_to_balance_sub_merchant.sync(client=market.client, body=body)).sub_merchant_key)


def test_an_individual_seller_registers_with_the_sms_code(market: Emulated) -> None:
    tx_id = _onboard(market, "c2c-1")
    with pytest.raises(InvalidRequestError) as wrong:
        _verify(market, tx_id, "000000")
    assert wrong.value.error_code == "2042"
    key = _verify(market, tx_id, "283126")
    seller = ok(
        retrieve_sub_merchant.sync(
            client=market.client, body=RetrieveSubMerchantRequest(sub_merchant_external_id="c2c-1")
        )
    )
    assert (seller.sub_merchant_key, seller.sub_merchant_type, seller.name) == (key, "PERSONAL", "John Doe")
    with pytest.raises(InvalidRequestError) as used:
        _verify(market, tx_id, "283126")
    assert used.value.error_code == "2043"
    with pytest.raises(InvalidRequestError) as taken:
        _onboard(market, "c2c-1")
    assert taken.value.error_code == "2010"
    # No IBAN, paid to its iyzico balance: its payouts never bounce.
    cross_book(market, key, "2", to_sub_merchant=True, conversation_id="c2c-send")
    market.advance_clock(DAY)
    assert (key, "SUB_MERCHANT", Decimal(2)) in payouts(market, market.now().date())


def test_a_registration_expires(market: Emulated) -> None:
    tx_id = _onboard(market, "c2c-late")
    market.advance_clock(datetime.timedelta(minutes=11))
    with pytest.raises(InvalidRequestError) as late:
        _verify(market, tx_id, "283126")
    assert late.value.error_code == "2043"


def test_an_unknown_cross_booking_is_never_resent_and_the_journal_leaves_it_to_the_panel(
    market: Emulated, tmp_path: pathlib.Path
) -> None:
    key = sub_merchant(market, "seller")
    market.browser.post(
        "/_sandbox/faults", json={"operation": "crossBookingToSubMerchant", "fault": "drop-after-commit"}
    ).raise_for_status()
    journal = str(tmp_path / "journal.sqlite3")
    transport = InProcessTransport(market.app)  # its own: the client closes it
    with IyzicoClient(DEFAULT_API_KEY, DEFAULT_SECRET_KEY, BASE_URL, transport=transport, journal=journal) as client:
        body = CreateCrossBookingRequest(
            conversation_id="send-once", sub_merchant_key=key, price=Decimal("5"), reason="Kargo", currency=Currency.TRY
        )
        with pytest.raises(PaymentOutcomeUnknown) as unknown:
            cross_booking_to_sub_merchant.sync(client=client, body=body)
        assert unknown.value.conversation_id == "send-once"
        (result,) = reconcile_pending(client)
    assert (result.settlement, result.intent.operation_id) == ("unknown", "crossBookingToSubMerchant")
    assert "merchant panel" in result.reason
    today = market.now().date().isoformat()
    report = ok(retrieve_daily_transactions_report.sync(client=market.client, transaction_date=today, page=1))
    assert [row.conversation_id for row in report.transactions] == ["send-once"]  # booked once, not resent
    assert balance(market, key)[0] == Decimal(5)
