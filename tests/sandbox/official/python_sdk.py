"""The official iyzipay Python SDK, unmodified, against the emulator (run by tests/sandbox/test_official_sdks.py).

stdin: {"base_url", "api_key", "secret_key", "payment", "threeds", "subscriptionProduct", "subscriptionPlan",
"subscription"}; stdout: one JSON array of step outcomes.
Trust in the emulator's certificate comes from SSL_CERT_FILE only: nothing here touches http.client or ssl.
"""

from __future__ import annotations

import json
import sys
import typing

import iyzipay
from iyzipay.iyzipay_resource import IyzipayResource

PAYMENT_FIELDS = ("paymentId", "currency", "basketId", "conversationId", "paidPrice", "price")


def _read(response: typing.Any) -> dict[str, typing.Any]:
    body: dict[str, typing.Any] = json.loads(response.read().decode("utf-8"))
    response.close()
    return body


def _signed_by(body: dict[str, typing.Any], fields: tuple[str, ...], secret_key: str) -> bool:
    # The package's own helper over text values; amounts through its `strip_zero`, as its samples do.
    values = [IyzipayResource.strip_zero(str(body[f])) if isinstance(body[f], float) else str(body[f]) for f in fields]
    return bool(IyzipayResource.calculate_hmac_sha256_signature(values, secret_key) == body.get("signature"))


def main() -> None:
    given = json.load(sys.stdin)
    options = {"api_key": given["api_key"], "secret_key": given["secret_key"], "base_url": given["base_url"]}
    steps: list[dict[str, typing.Any]] = []

    def record(step: str, body: dict[str, typing.Any], fields: tuple[str, ...] | None = None) -> dict[str, typing.Any]:
        signed = None if fields is None else _signed_by(body, fields, given["secret_key"])
        steps.append({"step": step, "status": body["status"], "errorCode": body.get("errorCode"), "signed": signed})
        return body

    payment = record("payment", _read(iyzipay.Payment().create(given["payment"], options)), PAYMENT_FIELDS)
    conversation = given["payment"]["conversationId"]
    retrieve = {"locale": "tr", "conversationId": conversation, "paymentId": payment["paymentId"]}
    record("retrieve", _read(iyzipay.Payment().retrieve(retrieve, options)), PAYMENT_FIELDS)
    item = payment["itemTransactions"][0]["paymentTransactionId"]
    refund = {"locale": "tr", "paymentTransactionId": item, "price": "0.1", "currency": "TRY", "ip": "85.34.78.112"}
    record("refund", _read(iyzipay.Refund().create(refund, options)))
    refund_v2 = {"locale": "tr", "paymentId": payment["paymentId"], "price": "0.2", "ip": "85.34.78.112"}
    record("refundV2", _read(iyzipay.Payment().refund(refund_v2, options)))
    threeds = _read(iyzipay.ThreedsInitialize().create(given["threeds"], options))
    record("threedsInitialize", threeds, ("paymentId", "conversationId"))
    record("binNumber", _read(iyzipay.BinNumber().retrieve({"locale": "tr", "binNumber": "554960"}, options)))
    record("apiTest", _read(iyzipay.ApiTest().retrieve(options)))
    product = record(
        "subscriptionProduct", _read(iyzipay.SubscriptionProduct().create(given["subscriptionProduct"], options))
    )
    plan_request = {**given["subscriptionPlan"], "product_reference_code": product["data"]["referenceCode"]}
    plan = record("subscriptionPlan", _read(iyzipay.SubscriptionPricingPlan().create(plan_request, options)))
    subscription_request = {**given["subscription"], "pricingPlanReferenceCode": plan["data"]["referenceCode"]}
    started = record("subscription", _read(iyzipay.Subscription().initialize(subscription_request, options)))
    reference = {"subscriptionReferenceCode": started["data"]["referenceCode"]}
    found = record("subscriptionFind", _read(iyzipay.Subscription().list(reference, options)))
    assert [item["referenceCode"] for item in found["data"]["items"]] == [reference["subscriptionReferenceCode"]]
    record("subscriptionCancel", _read(iyzipay.Subscription().cancel(reference, options)))
    json.dump(steps, sys.stdout)


if __name__ == "__main__":
    main()
