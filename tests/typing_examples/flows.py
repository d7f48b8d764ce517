"""Natural user code for the main flows, as a typed backend writes it.

`mypy --strict` and `pyright --strict` must pass over this file with no `assert`, `cast`, `isinstance`
narrowing or `type: ignore` (scripts/check.py runs both; tests/test_typing_examples.py checks that the file
holds none of them and runs every flow against the emulator). If a change to the generated client or
`iyzico_ext` makes natural code need one of those, this file fails to type-check: that is the point.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import NamedTuple

from iyzico_client.api.cancel_refund import cancel_payment, refund_payment_item
from iyzico_client.api.card_storage import create_card, delete_card, list_cards
from iyzico_client.api.checkout_form import initialize_checkout_form, retrieve_checkout_form
from iyzico_client.api.marketplace import approve_payment_item, create_sub_merchant
from iyzico_client.api.payment import create_payment, retrieve_payment
from iyzico_client.api.reporting import retrieve_payment_details_report
from iyzico_client.api.threeds import create_threeds_payment, initialize_threeds
from iyzico_client.models import (
    Address,
    ApprovePaymentItemRequest,
    Buyer,
    CancelPaymentRequest,
    CardInformation,
    CreateCardRequest,
    CreatePaymentRequest,
    CreateSubMerchantRequest,
    CreateThreedsPaymentRequest,
    Currency,
    DeleteCardRequest,
    InitializeCheckoutFormRequest,
    InitializeThreedsRequest,
    ListCardsRequest,
    PaymentCard,
    PaymentGroup,
    RefundPaymentItemRequest,
    RetrieveCheckoutFormRequest,
    RetrievePaymentRequest,
    SubMerchantType,
)
from iyzico_client.types import UNSET
from iyzico_ext import (
    Basket,
    CardDeclinedError,
    IyzicoClient,
    IyzicoError,
    PaymentOutcomeUnknown,
    address,
    basket_item,
    buyer,
    marketplace_item,
    payment_request,
    reconcile_payment,
    verify_threeds_callback,
)

HOME = address("Jane Doe", "Bora Sok. No:1", "Istanbul")


def jane(ip: str = "85.34.78.112") -> Buyer:
    return buyer("BY789", "Jane", "Doe", email="jane@example.com", identity_number="74300864791", ip=ip, address=HOME)


def card(number: str = "5528790000000008") -> PaymentCard:
    return PaymentCard(
        card_holder_name="Jane Doe", card_number=number, expire_month="12", expire_year="2030", cvc="123"
    )


class Paid(NamedTuple):
    payment_id: str
    item_transaction_ids: list[str]  # stored for refunds and approvals
    ship: bool  # fraud review approved it (`fraudStatus == 1`) and the amount is the basket's


def pay(client: IyzicoClient, order_id: str, payment_card: PaymentCard) -> Paid:
    """A Non-3DS payment."""
    basket = Basket(
        basket_item("BI1", "Book", Decimal("30.00"), category="Books"),
        basket_item("BI2", "Pen", Decimal("19.90"), category="Stationery"),
    )
    payment = create_payment.sync(
        client=client,
        body=CreatePaymentRequest(
            conversation_id=order_id,
            basket_id=order_id,
            price=basket.price,
            paid_price=basket.price,
            currency=Currency.TRY,
            installment=1,
            payment_card=payment_card,
            buyer=jane(),
            billing_address=HOME,
            shipping_address=HOME,
            basket_items=basket.items,
        ),
    )
    return Paid(
        payment.payment_id,
        [item.payment_transaction_id for item in payment.item_transactions],
        ship=payment.fraud_status == 1 and payment.paid_price == basket.price,
    )


def pay_or_explain(client: IyzicoClient, order_id: str, payment_card: PaymentCard) -> str:
    """Error handling: a declined card, an outcome that must be reconciled, anything else iyzico said."""
    try:
        paid = pay(client, order_id, payment_card)
    except CardDeclinedError as declined:
        return f"declined: {declined.error_code} {declined.error_group or ''}".strip()
    except PaymentOutcomeUnknown as unknown:
        found = reconcile_payment(client, unknown.conversation_id)
        return "not charged" if found is None else f"charged after all: {found.payment_id}"
    except IyzicoError as error:
        return f"failed: {error}"
    return f"paid: {paid.payment_id}"


def marketplace_payment(client: IyzicoClient, order_id: str, iban: str) -> tuple[str, str]:
    """A sub-merchant, a marketplace payment that pays it out, and the item approved for payout."""
    seller = create_sub_merchant.sync(
        client=client,
        body=CreateSubMerchantRequest(
            sub_merchant_external_id=f"S-{order_id}",
            sub_merchant_type=SubMerchantType.PERSONAL,
            name="Jane's Books",
            email="books@example.com",
            gsm_number="+905350000000",
            address="Bora Sok. No:1, Istanbul",
            iban=iban,
            contact_name="Jane",
            contact_surname="Doe",
            identity_number="74300864791",
            currency=Currency.TRY,
        ),
    )
    basket = Basket(
        marketplace_item(
            "BI1",
            "Book",
            Decimal("100.00"),
            sub_merchant_key=seller.sub_merchant_key,
            sub_merchant_price=Decimal("90.00"),
            category="Books",
        )
    )
    payment = create_payment.sync(
        client=client,
        body=CreatePaymentRequest(
            conversation_id=order_id,
            price=basket.price,
            paid_price=basket.price,
            currency=Currency.TRY,
            installment=1,
            payment_group=PaymentGroup.PRODUCT,
            payment_card=card(),
            buyer=jane(),
            billing_address=HOME,
            shipping_address=HOME,
            basket_items=basket.items,
        ),
    )
    item = payment.item_transactions[0]
    approved = approve_payment_item.sync(
        client=client, body=ApprovePaymentItemRequest(payment_transaction_id=item.payment_transaction_id)
    )
    return payment.payment_id, approved.payment_transaction_id


def start_threeds(client: IyzicoClient, order_id: str, callback_url: str) -> str:
    """3-D Secure, first half: the HTML (base64) to show the buyer; the bank then posts to `callback_url`."""
    basket = Basket(basket_item("BI1", "Book", Decimal("49.90"), category="Books"))
    started = initialize_threeds.sync(
        client=client,
        body=InitializeThreedsRequest(
            conversation_id=order_id,
            price=basket.price,
            paid_price=basket.price,
            currency=Currency.TRY,
            installment=1,
            payment_card=card(),
            buyer=jane(),
            billing_address=HOME,
            shipping_address=HOME,
            basket_items=basket.items,
            callback_url=callback_url,
        ),
    )
    return started.three_ds_html_content


def finish_threeds(client: IyzicoClient, form: Mapping[str, str], secret_key: str) -> Decimal:
    """3-D Secure, second half: verify the bank's callback form, then take the money."""
    callback = verify_threeds_callback(form, secret_key)
    payment = create_threeds_payment.sync(
        client=client,
        body=CreateThreedsPaymentRequest(
            payment_id=callback.payment_id,
            conversation_id=callback.conversation_id,
            conversation_data=callback.conversation_data or UNSET,
        ),
    )
    return payment.paid_price


def start_checkout(client: IyzicoClient, order_id: str, callback_url: str) -> str:
    """The hosted checkout form: the page to send the buyer to."""
    basket = Basket(basket_item("BI1", "Book", Decimal("49.90"), category="Books"))
    checkout = initialize_checkout_form.sync(
        client=client,
        body=InitializeCheckoutFormRequest(
            conversation_id=order_id,
            basket_id=order_id,
            price=basket.price,
            paid_price=basket.price,
            currency=Currency.TRY,
            callback_url=callback_url,
            buyer=jane(),
            billing_address=HOME,
            shipping_address=HOME,
            basket_items=basket.items,
        ),
    )
    return checkout.payment_page_url


def checkout_paid(client: IyzicoClient, token: str, expected: Decimal) -> str | None:
    """The hosted page posted `token` back: the payment id if it was paid as expected."""
    form = retrieve_checkout_form.sync(client=client, body=RetrieveCheckoutFormRequest(token=token))
    if form.payment_status != "SUCCESS" or form.paid_price != expected:
        return None
    return form.payment_id if form.payment_id is not UNSET else None


def refund_first_item(client: IyzicoClient, payment_transaction_id: str, amount: Decimal) -> Decimal:
    refund = refund_payment_item.sync(
        client=client,
        body=RefundPaymentItemRequest(payment_transaction_id=payment_transaction_id, price=amount, ip="85.34.78.112"),
    )
    return refund.price


def cancel(client: IyzicoClient, payment_id: str) -> str:
    cancelled = cancel_payment.sync(client=client, body=CancelPaymentRequest(payment_id=payment_id))
    return cancelled.payment_id


def paid_amount(client: IyzicoClient, payment_id: str) -> Decimal:
    payment = retrieve_payment.sync(client=client, body=RetrievePaymentRequest(payment_id=payment_id))
    return payment.paid_price


def store_and_forget_a_card(client: IyzicoClient) -> list[str]:
    """Card storage: store a card for a new card user, list the user's cards, delete the stored one."""
    stored = create_card.sync(
        client=client,
        body=CreateCardRequest(
            email="jane@example.com",
            external_id="customer-1",
            card=CardInformation(
                card_alias="my card", card_number="5528790000000008", expire_month="12", expire_year="2030"
            ),
        ),
    )
    listing = list_cards.sync(client=client, body=ListCardsRequest(card_user_key=stored.card_user_key))
    aliases = [str(detail.card_alias) for detail in listing.card_details or []]
    delete_card.sync(
        client=client, body=DeleteCardRequest(card_user_key=stored.card_user_key, card_token=stored.card_token)
    )
    return aliases


def refunded_so_far(client: IyzicoClient, order_id: str) -> Decimal:
    """Reports: what the payment details report lists as refunded for the payment of `order_id`."""
    report = retrieve_payment_details_report.sync(client=client, payment_conversation_id=order_id)
    total = Decimal(0)
    for payment in report.payments or []:
        for item in payment.item_transactions or []:
            for refund in item.refunds or []:
                if refund.refund_price is not UNSET:
                    total += refund.refund_price
    return total


async def pay_async(client: IyzicoClient, order_id: str) -> str:
    """The same payment from asyncio code."""
    basket = Basket(basket_item("BI1", "Book", Decimal("30.00"), category="Books"))
    request = payment_request(basket, card=card(), buyer=jane(), address=HOME, conversation_id=order_id)
    payment = await create_payment.asyncio(client=client, body=request)
    return payment.payment_id


def shipping_label(destination: Address) -> str:
    zip_code = f" {destination.zip_code}" if destination.zip_code is not UNSET else ""
    return f"{destination.contact_name}, {destination.address}, {destination.city}{zip_code}"
