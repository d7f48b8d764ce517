"""The readiness items about payments: every documented test-card outcome, every 3-D Secure and hosted-page
flow completed by its auth or retrieve call, refunds and cancels.

Card outcomes count wherever the card was charged: the API's charging calls (their failure answers, by the
bank's errorGroup) and the hosted pages (the page's recorded decline). A failed 3-D Secure authentication is
a callback with mdStatus other than 1, a page whose forced 3-D Secure step failed, or a 3-D Secure
initialize the bank refused; it is required only of an integration that uses 3-D Secure at all.
"""

from __future__ import annotations

import typing
from collections.abc import Sequence

from ._cards import DOCUMENTED_TEST_CARDS, CardOutcome
from ._failures import catalogue_entry
from ._readiness_evidence import (
    CANCELS,
    CHARGES,
    REFUNDS,
    REVERSALS,
    THREEDS_STARTS,
    Flow,
    Observed,
    counted,
    item,
    times,
)
from ._readiness_model import ReadinessItem

__all__ = ["card_items", "flow_items", "reversal_items"]

_NOT_REVERSIBLE_CODE = "10012"  # what the bank answers when the card that cannot be reversed is reversed
_THREEDS_FAILURE_CODES = frozenset({"10210", "10214"})
_FRAUD_GROUP = "FRAUD_SUSPECT"
_SUCCESS_CARD = DOCUMENTED_TEST_CARDS[0][0]


def _spaced(number: str) -> str:
    """A card number as printed on the card and in iyzico's tables: groups of four digits."""
    return " ".join(number[start : start + 4] for start in range(0, len(number), 4))


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


def _uses_threeds(observed: Observed) -> bool:
    started = any(name in observed.operations for name in THREEDS_STARTS)
    forced = any(str(state["request"].get("forceThreeDS") or "0") == "1" for state in observed.page_states())
    return started or forced


def _card_item(
    key: str, title: str, tried: int, verb: str, todo: str, *, required: bool = True, untried: str = "never tried"
) -> ReadinessItem:
    """A test-card outcome: done once tried."""
    seen = f"{verb} {times(tried)}" if tried else untried
    return item(key, "cards", title, done=tried > 0, required=required, seen=seen, todo=todo)


def card_items(observed: Observed) -> list[ReadinessItem]:
    declines = observed.failures(CHARGES)
    page_successes = 0
    for state in observed.page_states():
        if state["state"] == "FAILURE":
            declines[str(state["errorCode"])] += 1
        page_successes += state["state"] == "SUCCESS"
    successes = observed.succeeded(CHARGES) + page_successes
    items = [
        item(
            "cards.success",
            "cards",
            "A payment that succeeds",
            done=successes > 0,
            required=True,
            seen=counted(successes, "successful payment") if successes else "no payment succeeded yet",
            todo=(
                f"pay with a test card that succeeds ({_spaced(_SUCCESS_CARD)}) and mark the order paid only "
                "after the verified answer"
            ),
        )
    ]
    groups = sorted(_decline_groups().items(), key=lambda entry: entry[0] == _FRAUD_GROUP)
    for group, (code, cards) in groups:
        tried = sum(count for failed, count in declines.items() if catalogue_entry(failed).group == group)
        fraud = group == _FRAUD_GROUP
        items.append(
            _card_item(
                "cards.fraud" if fraud else f"cards.decline.{group.lower()}",
                f"Fraud suspected: {group} ({code})" if fraud else f"Declined: {group} ({code})",
                tried,
                "declined",
                f"pay with test card {' or '.join(_spaced(card) for card in cards)}; show the buyer a message for "
                "this errorGroup and leave the order unpaid",
            )
        )
    items.append(_threeds_failure_item(observed))
    items.append(_not_reversible_item(observed))
    return items


def _threeds_failure_item(observed: Observed) -> ReadinessItem:
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
    return _card_item(
        "cards.threeds_failure",
        "3-D Secure authentication fails",
        tried,
        "authentication failed",
        f"start a 3-D Secure payment with test card {cards}, or cancel on the bank page; your callback must not "
        "call the auth (mdStatus is not 1) and must show the buyer the failure",
        required=uses,
        untried="never tried"
        if uses
        else "no 3-D Secure payment was started (checked only when the integration uses 3-D Secure)",
    )


def _not_reversible_item(observed: Observed) -> ReadinessItem:
    tried = observed.failures(REVERSALS)[_NOT_REVERSIBLE_CODE]
    cards = _cards_with(lambda outcome: not outcome.reversible)
    return _card_item(
        "cards.not_reversible",
        "A payment that cannot be cancelled or refunded",
        tried,
        "refused",
        f"pay with test card {cards}, then cancel or refund it: iyzico refuses with {_NOT_REVERSIBLE_CODE}; tell "
        "the operator instead of marking the order refunded",
    )


def _ids(flows: Sequence[Flow]) -> str:
    shown = ", ".join(flow.flow_id[:8] for flow in flows[:5])
    return shown + (", ..." if len(flows) > 5 else "")


def _unused(key: str, title: str, seen: str, todo: str) -> ReadinessItem:
    """A flow the integration never started: advice to run one through its callbackUrl, if it uses it."""
    return item(key, "flows", title, done=False, required=False, seen=seen, todo=f"{todo} in your suite")


def _threeds_flow_item(observed: Observed) -> ReadinessItem:
    flows = observed.flows_of("threeds")
    states = [flow.state or {} for flow in flows]
    unfinished = [
        flow
        for flow, state in zip(flows, states, strict=True)
        if state.get("state") == "CALLBACK" and state.get("mdStatus") == "1"
    ]
    completed = sum(1 for state in states if state.get("state") == "DONE")
    at_bank = sum(1 for state in states if state.get("state") == "INIT")
    not_authenticated = sum(1 for state in states if state.get("mdStatus") not in (None, "1"))
    seen = f"{len(flows)} started, {completed} completed by the auth call"
    if not_authenticated:
        seen += f", {not_authenticated} not authenticated by the bank"
    if at_bank:
        seen += f", {at_bank} never answered on the bank page"
    if unfinished:
        seen += (
            f"; {len(unfinished)} reached your callbackUrl authenticated but were never completed "
            f"(paymentId {_ids(unfinished)})"
        )
    key, title = "flows.threeds", "Every 3-D Secure payment completed by the auth call"
    if not flows:
        return _unused(key, title, "no 3-D Secure payment was started", "if you take 3-D Secure payments, run one")
    return item(
        key,
        "flows",
        title,
        done=completed > 0 and not unfinished,
        required=True,
        seen=seen,
        todo=(
            "in your callbackUrl, verify the posted form and call the 3-D Secure auth (createThreedsPayment) "
            "with its paymentId when mdStatus is 1 (handle_threeds_callback does both); without it no money moves"
        ),
    )


def _checkout_flow_item(observed: Observed) -> ReadinessItem:
    flows = observed.flows_of("checkout")
    paid = [flow for flow in flows if flow.state is not None and flow.state["state"] in ("SUCCESS", "FAILURE")]
    unretrieved = [flow for flow in paid if not flow.retrieved]
    abandoned = len(flows) - len(paid)
    key, title = "flows.checkout", "Every hosted payment page retrieved by its token"
    if not flows:
        return _unused(key, title, "no checkout form or pay with iyzico page was started", "if you use them, pay one")
    seen = f"{len(flows)} started, {len(paid) - len(unretrieved)} paid and retrieved by token"
    if abandoned:
        seen += f", {abandoned} never paid on the page"
    if unretrieved:
        seen += f"; {len(unretrieved)} paid but never retrieved (token {_ids(unretrieved)}...)"
    done = bool(paid) and not unretrieved
    return item(
        key,
        "flows",
        title,
        done=done,
        required=True,
        seen=seen,
        todo=(
            "in your callbackUrl, retrieve the payment with the posted token (retrieveCheckoutForm; "
            "handle_checkout_callback does it) and trust only its signed paymentStatus"
        ),
    )


def _reversal_item(observed: Observed, key: str, title: str, operations: frozenset[str], how: str) -> ReadinessItem:
    succeeded = observed.succeeded(operations)
    refused = sum(observed.failures(operations).values())
    seen = (
        f"{succeeded} succeeded" + (f", {refused} refused" if refused else "")
        if succeeded or refused
        else "never tried"
    )
    return item(
        key,
        "refunds",
        title,
        done=succeeded > 0,
        required=True,
        seen=seen,
        todo=how,
    )


def flow_items(observed: Observed) -> list[ReadinessItem]:
    return [_threeds_flow_item(observed), _checkout_flow_item(observed)]


def reversal_items(observed: Observed) -> list[ReadinessItem]:
    return [
        _reversal_item(
            observed, "refunds", "A refund", REFUNDS, "refund a payment (refundPayment) and check your order shows it"
        ),
        _reversal_item(
            observed, "cancels", "A cancel", CANCELS, "cancel a payment the same day (cancelPayment) and void the order"
        ),
    ]
