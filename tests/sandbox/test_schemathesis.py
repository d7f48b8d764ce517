"""schemathesis over every operation of the spec, against the in-process emulator: no server error, no answer
that violates the spec (schema and content type), and invalid input rejected.

Requests are generated from the spec (valid and invalid ones), signed here over their exact bytes (IYZWSv2 on
every call, so they get past authentication) and sent in-process. iyzico's HTTP status policy (the spec's
description) answers every business or validation outcome with HTTP 200 and `status: failure`, so:

* `negative_data_rejection` (which wants a 4xx) runs through `invalid_input_is_refused`, which counts a
  `200 + status: failure` body as the rejection iyzico gives;
* `ignored_auth` (which re-sends without credentials and wants 401/403) is left out: the emulator's answers to
  missing, unknown and wrong credentials (1000/1001) are tested in `test_auth_and_validation.py`;
* `positive_data_acceptance` (which wants 2xx *and* a success) is left out: a schema-valid request is still
  refused by business rules the schema cannot state (Luhn, basket sum, unknown ids), with HTTP 200 + failure.
"""

from __future__ import annotations

import json
import typing
from collections.abc import Iterator

import httpx
import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    negative_data_rejection,
    response_schema_conformance,
)

from iyzico_client.types import json_dumps
from iyzico_ext._operations import load_spec
from iyzico_ext.sandbox import create_app
from iyzico_ext.sandbox._lookups import PUBLIC_OPERATIONS
from iyzico_ext.sandbox.transport import InProcessTransport
from tests.conftest import CANARIES

from .conftest import BASE_URL, Caller

GeneratedCase = schemathesis.Case[typing.Any]  # generic over the operation type, which these tests do not use

# schemathesis reads the spec with the json module's types: plain JSON numbers instead of Decimal.
schema = schemathesis.openapi.from_dict(json.loads(json_dumps(load_spec())))
# The coverage phase (a deterministic sweep of boundary values) sends ~4000 requests, 20+ s; explicit examples
# and hypothesis fuzzing of valid and invalid requests stay on, bounded by `_EXAMPLES_PER_OPERATION`.
schema.config.phases.coverage.enabled = False
_EXAMPLES_PER_OPERATION = 12  # x 26 operations x (valid, invalid) cases: about 6 s in-process


def _is_failure_body(response: schemathesis.Response) -> bool:
    try:
        body = json.loads(response.content)
    except ValueError:
        return False
    return isinstance(body, dict) and body.get("status") == "failure"


def invalid_input_is_refused(
    ctx: schemathesis.CheckContext, response: schemathesis.Response, case: GeneratedCase
) -> bool | None:
    """`negative_data_rejection` for iyzico: HTTP 200 with `status: failure` is how invalid input is refused."""
    if response.status_code == httpx.codes.OK and _is_failure_body(response):
        return None
    if case.operation.definition.raw.get("operationId") in PUBLIC_OPERATIONS:
        return None  # answered without credentials, as iyzico does (the spec's security scheme cannot say so)
    return negative_data_rejection(ctx, response, case)


CHECKS = [not_a_server_error, response_schema_conformance, content_type_conformance, invalid_input_is_refused]


def wire_bytes(case: GeneratedCase) -> bytes:
    """The exact bytes to sign and send for a generated body.

    Invalid cases may replace the whole body by raw bytes (not JSON at all): those are sent as they are.
    Valid ones are JSON values with Python floats, written with the json module (the client's `json_dumps`
    refuses floats by design: money is Decimal there; here any number the schema allows must reach the server).
    """
    body = case.body
    if body is None or isinstance(body, schemathesis.core.NotSet):
        return b""
    if isinstance(body, bytes):
        return body
    return json.dumps(body, ensure_ascii=False).encode("utf-8")


@pytest.fixture(scope="module")
def caller() -> Iterator[Caller]:
    app = create_app()
    with httpx.Client(transport=InProcessTransport(app), base_url=BASE_URL) as http:
        yield Caller(http)
    app.state.sandbox.close()


def send(case: GeneratedCase, caller: Caller) -> httpx.Response:
    """Send the case with a valid IYZWSv2 signature over its bytes, or with none when the case leaves it out.

    The spec's security scheme makes schemathesis generate an opaque `Authorization` value: where the case has
    one it is replaced by the real signature; an invalid case that omits it is sent without, to be refused.
    """
    content = wire_bytes(case)
    if "Authorization" in (case.headers or {}):
        return caller.raw(case.method, case.formatted_path, content)
    return caller.http.request(
        case.method, case.formatted_path, content=content, headers={"Content-Type": "application/json"}
    )


def _holds_no_canary(context: object, values: object) -> bool:
    """Hypothesis also draws constants it finds in the code (the documented test cards among them), and httpx logs
    the URL: a test card drawn as a path or query value would be in the logs the suite's leak scan reads."""
    return not any(canary in str(values) for canary in CANARIES)


@schema.hooks.apply(_holds_no_canary, name="filter_path_parameters")
@schema.hooks.apply(_holds_no_canary, name="filter_query")
@schema.parametrize()
@settings(max_examples=_EXAMPLES_PER_OPERATION, deadline=None, suppress_health_check=list(HealthCheck))
def test_emulator_conforms_to_spec(case: GeneratedCase, caller: Caller) -> None:
    case.validate_response(send(case, caller), checks=CHECKS)
