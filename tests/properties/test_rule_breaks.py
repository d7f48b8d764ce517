"""Every rule-breaking variant is refused by the client with the matching field and rule, before a byte is sent."""

from __future__ import annotations

import re

import httpx
import pytest
from hypothesis import given
from hypothesis import strategies as st

from iyzico_ext import IyzicoClient, RequestValidationError
from iyzico_ext.testing import strategies as iyzico_st

from ._support import OPERATIONS_WITH_BODY, call

RULE_OPERATIONS = [
    name for name in OPERATIONS_WITH_BODY if iyzico_st.applicable_rules(iyzico_st.request_models()[name])
]


class _NothingMayBeSent:
    """A transport that records what reaches it; the client must refuse before it is ever called."""

    def __init__(self) -> None:
        self.requests: list[httpx.Request] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        return httpx.Response(500)


def test_every_rule_applies_to_some_operation() -> None:
    applicable = {
        rule for name in RULE_OPERATIONS for rule in iyzico_st.applicable_rules(iyzico_st.request_models()[name])
    }
    assert applicable == set(iyzico_st.RULES)


@given(st.sampled_from(RULE_OPERATIONS), st.data())
def test_every_invalid_variant_is_refused_with_its_rule_and_nothing_sent(
    operation_id: str, data: st.DataObject
) -> None:
    broken: iyzico_st.RuleBreak[object] = data.draw(
        iyzico_st.invalid_requests(iyzico_st.request_models()[operation_id]), label="broken"
    )
    # The operation's path and query parameters, if it has any, are valid ones.
    arguments = data.draw(iyzico_st.requests_for(operation_id, body=st.just(broken.request)), label="call")
    wire = _NothingMayBeSent()
    client = IyzicoClient("sandbox-ak-test", "sk-test", transport=httpx.MockTransport(wire))
    # The body is the broken request; path and query parameters (updateIyziLinkProduct's token) are drawn.
    arguments = data.draw(iyzico_st.requests_for(operation_id, body=st.just(broken.request)), label="call")
    with client, pytest.raises(RequestValidationError) as refused:
        call(client, operation_id, **arguments)
    error = refused.value
    assert error.field == broken.field, f"{broken.rule}: refused for {error.field}: {error.rule}"
    if broken.iyzico_code is not None:
        assert re.search(rf"\b{broken.iyzico_code}\b", error.rule), f"{broken.rule}: {error.rule}"
    assert wire.requests == []
