"""What the readiness report needs to remember of each API request, recorded as the emulator answers it.

One call per answered request (`record_answer`, from `_api._answer`), cheap by design: one small document
per merchant and operation (kind `readiness`: calls that succeeded, failures by errorCode, sample values
seen by field, payment requests without the ids a merchant compares answers with), updated in place, plus
one document per 3-D Secure or hosted-page flow the merchant started (kind `readiness-flow`: its paymentId
or token, and for a hosted page whether the merchant retrieved it). What became of a flow (the bank's
answer, the auth call, the page's charge) is in the emulator's own `threeds` and `checkout` documents.

A request is attributed to the merchant it authenticated as; a request with a known API key but a bad
signature (1000) to the merchant it claims to be, since a broken signature is worth reporting; a request
with an unknown key to nobody. Requests whose effects an injected fault rolled back are not recorded.
"""

from __future__ import annotations

import re
import typing
from collections.abc import Mapping

from .._operations import Operation
from .._sample_values import TEST_CARD_KIND, find_sample_values
from .._signing import parse_authorization_header
from ._state import Sandbox
from ._store import Document, Store

__all__ = ["FLOW_KIND", "OPERATION_KIND", "flow_documents", "operation_documents", "record_answer"]

OPERATION_KIND = "readiness"
FLOW_KIND = "readiness-flow"
# Requests that start a payment: their answers are what a merchant compares with its order (the seed:
# price, paidPrice, basketId, conversationId), so they must carry the order's conversationId and basketId.
IDENTIFIED_OPERATIONS = frozenset(
    {
        "createPayment",
        "createPreAuthPayment",
        "initializeThreeds",
        "initializeThreedsPreAuth",
        "initializeCheckoutForm",
        "initializeCheckoutFormPreAuth",
        "initializePayWithIyzico",
    }
)
_IDENTIFIERS = ("conversationId", "basketId")
# The operations that start a flow, the flow, and the answer member naming it.
_FLOW_STARTS = {
    "initializeThreeds": ("threeds", "paymentId"),
    "initializeThreedsPreAuth": ("threeds", "paymentId"),
    "initializeCheckoutForm": ("checkout", "token"),
    "initializeCheckoutFormPreAuth": ("checkout", "token"),
    "initializePayWithIyzico": ("checkout", "token"),
}
_CHECKOUT_RETRIEVE = "retrieveCheckoutForm"
_INDEX = re.compile(r"\[\d+\]")


def _caller(sandbox: Sandbox, merchant: str | None, authorization: str | None) -> str | None:
    if merchant is not None:
        return merchant
    claimed = parse_authorization_header(authorization or "")
    return claimed.api_key if claimed is not None and claimed.api_key in sandbox.credentials else None


def _document_key(merchant: str, name: str) -> str:
    return f"{merchant}/{name}"


def _record_flow(
    store: Store, merchant: str, operation_id: str, request: Mapping[str, typing.Any], answer: Mapping[str, typing.Any]
) -> None:
    """Remember a flow this successful answer started, or that this retrieve completed."""
    if operation_id in _FLOW_STARTS:
        flow, member = _FLOW_STARTS[operation_id]
        flow_id = str(answer.get(member))
        store.put(
            FLOW_KIND, _document_key(merchant, flow_id), merchant, {"flow": flow, "id": flow_id, "retrieved": False}
        )
    elif operation_id == _CHECKOUT_RETRIEVE and isinstance(request.get("token"), str):
        key = _document_key(merchant, request["token"])
        started = store.get(FLOW_KIND, key, merchant)
        if started is not None:
            store.put(FLOW_KIND, key, merchant, {**started, "retrieved": True})


def record_answer(
    sandbox: Sandbox,
    operation: Operation,
    authorization: str | None,
    merchant: str | None,
    body: object,
    answer: Mapping[str, typing.Any],
) -> None:
    """Count this answered request in the merchant's readiness documents."""
    caller = _caller(sandbox, merchant, authorization)
    if caller is None:
        return
    request = body if isinstance(body, dict) else {}
    key = _document_key(caller, operation.operation_id)
    store = sandbox.store
    with store.transaction():
        document = store.get(OPERATION_KIND, key, caller) or {
            "operation": operation.operation_id,
            "succeeded": 0,
            "failures": {},
            "samples": {},
            "withoutIdentifiers": 0,
        }
        if answer.get("status") == "failure":
            code = str(answer.get("errorCode"))
            document["failures"][code] = document["failures"].get(code, 0) + 1
        else:
            document["succeeded"] += 1
            _record_flow(store, caller, operation.operation_id, request, answer)
        for finding in find_sample_values(request):
            if finding.kind != TEST_CARD_KIND:  # test cards are what a sandbox is for: counted as outcomes
                seen = f"{_INDEX.sub('[]', finding.field)}|{finding.kind}"
                document["samples"][seen] = document["samples"].get(seen, 0) + 1
        if operation.operation_id in IDENTIFIED_OPERATIONS and not all(request.get(name) for name in _IDENTIFIERS):
            document["withoutIdentifiers"] += 1
        store.put(OPERATION_KIND, key, caller, document)


def operation_documents(store: Store, merchant: str) -> list[Document]:
    """The merchant's per-operation readiness documents."""
    return [document for owner, document in store.all(OPERATION_KIND) if owner == merchant]


def flow_documents(store: Store, merchant: str) -> list[Document]:
    """The 3-D Secure and hosted-page flows the merchant started, oldest first: `{flow, id, retrieved}`."""
    return [document for owner, document in store.all(FLOW_KIND) if owner == merchant]
