"""What the readiness report is built from: the evidence the emulator holds about one merchant's integration.

`observe(sandbox, merchant)` gathers it: the per-operation counts and the flows started (`_readiness_record`),
what became of each flow (the emulator's own `threeds` and `checkout` documents), the webhook sender's
deliveries for the merchant and the probe's outcome (`_readiness_probe`). The item builders
(`_readiness_payments`, `_readiness_webhooks`, `_readiness`) read only this.
"""

from __future__ import annotations

import collections
import typing
from collections.abc import Iterable

import attrs

from ._readiness_model import ReadinessItem, Status
from ._readiness_probe import merchant_deliveries, probe_document, wait_for_first_answers
from ._readiness_record import flow_documents, operation_documents
from ._state import Sandbox
from ._store import Document
from ._webhooks import Delivery

__all__ = [
    "CANCELS",
    "CHARGES",
    "KEEP",
    "REFUNDS",
    "REVERSALS",
    "THREEDS_STARTS",
    "Flow",
    "Observed",
    "counted",
    "item",
    "observe",
    "times",
]

# Operations that charge a card: their answers are the card's outcome.
CHARGES = frozenset({"createPayment", "createPreAuthPayment", "createThreedsPayment", "createThreedsPaymentV2"})
THREEDS_STARTS = frozenset({"initializeThreeds", "initializeThreedsPreAuth"})
REFUNDS = frozenset({"refundPayment", "refundPaymentItem", "refundChargedFromMerchant"})
CANCELS = frozenset({"cancelPayment"})
# Calls that reverse a payment (the card that cannot be reversed is refused on each).
REVERSALS = REFUNDS | CANCELS | {"createPostAuthPayment"}
KEEP = "keep it in your suite"


@attrs.frozen
class Flow:
    """A 3-D Secure or hosted-page flow the merchant started, and what the emulator holds about it now."""

    kind: typing.Literal["threeds", "checkout"]
    flow_id: str
    retrieved: bool
    state: Document | None


@attrs.frozen
class Observed:
    """Everything the emulator saw of one merchant's integration."""

    operations: dict[str, Document]
    flows: tuple[Flow, ...]
    webhook_url: str | None
    deliveries: tuple[Delivery, ...]
    probe: Document | None

    def succeeded(self, operations: Iterable[str]) -> int:
        return sum(self.operations[name]["succeeded"] for name in operations if name in self.operations)

    def failures(self, operations: Iterable[str] | None = None) -> collections.Counter[str]:
        """Failure answers by errorCode, of these operations (all when `None`)."""
        counted: collections.Counter[str] = collections.Counter()
        for name, document in self.operations.items():
            if operations is None or name in operations:
                counted.update(document["failures"])
        return counted

    def flows_of(self, kind: str) -> list[Flow]:
        return [flow for flow in self.flows if flow.kind == kind]

    def page_states(self) -> list[Document]:
        """The hosted-page flows' documents (checkout form, pay with iyzico)."""
        return [flow.state for flow in self.flows_of("checkout") if flow.state is not None]


def observe(sandbox: Sandbox, merchant: str) -> Observed:
    """The merchant's evidence; first waits (bounded) for queued webhooks to get their first answer."""
    sender = sandbox.webhooks
    if sender is not None:
        # First, and outside the store's lock: a webhook endpoint may call the emulator while it answers.
        wait_for_first_answers(sender)
    store = sandbox.store
    with store.transaction():
        flows = tuple(
            Flow(
                document["flow"],
                document["id"],
                document["retrieved"],
                store.get("threeds" if document["flow"] == "threeds" else "checkout", document["id"], merchant),
            )
            for document in flow_documents(store, merchant)
        )
        operations = {document["operation"]: document for document in operation_documents(store, merchant)}
        probe = probe_document(store, merchant)
    return Observed(
        operations=operations,
        flows=flows,
        webhook_url=None if sender is None else sender.url,
        deliveries=() if sender is None else tuple(merchant_deliveries(sender, merchant)),
        probe=probe,
    )


def item(
    key: str, section: str, title: str, *, done: bool, required: bool, seen: str, todo: str, when_done: str = KEEP
) -> ReadinessItem:
    """An item whose status follows (done, else open when required, else advice), and so does the next step."""
    status: Status = "done" if done else "open" if required else "advice"
    return ReadinessItem(key, section, title, status, required, seen, when_done if done else todo)


def times(count: int) -> str:
    return "once" if count == 1 else f"{count} times"


def counted(count: int, noun: str) -> str:
    return f"{count} {noun}" if count == 1 else f"{count} {noun}s"
