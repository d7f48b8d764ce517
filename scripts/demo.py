#!/usr/bin/env python3
"""The README's main command: a real iyzico payment scenario through `IyzicoClient` and the generated functions.

    python3 scripts/demo.py                          # against the emulator, started in-process
    IYZIPAY_API_KEY=... IYZIPAY_SECRET_KEY=... python3 scripts/demo.py --base-url https://sandbox-api.iyzipay.com

It walks the spec's own marketplace example (`createPayment` example `marketplaceNon3ds`) from payment to
refund, a 3-D Secure payment, a hosted checkout form, BIN and installment lookups and a declined test card,
printing one line per step. Response signatures and request/response echoes are checked by the client on
every call (a failure would raise). Against a remote endpoint no browser can be driven, so the steps that
need the emulator's bank page or hosted page say they are skipped. Exit status 1 when any step fails.
"""

from __future__ import annotations

import _bootstrap

_bootstrap.ensure_venv()

import argparse
import collections
import contextlib
import copy
import datetime
import importlib.resources
import os
import sys
import typing
import uuid
from collections.abc import Callable, Iterator
from decimal import Decimal

import httpx

from iyzico_client.api.bin_installment import check_bin, retrieve_installment_info
from iyzico_client.api.cancel_refund import refund_payment_item
from iyzico_client.api.checkout_form import initialize_checkout_form, retrieve_checkout_form
from iyzico_client.api.marketplace import approve_payment_item, create_sub_merchant
from iyzico_client.api.payment import create_payment, retrieve_payment
from iyzico_client.api.threeds import create_threeds_payment, initialize_threeds
from iyzico_client.models import (
    ApprovePaymentItemRequest,
    CheckBinRequest,
    CreatePaymentRequest,
    CreateSubMerchantRequest,
    CreateThreedsPaymentRequest,
    InitializeCheckoutFormRequest,
    InitializeThreedsRequest,
    RefundPaymentItemRequest,
    RetrieveCheckoutFormRequest,
    RetrieveInstallmentInfoRequest,
    RetrievePaymentRequest,
    SubMerchantType,
)
from iyzico_client.types import Unset, json_loads
from iyzico_ext import CardDeclinedError, IyzicoClient, verify_threeds_callback
from iyzico_ext.sandbox import DEFAULT_SECRET_KEY
from iyzico_ext.sandbox.browser import HOSTED_PAGE_TEST_CARD, complete_threeds, pay_hosted_page
from iyzico_ext.sandbox.embedded import in_process_sandbox

T = typing.TypeVar("T")
JSONObject = dict[str, typing.Any]

DECLINED_CARD = "4111111111111129"  # iyzico test card: "not sufficient funds", errorCode 10051
BIN = "552608"  # the seed card's BIN (Akbank MasterCard credit)
REFUND = Decimal("20.00")
CALLBACK_URL = "https://merchant.example/iyzico/callback"
NEXT_YEAR = str(datetime.date.today().year + 1)


class Skipped(Exception):
    """A step that cannot run against this endpoint (not a failure)."""


def present(value: T | Unset | None, name: str) -> T:
    """A response field the scenario relies on; a missing one fails the step with its name."""
    if value is None or isinstance(value, Unset):
        raise AssertionError(f"the response has no {name}")
    return value


def seed_request() -> JSONObject:
    """The spec's `marketplaceNon3ds` example of `createPayment`, amounts as Decimal."""
    spec = json_loads(importlib.resources.files("iyzico_client").joinpath("openapi.json").read_bytes())
    for path_item in spec["paths"].values():
        operation = path_item.get("post", {})
        if operation.get("operationId") == "createPayment":
            example: JSONObject = operation["requestBody"]["content"]["application/json"]["examples"]
            return copy.deepcopy(example["marketplaceNon3ds"]["value"])
    raise LookupError("the spec has no createPayment operation")


class Scenario:
    """The steps, in order, sharing what earlier steps produced (ids, keys)."""

    def __init__(self, client: IyzicoClient, secret_key: str, browser: httpx.Client | None) -> None:
        self.client = client
        self.secret_key = secret_key
        self.browser = browser  # None against a remote endpoint: no emulator pages to drive
        self.run_id = uuid.uuid4().hex[:8]  # unique ids, so the demo can run repeatedly on a real sandbox
        self.seed = seed_request()
        self.sub_merchant_key = ""
        self.payment_id = ""
        self.transaction_id = ""

    def request(self, name: str, *, marketplace: bool = True) -> JSONObject:
        """The seed request with a fresh conversationId and a card that has not expired."""
        body = copy.deepcopy(self.seed)
        body["conversationId"] = f"demo-{self.run_id}-{name}"
        body["paymentCard"]["expireYear"] = NEXT_YEAR
        for item in body["basketItems"]:
            if marketplace:
                item["subMerchantKey"] = self.sub_merchant_key
            else:
                for field in ("subMerchantKey", "subMerchantPrice"):
                    item.pop(field, None)
        return body

    def needs_browser(self, what: str) -> httpx.Client:
        if self.browser is None:
            raise Skipped(f"{what} needs a browser on the emulator's pages: skipped against a remote endpoint")
        return self.browser

    def sub_merchant(self) -> str:
        request = CreateSubMerchantRequest(
            sub_merchant_type=SubMerchantType.PERSONAL,
            sub_merchant_external_id=f"demo-shop-{self.run_id}",
            name="Demo Shop",
            email="shop@merchant.example",
            address="Nidakule Göztepe, Merdivenköy Mah. Bora Sok. No:1",
            iban="TR180006200119000006672315",
            contact_name="Ada",
            contact_surname="Lovelace",
            identity_number="74300864791",
            conversation_id=f"demo-{self.run_id}-shop",
        )
        created = present(create_sub_merchant.sync(client=self.client, body=request), "body")
        self.sub_merchant_key = present(created.sub_merchant_key, "subMerchantKey")
        return f"subMerchantKey {self.sub_merchant_key[:8]}..."

    def marketplace_payment(self) -> str:
        request = CreatePaymentRequest.from_dict(self.request("marketplace"))
        payment = present(create_payment.sync(client=self.client, body=request), "body")
        present(payment.signature, "signature")  # the client verified it, and the echoed fields, or raised
        self.payment_id = present(payment.payment_id, "paymentId")
        item = present(payment.item_transactions, "itemTransactions")[0]
        self.transaction_id = present(item.payment_transaction_id, "paymentTransactionId")
        return (
            f"paymentId {self.payment_id}, paid {payment.paid_price} {payment.currency}; iyzico "
            f"{item.iyzi_commission_rate_amount} + {item.iyzi_commission_fee}, sub-merchant "
            f"{item.sub_merchant_payout_amount}, merchant {item.merchant_payout_amount}; signature and echo verified"
        )

    def retrieve(self) -> str:
        request = RetrievePaymentRequest(payment_conversation_id=f"demo-{self.run_id}-marketplace")
        payment = present(retrieve_payment.sync(client=self.client, body=request), "body")
        if payment.payment_id != present(self.payment_id or None, "payment from the marketplace step"):
            raise AssertionError(f"retrieved paymentId {payment.payment_id}, expected {self.payment_id}")
        return f"paymentId {payment.payment_id} by conversationId, paid {payment.paid_price} {payment.currency}"

    def approve_item(self) -> str:
        transaction_id = present(self.transaction_id or None, "item from the marketplace step")
        request = ApprovePaymentItemRequest(payment_transaction_id=transaction_id)
        approved = present(approve_payment_item.sync(client=self.client, body=request), "body")
        return f"paymentTransactionId {approved.payment_transaction_id} approved for payout"

    def partial_refund(self) -> str:
        transaction_id = present(self.transaction_id or None, "item from the marketplace step")
        request = RefundPaymentItemRequest(
            payment_transaction_id=transaction_id, price=REFUND, conversation_id=f"demo-{self.run_id}-refund"
        )
        refund = present(refund_payment_item.sync(client=self.client, body=request), "body")
        return f"refunded {refund.price} {refund.currency} of item {transaction_id} (payment {refund.payment_id})"

    def threeds_payment(self) -> str:
        body = {**self.request("threeds"), "callbackUrl": CALLBACK_URL}
        started = present(
            initialize_threeds.sync(client=self.client, body=InitializeThreedsRequest.from_dict(body)), "body"
        )
        html = present(started.three_ds_html_content, "threeDSHtmlContent")
        browser = self.needs_browser(f"initialized (paymentId {started.payment_id}); the bank page")
        callback = verify_threeds_callback(complete_threeds(browser, html).fields, self.secret_key)
        request = CreateThreedsPaymentRequest(
            payment_id=callback.payment_id,
            conversation_id=body["conversationId"],
            conversation_data=callback.conversation_data,
        )
        payment = present(create_threeds_payment.sync(client=self.client, body=request), "body")
        return (
            f"callback signature verified (mdStatus {callback.md_status}); "
            f"paymentId {payment.payment_id} paid {payment.paid_price} {payment.currency}"
        )

    def checkout_form(self) -> str:
        body = {**self.request("checkout"), "callbackUrl": CALLBACK_URL}
        for field in ("paymentCard", "installment", "paymentChannel"):  # the buyer picks these on the page
            body.pop(field)
        request = InitializeCheckoutFormRequest.from_dict(body)
        started = present(initialize_checkout_form.sync(client=self.client, body=request), "body")
        token = present(started.token, "token")
        browser = self.needs_browser(f"initialized (token {token[:8]}...); the hosted page")
        pay_hosted_page(browser, present(started.payment_page_url, "paymentPageUrl"), HOSTED_PAGE_TEST_CARD)
        retrieve = RetrieveCheckoutFormRequest(token=token, conversation_id=body["conversationId"])
        result = present(retrieve_checkout_form.sync(client=self.client, body=retrieve), "body")
        if result.payment_status != "SUCCESS":
            raise AssertionError(f"paymentStatus {result.payment_status}")
        return (
            f"paid on the hosted page; paymentId {result.payment_id} {result.payment_status}, "
            f"paid {result.paid_price} {result.currency}"
        )

    def bin_lookup(self) -> str:
        found = present(check_bin.sync(client=self.client, body=CheckBinRequest(bin_number=BIN)), "body")
        return f"{BIN}: {found.bank_name}, {found.card_association} {found.card_type} ({found.card_family})"

    def installments(self) -> str:
        price = Decimal(self.seed["price"])
        request = RetrieveInstallmentInfoRequest(price=price, bin_number=BIN)
        info = present(retrieve_installment_info.sync(client=self.client, body=request), "body")
        options = present(present(info.installment_details, "installmentDetails")[0].installment_prices, "prices")
        totals = ", ".join(f"{option.installment_number}x {option.total_price}" for option in options)
        return f"{len(options)} options for {price}: {totals}"

    def declined_card(self) -> str:
        body = self.request("declined")
        body["paymentCard"]["cardNumber"] = DECLINED_CARD
        try:
            create_payment.sync(client=self.client, body=CreatePaymentRequest.from_dict(body))
        except CardDeclinedError as declined:
            if declined.error_code != "10051":
                raise
            return f"CardDeclinedError {declined.error_code} ({declined.error_group}): {declined.error_message}"
        raise AssertionError(f"the declined test card {DECLINED_CARD[:6]}...{DECLINED_CARD[-4:]} was charged")


STEPS: tuple[tuple[str, Callable[[Scenario], str]], ...] = (
    ("create sub-merchant", Scenario.sub_merchant),
    ("marketplace Non-3DS payment", Scenario.marketplace_payment),
    ("retrieve payment", Scenario.retrieve),
    ("approve item", Scenario.approve_item),
    ("partial refund", Scenario.partial_refund),
    ("3-D Secure payment", Scenario.threeds_payment),
    ("checkout form", Scenario.checkout_form),
    ("BIN lookup", Scenario.bin_lookup),
    ("installments", Scenario.installments),
    ("declined test card", Scenario.declined_card),
)


def run(scenario: Scenario) -> collections.Counter[str]:
    """Run every step (a failed step does not stop the later ones); returns how many ended ok, skip, FAIL."""
    outcomes: collections.Counter[str] = collections.Counter()
    for title, step in STEPS:
        try:
            outcome, detail = "ok", step(scenario)
        except Skipped as skipped:
            outcome, detail = "skip", str(skipped)
        except Exception as error:  # any failure is reported on its line; the exit status says it
            outcome, detail = "FAIL", f"{type(error).__name__}: {error}"
        outcomes[outcome] += 1
        print(f"{outcome:<5} {title:<28} {detail}", flush=True)
    return outcomes


@contextlib.contextmanager
def scenario_for(base_url: str | None) -> Iterator[tuple[Scenario, str]]:
    """The scenario against the in-process emulator, or against `base_url` with the IYZIPAY_* credentials."""
    if base_url is None:
        with in_process_sandbox() as sandbox:
            yield Scenario(sandbox.client, DEFAULT_SECRET_KEY, sandbox.http), "the in-process emulator"
        return
    api_key, secret_key = os.environ.get("IYZIPAY_API_KEY", ""), os.environ.get("IYZIPAY_SECRET_KEY", "")
    if not (api_key.strip() and secret_key.strip()):
        sys.exit("--base-url needs IYZIPAY_API_KEY and IYZIPAY_SECRET_KEY in the environment")
    with IyzicoClient(api_key, secret_key, base_url) as client:
        yield Scenario(client, secret_key, browser=None), base_url


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--base-url", help="run against this iyzico endpoint (IYZIPAY_* keys) instead of the emulator")
    options = parser.parse_args()
    with scenario_for(options.base_url) as (scenario, target):
        print(f"iyzico demo against {target}", flush=True)
        outcomes = run(scenario)
    print(f"{outcomes['ok']} ok, {outcomes['skip']} skipped, {outcomes['FAIL']} failed")
    return 1 if outcomes["FAIL"] else 0


if __name__ == "__main__":
    sys.exit(main())
