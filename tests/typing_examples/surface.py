"""The public surface as type checkers see it: `assert_type` fails `mypy --strict` and `pyright --strict` when a
return or field type drifts (a success model that became Optional, a guaranteed field that became `| Unset`).
The functions are never called: this file is only checked."""

from __future__ import annotations

from decimal import Decimal
from typing import assert_type

from iyzico_client.api.cancel_refund import cancel_payment, refund_payment
from iyzico_client.api.card_storage import create_card
from iyzico_client.api.checkout_form import initialize_checkout_form, retrieve_checkout_form
from iyzico_client.api.payment import create_payment
from iyzico_client.api.threeds import initialize_threeds
from iyzico_client.models import (
    BasketItem,
    CancelPaymentRequest,
    CancelResource,
    CardResource,
    CheckoutFormInitializeResource,
    CheckoutFormResource,
    CreateCardRequest,
    CreatePaymentRequest,
    InitializeCheckoutFormRequest,
    InitializeThreedsRequest,
    ItemTransaction,
    PaymentResource,
    RefundPaymentRequest,
    RefundResource,
    RetrieveCheckoutFormRequest,
    ThreedsInitializeResource,
)
from iyzico_client.types import Response, Unset
from iyzico_ext import (
    AuthenticationError,
    Basket,
    CardDeclinedError,
    IyzicoClient,
    PaymentOutcomeUnknown,
    SignedRequest,
    __version__,
    reconcile_payment,
)


def calls(client: IyzicoClient, payment: CreatePaymentRequest) -> None:
    assert_type(create_payment.sync(client=client, body=payment), PaymentResource)
    assert_type(create_payment.sync_detailed(client=client, body=payment), Response[PaymentResource])
    assert_type(create_payment.sync_detailed(client=client, body=payment).parsed, PaymentResource)
    assert_type(reconcile_payment(client, "order-1"), PaymentResource | None)
    assert_type(IyzicoClient.from_env(), IyzicoClient)
    assert_type(client.locale, str | None)
    assert_type(__version__, str)


async def async_calls(client: IyzicoClient, payment: CreatePaymentRequest) -> None:
    assert_type(await create_payment.asyncio(client=client, body=payment), PaymentResource)


def payment_fields(payment: PaymentResource, item: ItemTransaction) -> None:
    assert_type(payment.payment_id, str)
    assert_type(payment.price, Decimal)
    assert_type(payment.paid_price, Decimal)
    assert_type(payment.currency, str)
    assert_type(payment.item_transactions, list[ItemTransaction])
    assert_type(item.payment_transaction_id, str)
    assert_type(item.item_id, str)
    assert_type(payment.fraud_status, int | Unset)
    assert_type(payment.basket_id, str | Unset)
    assert_type(payment.conversation_id, str | Unset)


def other_answers(
    client: IyzicoClient,
    threeds: InitializeThreedsRequest,
    checkout: InitializeCheckoutFormRequest,
    card: CreateCardRequest,
) -> None:
    started: ThreedsInitializeResource = initialize_threeds.sync(client=client, body=threeds)
    assert_type(started.three_ds_html_content, str)
    assert_type(started.payment_id, str)
    form: CheckoutFormInitializeResource = initialize_checkout_form.sync(client=client, body=checkout)
    assert_type(form.payment_page_url, str)
    assert_type(form.token, str)
    retrieved: CheckoutFormResource = retrieve_checkout_form.sync(
        client=client, body=RetrieveCheckoutFormRequest(token=form.token)
    )
    assert_type(retrieved.payment_status, str)
    assert_type(retrieved.paid_price, Decimal)
    assert_type(retrieved.payment_id, str | Unset)
    stored: CardResource = create_card.sync(client=client, body=card)
    assert_type(stored.card_user_key, str)
    assert_type(stored.card_token, str)
    refund: RefundResource = refund_payment.sync(
        client=client, body=RefundPaymentRequest(payment_id="1", price=Decimal("1.00"))
    )
    assert_type(refund.price, Decimal)
    assert_type(refund.payment_id, str)
    cancelled: CancelResource = cancel_payment.sync(client=client, body=CancelPaymentRequest(payment_id="1"))
    assert_type(cancelled.payment_id, str)


def building(item: BasketItem) -> None:
    basket = Basket(item)
    assert_type(basket.price, Decimal)
    assert_type(basket.items, list[BasketItem])


def errors(declined: CardDeclinedError, unknown: PaymentOutcomeUnknown, refused: AuthenticationError) -> None:
    assert_type(declined.error_code, str | None)
    assert_type(declined.error_group, str | None)
    assert_type(unknown.conversation_id, str)
    assert_type(unknown.ids["paymentId"], str)
    assert_type(refused.signed, SignedRequest | None)
