"""A reference integration that does every step of iyzico's go-live checklist, each step switchable off.

It is a merchant's test suite in miniature, on the public API only: `IyzicoClient` and the generated
functions, the browser helpers for the bank and hosted pages, `handle_threeds_callback`,
`handle_checkout_callback` and `handle_webhook` behind a webhook endpoint. Its buyer data is real-looking
(no value from iyzico's samples). What it always does (the base): one successful payment, one 3-D Secure
payment up to the callback, one hosted checkout page paid up to the callback, and a webhook endpoint that
the emulator's notifications and probe reach. Each step in `STEPS` is named after the readiness item it
satisfies; leaving a step out is how the suite produces an integration with exactly that gap:

* a card step pays with the documented test card of that outcome;
* `flows.threeds` / `flows.checkout` complete the base flows from their callbacks (auth call / retrieve);
* `webhooks.delivery` answers genuine notifications 2xx at once (left out: the first attempt gets a 503);
* `webhooks.replay` answers a redelivery 2xx (left out: a 500, as a handler that crashes on a duplicate key);
* `webhooks.forged` answers a notification that fails verification 400 (left out: 200, nothing verified);
* `refunds` / `cancels` refund the base payment / cancel a payment of their own.
"""

from __future__ import annotations

import contextlib
import datetime
import typing
import uuid
from collections.abc import Collection, Iterator
from decimal import Decimal

import httpx

from iyzico_client.api.cancel_refund import cancel_payment, refund_payment
from iyzico_client.api.checkout_form import initialize_checkout_form
from iyzico_client.api.payment import create_payment
from iyzico_client.api.threeds import initialize_threeds
from iyzico_client.models import (
    CancelPaymentRequest,
    CreatePaymentRequest,
    InitializeCheckoutFormRequest,
    InitializeThreedsRequest,
    RefundPaymentRequest,
)
from iyzico_ext import (
    CardDeclinedError,
    CheckoutPaid,
    IyzicoAPIError,
    MemoryWebhookStore,
    Refusal,
    ThreedsPaid,
    handle_checkout_callback,
    handle_threeds_callback,
    handle_webhook,
)
from iyzico_ext.sandbox._webhooks import WebhookSender
from iyzico_ext.sandbox.browser import complete_threeds, pay_hosted_page
from iyzico_ext.sandbox.embedded import SandboxHandle, in_process_sandbox, loopback_sandbox

__all__ = ["CARD_STEPS", "STEPS", "ReferenceShop", "real_order", "reference_run", "reference_sandbox"]

# Each documented test-card outcome and a card that produces it (iyzipay-php README "Mock test cards").
CARD_STEPS: dict[str, str] = {
    "cards.decline.not_sufficient_funds": "4111111111111129",
    "cards.decline.do_not_honour": "4129111111111111",
    "cards.decline.invalid_transaction": "4128111111111112",
    "cards.decline.pickup_card": "4120111111111110",
    "cards.decline.lost_card": "4126111111111114",
    "cards.decline.expired_card": "4125111111111115",
    "cards.decline.invalid_cvc2": "4124111111111116",
    "cards.decline.not_permitted_to_cardholder": "4123111111111117",
    "cards.decline.not_permitted_to_terminal": "4122111111111118",
    "cards.decline.unknown": "4130111111111118",
    "cards.decline.restricted_by_law": "4151111111111393",
    "cards.fraud": "4121111111111119",
}
_SUCCESS_CARD = "5528790000000008"
_THREEDS_CARD = "5890040000000016"
_MD_STATUS_0_CARD = "4131111111111117"
_NOT_REVERSIBLE_CARD = "5406670000000009"
STEPS: tuple[str, ...] = (
    *CARD_STEPS,
    "cards.threeds_failure",
    "cards.not_reversible",
    "flows.threeds",
    "flows.checkout",
    "webhooks.delivery",
    "webhooks.replay",
    "webhooks.forged",
    "refunds",
    "cancels",
)
WEBHOOK_URL = "https://shop.example/iyzico/webhook"
_CALLBACK_URL = "https://shop.example/iyzico/callback"
_NEXT_YEAR = str(datetime.date.today().year + 1)
_ADDRESS = {"contactName": "Ayşe Yılmaz", "city": "İzmir", "country": "Türkiye", "address": "Gül Sk. No:12 Karşıyaka"}


def real_order(card: str | None) -> dict[str, typing.Any]:
    """A fresh order of the shop with real-looking buyer data (none of iyzico's sample values)."""
    order_id = uuid.uuid4().hex[:12]
    order: dict[str, typing.Any] = {
        "conversationId": f"order-{order_id}",
        "basketId": f"SEPET-{order_id}",
        "price": Decimal("120.00"),
        "paidPrice": Decimal("120.00"),
        "currency": "TRY",
        "buyer": {
            "id": "MUSTERI-4417",
            "name": "Ayşe",
            "surname": "Yılmaz",
            "identityNumber": "28461937550",
            "email": "ayse.yilmaz@kitapci.com.tr",
            "gsmNumber": "+905321840277",
            "registrationAddress": _ADDRESS["address"],
            "city": "İzmir",
            "country": "Türkiye",
            "ip": "88.230.14.7",
        },
        "shippingAddress": dict(_ADDRESS),
        "billingAddress": dict(_ADDRESS),
        "basketItems": [
            {"id": "KTP-1", "name": "Kitap", "category1": "Kitap", "itemType": "PHYSICAL", "price": Decimal("120.00")}
        ],
    }
    if card is not None:
        order["installment"] = 1
        order["paymentCard"] = {
            "cardHolderName": "Ayşe Yılmaz",
            "cardNumber": card,
            "expireMonth": "08",
            "expireYear": _NEXT_YEAR,
            "cvc": "415",
        }
    return order


class ReferenceShop:
    """The reference integration against one emulator; `steps` are the checklist steps it does."""

    def __init__(self, sandbox: SandboxHandle, steps: Collection[str]) -> None:
        self.sandbox = sandbox
        self.client = sandbox.client
        self.steps = frozenset(steps)
        self.webhook_store = MemoryWebhookStore()
        self.refused_first_attempt: set[str] = set()

    # -- the webhook endpoint (the emulator's sender posts here) --

    def webhook(self, request: httpx.Request) -> httpx.Response:
        result = handle_webhook(self.client, request.content, request.headers, self.webhook_store)
        if isinstance(result, Refusal):
            return httpx.Response(result.http_status if "webhooks.forged" in self.steps else 200)
        if result.duplicate:
            return httpx.Response(200 if "webhooks.replay" in self.steps else 500)
        if "webhooks.delivery" not in self.steps:
            return httpx.Response(503)
        return httpx.Response(200)

    # -- the shop's payment steps --

    def pay(self, card: str) -> str:
        payment = create_payment.sync(client=self.client, body=CreatePaymentRequest.from_dict(real_order(card)))
        assert payment is not None
        return str(payment.payment_id)

    def declined(self, card: str) -> None:
        try:
            self.pay(card)
        except CardDeclinedError:
            return
        raise AssertionError("a declining test card was charged")

    def threeds_callback(self, card: str) -> dict[str, str]:
        """Start a 3-D Secure payment and play the buyer on the bank page: the form posted to the callback."""
        body = {**real_order(card), "callbackUrl": _CALLBACK_URL}
        started = initialize_threeds.sync(client=self.client, body=InitializeThreedsRequest.from_dict(body))
        assert started is not None
        assert isinstance(started.three_ds_html_content, str)
        return complete_threeds(self.sandbox.http, started.three_ds_html_content).fields

    def checkout_callback(self) -> dict[str, str]:
        """Start a hosted checkout page and pay it as the buyer: the form posted to the callback."""
        body = {**real_order(None), "callbackUrl": _CALLBACK_URL}
        started = initialize_checkout_form.sync(client=self.client, body=InitializeCheckoutFormRequest.from_dict(body))
        assert started is not None
        assert isinstance(started.payment_page_url, str)
        card = {"cardHolderName": "Ayşe Yılmaz", "cardNumber": _SUCCESS_CARD, "expireMonth": "08"}
        card |= {"expireYear": _NEXT_YEAR, "cvc": "415", "installment": "1"}
        return pay_hosted_page(self.sandbox.http, started.payment_page_url, card).fields

    def run(self, *, probe: bool = True) -> None:
        paid = self.pay(_SUCCESS_CARD)
        for step, card in CARD_STEPS.items():
            if step in self.steps:
                self.declined(card)
        threeds_form = self.threeds_callback(_THREEDS_CARD)
        if "flows.threeds" in self.steps:
            assert isinstance(handle_threeds_callback(self.client, threeds_form), ThreedsPaid)
        if "cards.threeds_failure" in self.steps:
            refusal = handle_threeds_callback(self.client, self.threeds_callback(_MD_STATUS_0_CARD))
            assert isinstance(refusal, Refusal)
            assert refusal.reason == "not_authenticated"
        checkout_form = self.checkout_callback()
        if "flows.checkout" in self.steps:
            assert isinstance(handle_checkout_callback(self.client, checkout_form), CheckoutPaid)
        if "cards.not_reversible" in self.steps:
            try:
                cancel_payment.sync(
                    client=self.client, body=CancelPaymentRequest(payment_id=self.pay(_NOT_REVERSIBLE_CARD))
                )
            except IyzicoAPIError:
                pass
            else:
                raise AssertionError("the card that cannot be reversed was cancelled")
        if "refunds" in self.steps:
            refund_payment.sync(client=self.client, body=RefundPaymentRequest(payment_id=paid, price=Decimal("20.00")))
        if "cancels" in self.steps:
            cancel_payment.sync(client=self.client, body=CancelPaymentRequest(payment_id=self.pay(_SUCCESS_CARD)))
        if probe:
            self.sandbox.probe_webhooks()


@contextlib.contextmanager
def reference_sandbox(*, loopback: bool = False) -> Iterator[tuple[SandboxHandle, list[ReferenceShop]]]:
    """An emulator (in-process, or on a loopback port) whose webhooks reach the reference shop appended to the
    yielded list (retries a few ms apart, not iyzico's 15 minutes, so a refused first attempt does not hold
    the queue)."""
    shops: list[ReferenceShop] = []

    def endpoint(request: httpx.Request) -> httpx.Response:
        return shops[-1].webhook(request)

    with loopback_sandbox() if loopback else in_process_sandbox() as sandbox:
        sandbox.state.webhooks = WebhookSender(
            WEBHOOK_URL, transport=httpx.MockTransport(endpoint), retry_interval=0.01
        )
        yield sandbox, shops


def reference_run(steps: Collection[str]) -> set[str]:
    """Run the reference integration with these steps on a fresh emulator; the report's open item keys."""
    with reference_sandbox() as (sandbox, shops):
        shops.append(ReferenceShop(sandbox, steps))
        shops[-1].run()
        report = sandbox.readiness()
    return {item.key for item in report.open_items}
