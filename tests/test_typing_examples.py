"""The typing examples (tests/typing_examples/): natural user code that type-checks strictly with no suppression,
and that works: every flow runs against the emulator.

scripts/check.py runs `mypy --strict` (over tests/) and `pyright --strict` (pyproject.toml's [tool.pyright]) over
the examples; here: they hold no `assert`, `cast`, `isinstance` or type-checker suppression, and they run.
"""

from __future__ import annotations

import asyncio
import io
import re
import tokenize
from decimal import Decimal
from pathlib import Path

import pytest

from iyzico_ext.sandbox.browser import HOSTED_PAGE_TEST_CARD, complete_threeds, pay_hosted_page
from iyzico_ext.sandbox.embedded import SandboxHandle
from tests.typing_examples import flows

EXAMPLES = Path(__file__).parent / "typing_examples"
CALLBACK = "https://shop.example/iyzico/callback"
# Natural code needs none of these to type-check: no narrowing by hand, no suppressed finding.
_NARROWING = {"assert", "cast", "isinstance"}
_SUPPRESSION = re.compile(r"type:\s*ignore|pyright:|noqa")


@pytest.mark.parametrize("example", sorted(EXAMPLES.glob("*.py")), ids=lambda path: path.name)
def test_the_examples_need_no_assert_cast_isinstance_or_suppression(example: Path) -> None:
    tokens = list(tokenize.generate_tokens(io.StringIO(example.read_text(encoding="utf-8")).readline))
    narrowing = [token.line for token in tokens if token.type == tokenize.NAME and token.string in _NARROWING]
    suppressed = [
        token.line for token in tokens if token.type == tokenize.COMMENT and _SUPPRESSION.search(token.string)
    ]
    assert narrowing == []
    assert suppressed == []


def test_a_payment_refund_and_retrieve(iyzico_sandbox: SandboxHandle) -> None:
    client = iyzico_sandbox.client
    paid = flows.pay(client, "order-typed-1", flows.card())
    assert paid.ship
    assert len(paid.item_transaction_ids) == 2
    assert flows.refund_first_item(client, paid.item_transaction_ids[0], Decimal("10.00")) == Decimal("10.00")
    assert flows.paid_amount(client, paid.payment_id) == Decimal("49.90")
    assert flows.refunded_so_far(client, "order-typed-1") == Decimal("10.00")


def test_error_handling_tells_a_decline_from_a_payment(iyzico_sandbox: SandboxHandle) -> None:
    client = iyzico_sandbox.client
    assert flows.pay_or_explain(client, "order-typed-2", flows.card("4111111111111129")) == (
        "declined: 10051 NOT_SUFFICIENT_FUNDS"
    )
    assert flows.pay_or_explain(client, "order-typed-3", flows.card()).startswith("paid: ")
    iyzico_sandbox.arm_fault("createPayment", "drop-after-commit")
    assert flows.pay_or_explain(client, "order-typed-4", flows.card()).startswith("charged after all: ")


def test_a_cancel(iyzico_sandbox: SandboxHandle) -> None:
    paid = flows.pay(iyzico_sandbox.client, "order-typed-5", flows.card())
    assert flows.cancel(iyzico_sandbox.client, paid.payment_id) == paid.payment_id


def test_a_marketplace_payment(iyzico_sandbox: SandboxHandle) -> None:
    payment_id, approved = flows.marketplace_payment(
        iyzico_sandbox.client, "order-typed-6", "TR330006100519786457841326"
    )
    assert payment_id
    assert approved


def test_three_d_secure(iyzico_sandbox: SandboxHandle) -> None:
    html = flows.start_threeds(iyzico_sandbox.client, "order-typed-7", CALLBACK)
    callback = complete_threeds(iyzico_sandbox.http, html)
    assert flows.finish_threeds(iyzico_sandbox.client, callback.fields, iyzico_sandbox.secret_key) == Decimal("49.90")


def test_the_checkout_form(iyzico_sandbox: SandboxHandle) -> None:
    page = flows.start_checkout(iyzico_sandbox.client, "order-typed-8", CALLBACK)
    posted = pay_hosted_page(iyzico_sandbox.http, page, HOSTED_PAGE_TEST_CARD)
    assert flows.checkout_paid(iyzico_sandbox.client, posted.fields["token"], Decimal("49.90"))
    assert flows.checkout_paid(iyzico_sandbox.client, posted.fields["token"], Decimal("1.00")) is None


def test_card_storage(iyzico_sandbox: SandboxHandle) -> None:
    assert flows.store_and_forget_a_card(iyzico_sandbox.client) == ["my card"]


def test_asyncio(iyzico_sandbox: SandboxHandle) -> None:
    assert asyncio.run(flows.pay_async(iyzico_sandbox.client, "order-typed-9"))


def test_an_address_label() -> None:
    assert flows.shipping_label(flows.HOME) == "Jane Doe, Bora Sok. No:1, Istanbul"
