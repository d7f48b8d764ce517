"""The spec rules refuse what the runtime cannot handle, and the bundler refuses a name defined twice.

Each case takes one operation of the real (bundled) spec, breaks it in one way, and expects the rule
that names the break; the unbroken spec has no problem at all (tests/test_spec.py).
"""

from __future__ import annotations

import copy
import typing
from collections.abc import Callable
from pathlib import Path

import pytest
import spec_rules  # scripts/, put on sys.path by the pytest configuration
from _spec import bundle, load_spec

Json = typing.Any
SPEC = load_spec()
REPORT = ("/v2/reporting/payment/details", "get")
PAYMENT = ("/payment/auth", "post")


def _operation(spec: Json, where: tuple[str, str]) -> Json:
    return spec["paths"][where[0]][where[1]]


def _param(name: str, location: str = "query", **schema: Json) -> Json:
    return {"name": name, "in": location, "schema": schema or {"type": "string"}, "example": "1"}


BREAKS: dict[str, tuple[tuple[str, str], Callable[[Json], None], str]] = {
    "a GET with a body": (
        REPORT,
        lambda op: op.update(requestBody=copy.deepcopy(_operation(SPEC, PAYMENT)["requestBody"])),
        "a GET carries no body",
    ),
    "a path parameter the template lacks": (
        REPORT,
        lambda op: op["parameters"].append({**_param("token", "path"), "required": True}),
        "must be exactly the template's",
    ),
    "a header parameter": (
        REPORT,
        lambda op: op["parameters"].append(_param("X-Trace", "header")),
        "only path and query",
    ),
    "an array parameter": (
        REPORT,
        lambda op: op["parameters"].append(_param("ids", type="array", items={"type": "string"})),
        "plain string, integer or boolean",
    ),
    "a decimal parameter": (
        REPORT,
        lambda op: op["parameters"].append(_param("amount", type="string", format="decimal")),
        "plain string, integer or boolean",
    ),
    "a parameter without an example": (
        REPORT,
        lambda op: op["parameters"].append({"name": "page", "in": "query", "schema": {"type": "integer"}}),
        "needs an example",
    ),
    "a parameter with a style": (
        REPORT,
        lambda op: op["parameters"].append({**_param("page"), "style": "form"}),
        "default serialization",
    ),
    "a signed field inside a list": (
        REPORT,
        lambda op: op.update(
            {
                "x-iyzico-signature": {
                    "confirmed": True,
                    "recipes": [{"source": "t", "fields": ["payments[].paymentId"]}],
                }
            }
        ),
        "reaches into a list",
    ),
    "a signed field that does not exist": (
        PAYMENT,
        lambda op: op["x-iyzico-signature"]["recipes"][0]["fields"].append("data.nothing"),
        "is not a response property",
    ),
    "an echo of a missing query parameter": (
        REPORT,
        lambda op: op["x-iyzico-echo"].append({"response": "conversationId", "request": "query.nothing"}),
        "must be body.<field>, path.<parameter> or query.<parameter>",
    ),
    "an echo of a missing body field": (
        PAYMENT,
        lambda op: op["x-iyzico-echo"].append("paymentId"),
        "not a request body",
    ),
    "an unknown envelope": (
        REPORT,
        lambda op: op.update({"x-iyzico-envelope": "wrapped"}),
        "x-iyzico-envelope must be",
    ),
    "a data envelope without data": (
        REPORT,
        lambda op: op.update({"x-iyzico-envelope": "data"}),
        "needs a response property `data`",
    ),
    "a form body": (
        PAYMENT,
        lambda op: op["requestBody"]["content"].update({"application/x-www-form-urlencoded": {"schema": {}}}),
        "application/json only",
    ),
    "an unconfirmed choice that says nothing": (
        PAYMENT,
        lambda op: op.update({"x-iyzico-unconfirmed": " "}),
        "x-iyzico-unconfirmed must be a text",
    ),
}


@pytest.mark.parametrize("name", sorted(BREAKS))
def test_the_rules_refuse_what_the_runtime_cannot_handle(name: str) -> None:
    where, breaking, message = BREAKS[name]
    broken = copy.deepcopy(SPEC)
    breaking(_operation(broken, where))
    found = spec_rules.problems(broken)
    assert any(message in problem for problem in found), found


def test_a_name_defined_in_two_parts_is_refused_naming_both() -> None:
    root = {"openapi": "3.1.0", "info": {"title": "t", "version": "1"}, "components": {"schemas": {"A": {}}}}
    part = {"paths": {"/x": {}}, "components": {"schemas": {"A": {}}}}
    with pytest.raises(ValueError, match=r"components/schemas A is defined in both iyzico.yaml and paths/b.yaml"):
        bundle([("iyzico.yaml", root), ("paths/b.yaml", part)])
    with pytest.raises(ValueError, match=r"paths /x is defined in both paths/a.yaml and paths/b.yaml"):
        bundle([("iyzico.yaml", {}), ("paths/a.yaml", {"paths": {"/x": {}}}), ("paths/b.yaml", {"paths": {"/x": {}}})])


def test_a_part_holds_only_what_parts_may_hold() -> None:
    with pytest.raises(ValueError, match="a part may only hold"):
        bundle([("iyzico.yaml", {}), ("paths/a.yaml", {"servers": []})])


def test_the_bundle_is_the_root_and_every_part(tmp_path: Path) -> None:
    spec = tmp_path / "spec"
    (spec / "paths").mkdir(parents=True)
    (spec / "iyzico.yaml").write_text("openapi: 3.1.0\ninfo: {title: t, version: '1'}\n")
    (spec / "paths" / "b.yaml").write_text("tags: [{name: b}]\npaths: {/b: {}}\n")
    (spec / "paths" / "a.yaml").write_text(
        "tags: [{name: a}]\npaths: {/a: {}}\ncomponents: {schemas: {A: {price: 1.10}}}\n"
    )
    bundled = load_spec(spec)
    assert list(bundled["paths"]) == ["/a", "/b"]
    assert [tag["name"] for tag in bundled["tags"]] == ["a", "b"]
    assert str(bundled["components"]["schemas"]["A"]["price"]) == "1.10"  # exact decimals
