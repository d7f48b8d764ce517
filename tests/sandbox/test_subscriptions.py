"""Subscriptions on the emulator through time, through our own client: renewals on the clock, trials,
recurrence counts, a declined renewal and its retry, cancel, upgrades, the hosted forms, the webhooks, and
the rules of products, plans and customers."""

from __future__ import annotations

import asyncio
import datetime
import json
import sqlite3
import typing
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from iyzico_client.api.subscription import (
    activate_subscription,
    cancel_subscription,
    create_subscription_customer,
    delete_subscription_customer,
    delete_subscription_pricing_plan,
    delete_subscription_product,
    initialize_subscription_checkout_form,
    initialize_subscription_with_customer,
    list_subscription_customers,
    list_subscription_products,
    retrieve_subscription_checkout_form,
    retrieve_subscription_order,
    retry_subscription_payment,
    search_subscriptions,
    upgrade_subscription,
)
from iyzico_client.models import (
    CreateSubscriptionCustomerRequest,
    InitializeSubscriptionCheckoutFormRequest,
    InitializeSubscriptionWithCustomerRequest,
    RetrySubscriptionPaymentRequest,
    SubscriptionCommonRequest,
    SubscriptionCustomerDetails,
    SubscriptionInitialStatus,
    SubscriptionPaymentInterval,
    SubscriptionUpgradePeriod,
    UpgradeSubscriptionRequest,
)
from iyzico_ext import (
    CardDeclinedError,
    InvalidRequestError,
    IyzicoAPIError,
    IyzicoClient,
    iterate_pages,
    iterate_pages_async,
)
from iyzico_ext.sandbox import DEFAULT_API_KEY, DEFAULT_SECRET_KEY, create_app
from iyzico_ext.sandbox.browser import HOSTED_PAGE_TEST_CARD, checkout_form_page_url, pay_hosted_page
from iyzico_ext.sandbox.embedded import SandboxHandle
from iyzico_ext.sandbox.transport import InProcessTransport
from tests._subscriptions import (
    LIMIT_REACHED_CARD,
    Bench,
    bench,
    details,
    make_plan,
    orders,
    present,
    replace_card,
    subscribe,
    subscriber,
)

DAY = datetime.timedelta(days=1)
# A start on the 10th: every month has the day, so the tests can count months on the calendar.
START = datetime.datetime(2026, 3, 10, 9, 30)


def _anniversary(millis: int) -> datetime.datetime:
    start = datetime.datetime.fromtimestamp(millis / 1000)
    return start.replace(year=start.year + 1)


def _until(bench: Bench, moment: datetime.datetime) -> None:
    bench.advance(moment - bench.sandbox.state.clock())


def test_a_year_of_monthly_renewals_is_twelve_orders() -> None:
    with bench(START) as b:
        plan = make_plan(b.client, price=Decimal("100.00"))
        started = subscribe(b.client, plan)
        _until(b, _anniversary(present(started.start_date)) - datetime.timedelta(seconds=1))
        paid = orders(b.client, present(started.reference_code), "SUCCESS")
        assert len(paid) == 12
        assert len({order.reference_code for order in paid}) == 12
        assert [order.price for order in paid] == [Decimal("100.00000000")] * 12
        assert b.paid_total() == (12, Decimal("1200.00"))
        events = b.events()
        assert [event.order_reference_code for event in events] == [order.reference_code for order in paid]
        assert all(event.paid for event in events)
        b.advance(datetime.timedelta(seconds=1))  # the anniversary: the thirteenth period begins
        assert len(orders(b.client, present(started.reference_code), "SUCCESS")) == 13


def test_renewals_run_on_the_loopback_fixture_too(iyzico_sandbox_server: SandboxHandle) -> None:
    started = subscribe(iyzico_sandbox_server.client, make_plan(iyzico_sandbox_server.client))
    iyzico_sandbox_server.advance_clock(40 * DAY)
    assert len(orders(iyzico_sandbox_server.client, present(started.reference_code), "SUCCESS")) == 2


def test_periods_follow_the_calendar_at_the_end_of_a_month() -> None:
    with bench(datetime.datetime(2027, 1, 31, 12, 0)) as b:
        started = subscribe(b.client, make_plan(b.client))
        b.advance(datetime.timedelta(days=60))
        starts = [
            datetime.datetime.fromtimestamp(present(order.start_period) / 1000).date()
            for order in orders(b.client, present(started.reference_code))
        ]
        paid_and_waiting = [datetime.date(2027, month, day) for month, day in ((1, 31), (2, 28), (3, 31), (4, 30))]
        assert starts == paid_and_waiting


def test_a_trial_charges_nothing_until_it_ends() -> None:
    with bench(START) as b:
        started = subscribe(b.client, make_plan(b.client, trial_days=14))
        assert (started.trial_days, started.subscription_status) == (14, "ACTIVE")
        assert present(started.trial_end_date) - present(started.trial_start_date) == 14 * 86_400_000
        b.advance(13 * DAY)
        assert b.paid_total() == (0, Decimal(0))
        b.advance(DAY)
        assert b.paid_total() == (1, Decimal("100.00"))


def test_the_recurrence_count_caps_the_charges_and_the_subscription_expires() -> None:
    with bench(START) as b:
        started = subscribe(b.client, make_plan(b.client, recurrence=3))
        reference = present(started.reference_code)
        b.advance(70 * DAY)  # the third period has begun, and is the last
        assert (len(orders(b.client, reference, "SUCCESS")), details(b.client, reference).subscription_status) == (
            3,
            "ACTIVE",
        )
        b.advance(365 * DAY)
        assert (len(orders(b.client, reference)), details(b.client, reference).subscription_status) == (3, "EXPIRED")
        assert b.paid_total() == (3, Decimal("300.00"))


def test_a_declined_renewal_makes_it_unpaid_and_a_retry_with_a_working_card_recovers_it() -> None:
    with bench(START) as b:
        started = subscribe(b.client, make_plan(b.client, trial_days=7), number=LIMIT_REACHED_CARD)
        reference = present(started.reference_code)
        b.advance(8 * DAY)
        (failed,) = orders(b.client, reference, "FAILED")
        assert details(b.client, reference).subscription_status == "UNPAID"
        assert [(event.event_type, event.order_reference_code) for event in b.events()] == [
            ("subscription.order.failure", failed.reference_code)
        ]
        retry = RetrySubscriptionPaymentRequest(reference_code=present(failed.reference_code))
        with pytest.raises(CardDeclinedError) as declined:
            retry_subscription_payment.sync(client=b.client, body=retry)
        assert declined.value.error_code == "10051"
        b.advance(62 * DAY)  # unpaid for two more months: nothing is charged meanwhile
        assert b.paid_total() == (0, Decimal(0))
        replace_card(b.sandbox, reference, "5528790000000008")
        retry_subscription_payment.sync(client=b.client, body=retry)
        assert details(b.client, reference).subscription_status == "ACTIVE"
        paid = orders(b.client, reference, "SUCCESS")
        assert paid[0].reference_code == failed.reference_code
        assert b.paid_total() == (3, Decimal("300.00"))  # and the two periods begun meanwhile
        attempts = present(paid[0].payment_attempts)
        assert [attempt.payment_status for attempt in attempts] == ["FAILED", "FAILED", "SUCCESS"]
        assert [event.event_type for event in b.events()][-3:] == ["subscription.order.success"] * 3


def test_a_failed_order_can_be_retried_for_160_days() -> None:
    with bench(START) as b:
        started = subscribe(b.client, make_plan(b.client, trial_days=1), number=LIMIT_REACHED_CARD)
        b.advance(2 * DAY)
        (failed,) = orders(b.client, present(started.reference_code), "FAILED")
        replace_card(b.sandbox, present(started.reference_code), "5528790000000008")
        b.advance(160 * DAY)
        retry = RetrySubscriptionPaymentRequest(reference_code=present(failed.reference_code))
        with pytest.raises(InvalidRequestError) as late:
            retry_subscription_payment.sync(client=b.client, body=retry)
        assert (late.value.error_code, b.paid_total()) == ("201442", (0, Decimal(0)))


def test_a_renewal_iyzico_refuses_leaves_it_unpaid_and_the_clock_running() -> None:
    with bench(START) as b:
        over_the_sandbox_limit = make_plan(b.client, price=Decimal("100000.00"), trial_days=1)
        started = subscribe(b.client, over_the_sandbox_limit)
        b.advance(2 * DAY)  # the clock moves on (HTTP 200): the renewal is refused with 5008, not the jump
        (failed,) = orders(b.client, present(started.reference_code), "FAILED")
        assert present(failed.payment_attempts)[0].error_code == "5008"
        assert details(b.client, present(started.reference_code)).subscription_status == "UNPAID"


def test_a_charge_the_call_makes_must_succeed() -> None:
    with bench(START) as b:
        plan = make_plan(b.client)
        with pytest.raises(CardDeclinedError):
            subscribe(b.client, plan, number=LIMIT_REACHED_CARD)
        found = search_subscriptions.sync(client=b.client)
        assert present(present(found).data).total_count == 0
        assert b.paid_total() == (0, Decimal(0))


@pytest.mark.parametrize(
    ("number", "code"),
    [
        ("4126111111111114", "10043"),  # a stolen card fails the 1 TRY validation too
        ("5890040000000016", "201450"),  # a debit card cannot subscribe
    ],
)
def test_the_card_validation_refuses_what_cannot_subscribe(number: str, code: str) -> None:
    with bench(START) as b:
        with pytest.raises(IyzicoAPIError) as refused:
            subscribe(b.client, make_plan(b.client, trial_days=30), number=number)
        assert refused.value.error_code == code


def test_a_pending_subscription_charges_nothing_until_activated() -> None:
    with bench(START) as b:
        started = subscribe(b.client, make_plan(b.client), status=SubscriptionInitialStatus.PENDING)
        reference = present(started.reference_code)
        b.advance(40 * DAY)
        assert (b.paid_total(), details(b.client, reference).subscription_status) == ((0, Decimal(0)), "PENDING")
        activate_subscription.sync(
            client=b.client, subscription_reference_code=reference, body=SubscriptionCommonRequest()
        )
        assert b.paid_total() == (1, Decimal("100.00"))
        with pytest.raises(InvalidRequestError) as again:
            activate_subscription.sync(
                client=b.client, subscription_reference_code=reference, body=SubscriptionCommonRequest()
            )
        assert again.value.error_code == "201431"


def test_cancel_stops_the_charges() -> None:
    with bench(START) as b:
        started = subscribe(b.client, make_plan(b.client))
        reference = present(started.reference_code)
        b.advance(35 * DAY)
        cancel_subscription.sync(
            client=b.client, subscription_reference_code=reference, body=SubscriptionCommonRequest()
        )
        b.advance(200 * DAY)
        assert b.paid_total() == (2, Decimal("200.00"))
        found = details(b.client, reference)
        assert (found.subscription_status, present(found.orders)[-1].order_status) == (
            "CANCELED",
            "SUBSCRIPTION_CANCELED",
        )
        with pytest.raises(InvalidRequestError):
            cancel_subscription.sync(
                client=b.client, subscription_reference_code=reference, body=SubscriptionCommonRequest()
            )


@pytest.mark.parametrize("period", list(SubscriptionUpgradePeriod))
def test_an_upgrade_charges_the_new_plan_from_its_period(period: SubscriptionUpgradePeriod) -> None:
    with bench(START) as b:
        reference = present(subscribe(b.client, make_plan(b.client, price=Decimal("100.00"))).reference_code)
        product = present(details(b.client, reference).product_reference_code)
        pro = make_plan(b.client, price=Decimal("150.00"), product=product, name="Pro")
        b.advance(10 * DAY)  # a third into the first period
        upgraded_at = b.now_millis()
        body = UpgradeSubscriptionRequest(new_pricing_plan_reference_code=pro, upgrade_period=period)
        upgraded = upgrade_subscription.sync(client=b.client, subscription_reference_code=reference, body=body)
        new = present(present(upgraded).data)
        assert (new.pricing_plan_reference_code, new.parent_reference_code) == (
            pro,
            details(b.client, reference).parent_reference_code,
        )
        charged_now = b.paid_total()
        b.advance(60 * DAY)
        (old_paid,) = orders(b.client, reference, "SUCCESS")
        new_orders = orders(b.client, present(new.reference_code), "SUCCESS")
        assert {order.price for order in new_orders} == {Decimal("150.00000000")}
        assert details(b.client, reference).subscription_status == "UPGRADED"
        if period == SubscriptionUpgradePeriod.NOW:
            assert charged_now == (2, Decimal("250.00"))  # the new plan's first period, at once
            assert abs(present(new_orders[0].start_period) - upgraded_at) < 1000
        else:
            assert charged_now == (1, Decimal("100.00"))  # the old period runs out first
            assert new_orders[0].start_period == old_paid.end_period
        assert b.paid_total() == (1 + len(new_orders), Decimal("100.00") + 150 * len(new_orders))


def test_an_upgrade_stays_within_the_product_and_the_interval() -> None:
    with bench(START) as b:
        started = subscribe(b.client, make_plan(b.client))
        weekly = make_plan(b.client, interval=SubscriptionPaymentInterval.WEEKLY)
        body = UpgradeSubscriptionRequest(
            new_pricing_plan_reference_code=weekly, upgrade_period=SubscriptionUpgradePeriod.NOW
        )
        with pytest.raises(InvalidRequestError) as refused:
            upgrade_subscription.sync(
                client=b.client, subscription_reference_code=present(started.reference_code), body=body
            )
        assert refused.value.error_code == "201432"


def test_retrying_a_paid_order_charges_nothing_and_a_waiting_one_is_refused() -> None:
    with bench(START) as b:
        started = subscribe(b.client, make_plan(b.client))
        paid, waiting = orders(b.client, present(started.reference_code))
        retry_subscription_payment.sync(
            client=b.client, body=RetrySubscriptionPaymentRequest(reference_code=present(paid.reference_code))
        )
        assert b.paid_total() == (1, Decimal("100.00"))
        with pytest.raises(InvalidRequestError) as refused:
            retry_subscription_payment.sync(
                client=b.client, body=RetrySubscriptionPaymentRequest(reference_code=present(waiting.reference_code))
            )
        assert refused.value.error_code == "201441"
        order = present(
            retrieve_subscription_order.sync(client=b.client, order_reference_code=present(paid.reference_code))
        )
        assert present(order.data).order_status == "SUCCESS"


def test_the_hosted_subscription_form_starts_a_subscription() -> None:
    with bench(START) as b:
        plan = make_plan(b.client, trial_days=7)
        body = InitializeSubscriptionCheckoutFormRequest(
            callback_url="https://saas.example/subscribed",
            pricing_plan_reference_code=plan,
            subscription_initial_status=SubscriptionInitialStatus.ACTIVE,
            customer=subscriber("mehmet@example.com"),
        )
        form = present(initialize_subscription_checkout_form.sync(client=b.client, body=body))
        token = present(form.token)
        with pytest.raises(InvalidRequestError) as early:
            retrieve_subscription_checkout_form.sync(client=b.client, token=token)
        assert early.value.error_code == "201601"
        page = checkout_form_page_url(present(form.checkout_form_content))
        declined = b.sandbox.http.post(page, data={**HOSTED_PAGE_TEST_CARD, "cardNumber": "5890040000000016"})
        assert declined.status_code == 400
        assert "kredi kart" in declined.text  # the error, on the form
        assert 'value="5890040000000016"' in declined.text  # what was typed, kept
        posted = pay_hosted_page(b.sandbox.http, page, HOSTED_PAGE_TEST_CARD)
        assert (posted.action, posted.fields) == ("https://saas.example/subscribed", {"token": token})
        started = present(present(retrieve_subscription_checkout_form.sync(client=b.client, token=token)).data)
        assert (started.pricing_plan_reference_code, started.subscription_status, started.trial_days) == (
            plan,
            "ACTIVE",
            7,
        )
        assert b.sandbox.http.get(page).status_code == 404  # used
        with pytest.raises(InvalidRequestError) as unknown:
            retrieve_subscription_checkout_form.sync(client=b.client, token="c866e6b4-0f2d-4e9c-8adb-abc4f4bfa2ad")
        assert unknown.value.error_code == "201600"


_FORM_TEXT = st.text(st.characters(codec="utf-8", exclude_categories=["Cs"]), max_size=24)


@settings(max_examples=40, deadline=None)
@given(
    form=st.fixed_dictionaries(
        {}, optional={name: _FORM_TEXT for name in ("cardHolderName", "cardNumber", "expireMonth", "expireYear", "cvc")}
    )
)
def test_the_subscription_forms_never_answer_500(form: dict[str, str]) -> None:
    with bench(START) as b:
        started = subscribe(b.client, make_plan(b.client))
        body = InitializeSubscriptionCheckoutFormRequest(
            callback_url="https://saas.example/subscribed",
            pricing_plan_reference_code=present(started.pricing_plan_reference_code),
            subscription_initial_status=SubscriptionInitialStatus.ACTIVE,
            customer=subscriber("form@example.com"),
        )
        content = present(initialize_subscription_checkout_form.sync(client=b.client, body=body)).checkout_form_content
        assert b.sandbox.http.post(checkout_form_page_url(present(content)), data=form).status_code < 500


def test_the_db_file_keeps_a_subscription_card_in_the_vault_only(tmp_path: Path) -> None:
    database = tmp_path / "sandbox.db"
    app = create_app(db_path=str(database))
    transport = InProcessTransport(app)
    with IyzicoClient(DEFAULT_API_KEY, DEFAULT_SECRET_KEY, "http://127.0.0.1", transport=transport) as client:
        subscribe(client, make_plan(client))
    transport.close()
    app.state.sandbox.close()
    with sqlite3.connect(database) as connection:
        dump = "\n".join(connection.iterdump())
        holders = connection.execute("SELECT kind FROM documents WHERE body LIKE '%5528790000000008%'").fetchall()
    assert '"cvc"' not in dump
    assert holders == [("carduser",)]  # iyzico keeps the card for the renewals: in its vault


def test_another_subscription_needs_an_active_one_and_takes_its_card() -> None:
    with bench(START) as b:
        plan = make_plan(b.client)
        customer = present(
            present(create_subscription_customer.sync(client=b.client, body=_customer_request("ali@example.com"))).data
        )
        body = InitializeSubscriptionWithCustomerRequest(
            pricing_plan_reference_code=plan,
            subscription_initial_status=SubscriptionInitialStatus.ACTIVE,
            customer_reference_code=present(customer.reference_code),
        )
        with pytest.raises(InvalidRequestError) as refused:
            initialize_subscription_with_customer.sync(client=b.client, body=body)
        assert refused.value.error_code == "201423"
        first = subscribe(b.client, plan, email="ali@example.com")
        assert first.customer_reference_code == customer.reference_code  # the customer with that e-mail address
        second = present(present(initialize_subscription_with_customer.sync(client=b.client, body=body)).data)
        assert (second.subscription_status, b.paid_total()) == ("ACTIVE", (2, Decimal("200.00")))


def _customer_request(email: str) -> CreateSubscriptionCustomerRequest:
    return CreateSubscriptionCustomerRequest.from_dict({**subscriber(email).to_dict(), "locale": "tr"})


def test_what_is_in_use_cannot_be_deleted() -> None:
    with bench(START) as b:
        plan = make_plan(b.client)
        started = subscribe(b.client, plan)
        product = present(details(b.client, present(started.reference_code)).product_reference_code)
        cases: list[tuple[typing.Callable[[], object], str]] = [
            (lambda: delete_subscription_product.sync(client=b.client, product_reference_code=product), "201401"),
            (
                lambda: delete_subscription_pricing_plan.sync(client=b.client, pricing_plan_reference_code=plan),
                "201413",
            ),
            (
                lambda: delete_subscription_customer.sync(
                    client=b.client,
                    customer_reference_code=present(started.customer_reference_code),
                    body=SubscriptionCommonRequest(),
                ),
                "201422",
            ),
            (
                lambda: create_subscription_customer.sync(
                    client=b.client, body=_customer_request("ayse@example.com.tr")
                ),
                "201421",
            ),
            (lambda: make_plan(b.client, product=product), "201412"),
        ]
        for attempt, code in cases:
            with pytest.raises(InvalidRequestError) as refused:
                attempt()
            assert refused.value.error_code == code


def test_every_page_of_a_list_sync_and_async() -> None:
    with bench(START) as b:
        emails = [f"abone{index}@example.com" for index in range(23)]
        for email in emails:
            create_subscription_customer.sync(client=b.client, body=_customer_request(email))
        found = iterate_pages(list_subscription_customers.sync, client=b.client, count=10)
        typing.assert_type(found, typing.Iterator[SubscriptionCustomerDetails])
        assert [customer.email for customer in found] == emails

        async def walk() -> list[str]:
            pages = iterate_pages_async(list_subscription_customers.asyncio, client=b.client, count=7)
            return [str(customer.email) async for customer in pages]

        assert asyncio.run(walk()) == emails
        assert list(iterate_pages(list_subscription_products.sync, client=b.client)) == []
        with pytest.raises(ValueError, match="leave `page` out"):
            next(iterate_pages(list_subscription_customers.sync, client=b.client, page=2))
        with pytest.raises(ValueError, match="not a paged list"):
            next(iterate_pages(retrieve_subscription_order.sync, client=b.client))  # type: ignore[arg-type]  # refused at run time too


def test_answers_carry_no_conversation_id_except_the_form_initializations() -> None:
    with bench(START) as b:
        plan = make_plan(b.client)
        caller = _raw(b)
        product = caller("POST", "/v2/subscription/products", {"conversationId": "c-1", "locale": "en", "name": "X"})
        assert set(product) == {"status", "systemTime", "data"}
        failure = caller("GET", "/v2/subscription/pricing-plans/nope", None)
        assert set(failure) == {"status", "systemTime", "errorCode", "errorMessage"}
        form = caller(
            "POST",
            "/v2/subscription/checkoutform/initialize",
            {
                "conversationId": "c-2",
                "callbackUrl": "https://saas.example/cb",
                "pricingPlanReferenceCode": plan,
                "subscriptionInitialStatus": "ACTIVE",
                "customer": subscriber().to_dict(),
            },
        )
        assert (form["conversationId"], form["tokenExpireTime"]) == ("c-2", 1800)


def test_iyzipay_java_deletes_a_customer_with_delete() -> None:
    with bench(START) as b:
        customer = present(
            present(create_subscription_customer.sync(client=b.client, body=_customer_request("veli@example.com"))).data
        )
        answer = _raw(b)("DELETE", f"/v2/subscription/customers/{customer.reference_code}", None)
        assert answer["status"] == "success"
        assert list(iterate_pages(list_subscription_customers.sync, client=b.client)) == []


def _raw(b: Bench) -> typing.Callable[[str, str, dict[str, typing.Any] | None], dict[str, typing.Any]]:
    """Signed requests of any shape, as other clients send them; the parsed answer."""
    from tests.sandbox.conftest import Caller

    caller = Caller(b.sandbox.http)

    def send(method: str, path: str, body: dict[str, typing.Any] | None) -> dict[str, typing.Any]:
        response = caller.raw(method, path, b"" if body is None else json.dumps(body).encode())
        assert response.status_code == 200, response.text
        answer: dict[str, typing.Any] = response.json()
        return answer

    return send
