"""The readiness items about webhooks: genuine notifications answered 2xx at once, a replay answered 2xx, forged
ones refused with 4xx (the last two from the probe, `_readiness_probe`). Without a webhook URL they are advice:
iyzico's webhooks are optional, though worth having with hosted pages.
"""

from __future__ import annotations

import collections

from ._readiness_evidence import Observed, item, times
from ._readiness_model import ReadinessItem
from ._store import Document
from ._webhooks import Delivery

__all__ = ["webhook_items"]

_PROBE_HINT = (
    "while your endpoint runs: iyzico-sandbox readiness --url URL --probe-webhooks "
    "(or POST /_sandbox/readiness/probe-webhooks, SandboxHandle.probe_webhooks())"
)
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


def _unconfigured(key: str, title: str) -> ReadinessItem:
    return item(key, "webhooks", title, done=False, required=False, seen=_NO_WEBHOOKS, todo=_CONFIGURE)


def _delivery_item(observed: Observed) -> ReadinessItem:
    key, title = "webhooks.delivery", "Genuine notifications answered 2xx at once"
    if observed.webhook_url is None:
        return _unconfigured(key, title)
    deliveries = observed.deliveries
    waiting = [delivery for delivery in deliveries if delivery.milliseconds is None]
    late = [
        delivery
        for delivery in deliveries
        if delivery.milliseconds is not None and not (delivery.delivered and delivery.attempts == 1)
    ]
    todo = (
        "answer 2xx at once to every genuine notification (verify, record, do the work elsewhere); "
        "iyzico redelivers every 15 minutes, 3 times, then gives up"
    )
    if not deliveries:
        seen, todo = "no notification was sent for your payments yet", "make a payment"
    elif late or waiting:
        answers = collections.Counter(_delivery_text(delivery) for delivery in late)
        seen = f"{len(late)} of {len(deliveries)} not acknowledged at the first attempt"
        if answers:
            seen += " (" + ", ".join(f"{text} {times(count)}" for text, count in answers.most_common(3)) + ")"
        if waiting:
            seen += f"; {len(waiting)} still waiting for an answer"
    else:
        slowest = max(delivery.milliseconds or 0 for delivery in deliveries)
        seen = f"{len(deliveries)} answered 2xx at the first attempt (slowest {slowest} ms)"
    done = bool(deliveries) and not late and not waiting
    return item(key, "webhooks", title, done=done, required=True, seen=seen, todo=todo)


def _probe_answers(observed: Observed, prefix: str) -> list[Document]:
    return [answer for answer in (observed.probe or {}).get("answers", []) if answer["kind"].startswith(prefix)]


def _replay_item(observed: Observed) -> ReadinessItem:
    key, title = "webhooks.replay", "A replayed notification answered 2xx (and not acted on twice)"
    if observed.webhook_url is None:
        return _unconfigured(key, title)
    answers = _probe_answers(observed, "replay")
    todo = "recognise a redelivery (handle_webhook's store keys it) and answer it 2xx without acting twice"
    if observed.probe is None:
        seen, todo = "not probed yet", _PROBE_HINT
    elif not answers:
        seen = "when probed, your endpoint had acknowledged no notification, so none could be replayed"
        todo = "answer genuine notifications 2xx first, then probe again"
    else:
        seen = f"a replay of an acknowledged notification: {_answer_text(answers[0])}"
    done = bool(answers) and answers[0]["correct"]
    return item(key, "webhooks", title, done=done, required=True, seen=seen, todo=todo)


def _forged_item(observed: Observed) -> ReadinessItem:
    key, title = "webhooks.forged", "Forged notifications refused with 4xx"
    if observed.webhook_url is None:
        return _unconfigured(key, title)
    answers = _probe_answers(observed, "forged")
    wrong = [answer for answer in answers if not answer["correct"]]
    todo = (
        "verify X-IYZ-SIGNATURE-V3 over the raw body before anything else (verify_webhook / handle_webhook) "
        "and answer 400 to a notification that fails"
    )
    if observed.probe is None:
        seen, todo = "not probed yet", _PROBE_HINT
    elif wrong:
        seen = "; ".join(f"{answer['kind']}: {_answer_text(answer)}" for answer in wrong)
    else:
        seen = f"{len(answers)} forged notifications refused (" + ", ".join(map(_answer_text, answers)) + ")"
    done = observed.probe is not None and bool(answers) and not wrong
    return item(key, "webhooks", title, done=done, required=True, seen=seen, todo=todo)


def webhook_items(observed: Observed) -> list[ReadinessItem]:
    return [_delivery_item(observed), _replay_item(observed), _forged_item(observed)]
