"""Hypothesis strategies for iyzico requests, to use in your own tests (needs `pip install iyzico-typed[testing]`).

Valid requests, for every request model of the spec::

    from hypothesis import given
    from iyzico_client.models import CreatePaymentRequest, Currency
    from iyzico_ext.testing import strategies as iyzico_st

    @given(iyzico_st.from_model(CreatePaymentRequest, currency=st.just(Currency.TRY)))
    def test_checkout(request): ...

* `from_model(Model, **field_strategies)` builds any generated request model from its own fields and
  the spec (so a spec change flows through), with iyzico's rules applied: `Decimal` amounts with at
  most 2 decimals, baskets whose items sum exactly to `price` with an independent `paidPrice`,
  marketplace baskets (`subMerchantKey` + `subMerchantPrice` on every item of a PRODUCT payment) and
  plain ones, Luhn-valid card numbers and iyzico's documented test cards, future expiry dates, CVCs
  that fit the scheme, checksum-valid identity numbers, Turkish names and addresses.
* `requests_for(operation_id)` draws whole calls of an operation: the keyword arguments of its
  generated function (`body` and its path and query parameters), so
  `generated_function(operation_id).sync(client=client, **arguments)` is a valid call of any operation.
* The building blocks (`amounts`, `card_numbers`, `payment_cards`, `baskets`, ...) are exported too.

Invalid requests, each labelled by the one rule it breaks::

    @given(iyzico_st.invalid_requests(CreatePaymentRequest))
    def test_refused(broken):  # broken.rule, broken.field, broken.iyzico_code, broken.request
        ...

Card numbers are test cards or synthetic numbers on an unassigned prefix, never real cards, and the
generated models redact card numbers, CVCs and identity numbers in their reprs, so hypothesis's
falsifying examples never print one.
"""

from __future__ import annotations

import typing

from hypothesis import strategies as st

from .._operations import operations
from ._arguments import arguments_for, generated_function
from ._models import Basket, addresses, baskets, card_information, from_model, payment_cards, request_models
from ._rule_breaks import RULES, RuleBreak, applicable_rules, invalid_requests
from ._values import (
    DECLINING_TEST_CARDS,
    INSTALLMENT_COUNTS,
    SUCCESSFUL_TEST_CARDS,
    TEST_CARDS,
    amounts,
    card_holder_names,
    card_numbers,
    cvcs_for,
    emails,
    expiry_dates,
    identity_numbers,
    luhn_valid,
    synthetic_card_numbers,
    turkish_addresses,
    turkish_cities,
    turkish_names,
    turkish_text,
)

__all__ = [
    # whole requests
    "from_model",
    "requests_for",
    "generated_function",
    "request_models",
    "invalid_requests",
    "RuleBreak",
    "RULES",
    "applicable_rules",
    # parts of requests
    "Basket",
    "baskets",
    "payment_cards",
    "card_information",
    "addresses",
    # values
    "amounts",
    "card_numbers",
    "synthetic_card_numbers",
    "luhn_valid",
    "cvcs_for",
    "expiry_dates",
    "identity_numbers",
    "emails",
    "card_holder_names",
    "turkish_names",
    "turkish_cities",
    "turkish_addresses",
    "turkish_text",
    # iyzico's sandbox test cards (iyzico-api.md section g)
    "TEST_CARDS",
    "SUCCESSFUL_TEST_CARDS",
    "DECLINING_TEST_CARDS",
    "INSTALLMENT_COUNTS",
]


def requests_for(operation_id: str, **overrides: st.SearchStrategy[typing.Any]) -> st.SearchStrategy[typing.Any]:
    """Valid calls of the spec operation `operation_id` (e.g. "createPayment"): keyword arguments for its
    generated function, `body` included; a keyword strategy replaces one argument, and for operations with a
    body, the body's own fields (`basket=baskets(marketplace=True)`) when they are not arguments."""
    operation_arguments = {
        name: value for name, value in overrides.items() if name == "body" or name in _arguments(operation_id)
    }
    body_fields = {name: value for name, value in overrides.items() if name not in operation_arguments}
    if body_fields:
        try:
            model = request_models()[operation_id]
        except KeyError:
            raise ValueError(f"{operation_id!r} has no body; unknown arguments {sorted(body_fields)}") from None
        operation_arguments["body"] = from_model(model, **body_fields)
    return arguments_for(operation_id, **operation_arguments)


def _arguments(operation_id: str) -> set[str]:
    operation = operations().get(operation_id)
    if operation is None:
        raise ValueError(f"{operation_id!r} is not an operation of the spec")
    return {parameter.python_name for parameter in operation.parameters}
