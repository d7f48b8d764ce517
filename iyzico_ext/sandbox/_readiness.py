"""The go-live readiness report: iyzico's integration checklist, item by item, from what the emulator saw.

iyzico's integration overview ends with what a merchant checks before going live (test every outcome with
the test cards, handle every error, interpret iyzico's answer on the result page, real customer data only,
compare the answer with the order, ...). The emulator sees every request an integration under test makes,
so `build_report(sandbox, merchant)` turns the list into a verdict: which documented test-card outcomes were
exercised (success, each bank decline group, fraud, a failed 3-D Secure authentication, a payment that
cannot be reversed), whether every 3-D Secure and hosted-page flow that reached the merchant was completed
by its auth or retrieve call, how the webhook endpoint answered genuine, replayed and forged notifications,
whether refunds and cancels were tried, sample values seen, and the requests refused, by error code.

The evidence is gathered by `_readiness_evidence`; the items about payments are built in `_readiness_payments`,
those about webhooks in `_readiness_webhooks`, the rest (request data, refused requests, what only the
merchant can check) here.
"""

from __future__ import annotations

import collections
from collections.abc import Sequence

from ._failures import catalogue_entry
from ._readiness_evidence import Observed, item, observe, times
from ._readiness_model import ReadinessItem, ReadinessReport, RefusedGroup
from ._readiness_payments import card_items, flow_items, reversal_items
from ._readiness_record import IDENTIFIED_OPERATIONS
from ._readiness_webhooks import webhook_items
from ._state import Sandbox
from ._webhooks import merchant_number

__all__ = ["build_report"]

# What to do about the iyzico-side refusals an integration most often gets.
_HINTS = {
    "1000": "sign with the secret key of this API key, over exactly the bytes you send",
    "1001": "the API key is unknown here: sandbox keys work only on the sandbox, live keys only live",
    "11": "the request does not have the shape iyzico expects: check it against the API reference",
    "5015": "use the paymentId of a payment this merchant made",
    "5017": "the token is unknown or expired: initialize a new page",
    "5018": "the payment's state does not allow this (already cancelled, refunded or completed)",
    "5021": "call the 3-D Secure auth from your callbackUrl, after the bank's answer",
    "5022": "send the values of the initialized payment",
    "5023": "retrieve the checkout form from your callbackUrl, after the buyer paid",
    "5062": "price must equal the sum of basketItems[].price",
}


def _sample_item(observed: Observed) -> ReadinessItem:
    seen_counts: collections.Counter[str] = collections.Counter()
    for document in observed.operations.values():
        seen_counts.update(document["samples"])
    fields = [f"{key.split('|')[0]} ({key.split('|')[1]}) {times(count)}" for key, count in seen_counts.most_common()]
    return item(
        "data.samples",
        "data",
        "No sample (dummy) values in the data you send",
        done=not fields,
        required=False,
        seen="; ".join(fields[:6]) + ("; ..." if len(fields) > 6 else "")
        if fields
        else "none of iyzico's sample values seen",
        todo="fill these from the customer in production code; test data is fine in tests, but IyzicoClient "
        "refuses iyzico's sample values on the live URL (sample_values='warn' to only warn)",
        when_done="nothing to do (IyzicoClient refuses sample values on the live URL)",
    )


def _identifier_item(observed: Observed) -> ReadinessItem:
    started = sum(
        document["succeeded"] + sum(document["failures"].values())
        for name, document in observed.operations.items()
        if name in IDENTIFIED_OPERATIONS
    )
    missing = sum(document["withoutIdentifiers"] for document in observed.operations.values())
    return item(
        "data.identifiers",
        "data",
        "Payments carry the conversationId and basketId of your order",
        done=started > 0 and not missing,
        required=started > 0,
        seen=(
            "no payment was started"
            if not started
            else f"{missing} of {started} payment requests without a conversationId or basketId"
            if missing
            else f"all {started} payment requests carry both"
        ),
        todo="send your order's id as conversationId and basketId, keep them, and compare them (with price and "
        "paidPrice) with every answer",
        when_done="keep comparing them with every answer (IyzicoClient does it for you)",
    )


def _refused_groups(observed: Observed) -> tuple[RefusedGroup, ...]:
    operations_of: dict[str, set[str]] = collections.defaultdict(set)
    for name, document in observed.operations.items():
        for code in document["failures"]:
            operations_of[code].add(name)
    groups = [
        RefusedGroup(
            code, catalogue_entry(code).group, catalogue_entry(code).english, count, tuple(sorted(operations_of[code]))
        )
        for code, count in observed.failures().items()
    ]
    return tuple(sorted(groups, key=lambda group: (group.bank_decline, -group.count, group.error_code)))


def _refused_item(groups: Sequence[RefusedGroup]) -> ReadinessItem:
    refused = [group for group in groups if not group.bank_decline]
    declines = sum(group.count for group in groups if group.bank_decline)
    if refused:
        seen = "; ".join(
            f"{group.error_code} ({group.error_message}) {times(group.count)} on {', '.join(group.operations)}"
            for group in refused
        )
        hints = [f"{group.error_code}: {_HINTS[group.error_code]}" for group in refused if group.error_code in _HINTS]
        todo = (
            "fix what each error names unless your tests sent it on purpose, and make sure your code shows the buyer "
            "a general error and logs errorCode for every one" + (": " + "; ".join(hints) if hints else "")
        )
    else:
        seen = "no request was refused" + (f" (besides {declines} bank declines of test cards)" if declines else "")
        todo = ""
    return item(
        "errors.refused",
        "errors",
        "Requests iyzico refused",
        done=not refused,
        required=False,
        seen=seen,
        todo=todo,
        when_done="nothing to do",
    )


_MANUAL = (
    (
        "manual.compare",
        "Compare price, paidPrice, basketId and conversationId of every answer with your order",
        "IyzicoClient compares them with the request on every answer (ResponseMismatchError); with another client, "
        "compare them yourself, show a general error on a difference and tell iyzico's integration team",
    ),
    (
        "manual.result_page",
        "Your result page interprets iyzico's answer",
        "show success only for status success (paymentStatus SUCCESS on hosted pages; ship on fraudStatus 1), "
        "iyzico's errorMessage otherwise",
    ),
    (
        "manual.logging",
        "Only non-sensitive data and answers are logged",
        "IYZICO_LOG masks card numbers, CVCs, identity numbers and card tokens; keep card data out of your own logs",
    ),
    ("manual.kvkk", "KVKK (the personal data law) is respected", "handle buyers' personal data as KVKK requires"),
    (
        "manual.logo",
        "iyzico's logos are on your site",
        "add them from iyzico's logo pack (dev.iyzipay.com/tr/iyzico-logo-pack.zip)",
    ),
    (
        "manual.approval",
        "iyzico's integration team approved the integration",
        "send this report (iyzico-sandbox readiness --markdown FILE) to entegrasyon@iyzico.com",
    ),
)


def build_report(sandbox: Sandbox, merchant: str) -> ReadinessReport:
    """The readiness report of one merchant (an API key of the emulator). Blocks briefly for webhook answers."""
    observed = observe(sandbox, merchant)
    refused = _refused_groups(observed)
    items = [
        *card_items(observed),
        *flow_items(observed),
        *webhook_items(observed),
        *reversal_items(observed),
        _sample_item(observed),
        _identifier_item(observed),
        _refused_item(refused),
        *(
            ReadinessItem(key, "manual", title, "manual", True, "not visible to the emulator", how)
            for key, title, how in _MANUAL
        ),
    ]
    return ReadinessReport(merchant_number(merchant), sandbox.clock().isoformat(), tuple(items), refused)
