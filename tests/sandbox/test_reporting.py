"""Reports and settlement from the emulator's own state, through `IyzicoClient`; the emulator's clock."""

from __future__ import annotations

import datetime
from decimal import Decimal

import httpx
import pytest

from iyzico_client.api.cancel_refund import (
    cancel_payment,
    initialize_refund_to_balance,
    refund_charged_from_merchant,
    refund_payment_item,
)
from iyzico_client.api.marketplace import approve_payment_item, create_sub_merchant
from iyzico_client.api.payment import create_payment
from iyzico_client.api.reporting import (
    retrieve_bounced_bank_transfers,
    retrieve_daily_transactions_report,
    retrieve_payment_details_report,
    retrieve_payout_completed_transactions,
)
from iyzico_client.models import (
    ApprovePaymentItemRequest,
    CancelPaymentRequest,
    CreatePaymentRequest,
    CreateSubMerchantRequest,
    Currency,
    InitializeRefundToBalanceRequest,
    Locale,
    PaymentResource,
    RefundChargedFromMerchantRequest,
    RefundPaymentItemRequest,
    RetrieveTransactionsRequest,
    SubMerchantType,
)
from iyzico_ext import InvalidRequestError, IyzicoClient
from iyzico_ext._operations import operations
from iyzico_ext.sandbox import _api
from iyzico_ext.sandbox._reporting import iban_checksum_valid
from iyzico_ext.sandbox.browser import read_form
from iyzico_ext.sandbox.embedded import SandboxHandle

from .conftest import payment_body

VALID_IBAN = "TR180006200119000006672315"
BOUNCING_IBAN = "TR180006200119000006672316"  # one digit off: the mod-97 check fails


def test_every_operation_of_the_spec_has_exactly_one_handler() -> None:
    assert set(_api.HANDLERS) == set(operations())


@pytest.mark.parametrize(
    ("iban", "valid"), [(VALID_IBAN, True), (BOUNCING_IBAN, False), ("GB82WEST12345698765432", True)]
)
def test_iban_checksum(iban: str, valid: bool) -> None:
    assert iban_checksum_valid(iban) is valid


def register_sub_merchant(
    client: IyzicoClient, external_id: str, iban: str = VALID_IBAN, currency: Currency = Currency.TRY
) -> str:
    """A PERSONAL sub-merchant paid to `iban` in `currency`; its key."""
    request = CreateSubMerchantRequest(
        sub_merchant_type=SubMerchantType.PERSONAL,
        sub_merchant_external_id=external_id,
        name="Çiçekçi",
        email=f"{external_id}@example.com.tr",
        iban=iban,
        identity_number="74300864791",
        contact_name="Ayşe",
        contact_surname="Yılmaz",
        address="Kadıköy",
        currency=currency,
    )
    created = create_sub_merchant.sync(client=client, body=request)
    assert created is not None
    assert isinstance(created.sub_merchant_key, str)
    return created.sub_merchant_key


def _pay(sandbox: SandboxHandle, conversation_id: str, sub_merchant_keys: tuple[str, ...] = ()) -> PaymentResource:
    body = payment_body(conversationId=conversation_id)
    if sub_merchant_keys:
        body["basketItems"] = body["basketItems"][: len(sub_merchant_keys)]
        body["price"] = sum((item["price"] for item in body["basketItems"]), Decimal(0))
        for item, key in zip(body["basketItems"], sub_merchant_keys, strict=True):
            item.update(subMerchantKey=key, subMerchantPrice=item["price"] * Decimal("0.9"))
    payment = create_payment.sync(client=sandbox.client, body=CreatePaymentRequest.from_dict(body))
    assert payment is not None
    return payment


def _transaction_ids(payment: PaymentResource) -> list[str]:
    assert isinstance(payment.item_transactions, list)
    return [str(item.payment_transaction_id) for item in payment.item_transactions]


def test_payment_details_report_shows_refunds_and_cancels_with_their_conversation_ids(
    iyzico_sandbox: SandboxHandle,
) -> None:
    client = iyzico_sandbox.client
    refunded, cancelled = _pay(iyzico_sandbox, "order-r"), _pay(iyzico_sandbox, "order-c")
    first = _transaction_ids(refunded)[0]
    for conversation_id, amount in (("refund-1", Decimal("0.10")), ("refund-2", Decimal("0.05"))):
        request = RefundPaymentItemRequest(conversation_id=conversation_id, payment_transaction_id=first, price=amount)
        refund_payment_item.sync(client=client, body=request)
    cancel_payment.sync(
        client=client, body=CancelPaymentRequest(conversation_id="cancel-1", payment_id=str(cancelled.payment_id))
    )

    report = retrieve_payment_details_report.sync(client=client, payment_conversation_id="order-r")
    assert report is not None
    assert isinstance(report.payments, list)
    (payment,) = report.payments
    assert payment.payment_id == int(str(refunded.payment_id))
    assert payment.payment_refund_status == "PARTIALLY_REFUNDED"
    assert isinstance(payment.item_transactions, list)
    refunds = payment.item_transactions[0].refunds
    assert isinstance(refunds, list)
    assert [(r.refund_conversation_id, r.refund_price) for r in refunds] == [
        ("refund-1", Decimal("0.10")),
        ("refund-2", Decimal("0.05")),
    ]
    other = retrieve_payment_details_report.sync(client=client, payment_id=str(cancelled.payment_id))
    assert other is not None
    assert isinstance(other.payments, list)
    cancels = other.payments[0].cancels
    assert isinstance(cancels, list)
    assert [(c.cancel_conversation_id, c.refund_price) for c in cancels] == [("cancel-1", cancelled.paid_price)]


def test_a_report_for_no_payment_is_empty_and_one_without_ids_is_refused(iyzico_sandbox: SandboxHandle) -> None:
    report = retrieve_payment_details_report.sync(client=iyzico_sandbox.client, payment_id="1")
    assert report is not None
    assert report.payments == []
    with pytest.raises(InvalidRequestError) as refused:
        retrieve_payment_details_report.sync(client=iyzico_sandbox.client)
    assert refused.value.error_code == "5002"


def test_daily_report_pages_through_the_days_transactions(iyzico_sandbox: SandboxHandle) -> None:
    payments = [_pay(iyzico_sandbox, f"day-{index}") for index in range(8)]  # 24 item transactions
    today = iyzico_sandbox.state.clock().date().isoformat()
    client = iyzico_sandbox.client
    first = retrieve_daily_transactions_report.sync(client=client, transaction_date=today, page=1)
    assert first is not None
    assert first.total_page_count == 2
    second = retrieve_daily_transactions_report.sync(client=client, transaction_date=today, page=2)
    assert second is not None
    assert isinstance(first.transactions, list)
    assert isinstance(second.transactions, list)
    rows = first.transactions + second.transactions
    assert [row.transaction_type for row in rows] == ["PAYMENT"] * 24
    expected = [int(transaction) for payment in payments for transaction in _transaction_ids(payment)]
    assert [row.payment_tx_id for row in rows] == expected
    tomorrow = (iyzico_sandbox.state.clock().date() + datetime.timedelta(days=1)).isoformat()
    empty = retrieve_daily_transactions_report.sync(client=client, transaction_date=tomorrow, page=1)
    assert empty is not None
    assert empty.transactions == []


def test_payouts_complete_on_their_settlement_day_as_the_clock_passes_it(iyzico_sandbox: SandboxHandle) -> None:
    client = iyzico_sandbox.client
    paid_key = register_sub_merchant(client, "paid")
    bouncing_key = register_sub_merchant(client, "bouncing", BOUNCING_IBAN)
    payment = _pay(iyzico_sandbox, "market-1", (paid_key, bouncing_key))
    assert isinstance(payment.item_transactions, list)
    paid_item, bouncing_item = payment.item_transactions
    for item in payment.item_transactions:
        approve_payment_item.sync(
            client=client, body=ApprovePaymentItemRequest(payment_transaction_id=str(item.payment_transaction_id))
        )
    # Half of the first item refunded from its payout, and something charged from the merchant (no effect).
    paid = Decimal(str(paid_item.paid_price))
    half = (paid / 2).quantize(Decimal("0.01"))
    refund_payment_item.sync(
        client=client,
        body=RefundPaymentItemRequest(payment_transaction_id=str(paid_item.payment_transaction_id), price=half),
    )
    refund_charged_from_merchant.sync(
        client=client,
        body=RefundChargedFromMerchantRequest(
            payment_transaction_id=str(bouncing_item.payment_transaction_id), price=Decimal("0.01")
        ),
    )
    settlement_day = str(paid_item.blockage_resolved_date)[:10]
    day = RetrieveTransactionsRequest(date=settlement_day)

    before = retrieve_payout_completed_transactions.sync(client=client, body=day)
    assert before is not None
    assert before.payout_completed_transactions == []

    iyzico_sandbox.advance_clock(datetime.timedelta(days=8))
    after = retrieve_payout_completed_transactions.sync(client=client, body=day)
    assert after is not None
    assert isinstance(after.payout_completed_transactions, list)
    rows = {
        (row.payment_transaction_id, row.payout_type): row.payout_amount for row in after.payout_completed_transactions
    }
    paid_id, bouncing_id = str(paid_item.payment_transaction_id), str(bouncing_item.payment_transaction_id)
    assert rows == {
        (paid_id, "MERCHANT"): _share(paid_item.merchant_payout_amount, (paid - half) / paid),
        (paid_id, "SUB_MERCHANT"): _share(paid_item.sub_merchant_payout_amount, (paid - half) / paid),
        (bouncing_id, "MERCHANT"): bouncing_item.merchant_payout_amount,
    }
    bounced = retrieve_bounced_bank_transfers.sync(client=client, body=day)
    assert bounced is not None
    assert isinstance(bounced.bounced_rows, list)
    assert [(row.sub_merchant_key, row.iban) for row in bounced.bounced_rows] == [(bouncing_key, BOUNCING_IBAN)]


def _share(amount: object, share: Decimal) -> Decimal:
    return (Decimal(str(amount)) * share).quantize(Decimal("0.01"))


def test_refund_to_balance_refunds_the_rest_once_confirmed_on_its_page(iyzico_sandbox: SandboxHandle) -> None:
    client = iyzico_sandbox.client
    payment = _pay(iyzico_sandbox, "balance-1")
    started = initialize_refund_to_balance.sync(
        client=client,
        body=InitializeRefundToBalanceRequest(
            locale=Locale.EN,
            conversation_id="to-balance",
            payment_id=str(payment.payment_id),
            callback_url="https://shop.example/back",
        ),
    )
    assert started is not None
    assert isinstance(started.url, str)
    page = iyzico_sandbox.http.get(started.url)
    assert "Confirm the refund" in page.text
    confirmed = iyzico_sandbox.http.post(started.url)
    callback = read_form(confirmed.text)
    assert (callback.action, callback.fields) == (
        "https://shop.example/back",
        {"token": started.token, "status": "success"},
    )
    assert iyzico_sandbox.http.post(started.url).status_code == 404  # a token confirms once
    report = retrieve_payment_details_report.sync(client=client, payment_id=str(payment.payment_id))
    assert report is not None
    assert isinstance(report.payments, list)
    assert report.payments[0].payment_refund_status == "TOTALLY_REFUNDED"


def test_the_clock_only_moves_forward_and_says_where_it_is(iyzico_sandbox: SandboxHandle) -> None:
    before = iyzico_sandbox.state.clock()
    moved = iyzico_sandbox.advance_clock(datetime.timedelta(days=30))
    assert datetime.timedelta(days=30) <= moved - before < datetime.timedelta(days=30, minutes=1)
    orders = [b'{"advanceSeconds": -1}', b'{"advanceSeconds": "1"}', b'{"advanceSeconds": 1e400}', b"{}", b"[]"]
    orders += [b'{"advanceSeconds": true}', b'{"advanceSeconds": NaN}', b"not json"]
    for order in orders:
        answer = iyzico_sandbox.http.post("/_sandbox/clock", content=order)
        assert answer.status_code == 400, order
    assert iyzico_sandbox.http.get("/_sandbox/clock").json()["advancedSeconds"] == 30 * 86400


def test_a_bad_query_parameter_gets_iyzicos_validation_error(iyzico_sandbox: SandboxHandle) -> None:
    with pytest.raises(InvalidRequestError) as refused:
        retrieve_daily_transactions_report.sync(client=iyzico_sandbox.client, transaction_date="2025-13-45", page=1)
    assert refused.value.error_code == "11"


def test_a_wrong_method_on_an_operations_path_is_405_and_an_unknown_path_404(iyzico_sandbox: SandboxHandle) -> None:
    http: httpx.Client = iyzico_sandbox.http
    wrong = http.post("/v2/reporting/payment/details")
    assert (wrong.status_code, wrong.headers["allow"]) == (405, "GET")
    assert http.get("/v2/reporting/payment/nowhere").status_code == 404
