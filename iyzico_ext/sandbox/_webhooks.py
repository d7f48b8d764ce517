"""Merchant notifications (webhooks) signed with `X-IYZ-SIGNATURE-V3`, sent from a background thread.

Formula (iyzico-api.md h): HMAC-SHA256 keyed with the secret key over the plain concatenation
`secretKey + iyziEventType + paymentId + paymentConversationId + status` (Direct format, API payments)
or `secretKey + iyziEventType + iyziPaymentId + token + paymentConversationId + status` (HPP format,
hosted pages); subscription notifications with `iyzico_ext`'s unconfirmed subscription formula (merchantId
first, then the key, the event type and the three reference codes). iyzico retries until a 2xx answer, at
most three attempts; the emulator does the same, with a short interval instead of iyzico's 15 minutes.
"""

from __future__ import annotations

import hashlib
import json
import queue
import threading
import time
import typing
from collections.abc import Mapping

import attrs
import httpx

from .._secret import SecretKey
from .._webhooks import SECRET_KEY_PART, SUBSCRIPTION_SIGNATURE_FORMULA, subscription_signed_text

__all__ = ["SIGNATURE_HEADER", "Attempt", "Delivery", "WebhookSender", "merchant_number", "webhook_signature"]

SIGNATURE_HEADER = "X-IYZ-SIGNATURE-V3"
_ATTEMPTS = 3
_MERCHANT_NUMBERS = 9_000_000


def merchant_number(api_key: str) -> int:
    """The merchant's numeric id (iyzico's `merchantId`, a JSON number such as 3382172), stable per API key."""
    digest = hashlib.sha256(api_key.encode("utf-8")).digest()
    return 1_000_000 + int.from_bytes(digest[:8], "big") % _MERCHANT_NUMBERS


def _text(value: object) -> str:
    return "" if value is None else str(value)


def _milliseconds_since(started: float) -> int:
    return round((time.perf_counter() - started) * 1000)


def webhook_signature(secret: SecretKey, payload: Mapping[str, typing.Any], *, merchant_id: int | None = None) -> str:
    """The `X-IYZ-SIGNATURE-V3` value of a notification (HPP format when the payload has a token; a
    subscription notification needs the merchant's `merchant_id`, which its payload does not carry)."""
    if "subscriptionReferenceCode" in payload:
        values = {name: _text(payload.get(name)) for name in SUBSCRIPTION_SIGNATURE_FORMULA if name != SECRET_KEY_PART}
        before_key, after_key = subscription_signed_text({**values, "merchantId": _text(merchant_id)})
        return secret.hmac_sha256_hex(after_key, prefix_key=True, before_key=before_key)
    parts: tuple[str, ...]
    if "token" in payload:
        parts = ("iyziEventType", "iyziPaymentId", "token", "paymentConversationId", "status")
    else:
        parts = ("iyziEventType", "paymentId", "paymentConversationId", "status")
    message = "".join(_text(payload.get(part)) for part in parts)
    return secret.hmac_sha256_hex(message.encode("utf-8"), prefix_key=True)


@attrs.define
class Delivery:
    """One notification and what happened to it (shown by `GET /_sandbox/webhooks`)."""

    payload: dict[str, typing.Any]
    signature: str
    attempts: int = 0
    delivered: bool = False
    last_status: int | None = None
    last_error: str | None = None
    milliseconds: int | None = None  # how long the last attempt took (None: not answered yet)


@attrs.frozen
class Attempt:
    """One POST of a notification: the HTTP status or the transport error, and how long it took."""

    status: int | None
    error: str | None
    milliseconds: int

    @property
    def succeeded(self) -> bool:
        return self.status is not None and 200 <= self.status < 300


class WebhookSender:
    """Posts notifications to one URL in the background, retrying failed deliveries."""

    def __init__(
        self,
        url: str,
        *,
        transport: httpx.BaseTransport | None = None,
        retry_interval: float = 1.0,
        timeout: float = 5.0,
    ) -> None:
        self.url = url
        self.deliveries: list[Delivery] = []
        self._retry_interval = retry_interval
        self._client = httpx.Client(transport=transport, timeout=timeout)
        self._queue: queue.Queue[Delivery | None] = queue.Queue()
        self._thread = threading.Thread(target=self._run, name="iyzico-sandbox-webhooks", daemon=True)
        self._thread.start()

    def send(self, secret: SecretKey, payload: dict[str, typing.Any], *, merchant_id: int | None = None) -> Delivery:
        delivery = Delivery(payload=payload, signature=webhook_signature(secret, payload, merchant_id=merchant_id))
        self.deliveries.append(delivery)
        self._queue.put(delivery)
        return delivery

    def wait_idle(self) -> None:
        """Block until every queued notification has been delivered or given up on (for tests)."""
        self._queue.join()

    def close(self) -> None:
        self._queue.put(None)
        self._thread.join()
        self._client.close()

    def _run(self) -> None:
        while (delivery := self._queue.get()) is not None:
            try:
                self._deliver(delivery)
            finally:
                self._queue.task_done()
        self._queue.task_done()

    def post(self, payload: Mapping[str, typing.Any], signature: str | None) -> Attempt:
        """POST one notification once, no retry (`signature=None` sends no signature header)."""
        body = json.dumps(payload, separators=(",", ":")).encode("utf-8")
        headers = {"Content-Type": "application/json"}
        if signature is not None:
            headers[SIGNATURE_HEADER] = signature
        started = time.perf_counter()
        try:
            response = self._client.post(self.url, content=body, headers=headers)
        except httpx.HTTPError as error:
            return Attempt(None, f"{type(error).__name__}: {error}", _milliseconds_since(started))
        return Attempt(response.status_code, None, _milliseconds_since(started))

    def _deliver(self, delivery: Delivery) -> None:
        while delivery.attempts < _ATTEMPTS:
            delivery.attempts += 1
            attempt = self.post(delivery.payload, delivery.signature)
            delivery.milliseconds = attempt.milliseconds
            if attempt.status is None:
                delivery.last_error = attempt.error
            else:
                delivery.last_status = attempt.status
                if attempt.succeeded:
                    delivery.delivered = True
                    return
            if delivery.attempts < _ATTEMPTS:
                time.sleep(self._retry_interval)
