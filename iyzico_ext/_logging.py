"""The `iyzico` logger: one line per call, and redacted bodies at DEBUG for endpoints without cards.

`IYZICO_LOG=info` logs method, path, operation, HTTP status, conversationId, errorCode and duration;
`IYZICO_LOG=debug` adds request and response bodies with every field the spec marks
`x-iyzico-sensitive` masked (card numbers to BIN + last four; CVCs, identity numbers, IBANs and the
stored-card credentials cardUserKey/cardToken to `***`), except for calls that carry a card number,
whose bodies are never logged. Authorization headers are never logged. Every text argument of a
record has its control characters escaped (a filter on the logger), so no value forges a log line.
Without `IYZICO_LOG` nothing is configured and the application's own logging setup decides.
"""

from __future__ import annotations

import logging
import os
import typing
from collections.abc import Mapping

import httpx

from ._body import JSONObject, parse_json_object
from ._call import CallContext
from ._constants import LOG_ENV_VAR, LOGGER_NAME
from ._operations import SENSITIVE_FIELDS
from ._text import printable

__all__ = ["configure_logging_from_env", "log_exchange", "mask_pan", "redact"]

_LEVELS: Mapping[str, int] = {"info": logging.INFO, "debug": logging.DEBUG}
_PAN_VISIBLE_HEAD, _PAN_VISIBLE_TAIL = 6, 4


class _PrintableArguments(logging.Filter):
    """Escapes the control characters of every text argument of the `iyzico` logger's records, whoever
    logs them: a conversationId or an errorCode from outside never ends a line and forges the next."""

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.args, tuple):
            record.args = tuple(printable(arg) if isinstance(arg, str) else arg for arg in record.args)
        elif isinstance(record.args, Mapping):
            record.args = {key: printable(arg) if isinstance(arg, str) else arg for key, arg in record.args.items()}
        return True


# Every module logs through this one logger, so the filter covers every record of the trust layer.
logger = logging.getLogger(LOGGER_NAME)
if not any(isinstance(existing, _PrintableArguments) for existing in logger.filters):
    logger.addFilter(_PrintableArguments())


class _EnvHandler(logging.StreamHandler):  # type: ignore[type-arg]
    """Marks the handler installed from `IYZICO_LOG`, so it is installed once."""


def configure_logging_from_env(environ: Mapping[str, str] = os.environ) -> None:
    """Honour `IYZICO_LOG=info|debug` by attaching a stderr handler to the `iyzico` logger (once)."""
    level = _LEVELS.get(environ.get(LOG_ENV_VAR, "").strip().lower())
    if level is None:
        return
    logger.setLevel(level)
    if not any(isinstance(handler, _EnvHandler) for handler in logger.handlers):
        handler = _EnvHandler()
        handler.setFormatter(logging.Formatter("%(asctime)s %(name)s %(levelname)s %(message)s"))
        logger.addHandler(handler)


def mask_pan(value: object) -> str:
    """At most the BIN and the last four digits of a card number."""
    text = str(value)
    if len(text) <= _PAN_VISIBLE_HEAD + _PAN_VISIBLE_TAIL:
        return "*" * len(text)
    hidden = len(text) - _PAN_VISIBLE_HEAD - _PAN_VISIBLE_TAIL
    return text[:_PAN_VISIBLE_HEAD] + "*" * hidden + text[-_PAN_VISIBLE_TAIL:]


def redact(value: object) -> object:
    """A copy of a JSON value with every spec-marked sensitive field masked."""
    kinds = SENSITIVE_FIELDS
    if isinstance(value, Mapping):
        masked: JSONObject = {}
        for key, child in value.items():
            kind = kinds.get(key)
            if kind == "pan" and child is not None:
                masked[key] = mask_pan(child)
            elif kind is not None and child is not None:
                masked[key] = "***"
            else:
                masked[key] = redact(child)
        return masked
    if isinstance(value, list):
        return [redact(child) for child in value]
    return value


def _carries_card_number(value: object) -> bool:
    kinds = SENSITIVE_FIELDS
    if isinstance(value, Mapping):
        return any(kinds.get(key) == "pan" or _carries_card_number(child) for key, child in value.items())
    if isinstance(value, list):
        return any(_carries_card_number(child) for child in value)
    return False


def log_exchange(context: CallContext, response: httpx.Response, seconds: float) -> None:
    """The one INFO line of a call (and, at DEBUG, its redacted bodies)."""
    if not logger.isEnabledFor(logging.INFO):
        return
    body = parse_json_object(response.content)
    error_code: typing.Any = body.get("errorCode") if body else None
    logger.info(
        "%s %s (%s) -> %d conversationId=%s errorCode=%s in %.1f ms",
        context.method,
        context.path,
        context.label,
        response.status_code,
        context.conversation_id,
        error_code,
        seconds * 1000,
    )
    if logger.isEnabledFor(logging.DEBUG):
        # The request JSON is read from its holder where it is used, never bound to a name here.
        if _carries_card_number(context.sent.value if context.sent else None):
            logger.debug("%s: bodies not logged (the request carries a card number)", context.label)
        else:
            logger.debug("%s request: %r", context.label, redact(context.sent.value if context.sent else None))
            logger.debug("%s response: %r", context.label, redact(body))
