"""The webhook probe: does the merchant's endpoint answer a replayed and a forged notification correctly?

`POST /_sandbox/readiness/probe-webhooks` (or `SandboxHandle.probe_webhooks()`) sends the merchant's webhook
URL, once each and without retries:

* a **replay**: the newest notification its endpoint acknowledged, byte for byte with its genuine signature
  (iyzico redelivers until it gets a 2xx, and anyone who captured one can send it again). Correct: a 2xx, so
  the redeliveries stop; deduplicating it (not acting twice) is the endpoint's job, which `handle_webhook`'s
  store does;
* three **forgeries** of the newest notification sent: its `status` flipped under the old signature, no
  `X-IYZ-SIGNATURE-V3` at all, and one signed with another key. Correct: a 4xx (refused, nothing done); a
  2xx means a forged notification was accepted, a 5xx or no answer that it crashed the endpoint.

Each answer must come within the sender's timeout. The outcome is kept (kind `readiness-probe`) for the
readiness report. Nothing here changes payments or the genuine deliveries' record.
"""

from __future__ import annotations

import time
import typing

import attrs

from .._secret import SecretKey
from ._state import Sandbox
from ._store import Document, Store
from ._webhooks import Attempt, Delivery, WebhookSender, merchant_number, webhook_signature

__all__ = [
    "PROBE_KIND",
    "ProbeImpossible",
    "merchant_deliveries",
    "probe_document",
    "probe_webhooks",
    "wait_for_first_answers",
]

PROBE_KIND = "readiness-probe"
# How long the probe and the report wait for notifications already queued to get their first answer.
_FIRST_ANSWER_WAIT_SECONDS = 15.0
_POLL_SECONDS = 0.01
_FORGING_KEY = SecretKey("readiness-probe-forged-key")
_FLIPPED_STATUS = {"SUCCESS": "FAILURE"}


class ProbeImpossible(Exception):
    """The probe cannot run yet; the message says what to do first."""


def merchant_deliveries(sender: WebhookSender, merchant: str) -> list[Delivery]:
    """The genuine notifications sent for this merchant (by its API key), oldest first."""
    number = merchant_number(merchant)
    return [delivery for delivery in list(sender.deliveries) if delivery.payload.get("merchantId") == number]


def wait_for_first_answers(sender: WebhookSender, *, timeout: float = _FIRST_ANSWER_WAIT_SECONDS) -> None:
    """Wait (bounded) until every notification queued so far had its first attempt answered or failed."""
    deadline = time.monotonic() + timeout
    while any(delivery.milliseconds is None for delivery in list(sender.deliveries)) and time.monotonic() < deadline:
        time.sleep(_POLL_SECONDS)


def _answer_record(kind: str, expected: str, attempt: Attempt, correct: bool) -> dict[str, typing.Any]:
    return {**attrs.asdict(attempt), "kind": kind, "expected": expected, "correct": correct}


def _forgeries(payload: dict[str, typing.Any], signature: str) -> list[tuple[str, dict[str, typing.Any], str | None]]:
    status = payload.get("status")
    tampered = {**payload, "status": _FLIPPED_STATUS.get(str(status), "SUCCESS")}
    return [
        ("status changed under the genuine signature", tampered, signature),
        ("no signature header", payload, None),
        ("signed with another key", payload, webhook_signature(_FORGING_KEY, payload)),
    ]


def probe_webhooks(sandbox: Sandbox, merchant: str) -> Document:
    """Send the replay and the forgeries to the merchant's webhook URL; the stored outcome (blocking)."""
    sender = sandbox.webhooks
    if sender is None:
        raise ProbeImpossible(
            "the emulator sends no webhooks: start it with --webhook-url pointing at your endpoint "
            "(create_app(webhook_url=...) in-process)"
        )
    wait_for_first_answers(sender)
    deliveries = merchant_deliveries(sender, merchant)
    if not deliveries:
        raise ProbeImpossible("no notification was sent to your endpoint yet: make a payment first, then probe")
    answers = []
    acknowledged = [delivery for delivery in deliveries if delivery.delivered]
    if acknowledged:
        replayed = acknowledged[-1]
        attempt = sender.post(replayed.payload, replayed.signature)
        answers.append(_answer_record("replay", "2xx", attempt, attempt.succeeded))
    newest = deliveries[-1]
    for kind, payload, signature in _forgeries(newest.payload, newest.signature):
        attempt = sender.post(payload, signature)
        refused = attempt.status is not None and 400 <= attempt.status < 500
        answers.append(_answer_record(f"forged: {kind}", "4xx", attempt, refused))
    document = {"probedAt": sandbox.clock().isoformat(), "url": sender.url, "answers": answers}
    with sandbox.store.transaction():
        sandbox.store.put(PROBE_KIND, merchant, merchant, document)
    return document


def probe_document(store: Store, merchant: str) -> Document | None:
    """The merchant's latest probe outcome, if it was ever probed."""
    return store.get(PROBE_KIND, merchant, merchant)
