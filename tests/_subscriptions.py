"""What the subscription tests share: an emulator whose clock starts where the test says and whose webhooks
are kept, plans, subscribers and cards, read through our own client (signed, verified, bound)."""

from __future__ import annotations

import contextlib
import datetime
import typing
from collections.abc import Iterator
from decimal import Decimal

import attrs
import httpx

from iyzico_client.api.subscription import (
    create_subscription_pricing_plan,
    create_subscription_product,
    initialize_subscription,
    initialize_subscription_card_update_with_subscription,
    retrieve_subscription,
)
from iyzico_client.models import (
    CreateSubscriptionPricingPlanRequest,
    CreateSubscriptionProductRequest,
    Currency,
    InitializeSubscriptionCardUpdateWithSubscriptionRequest,
    InitializeSubscriptionRequest,
    PaymentCard,
    SubscriptionAddress,
    SubscriptionCustomer,
    SubscriptionDetails,
    SubscriptionInitialStatus,
    SubscriptionOrder,
    SubscriptionPaymentInterval,
    SubscriptionPlanPaymentType,
    SubscriptionSummary,
)
from iyzico_client.types import UNSET, Unset
from iyzico_ext import IyzicoClient, SubscriptionWebhookEvent, verify_subscription_webhook
from iyzico_ext.sandbox import DEFAULT_SECRET_KEY
from iyzico_ext.sandbox.browser import HOSTED_PAGE_TEST_CARD, checkout_form_page_url, pay_hosted_page
from iyzico_ext.sandbox.embedded import SandboxHandle, in_process_sandbox

GOOD_CARD = "5528790000000008"  # Halkbank MasterCard credit card: every charge succeeds
LIMIT_REACHED_CARD = "4111111111111129"  # 10051 insufficient funds: passes the 1 TRY validation, charges fail
# Valid whatever year the tests move the emulator's clock to.
EXPIRY_YEAR = "2049"
T = typing.TypeVar("T")


def present(value: T | Unset | None) -> T:
    """A field the test expects the answer to have."""
    assert value is not None, "the answer lacks a field the test needs"
    assert not isinstance(value, Unset), "the answer lacks a field the test needs"
    return value


@attrs.frozen
class Bench:
    """An in-process emulator on its own clock, and every webhook it sent (verified)."""

    sandbox: SandboxHandle
    received: list[httpx.Request]

    @property
    def client(self) -> IyzicoClient:
        return self.sandbox.client

    def advance(self, delta: datetime.timedelta) -> None:
        self.sandbox.advance_clock(delta)

    def now_millis(self) -> int:
        return int(self.sandbox.state.clock().timestamp() * 1000)

    def events(self) -> list[SubscriptionWebhookEvent]:
        """The subscription webhooks received so far, in order, each verified (formula, merchant id)."""
        sender = self.sandbox.state.webhooks
        assert sender is not None
        sender.wait_idle()
        return [
            verify_subscription_webhook(
                request.content,
                request.headers["X-IYZ-SIGNATURE-V3"],
                DEFAULT_SECRET_KEY,
                merchant_id=self.sandbox.merchant_id,
            )
            for request in self.received
        ]

    def paid_total(self) -> tuple[int, Decimal]:
        """(how many payments, their sum) in the emulator's ledger."""
        payments = self.sandbox.ledger()
        return len(payments), sum((Decimal(entry["paidPrice"]) for entry in payments), Decimal(0))


@contextlib.contextmanager
def bench(start: datetime.datetime | None = None) -> Iterator[Bench]:
    """A fresh emulator whose clock starts at `start` (now when absent), webhooks kept in memory."""
    received: list[httpx.Request] = []

    def merchant(request: httpx.Request) -> httpx.Response:
        received.append(request)
        return httpx.Response(200)

    origin = start or datetime.datetime.now()
    begun = datetime.datetime.now()
    with in_process_sandbox(
        webhook_url="https://saas.example/iyzico/webhook",
        webhook_transport=httpx.MockTransport(merchant),
        clock=lambda: origin + (datetime.datetime.now() - begun),
    ) as sandbox:
        yield Bench(sandbox, received)


def make_plan(
    client: IyzicoClient,
    *,
    price: Decimal = Decimal("100.00"),
    interval: SubscriptionPaymentInterval = SubscriptionPaymentInterval.MONTHLY,
    count: int = 1,
    trial_days: int = 0,
    recurrence: int | None = None,
    currency: Currency = Currency.TRY,
    product: str | None = None,
    name: str = "Aylık Pro",
) -> str:
    """A pricing plan (of a new product unless `product` is given); its reference code."""
    if product is None:
        created = create_subscription_product.sync(client=client, body=CreateSubscriptionProductRequest(name="Bulut"))
        product = present(present(present(created).data).reference_code)
    request = CreateSubscriptionPricingPlanRequest(
        name=name,
        price=price,
        currency_code=currency,
        payment_interval=interval,
        payment_interval_count=count,
        trial_period_days=trial_days,
        plan_payment_type=SubscriptionPlanPaymentType.RECURRING,
        recurrence_count=UNSET if recurrence is None else recurrence,
    )
    plan = create_subscription_pricing_plan.sync(client=client, product_reference_code=product, body=request)
    return present(present(present(plan).data).reference_code)


def subscriber(email: str = "ayse@example.com.tr") -> SubscriptionCustomer:
    address = SubscriptionAddress(
        contact_name="Ayşe Yılmaz", city="İstanbul", country="Türkiye", address="Moda Cad. 12"
    )
    return SubscriptionCustomer(
        name="Ayşe",
        surname="Yılmaz",
        identity_number="74300864791",
        email=email,
        gsm_number="+905350000000",
        billing_address=address,
    )


def card(number: str = GOOD_CARD) -> PaymentCard:
    return PaymentCard(
        card_holder_name="Ayşe Yılmaz", card_number=number, expire_month="12", expire_year=EXPIRY_YEAR, cvc="123"
    )


def subscribe(
    client: IyzicoClient,
    plan: str,
    *,
    number: str = GOOD_CARD,
    status: SubscriptionInitialStatus = SubscriptionInitialStatus.ACTIVE,
    email: str = "ayse@example.com.tr",
) -> SubscriptionSummary:
    body = InitializeSubscriptionRequest(
        pricing_plan_reference_code=plan,
        subscription_initial_status=status,
        payment_card=card(number),
        customer=subscriber(email),
    )
    return present(present(initialize_subscription.sync(client=client, body=body)).data)


def details(client: IyzicoClient, reference_code: str) -> SubscriptionDetails:
    answer = retrieve_subscription.sync(client=client, subscription_reference_code=reference_code)
    return present(present(answer).data)


def orders(client: IyzicoClient, reference_code: str, *statuses: str) -> list[SubscriptionOrder]:
    """The subscription's orders, those in `statuses` only when given."""
    found = present(details(client, reference_code).orders)
    return [order for order in found if not statuses or order.order_status in statuses]


def replace_card(sandbox: SandboxHandle, reference_code: str, number: str) -> None:
    """The customer types card `number` on the subscription's card-update form."""
    body = InitializeSubscriptionCardUpdateWithSubscriptionRequest(
        subscription_reference_code=reference_code, callback_url="https://saas.example/card-updated"
    )
    form = present(initialize_subscription_card_update_with_subscription.sync(client=sandbox.client, body=body))
    posted = pay_hosted_page(
        sandbox.http,
        checkout_form_page_url(present(form.checkout_form_content)),
        {**HOSTED_PAGE_TEST_CARD, "cardNumber": number, "expireYear": EXPIRY_YEAR},
    )
    assert posted.fields == {"token": present(form.token), "status": "success"}
