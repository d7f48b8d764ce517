"""Issue 12, item 10: the emulator is safe to run on a developer's machine. Each test attacks one defence."""

from __future__ import annotations

import sqlite3
import typing
from pathlib import Path

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from iyzico_client.types import json_dumps
from iyzico_ext._operations import operations
from iyzico_ext.sandbox import create_app
from iyzico_ext.sandbox._intake import MAX_BODY_BYTES, MAX_JSON_DEPTH
from iyzico_ext.sandbox.browser import complete_threeds
from iyzico_ext.sandbox.embedded import in_process_sandbox
from iyzico_ext.sandbox.transport import InProcessTransport
from iyzico_ext.testing.strategies import generated_function
from tests.sandbox._example_walk import Walk, closure, example_request

from .conftest import BASE_URL, NEXT_YEAR, Caller, checkout_body, ledger, payment_body, with_card

CHECKOUT_INIT = "/payment/iyzipos/checkoutform/initialize/auth/ecom"
THREEDS_INIT = "/payment/3dsecure/initialize"


@pytest.mark.parametrize(
    "url",
    [
        "javascript:alert(document.domain)",
        "JAVASCRIPT:alert(1)",
        "data:text/html,<script>alert(1)</script>",
        "vbscript:msgbox(1)",
        "file:///etc/passwd",
        "//shop.example/no-scheme",
        "https://",
    ],
)
@pytest.mark.parametrize("path", [CHECKOUT_INIT, THREEDS_INIT, "/payment/pay-with-iyzico/initialize"])
def test_callback_urls_that_are_not_http_are_refused(call: Caller, path: str, url: str) -> None:
    body = payment_body(callbackUrl=url) if path == THREEDS_INIT else checkout_body(callbackUrl=url)
    call.fails(path, body, "11")


def test_hosted_pages_need_https_except_on_loopback(call: Caller) -> None:
    call.fails(CHECKOUT_INIT, checkout_body(callbackUrl="http://shop.example/cf"), "11")
    call.ok(CHECKOUT_INIT, checkout_body(callbackUrl="http://127.0.0.1:8000/cf"))
    call.ok(CHECKOUT_INIT, checkout_body(callbackUrl="http://localhost/cf"))
    call.ok(THREEDS_INIT, payment_body(callbackUrl="http://shop.example/3ds"))  # 3-D Secure: any http(s)


def test_a_stored_unsafe_callback_never_reaches_the_browser(call: Caller, app: typing.Any) -> None:
    """Defence in depth: a document written by an older emulator still cannot post the page to `javascript:`."""
    started = call.ok(THREEDS_INIT, payment_body(callbackUrl="https://shop.example/3ds"))
    store = app.state.sandbox.store
    found = store.get_for_any_merchant("threeds", started["paymentId"])
    assert found is not None
    merchant, document = found
    document["request"]["callbackUrl"] = "javascript:alert(1)"
    store.put("threeds", started["paymentId"], merchant, document)
    with pytest.raises(httpx.HTTPStatusError) as refused:
        complete_threeds(call.http, started["threeDSHtmlContent"])
    assert "javascript:" not in refused.value.response.text


def test_admin_refuses_form_posts_and_cross_site_requests(http: httpx.Client) -> None:
    # What an HTML form on any web page can send: a POST with a form body type.
    forged = http.post("/_sandbox/reset", data={"x": "1"})
    assert forged.status_code == 403
    plain = http.post("/_sandbox/faults", content=b'{"fault":"status-500"}', headers={"Content-Type": "text/plain"})
    assert plain.status_code == 403
    assert http.get("/_sandbox/faults").json()["faults"] == []
    marked = http.get("/_sandbox/ledger", headers={"Sec-Fetch-Site": "cross-site"})
    assert marked.status_code == 403
    assert http.post("/_sandbox/reset", json={}).status_code == 200  # the scripted way still works


@pytest.mark.parametrize("host", ["evil.example", "127.0.0.1.evil.example", "169.254.169.254"])
@pytest.mark.parametrize("path", ["/_sandbox/ledger", "/payment/test", "/"])
def test_foreign_host_headers_are_refused(http: httpx.Client, host: str, path: str) -> None:
    """DNS rebinding: a page on evil.example whose name resolves to 127.0.0.1 sends `Host: evil.example`."""
    assert http.get(path, headers={"Host": host}).status_code == 400
    assert http.get(path, headers={"Host": "localhost:8099"}).status_code == 200


def test_named_hosts_are_answered() -> None:
    app = create_app(allowed_hosts=["sandbox.internal"])
    with httpx.Client(transport=InProcessTransport(app), base_url="http://sandbox.internal") as http:
        assert http.get("/payment/test").status_code == 200
    app.state.sandbox.close()


def test_unauthenticated_callers_get_their_answer_without_the_body_being_read(call: Caller) -> None:
    # The body is never read, so its size does not matter: the answer is the credentials' one.
    huge = b"{" + b" " * (MAX_BODY_BYTES * 2) + b"}"
    response = call.http.post("/payment/auth", content=huge, headers={"Content-Type": "application/json"})
    assert (response.status_code, response.json()["errorCode"]) == (200, "1000")
    call.api_key = "unknown-key"
    assert call.raw("POST", "/payment/auth", huge).json()["errorCode"] == "1001"


def test_bodies_over_the_cap_are_refused(call: Caller) -> None:
    too_big = b'{"padding":"' + b"x" * MAX_BODY_BYTES + b'"}'
    assert call.raw("POST", "/payment/auth", too_big).status_code == 413
    assert ledger(call.http) == []


@pytest.mark.parametrize("depth", [MAX_JSON_DEPTH + 1, 1_000, 100_000])
def test_deeply_nested_json_is_invalid_not_a_server_error(call: Caller, depth: int) -> None:
    nested = b'{"basketItems":' + b"[" * depth + b"]" * depth + b"}"
    response = call.raw("POST", "/payment/auth", nested)
    assert response.status_code == 200
    assert response.json()["errorCode"] == "11"


@pytest.mark.parametrize("number", [b"1e999999999", b"1e9999999999999999999", b"9" * 5000, b"-1e-999999999"])
def test_an_amount_out_of_any_range_is_invalid_and_costs_nothing(call: Caller, number: bytes) -> None:
    """A number whose exact value would take gigabytes (or forever) to build is refused as it is read."""
    body = json_dumps(payment_body()).replace(b'"price":1.0,', b'"price":' + number + b",", 1)
    assert number in body
    response = call.raw("POST", "/payment/auth", body)
    assert response.status_code == 200
    assert response.json()["errorCode"] == "11"


@pytest.mark.parametrize(
    "order",
    [
        b'{"fault":"delay","count":1e400}',
        b'{"fault":"delay","count":-1}',
        b'{"fault":"delay","count":1.5}',
        b'{"fault":"delay","count":"2"}',
        b'{"fault":"delay","delay":1e400}',
        b'{"fault":"delay","delay":NaN}',
        b'{"fault":["delay"]}',
        b'{"fault":"delay","operation":{"a":1}}',
        b"[1,2]",
        b"nope",
        b"[" * 100_000,
    ],
)
def test_bad_fault_orders_are_400(http: httpx.Client, order: bytes) -> None:
    response = http.post("/_sandbox/faults", content=order, headers={"Content-Type": "application/json"})
    assert response.status_code == 400, response.text
    assert http.get("/_sandbox/faults").json()["faults"] == []


_FORM_TEXT = st.text(st.characters(codec="utf-8", exclude_categories=["Cs"]), max_size=30)


@settings(max_examples=60, suppress_health_check=[HealthCheck.function_scoped_fixture], deadline=None)
@given(
    form=st.fixed_dictionaries(
        {},
        optional={
            name: _FORM_TEXT
            for name in (
                "installment",
                "cardNumber",
                "expireMonth",
                "expireYear",
                "cvc",
                "cardHolderName",
                "cardToken",
                "registerCard",
                "threeds",
            )
        },
    )
)
def test_hosted_page_never_answers_500(call: Caller, form: dict[str, str]) -> None:
    page_url = call.ok(CHECKOUT_INIT, checkout_body(forceThreeDS=1))["paymentPageUrl"]
    assert call.http.post(page_url, data=form).status_code < 500


# The last one is a fullwidth digit two, which str.isdigit accepts.
@pytest.mark.parametrize("installment", ["abc", "1e400", "-1", "4", "13", " 2", "\uff12"])
def test_hosted_page_refuses_odd_installments(call: Caller, installment: str) -> None:
    page_url = call.ok(CHECKOUT_INIT, checkout_body())["paymentPageUrl"]
    card = {"cardHolderName": "A B", "cardNumber": "5528790000000008", "expireMonth": "12", "expireYear": NEXT_YEAR}
    response = call.http.post(page_url, data={**card, "cvc": "123", "installment": installment})
    assert response.status_code == 400
    assert ledger(call.http) == []


def test_db_file_keeps_no_cvc_and_no_unstored_card_number(tmp_path: Path) -> None:
    database = tmp_path / "sandbox.db"
    app = create_app(db_path=str(database))
    cvc = "739"
    with httpx.Client(transport=InProcessTransport(app), base_url=BASE_URL) as http:
        call = Caller(http)
        call.ok("/payment/auth", with_card(payment_body(), cvc=cvc))
        call.ok(THREEDS_INIT, with_card(payment_body(callbackUrl="https://shop.example/3ds"), cvc=cvc))
        started = call.ok(
            THREEDS_INIT, with_card(payment_body(callbackUrl="https://shop.example/3ds"), cardNumber="4603450000000000")
        )
        complete_threeds(http, started["threeDSHtmlContent"])
        call.ok("/payment/3dsecure/auth", {"paymentId": started["paymentId"]})
        stored = with_card(payment_body(callbackUrl="https://shop.example/3ds"), cardNumber="5400360000000003")
        stored["paymentCard"]["registerCard"] = 1
        call.ok("/payment/auth", stored)  # iyzico's vault keeps this card's number: so does the emulator
    app.state.sandbox.close()
    with sqlite3.connect(database) as connection:
        dump = "\n".join(connection.iterdump())
    assert '"cvc"' not in dump
    assert f'"{cvc}"' not in dump  # as a value of its own (three digits also occur inside random ids)
    for unstored in ("5528790000000008", "4603450000000000"):
        assert unstored not in dump
    with sqlite3.connect(database) as connection:
        holders = connection.execute("SELECT kind FROM documents WHERE body LIKE '%5400360000000003%'").fetchall()
    assert holders == [("carduser",)]  # stored on purpose, in the card vault only


# Every operation whose request carries a `callbackUrl` the buyer's browser is later sent to, whatever its family.
_CALLBACK_OPERATIONS = sorted(
    name
    for name, operation in operations().items()
    if operation.method == "POST" and "callbackUrl" in example_request(name).get("body", {})
)


@pytest.mark.parametrize("operation_id", _CALLBACK_OPERATIONS)
def test_no_family_accepts_a_script_callback_url(operation_id: str) -> None:
    """The operation's example, after the examples it builds on (so only the URL is wrong), with a script URL."""
    with in_process_sandbox() as sandbox:
        walk = Walk(sandbox)
        for step in closure(operation_id)[:-1]:
            walk.learn(step, generated_function(step)(client=sandbox.client, **walk.arguments(step)).to_dict())
        body = walk.arguments(operation_id)["body"].to_dict()
        answer = Caller(sandbox.http)(operations()[operation_id].path, {**body, "callbackUrl": "javascript:alert(1)"})
    assert (answer["status"], answer.get("errorCode")) == ("failure", "11"), answer
