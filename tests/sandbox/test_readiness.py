"""The go-live readiness report: iyzico's checklist, item by item, from what the emulator saw.

The reference integration (`readiness_reference`) does every step of the checklist; the report for it is all
green, and for any subset of its steps the report's open items are exactly the steps left out (hypothesis),
including the integration of the issue: one success card, no auth call after the 3-D Secure callback, a
forged webhook answered with 200. The rest checks the report's other evidence (refused requests by code,
sample values, ids, flows and webhooks not used), the endpoints, the page in Chromium and the CLI.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from starlette.applications import Starlette
from starlette.routing import Mount
from starlette.types import Receive, Scope, Send

from iyzico_client.api.payment import create_payment
from iyzico_client.models import CreatePaymentRequest
from iyzico_client.types import json_dumps
from iyzico_ext.integrations import IyzicoEndpoints
from iyzico_ext.integrations.starlette import iyzico_routes
from iyzico_ext.sandbox import DEFAULT_API_KEY, DEFAULT_SECRET_KEY, create_app
from iyzico_ext.sandbox._readiness_model import ReadinessReport
from iyzico_ext.sandbox._readiness_probe import ProbeImpossible
from iyzico_ext.sandbox._webhooks import merchant_number
from iyzico_ext.sandbox.embedded import in_process_sandbox
from iyzico_ext.sandbox.transport import InProcessTransport

from .conftest import BASE_URL, Caller, payment_body
from .readiness_reference import CARD_STEPS, STEPS, ReferenceShop, real_order, reference_run, reference_sandbox

# What the issue's integration leaves out: every card but one success card, the auth call after the 3-D Secure
# callback (and the failing authentication with it), and verifying webhooks (a forged one gets a 200).
ISSUE_GAPS = {*CARD_STEPS, "cards.threeds_failure", "cards.not_reversible", "flows.threeds", "webhooks.forged"}
_ANOTHER_KEY, _ANOTHER_SECRET = "second-merchant-key", "second-merchant-secret"
_SUCCESS_CARD = "5528790000000008"


def _report(http: httpx.Client, **params: int) -> ReadinessReport:
    response = http.get("/_sandbox/readiness", params=params)
    assert response.status_code == 200, response.text
    return ReadinessReport.from_json(response.json())


def test_an_integration_that_does_everything_is_all_green() -> None:
    with reference_sandbox() as (sandbox, shops):
        shops.append(ReferenceShop(sandbox, STEPS))
        shops[-1].run()
        report = sandbox.readiness()
        page = sandbox.http.get("/_sandbox/readiness.html")
    assert report.ready
    assert {item.status for item in report.items} == {"done", "manual"}
    assert ReadinessReport.from_json(report.to_json()) == report
    assert page.status_code == 200
    assert "Ready: every required item is done." in page.text


def test_the_issues_integration_is_told_exactly_its_gaps() -> None:
    with reference_sandbox() as (sandbox, shops):
        shops.append(ReferenceShop(sandbox, set(STEPS) - ISSUE_GAPS))
        shops[-1].run()
        report = sandbox.readiness()
    assert {item.key for item in report.open_items} == ISSUE_GAPS
    assert report.item("cards.success").status == "done"
    assert "reached your callbackUrl authenticated but were never completed" in report.item("flows.threeds").seen
    assert "HTTP 200" in report.item("webhooks.forged").seen
    assert "4111 1111 1111 1129" in report.item("cards.decline.not_sufficient_funds").next_step
    assert not report.ready


@settings(
    max_examples=max(10, settings.default.max_examples // 8) if settings.default else 10,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
@given(left_out=st.sets(st.sampled_from(STEPS)))
def test_the_open_items_are_exactly_the_steps_left_out(left_out: set[str]) -> None:
    assert reference_run(set(STEPS) - left_out) == left_out


def test_the_packages_own_webhook_route_passes_the_probe() -> None:
    """The Starlette adapter's webhook route, reached in-process: acknowledged, a replay 200, forgeries 400."""
    shop_routes: list[Starlette] = []

    async def shop(scope: Scope, receive: Receive, send: Send) -> None:
        await shop_routes[0](scope, receive, send)

    webhooks = InProcessTransport(shop)
    try:
        with in_process_sandbox(webhook_url="http://shop.test/iyzico/webhook", webhook_transport=webhooks) as sandbox:
            endpoints = IyzicoEndpoints(sandbox.client, success_url="/paid", failure_url="/failed")
            shop_routes.append(Starlette(routes=[Mount("/iyzico", routes=iyzico_routes(endpoints))]))
            order = CreatePaymentRequest.from_dict(real_order(_SUCCESS_CARD))
            create_payment.sync(client=sandbox.client, body=order)
            probed = sandbox.probe_webhooks()
            report = sandbox.readiness()
    finally:
        webhooks.close()
    assert [(answer["kind"], answer["status"]) for answer in probed["answers"]] == [
        ("replay", 200),
        ("forged: status changed under the genuine signature", 400),
        ("forged: no signature header", 400),
        ("forged: signed with another key", 400),
    ]
    assert [report.item(key).status for key in ("webhooks.delivery", "webhooks.replay", "webhooks.forged")] == [
        "done"
    ] * 3


def test_every_documented_test_card_outcome_is_an_item() -> None:
    with in_process_sandbox() as sandbox:
        report = sandbox.readiness()
    card_items = {item.key for item in report.items if item.section == "cards"}
    assert card_items == {*CARD_STEPS, "cards.success", "cards.threeds_failure", "cards.not_reversible"}


def test_what_an_integration_does_not_use_is_advice_not_a_gap(call: Caller) -> None:
    call.ok("/payment/auth", payment_body())
    report = _report(call.http)
    for key in ("flows.threeds", "flows.checkout", "cards.threeds_failure", *(k for k in STEPS if "webhooks" in k)):
        assert report.item(key).status == "advice", key
    assert "--webhook-url" in report.item("webhooks.delivery").next_step


def test_refused_requests_are_grouped_by_error_code(app: Starlette, call: Caller) -> None:
    call.fails("/payment/auth", payment_body(price="3"), "5062")
    call.fails("/payment/auth", payment_body(price="4"), "5062")
    declined = payment_body(paymentCard={**payment_body()["paymentCard"], "cardNumber": "4111111111111129"})
    call.fails("/payment/auth", declined, "10051")
    Caller(call.http, secret_key="not-the-secret").fails("/payment/detail", {"paymentId": "1"}, "1000")
    Caller(call.http, api_key="nobody").fails("/payment/detail", {"paymentId": "1"}, "1001")
    report = _report(call.http)
    groups = {group.error_code: group for group in report.refused}
    assert set(groups) == {"5062", "10051", "1000"}  # an unknown API key is nobody's request
    assert (groups["5062"].count, groups["5062"].operations, groups["5062"].bank_decline) == (
        2,
        ("createPayment",),
        False,
    )
    assert (groups["10051"].error_group, groups["10051"].bank_decline) == ("NOT_SUFFICIENT_FUNDS", True)
    assert groups["1000"].operations == ("retrievePayment",)
    refused = report.item("errors.refused")
    assert refused.status == "advice"
    assert "5062" in refused.seen
    assert "sum of basketItems" in refused.next_step
    assert "10051" not in refused.seen  # a test card's decline is an outcome, not a mistake


def test_sample_values_and_missing_ids_are_reported_without_their_values(call: Caller) -> None:
    call.ok("/payment/auth", payment_body())  # iyzico's own sample buyer, addresses and test card
    without_basket = payment_body(conversationId="order-2")
    del without_basket["basketId"]
    call.ok("/payment/auth", without_basket)
    report = _report(call.http)
    samples = report.item("data.samples")
    assert samples.status == "advice"
    assert "buyer.identityNumber (iyzico's sample identity number) 2 times" in samples.seen
    assert "cardNumber" not in samples.seen  # test cards are what the sandbox is for
    assert "74300864791" not in repr(report.to_json())
    identifiers = report.item("data.identifiers")
    assert identifiers.status == "open"
    assert identifiers.seen == "1 of 2 payment requests without a conversationId or basketId"


def test_requests_a_fault_rolled_back_leave_no_trace(call: Caller) -> None:
    call.fails("/payment/auth", payment_body(price="3"), "5062")
    faulted = call.raw("POST", "/payment/auth", json_dumps(payment_body(price="3")), {"X-Sandbox-Fault": "status-503"})
    assert faulted.status_code == 503
    assert [(group.error_code, group.count) for group in _report(call.http).refused] == [("5062", 1)]


def test_each_merchant_has_its_own_report_and_reset_forgets_it() -> None:
    app = create_app({DEFAULT_API_KEY: DEFAULT_SECRET_KEY, _ANOTHER_KEY: _ANOTHER_SECRET})
    try:
        with httpx.Client(transport=InProcessTransport(app), base_url=BASE_URL) as http:
            Caller(http, api_key=_ANOTHER_KEY, secret_key=_ANOTHER_SECRET).ok("/payment/auth", payment_body())
            assert _report(http).item("cards.success").status == "open"  # the first merchant paid nothing
            other = _report(http, merchantId=merchant_number(_ANOTHER_KEY))
            assert (other.merchant_id, other.item("cards.success").status) == (merchant_number(_ANOTHER_KEY), "done")
            assert http.get("/_sandbox/readiness", params={"merchantId": 1}).status_code == 404
            http.post("/_sandbox/reset", json={}).raise_for_status()
            assert _report(http, merchantId=merchant_number(_ANOTHER_KEY)).item("cards.success").status == "open"
    finally:
        app.state.sandbox.close()


def test_the_probe_says_what_is_missing_first() -> None:
    with in_process_sandbox() as sandbox:
        with pytest.raises(ProbeImpossible, match="--webhook-url"):
            sandbox.probe_webhooks()
        refused = sandbox.http.post("/_sandbox/readiness/probe-webhooks", content=b"{}")
        assert refused.status_code == 403  # an admin POST needs a JSON content type (no HTML form can send it)
    with reference_sandbox() as (sandbox, shops):
        shops.append(ReferenceShop(sandbox, STEPS))
        with pytest.raises(ProbeImpossible, match="make a payment first"):
            sandbox.probe_webhooks()
        assert sandbox.readiness().item("webhooks.replay").seen == "not probed yet"


def _cli(*arguments: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "iyzico_ext.sandbox", "readiness", *arguments],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        env={"PATH": "/usr/bin:/bin", "COLUMNS": "160", "NO_COLOR": "1"},
    )


def _cli_after_reference(steps: set[str], *arguments: str) -> subprocess.CompletedProcess[str]:
    """The reference integration with `steps` against a loopback emulator, then the CLI on that emulator."""
    with reference_sandbox(loopback=True) as (sandbox, shops):
        shops.append(ReferenceShop(sandbox, steps))
        shops[-1].run(probe=False)  # the CLI probes the webhook endpoint itself
        return _cli("--url", sandbox.base_url, "--probe-webhooks", *arguments)


def test_the_cli_gates_on_open_items_and_writes_markdown(tmp_path: Path) -> None:
    markdown = tmp_path / "readiness.md"
    gaps = _cli_after_reference(set(STEPS) - ISSUE_GAPS, "--markdown", str(markdown))
    green = _cli_after_reference(set(STEPS))
    assert gaps.returncode == 1, gaps.stderr
    assert f"Not ready: {len(ISSUE_GAPS)} required items open" in gaps.stdout
    assert "Forged notifications refused with 4xx" in gaps.stdout
    written = markdown.read_text(encoding="utf-8")
    assert written.startswith(f"# iyzico go-live readiness: sandbox merchant {merchant_number(DEFAULT_API_KEY)}")
    assert "| open | Every 3-D Secure payment completed by the auth call |" in written
    assert green.returncode == 0, green.stdout + green.stderr
    assert "Ready: every required item is done" in green.stdout


def test_the_cli_without_a_report_exits_2() -> None:
    unreachable = _cli("--url", "http://127.0.0.1:9")
    assert unreachable.returncode == 2
    assert unreachable.stderr.startswith("iyzico-sandbox readiness: cannot reach http://127.0.0.1:9")


def test_the_page_escapes_what_it_shows(call: Caller) -> None:
    call.ok("/payment/auth", real_order("5528790000000008"))
    page = call.http.get("/_sandbox/readiness.html")
    assert page.status_code == 200
    assert "Not ready:" in page.text
    assert 'class="status open"' in page.text
    assert "Geliştirmeler tamamlandıktan sonra" in page.text  # the seed's own words, per section
    assert "<script" not in page.text
