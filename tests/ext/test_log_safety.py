"""Logs cannot be forged and hold no card credentials.

* Every operation, run with the spec's request and response examples at DEBUG: no value of a field the
  spec marks `x-iyzico-sensitive` (card number, CVC, identity number, IBAN, cardUserKey, cardToken,
  Universal Card Storage tokens) appears in any log record.
* Text from outside (a conversationId, a response's errorCode, errorMessage, errorGroup) with any
  control characters never ends a log line, in any record of the `iyzico` logger or in the message of
  the error raised.
"""

from __future__ import annotations

import contextlib
import logging
import re
from collections.abc import Callable, Iterator

import httpx
import pytest
from hypothesis import given
from hypothesis import strategies as st

from iyzico_client.api.payment import retrieve_payment
from iyzico_client.models.retrieve_payment_request import RetrievePaymentRequest
from iyzico_ext import IyzicoAPIError, IyzicoClient, IyzicoError
from iyzico_ext._logging import logger, mask_pan
from iyzico_ext._operations import SENSITIVE_FIELDS, operations
from iyzico_ext._text import printable
from iyzico_ext.testing.strategies import generated_function
from tests.conftest import CANARIES
from tests.sandbox._example_walk import example_answer, example_arguments, example_request

from .conftest import BASE_URL, CANARY_API_KEY, CANARY_SECRET, FakeIyzico, SleepRecorder, json_response

MakeClient = Callable[..., IyzicoClient]
CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029]")


class _Records(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


@contextlib.contextmanager
def iyzico_records() -> Iterator[list[str]]:
    """The formatted messages of every record of the `iyzico` logger at DEBUG, inside the block."""
    handler, level = _Records(), logger.level
    logger.addHandler(handler)
    logger.setLevel(logging.DEBUG)
    try:
        yield handler.messages
    finally:
        logger.removeHandler(handler)
        logger.setLevel(level)


def _sensitive_values(value: object) -> Iterator[str]:
    if isinstance(value, dict):
        for key, item in value.items():
            # A card number iyzico already masked (BIN and last four: blacklistCard's answer) may be shown as it is.
            masked = SENSITIVE_FIELDS.get(key) == "pan" and isinstance(item, str) and mask_pan(item) == item
            if key in SENSITIVE_FIELDS and isinstance(item, str) and item and not masked:
                yield item
            else:
                yield from _sensitive_values(item)
    elif isinstance(value, list):
        for item in value:
            yield from _sensitive_values(item)


def test_every_kind_of_credential_is_marked_in_the_spec() -> None:
    kinds = SENSITIVE_FIELDS
    assert {name: kinds.get(name) for name in ("cardNumber", "cvc", "identityNumber", "iban")} == {
        "cardNumber": "pan",
        "cvc": "secret",
        "identityNumber": "secret",
        "iban": "secret",
    }
    assert {kinds.get(name) for name in ("cardUserKey", "cardToken", "consumerToken", "ucsToken")} == {"credential"}


@pytest.mark.parametrize("operation_id", sorted(operations()))
def test_debug_logs_of_every_operation_hold_no_sensitive_value(
    operation_id: str, make_client: MakeClient, fake: FakeIyzico
) -> None:
    # The seed example's card has expired: every card gets a future year.
    arguments = example_arguments(operation_id, {}, {"expireYear": "2099"})
    response = example_answer(operation_id)
    fake.script.append(json_response(200, response))
    client = make_client()
    with iyzico_records() as messages, contextlib.suppress(IyzicoError):
        generated_function(operation_id)(client=client, **arguments)
    assert fake.sends == 1  # the call went out, and its exchange was logged
    assert any(operation_id in message for message in messages)
    text = "\n".join(messages)
    # Bodies are logged as reprs: a value shows quoted (a CVC's three digits also occur inside other numbers).
    values = {*_sensitive_values(example_request(operation_id)), *_sensitive_values(response)}
    leaked = [value[-4:] for value in values if repr(value) in text or (len(value) > 4 and value in text)]
    assert leaked == []


# Hypothesis also draws constants it finds in the code (the documented test cards among them): a test card
# sent as a conversationId would show in the logs as sent, which the suite's leak scan would rightly flag.
_outside_text = st.text(
    alphabet=st.one_of(
        st.sampled_from(list("\n\r\x1b\x00\x85\u2028\u2029\t\x7f")), st.characters(exclude_categories=["Cs"])
    ),
    max_size=30,
    # Hypothesis also draws the string constants of the code it has loaded, test cards among them: a text that
    # is a canary is not one the library leaked, and would trip the suite's leak scan.
).filter(lambda text: not any(canary in text for canary in CANARIES))


@given(conversation_id=_outside_text, error_code=_outside_text, error_message=_outside_text, group=_outside_text)
def test_no_text_from_outside_ends_a_log_line(
    conversation_id: str, error_code: str, error_message: str, group: str
) -> None:
    failure = {"status": "failure", "errorCode": error_code, "errorMessage": error_message, "errorGroup": group}
    fake = FakeIyzico()
    fake.script.append(json_response(200, {**failure, "conversationId": conversation_id}))
    transport = httpx.MockTransport(fake)
    client = IyzicoClient(CANARY_API_KEY, CANARY_SECRET, BASE_URL, transport=transport, retry=SleepRecorder().policy())
    body = RetrievePaymentRequest(conversation_id=conversation_id, payment_id="25000001")
    with iyzico_records() as messages, pytest.raises(IyzicoAPIError) as failed:
        retrieve_payment.sync(client=client, body=body)
    assert len(messages) == 3  # the call's line and, at DEBUG, its two bodies
    assert [message for message in messages if CONTROL.search(message)] == []
    assert not CONTROL.search(str(failed.value))
    assert failed.value.error_message == error_message  # the attribute keeps the text as sent


@given(text=_outside_text)
def test_printable_escapes_exactly_the_control_characters(text: str) -> None:
    shown = printable(text)
    assert not CONTROL.search(shown)
    assert (shown == text) == (not CONTROL.search(text))
    assert shown.replace("\\", "").isascii() or not text.isascii() or CONTROL.search(text) is None
