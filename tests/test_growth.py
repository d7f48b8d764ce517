"""Growing the API is a spec edit plus a handler, and safe: a made-up operation added to a copy of the spec.

The family file below (a signed GET with a path parameter, answering in a `data` envelope) is added to a
copy of the spec and regenerated; a script in a fresh interpreter, importing that regenerated client with
this repository's trust layer and emulator, shows that the client verifies it (a forged or missing
signature, or an answer about another payment, is refused) and that the emulator serves it through one
small handler, and refuses to start without one.
"""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from ._checkout import copy_checkout, run_generate

MADE_UP_FAMILY = """\
tags:
  - name: made_up
    description: A made-up family, to show what adding one takes.
paths:
  /v2/made-up/payments/{paymentId}:
    get:
      operationId: retrieveMadeUpPayment
      tags: [made_up]
      summary: Retrieve a payment the made-up way
      description: A signed read with a path parameter, answering in a data envelope.
      x-iyzico-retry: safe
      x-iyzico-envelope: data
      x-iyzico-signature:
        confirmed: true
        recipes:
          - source: made up for this test
            fields: [data.paymentId, data.price, conversationId]
      x-iyzico-echo:
        - {response: data.paymentId, request: path.paymentId}
        - {response: conversationId, request: query.conversationId}
      x-iyzico-returns: {mayOmit: [conversationId]}
      parameters:
        - {name: paymentId, in: path, required: true, schema: {type: string}, example: "25223114"}
        - {name: conversationId, in: query, schema: {type: string}, example: "123456789"}
      responses:
        '200':
          description: The payment.
          content:
            application/json:
              schema:
                $ref: '#/components/schemas/MadeUpPaymentResource'
              example:
                status: success
                conversationId: "123456789"
                data: {paymentId: "25223114", price: 1.5}
                signature: "0"
components:
  schemas:
    MadeUpPaymentResource:
      description: A made-up payment in a data envelope.
      allOf:
        - $ref: '#/components/schemas/BaseResponse'
        - type: object
          properties:
            data:
              $ref: '#/components/schemas/MadeUpPayment'
            signature:
              type: string
    MadeUpPayment:
      type: object
      description: The payload.
      properties:
        paymentId:
          type: string
        price:
          $ref: '#/components/schemas/Amount'
"""

SCRIPT = textwrap.dedent(
    """
    from decimal import Decimal

    import httpx

    from iyzico_client.api.made_up import retrieve_made_up_payment
    from iyzico_client.operation_table import OPERATIONS
    from iyzico_client.types import json_dumps
    from iyzico_ext import IyzicoClient, ResponseMismatchError, SignatureVerificationError
    from iyzico_ext._secret import SecretKey
    from iyzico_ext._signing import response_signature
    from iyzico_ext.sandbox import _api
    from iyzico_ext.sandbox.embedded import in_process_sandbox

    FIELDS = OPERATIONS["retrieveMadeUpPayment"].signature_recipes[0].fields
    SECRET = "made-up-secret"


    def answer(payment_id, *, key=SECRET, signed=True):
        data = {"paymentId": payment_id, "price": Decimal("1.5")}
        body = {"status": "success", "conversationId": "c-1", "data": data}
        if signed:
            body["signature"] = response_signature(SecretKey(key), body, FIELDS)
        return httpx.Response(200, content=json_dumps(body))


    def call(reply):
        transport = httpx.MockTransport(lambda request: reply)
        client = IyzicoClient("sandbox-made-up-key", SECRET, "https://sandbox-api.iyzipay.com", transport=transport)
        return retrieve_made_up_payment.sync("25223114", client=client, conversation_id="c-1")


    for name, reply, expected in [
        ("forged", answer("25223114", key="another-secret"), SignatureVerificationError),
        ("unsigned", answer("25223114", signed=False), SignatureVerificationError),
        ("another payment", answer("99999999"), ResponseMismatchError),
    ]:
        try:
            call(reply)
        except expected:
            print("refused", name)
        else:
            raise SystemExit(f"{name}: passed through")
    print("verified", call(answer("25223114")).data.price)

    try:
        in_process_sandbox().__enter__()
    except RuntimeError as error:
        print("emulator refuses to start:", error)
    def handler(ctx, body):  # the emulator side of the new operation: its payload, enveloped for it
        return {"paymentId": ctx.path_params["paymentId"], "price": Decimal("2.50")}

    _api.HANDLERS["retrieveMadeUpPayment"] = handler
    with in_process_sandbox() as sandbox:
        payment = retrieve_made_up_payment.sync("777", client=sandbox.client, conversation_id="c-2")
        print("emulator", payment.data.payment_id, payment.data.price, payment.conversation_id)
    """
)


@pytest.fixture(scope="module")
def grown(tmp_path_factory: pytest.TempPathFactory) -> Path:
    checkout = copy_checkout(tmp_path_factory.mktemp("grown"))
    (checkout / "spec" / "paths" / "made_up.yaml").write_text(MADE_UP_FAMILY, encoding="utf-8")
    generated = run_generate(checkout)
    assert generated.returncode == 0, generated.stdout + generated.stderr
    return checkout


def test_a_made_up_operation_is_verified_or_refused_never_passed_through(grown: Path) -> None:
    # The regenerated client first on the path; the trust layer and the emulator are this repository's.
    environment = {**os.environ, "PYTHONPATH": str(grown / "generated")}
    result = subprocess.run(
        [sys.executable, "-c", SCRIPT], capture_output=True, text=True, env=environment, check=False
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.splitlines() == [
        "refused forged",
        "refused unsigned",
        "refused another payment",
        "verified 1.5",
        "emulator refuses to start: the emulator has no handler for these operations of the spec: "
        "retrieveMadeUpPayment",
        "emulator 777 2.50 c-2",
    ]


def test_the_grown_spec_is_valid_follows_the_rules_and_matches_its_generated_code(grown: Path) -> None:
    import spec_rules  # scripts/, put on sys.path by the pytest configuration
    from _spec import load_spec
    from openapi_spec_validator import validate

    spec = load_spec(grown / "spec")
    validate(spec)
    assert spec_rules.problems(spec) == []
    result = run_generate(grown, "--check")
    assert result.returncode == 0, result.stdout + result.stderr
