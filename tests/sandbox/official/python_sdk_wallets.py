"""The official iyzipay Python SDK, unmodified, on the basic payments, BKM Express, Pecco and loyalty calls
(run by tests/sandbox/test_official_sdks_wallets.py).

stdin: {"base_url", "api_key", "secret_key", "requests": {name: the spec's example}}; stdout: one JSON array
of step outcomes. Trust in the emulator's certificate comes from SSL_CERT_FILE only.
"""

from __future__ import annotations

import json
import sys
import typing

import iyzipay
from iyzipay.iyzipay_resource import IyzipayResource


def _read(response: typing.Any) -> dict[str, typing.Any]:
    body: dict[str, typing.Any] = json.loads(response.read().decode("utf-8"))
    response.close()
    return body


def main() -> None:
    given = json.load(sys.stdin)
    options = {"api_key": given["api_key"], "secret_key": given["secret_key"], "base_url": given["base_url"]}
    requests = given["requests"]
    steps: list[dict[str, typing.Any]] = []

    def record(step: str, body: dict[str, typing.Any], signed_over: list[str] | None = None) -> dict[str, typing.Any]:
        signed = None
        if signed_over is not None:  # the package's own helper, as its samples use it
            values = [str(body.get(field, "")) for field in signed_over]
            signed = IyzipayResource.calculate_hmac_sha256_signature(values, given["secret_key"]) == body.get(
                "signature"
            )
        steps.append({"step": step, "status": body["status"], "errorCode": body.get("errorCode"), "signed": signed})
        return body

    pre_auth = record("basicPreAuth", _read(iyzipay.BasicPaymentPreAuth().create(requests["basic"], options)))
    capture = {"locale": "tr", "paymentId": pre_auth["paymentId"], "paidPrice": requests["basic"]["paidPrice"]}
    record("basicPostAuth", _read(iyzipay.BasicPaymentPostAuth().create(capture, options)))
    record("basicPayment", _read(iyzipay.BasicPayment().create(requests["basic"], options)))
    # iyzipay-python posts this one to /payment/iyziconnect/initialize3ds/preauth.
    record(
        "basicThreedsPreAuth", _read(iyzipay.BasicThreedsInitializePreAuth().create(requests["basicThreeds"], options))
    )
    record("loyalty", _read(iyzipay.RetrieveLoyalty().retrieve(requests["loyalty"], options)))
    bkm = record(
        "bkmInitialize", _read(iyzipay.BkmInitialize().create(requests["bkm"], options)), ["token", "conversationId"]
    )
    record("basicBkmInitialize", _read(iyzipay.BasicBkmInitialize().create(requests["basicBkm"], options)))
    pending = _read(iyzipay.Bkm().retrieve({"locale": "tr", "token": bkm["token"]}, options))
    not_paid_yet = pending.get("errorCode") == "5023"  # the buyer has not been to BKM Express
    steps.append(
        {"step": "bkmNotPaidYet", "status": "success" if not_paid_yet else "failure", "errorCode": None, "signed": None}
    )
    record("peccoInitialize", _read(iyzipay.PeccoInitialize().create(requests["pecco"], options)))
    json.dump(steps, sys.stdout)


if __name__ == "__main__":
    main()
