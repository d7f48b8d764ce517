"""The go-live readiness report: iyzico's integration checklist, item by item, from what the emulator saw.

iyzico's integration overview ends with what a merchant checks before going live (test every outcome with
the test cards, handle every error, interpret iyzico's answer on the result page, real customer data only,
compare the answer with the order, ...). The emulator sees every request an integration under test makes,
so `build_report(sandbox, merchant)` turns the list into a verdict: which documented test-card outcomes were
exercised (success, each bank decline group, fraud, a failed 3-D Secure authentication, a payment that
cannot be reversed), whether every 3-D Secure and hosted-page flow that reached the merchant was completed
by its auth or retrieve call, how the webhook endpoint answered genuine, replayed and forged notifications,
whether refunds and cancels were tried, sample values seen, and the requests refused, by error code.

Where the evidence comes from: `_readiness_record` (per-operation counts, the flows started), the emulator's
own `threeds` and `checkout` documents (what became of each flow), the webhook sender's deliveries and the
probe's outcome (`_readiness_probe`).
"""

from __future__ import annotations

import collections
import typing
from collections.abc import Iterable, Sequence

import attrs

from ._cards import DOCUMENTED_TEST_CARDS, CardOutcome
from ._failures import catalogue_entry
from ._readiness_model import ReadinessItem, ReadinessReport, RefusedGroup, Status
from ._readiness_probe import merchant_deliveries, probe_document, wait_for_first_answers
from ._readiness_record import IDENTIFIED_OPERATIONS, flow_documents, operation_documents
from ._state import Sandbox
from ._store import Document
from ._webhooks import Delivery, merchant_number

__all__ = ["build_report"]

# Operations that charge a card: their answers are the card's outcome.
_CHARGES = frozenset({"createPayment", "createPreAuthPayment", "createThreedsPayment", "createThreedsPaymentV2"})
_THREEDS_STARTS = frozenset({"initializeThreeds", "initializeThreedsPreAuth"})
_REFUNDS = frozenset({"refundPayment", "refundPaymentItem", "refundChargedFromMerchant"})
_CANCELS = frozenset({"cancelPayment"})
# Calls that reverse a payment, and what the bank answers for the card that cannot be reversed.
_REVERSALS = _REFUNDS | _CANCELS | {"createPostAuthPayment"}
_NOT_REVERSIBLE_CODE = "10012"
_THREEDS_FAILURE_CODES = frozenset({"10210", "10214"})
_FRAUD_GROUP = "FRAUD_SUSPECT"
_FIRST_BANK_CODE = 10_000
_SUCCESS_CARD = DOCUMENTED_TEST_CARDS[0][0]
_PROBE_HINT = (
    "while your endpoint runs: iyzico-sandbox readiness --url URL --probe-webhooks "
    "(or POST /_sandbox/readiness/probe-webhooks, SandboxHandle.probe_webhooks())"
)
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


def _spaced(number: str) -> str:
    """A card number as printed on the card and in iyzico's tables: groups of four digits."""
    return " ".join(number[start : start + 4] for start in range(0, len(number), 4))


@attrs.frozen
class _Flow:
    """A 3-D Secure or hosted-page flow the merchant started, and what the emulator holds about it now."""

    kind: typing.Literal["threeds", "checkout"]
    flow_id: str
    retrieved: bool
    state: Document | None


@attrs.frozen
class _Observed:
    operations: dict[str, Document]
    flows: tuple[_Flow, ...]
    webhook_url: str | None
    deliveries: tuple[Delivery, ...]
    probe: Document | None

    def succeeded(self, operations: Iterable[str]) -> int:
        return sum(self.operations[name]["succeeded"] for name in operations if name in self.operations)

    def failures(self, operations: Iterable[str] | None = None) -> collections.Counter[str]:
        counted: collections.Counter[str] = collections.Counter()
        for name, document in self.operations.items():
            if operations is None or name in operations:
                counted.update(document["failures"])
        return counted

    def flows_of(self, kind: str) -> list[_Flow]:
        return [flow for flow in self.flows if flow.kind == kind]

    def page_states(self) -> list[Document]:
        """The hosted-page flows' documents (checkout form, pay with iyzico)."""
        return [flow.state for flow in self.flows_of("checkout") if flow.state is not None]


def _observe(sandbox: Sandbox, merchant: str) -> _Observed:
    sender = sandbox.webhooks
    if sender is not None:
        # First, and outside the store's lock: a webhook endpoint may call the emulator while it answers.
        wait_for_first_answers(sender)
    store = sandbox.store
    with store.transaction():
        flows = tuple(
            _Flow(
                document["flow"],
                document["id"],
                document["retrieved"],
                store.get("threeds" if document["flow"] == "threeds" else "checkout", document["id"], merchant),
            )
            for document in flow_documents(store, merchant)
        )
        operations = {document["operation"]: document for document in operation_documents(store, merchant)}
        probe = probe_document(store, merchant)
    return _Observed(
        operations=operations,
        flows=flows,
        webhook_url=None if sender is None else sender.url,
        deliveries=() if sender is None else tuple(merchant_deliveries(sender, merchant)),
        probe=probe,
    )


def _item(
    key: str, section: str, title: str, *, done: bool, required: bool, seen: str, next_step: str
) -> ReadinessItem:
    status: Status = "done" if done else "open" if required else "advice"
    return ReadinessItem(key, section, title, status, required, seen, next_step)


def _times(count: int) -> str:
    return "once" if count == 1 else f"{count} times"


def _counted(count: int, noun: str) -> str:
    return f"{count} {noun}" if count == 1 else f"{count} {noun}s"


# -- test cards -------------------------------------------------------------------------------------------


def _decline_groups() -> dict[str, tuple[str, list[str]]]:
    """Each bank decline group the documented test cards produce: (its code, the cards), in the cards' order."""
    groups: dict[str, tuple[str, list[str]]] = {}
    for number, outcome in DOCUMENTED_TEST_CARDS:
        if outcome.decline_code is not None:
            group = catalogue_entry(outcome.decline_code).group or outcome.decline_code
            groups.setdefault(group, (outcome.decline_code, []))[1].append(number)
    return groups


def _cards_with(test: typing.Callable[[CardOutcome], bool]) -> str:
    return " or ".join(_spaced(number) for number, outcome in DOCUMENTED_TEST_CARDS if test(outcome))


def _uses_threeds(observed: _Observed) -> bool:
    started = any(name in observed.operations for name in _THREEDS_STARTS)
    forced = any(str(state["request"].get("forceThreeDS") or "0") == "1" for state in observed.page_states())
    return started or forced


def _card_items(observed: _Observed) -> list[ReadinessItem]:
    declines = observed.failures(_CHARGES)
    page_successes = 0
    for state in observed.page_states():
        if state["state"] == "FAILURE":
            declines[str(state["errorCode"])] += 1
        page_successes += state["state"] == "SUCCESS"
    successes = observed.succeeded(_CHARGES) + page_successes
    items = [
        _item(
            "cards.success",
            "cards",
            "A payment that succeeds",
            done=successes > 0,
            required=True,
            seen=_counted(successes, "successful payment") if successes else "no payment succeeded yet",
            next_step=(
                "keep it in your suite"
                if successes
                else f"pay with a test card that succeeds ({_spaced(_SUCCESS_CARD)}) and mark the order paid only "
                "after the verified answer"
            ),
        )
    ]
    groups = sorted(_decline_groups().items(), key=lambda entry: entry[0] == _FRAUD_GROUP)
    for group, (code, cards) in groups:
        tried = sum(count for failed, count in declines.items() if catalogue_entry(failed).group == group)
        fraud = group == _FRAUD_GROUP
        items.append(
            _item(
                "cards.fraud" if fraud else f"cards.decline.{group.lower()}",
                "cards",
                f"Fraud suspected: {group} ({code})" if fraud else f"Declined: {group} ({code})",
                done=tried > 0,
                required=True,
                seen=f"declined {_times(tried)}" if tried else "never tried",
                next_step=(
                    "keep it in your suite"
                    if tried
                    else f"pay with test card {' or '.join(_spaced(card) for card in cards)}; show the buyer a "
                    "message for this errorGroup and leave the order unpaid"
                ),
            )
        )
    items.append(_threeds_failure_item(observed))
    items.append(_not_reversible_item(observed))
    return items


def _threeds_failure_item(observed: _Observed) -> ReadinessItem:
    callbacks = sum(
        1
        for flow in observed.flows_of("threeds")
        if flow.state is not None and flow.state["mdStatus"] not in (None, "1")
    )
    pages = sum(1 for state in observed.page_states() if state.get("mdStatus") not in (None, "1"))
    refused = sum(count for code, count in observed.failures().items() if code in _THREEDS_FAILURE_CODES)
    tried = callbacks + pages + refused
    uses = _uses_threeds(observed)
    cards = _cards_with(lambda outcome: outcome.md_status != "1" or outcome.threeds_initialize_fails)
    if tried:
        seen = f"authentication failed {_times(tried)}"
    elif uses:
        seen = "never tried"
    else:
        seen = "no 3-D Secure payment was started (checked only when the integration uses 3-D Secure)"
    return _item(
        "cards.threeds_failure",
        "cards",
        "3-D Secure authentication fails",
        done=tried > 0,
        required=uses,
        seen=seen,
        next_step=(
            "keep it in your suite"
            if tried
            else f"start a 3-D Secure payment with test card {cards}, or cancel on the bank page; your callback "
            "must not call the auth (mdStatus is not 1) and must show the buyer the failure"
        ),
    )


def _not_reversible_item(observed: _Observed) -> ReadinessItem:
    tried = observed.failures(_REVERSALS)[_NOT_REVERSIBLE_CODE]
    cards = _cards_with(lambda outcome: not outcome.reversible)
    return _item(
        "cards.not_reversible",
        "cards",
        "A payment that cannot be cancelled or refunded",
        done=tried > 0,
        required=True,
        seen=f"refused {_times(tried)}" if tried else "never tried",
        next_step=(
            "keep it in your suite"
            if tried
            else f"pay with test card {cards}, then cancel or refund it: iyzico refuses with {_NOT_REVERSIBLE_CODE}; "
            "tell the operator instead of marking the order refunded"
        ),
    )


# -- flows ------------------------------------------------------------------------------------------------


def _ids(flows: Sequence[_Flow]) -> str:
    shown = ", ".join(flow.flow_id[:8] for flow in flows[:5])
    return shown + (", ..." if len(flows) > 5 else "")


def _threeds_flow_item(observed: _Observed) -> ReadinessItem:
    flows = observed.flows_of("threeds")
    states = [flow.state or {} for flow in flows]
    unfinished = [
        flow
        for flow, state in zip(flows, states, strict=True)
        if state.get("state") == "CALLBACK" and state.get("mdStatus") == "1"
    ]
    completed = sum(1 for state in states if state.get("state") == "DONE")
    at_bank = sum(1 for state in states if state.get("state") == "INIT")
    seen = f"{len(flows)} started, {completed} completed by the auth call"
    if at_bank:
        seen += f", {at_bank} never answered on the bank page"
    if unfinished:
        seen += (
            f"; {len(unfinished)} reached your callbackUrl authenticated but were never completed "
            f"(paymentId {_ids(unfinished)})"
        )
    if not flows:
        return _item(
            "flows.threeds",
            "flows",
            "Every 3-D Secure payment completed by the auth call",
            done=False,
            required=False,
            seen="no 3-D Secure payment was started",
            next_step="if you take 3-D Secure payments, run one through your callbackUrl in your suite",
        )
    return _item(
        "flows.threeds",
        "flows",
        "Every 3-D Secure payment completed by the auth call",
        done=completed > 0 and not unfinished,
        required=True,
        seen=seen,
        next_step=(
            "keep it in your suite"
            if completed and not unfinished
            else "in your callbackUrl, verify the posted form and call the 3-D Secure auth (createThreedsPayment) "
            "with its paymentId when mdStatus is 1 (handle_threeds_callback does both); without it no money moves"
        ),
    )


def _checkout_flow_item(observed: _Observed) -> ReadinessItem:
    flows = observed.flows_of("checkout")
    paid = [flow for flow in flows if flow.state is not None and flow.state["state"] in ("SUCCESS", "FAILURE")]
    unretrieved = [flow for flow in paid if not flow.retrieved]
    abandoned = len(flows) - len(paid)
    if not flows:
        return _item(
            "flows.checkout",
            "flows",
            "Every hosted payment page retrieved by its token",
            done=False,
            required=False,
            seen="no checkout form or pay with iyzico page was started",
            next_step="if you use iyzico's hosted pages, pay one in your suite and retrieve it from your callbackUrl",
        )
    seen = f"{len(flows)} started, {len(paid) - len(unretrieved)} paid and retrieved by token"
    if abandoned:
        seen += f", {abandoned} never paid on the page"
    if unretrieved:
        seen += f"; {len(unretrieved)} paid but never retrieved (token {_ids(unretrieved)}...)"
    done = bool(paid) and not unretrieved
    return _item(
        "flows.checkout",
        "flows",
        "Every hosted payment page retrieved by its token",
        done=done,
        required=True,
        seen=seen,
        next_step=(
            "keep it in your suite"
            if done
            else "in your callbackUrl, retrieve the payment with the posted token (retrieveCheckoutForm; "
            "handle_checkout_callback does it) and trust only its signed paymentStatus"
        ),
    )


# -- webhooks ---------------------------------------------------------------------------------------------

_NO_WEBHOOKS = "the emulator sends no webhooks (started without --webhook-url)"
_CONFIGURE = (
    "if you use webhooks (recommended with hosted pages), start the emulator with --webhook-url pointing at "
    "your endpoint and run your suite again"
)


def _answer_text(answer: Document) -> str:
    status = f"HTTP {answer['status']}" if answer["status"] is not None else f"no answer ({answer['error']})"
    return f"{status} in {answer['milliseconds']} ms"


def _delivery_text(delivery: Delivery) -> str:
    return f"HTTP {delivery.last_status}" if delivery.last_status is not None else str(delivery.last_error)


def _webhook_delivery_item(observed: _Observed) -> ReadinessItem:
    title = "Genuine notifications answered 2xx at once"
    if observed.webhook_url is None:
        return _item(
            "webhooks.delivery", "webhooks", title, done=False, required=False, seen=_NO_WEBHOOKS, next_step=_CONFIGURE
        )
    deliveries = observed.deliveries
    waiting = [delivery for delivery in deliveries if delivery.milliseconds is None]
    late = [
        delivery
        for delivery in deliveries
        if delivery.milliseconds is not None and not (delivery.delivered and delivery.attempts == 1)
    ]
    if not deliveries:
        seen = "no notification was sent for your payments yet"
    elif late or waiting:
        answers = collections.Counter(_delivery_text(delivery) for delivery in late)
        seen = f"{len(late)} of {len(deliveries)} not acknowledged at the first attempt"
        if answers:
            seen += " (" + ", ".join(f"{text} {_times(count)}" for text, count in answers.most_common(3)) + ")"
        if waiting:
            seen += f"; {len(waiting)} still waiting for an answer"
    else:
        slowest = max(delivery.milliseconds or 0 for delivery in deliveries)
        seen = f"{len(deliveries)} answered 2xx at the first attempt (slowest {slowest} ms)"
    done = bool(deliveries) and not late and not waiting
    return _item(
        "webhooks.delivery",
        "webhooks",
        title,
        done=done,
        required=True,
        seen=seen,
        next_step=(
            "keep it in your suite"
            if done
            else "make a payment"
            if not deliveries
            else "answer 2xx at once to every genuine notification (verify, record, do the work elsewhere); "
            "iyzico redelivers every 15 minutes, 3 times, then gives up"
        ),
    )


def _probe_answers(observed: _Observed, prefix: str) -> list[Document]:
    return [answer for answer in (observed.probe or {}).get("answers", []) if answer["kind"].startswith(prefix)]


def _webhook_replay_item(observed: _Observed) -> ReadinessItem:
    title = "A replayed notification answered 2xx (and not acted on twice)"
    if observed.webhook_url is None:
        return _item(
            "webhooks.replay", "webhooks", title, done=False, required=False, seen=_NO_WEBHOOKS, next_step=_CONFIGURE
        )
    answers = _probe_answers(observed, "replay")
    if observed.probe is None:
        seen, next_step = "not probed yet", _PROBE_HINT
    elif not answers:
        seen = "when probed, your endpoint had acknowledged no notification, so none could be replayed"
        next_step = "answer genuine notifications 2xx first, then probe again"
    elif answers[0]["correct"]:
        seen, next_step = (
            f"a replay of an acknowledged notification: {_answer_text(answers[0])}",
            "keep it in your suite",
        )
    else:
        seen = f"a replay of an acknowledged notification: {_answer_text(answers[0])}"
        next_step = "recognise a redelivery (handle_webhook's store keys it) and answer it 2xx without acting twice"
    return _item(
        "webhooks.replay",
        "webhooks",
        title,
        done=bool(answers) and answers[0]["correct"],
        required=True,
        seen=seen,
        next_step=next_step,
    )


def _webhook_forged_item(observed: _Observed) -> ReadinessItem:
    title = "Forged notifications refused with 4xx"
    if observed.webhook_url is None:
        return _item(
            "webhooks.forged", "webhooks", title, done=False, required=False, seen=_NO_WEBHOOKS, next_step=_CONFIGURE
        )
    answers = _probe_answers(observed, "forged")
    wrong = [answer for answer in answers if not answer["correct"]]
    if observed.probe is None:
        seen, next_step = "not probed yet", _PROBE_HINT
    elif wrong:
        seen = "; ".join(f"{answer['kind']}: {_answer_text(answer)}" for answer in wrong)
        next_step = (
            "verify X-IYZ-SIGNATURE-V3 over the raw body before anything else (verify_webhook / handle_webhook) "
            "and answer 400 to a notification that fails"
        )
    else:
        seen = f"{len(answers)} forged notifications refused (" + ", ".join(_answer_text(a) for a in answers) + ")"
        next_step = "keep it in your suite"
    return _item(
        "webhooks.forged",
        "webhooks",
        title,
        done=observed.probe is not None and bool(answers) and not wrong,
        required=True,
        seen=seen,
        next_step=next_step,
    )


# -- refunds, cancels, data, errors, manual ---------------------------------------------------------------


def _reversal_item(observed: _Observed, key: str, title: str, operations: frozenset[str], how: str) -> ReadinessItem:
    succeeded = observed.succeeded(operations)
    refused = sum(observed.failures(operations).values())
    seen = (
        f"{succeeded} succeeded" + (f", {refused} refused" if refused else "")
        if succeeded or refused
        else "never tried"
    )
    return _item(
        key,
        "refunds",
        title,
        done=succeeded > 0,
        required=True,
        seen=seen,
        next_step="keep it in your suite" if succeeded else how,
    )


def _sample_item(observed: _Observed) -> ReadinessItem:
    seen_counts: collections.Counter[str] = collections.Counter()
    for document in observed.operations.values():
        seen_counts.update(document["samples"])
    fields = [f"{key.split('|')[0]} ({key.split('|')[1]}) {_times(count)}" for key, count in seen_counts.most_common()]
    return _item(
        "data.samples",
        "data",
        "No sample (dummy) values in the data you send",
        done=not fields,
        required=False,
        seen="; ".join(fields[:6]) + ("; ..." if len(fields) > 6 else "")
        if fields
        else "none of iyzico's sample values seen",
        next_step=(
            "nothing to do (IyzicoClient refuses sample values on the live URL)"
            if not fields
            else "fill these from the customer in production code; test data is fine in tests, but IyzicoClient "
            "refuses iyzico's sample values on the live URL (sample_values='warn' to only warn)"
        ),
    )


def _identifier_item(observed: _Observed) -> ReadinessItem:
    started = sum(
        document["succeeded"] + sum(document["failures"].values())
        for name, document in observed.operations.items()
        if name in IDENTIFIED_OPERATIONS
    )
    missing = sum(document["withoutIdentifiers"] for document in observed.operations.values())
    return _item(
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
        next_step=(
            "send your order's id as conversationId and basketId, keep them, and compare them (with price and "
            "paidPrice) with every answer"
            if missing or not started
            else "keep comparing them with every answer (IyzicoClient does it for you)"
        ),
    )


def _refused_groups(observed: _Observed) -> tuple[RefusedGroup, ...]:
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
            f"{group.error_code} ({group.error_message}) {_times(group.count)} on {', '.join(group.operations)}"
            for group in refused
        )
        hints = [f"{group.error_code}: {_HINTS[group.error_code]}" for group in refused if group.error_code in _HINTS]
        next_step = (
            "fix what each error names unless your tests sent it on purpose, and make sure your code shows the buyer "
            "a general error and logs errorCode for every one" + (": " + "; ".join(hints) if hints else "")
        )
    else:
        seen = "no request was refused" + (f" (besides {declines} bank declines of test cards)" if declines else "")
        next_step = "nothing to do"
    return _item(
        "errors.refused",
        "errors",
        "Requests iyzico refused",
        done=not refused,
        required=False,
        seen=seen,
        next_step=next_step,
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
    observed = _observe(sandbox, merchant)
    refused = _refused_groups(observed)
    items = [
        *_card_items(observed),
        _threeds_flow_item(observed),
        _checkout_flow_item(observed),
        _webhook_delivery_item(observed),
        _webhook_replay_item(observed),
        _webhook_forged_item(observed),
        _reversal_item(
            observed, "refunds", "A refund", _REFUNDS, "refund a payment (refundPayment) and check your order shows it"
        ),
        _reversal_item(
            observed,
            "cancels",
            "A cancel",
            _CANCELS,
            "cancel a payment the same day (cancelPayment) and void the order",
        ),
        _sample_item(observed),
        _identifier_item(observed),
        _refused_item(refused),
        *(
            ReadinessItem(key, "manual", title, "manual", True, "not visible to the emulator", how)
            for key, title, how in _MANUAL
        ),
    ]
    return ReadinessReport(merchant_number(merchant), sandbox.clock().isoformat(), tuple(items), refused)
