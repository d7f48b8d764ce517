"""`scripts/spec_diff.py`: the API changes between two commits of this repository, between synthetic edits of a
temporary copy of the spec, and the changelog rule of `scripts/check.py` in a throwaway git repository."""

from __future__ import annotations

import copy
import os
import shutil
import subprocess
import sys
import typing
from pathlib import Path

import _spec_diff as spec_diff
import pytest
from _spec import load_spec

ROOT = Path(__file__).resolve().parents[1]
Json = typing.Any

# The commit that added the reporting and settlement family (7 operations), and the one that split the spec
# into a root and one part per family (no API change).
REPORTING_FAMILY = "d3d87bb"
SPEC_SPLIT = "6cbd7d7"


def _cli(*arguments: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "spec_diff.py"), *arguments],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={**os.environ, "IYZICO_BOOTSTRAPPED": "1"},
        check=False,
    )


def test_the_commit_that_added_the_reporting_family_adds_its_seven_operations() -> None:
    result = _cli(f"{REPORTING_FAMILY}^", REPORTING_FAMILY)
    assert result.returncode == 0, result.stderr
    assert (
        result.stdout.splitlines()[0] == f"API changes from {REPORTING_FAMILY}^ to {REPORTING_FAMILY}: 7 (0 breaking)"
    )
    changes = spec_diff.diff(spec_diff.load(f"{REPORTING_FAMILY}^"), spec_diff.load(REPORTING_FAMILY))
    assert [(change.operation, change.what, change.breaking) for change in changes] == [
        ("initializeRefundToBalance", "operation added (POST /payment/refund-to-balance/init)", False),
        ("refundChargedFromMerchant", "operation added (POST /payment/iyzipos/refund/merchant/charge)", False),
        ("retrieveBouncedBankTransfers", "operation added (POST /reporting/settlement/bounced)", False),
        ("retrieveDailyTransactionsReport", "operation added (GET /v2/reporting/payment/transactions)", False),
        ("retrievePaymentDetailsReport", "operation added (GET /v2/reporting/payment/details)", False),
        ("retrievePayoutCompletedTransactions", "operation added (POST /reporting/settlement/payoutcompleted)", False),
        ("scrollTransactionsReport", "operation added (GET /v2/reporting/payment/scroll-transactions)", False),
    ]


def test_splitting_the_spec_into_parts_changed_no_api() -> None:
    result = _cli(f"{SPEC_SPLIT}^", SPEC_SPLIT)
    assert result.stdout == f"No API changes from {SPEC_SPLIT}^ to {SPEC_SPLIT}.\n"


def test_an_unknown_ref_is_a_clear_error() -> None:
    result = _cli("no-such-ref", "HEAD")
    assert result.returncode == 2
    assert "'no-such-ref' is neither a file, a folder nor a git commit" in result.stderr


@pytest.fixture(scope="module")
def spec() -> Json:
    return load_spec()


def _changes(spec: Json, edit: typing.Callable[[Json], None]) -> list[tuple[str, str, bool]]:
    edited = copy.deepcopy(spec)
    edit(edited)
    return [(change.operation, change.what, change.breaking) for change in spec_diff.diff(spec, edited)]


def _schema(spec: Json, name: str) -> Json:
    return spec["components"]["schemas"][name]


def _properties_holding(spec: Json, name: str, field: str) -> Json:
    """The `properties` mapping that declares `field` for schema `name` (through `allOf` and `$ref`)."""
    pending = [_schema(spec, name)]
    while pending:
        schema = pending.pop()
        if "$ref" in schema:
            pending.append(_schema(spec, schema["$ref"].rsplit("/", 1)[-1]))
        if field in schema.get("properties", {}):
            return schema["properties"]
        pending.extend(schema.get("allOf", []))
    raise KeyError(f"{name} has no {field}")


def test_a_removed_operation_breaks(spec: Json) -> None:
    changes = _changes(spec, lambda s: s["paths"].pop("/payment/bin/check"))
    assert changes == [("checkBin", "operation removed (POST /payment/bin/check)", True)]


def test_required_flags_of_request_fields(spec: Json) -> None:
    def require_conversation_id(s: Json) -> None:
        _schema(s, "CheckBinRequest")["required"] = ["binNumber", "conversationId"]

    # An echo of a value the request now always sends is a field every success carries.
    assert _changes(spec, require_conversation_id) == [
        ("checkBin", "request field `conversationId` is now required", True),
        ("checkBin", "response field `conversationId` now guaranteed on a success (non-optional on the model)", False),
    ]
    relaxed = _changes(spec, lambda s: _schema(s, "CheckBinRequest").update(required=[]))
    assert relaxed == [
        ("checkBin", "request field `binNumber` is now optional", False),
        # ... and the answer's echo of it is no longer certain: a breaking change for code reading it.
        ("checkBin", "response field `binNumber` no longer guaranteed on a success (now optional on the model)", True),
    ]


def test_request_fields_added_and_removed(spec: Json) -> None:
    def add(s: Json) -> None:
        _schema(s, "CheckBinRequest")["properties"]["cardBrand"] = {"type": "string"}

    assert _changes(spec, add) == [("checkBin", "request field `cardBrand` added (optional, string)", False)]

    def add_required(s: Json) -> None:
        add(s)
        _schema(s, "CheckBinRequest")["required"].append("cardBrand")

    assert _changes(spec, add_required) == [("checkBin", "request field `cardBrand` added (required, string)", True)]
    removed = _changes(spec, lambda s: _schema(s, "CheckBinRequest")["properties"].pop("conversationId"))
    assert ("checkBin", "request field `conversationId` removed", True) in removed


def test_enum_values_of_a_request_field(spec: Json) -> None:
    added = _changes(spec, lambda s: _schema(s, "Currency")["enum"].append("JPY"))
    assert ("createPayment", "request field `currency` enum values added: JPY", False) in added
    assert all(not breaking for _, what, breaking in added if what.startswith("request")), added
    removed = _changes(spec, lambda s: _schema(s, "Currency")["enum"].remove("IRR"))
    assert ("createPayment", "request field `currency` enum values removed: IRR", True) in removed


def test_signed_fields(spec: Json) -> None:
    def drop_basket_id(s: Json) -> None:
        recipe = s["paths"]["/payment/auth"]["post"]["x-iyzico-signature"]["recipes"][0]
        recipe["fields"] = [field for field in recipe["fields"] if field != "basketId"]

    changes = _changes(spec, drop_basket_id)
    signed = "paymentId + currency + basketId + conversationId + paidPrice + price"
    assert (
        "createPayment",
        f"signed fields (x-iyzico-signature): [{signed}] -> [{signed.replace('basketId + ', '')}]",
        False,
    ) in changes


def test_nested_response_fields_removed_once_and_marked_breaking(spec: Json) -> None:
    changes = _changes(
        spec, lambda s: _properties_holding(s, "PaymentResource", "itemTransactions").pop("itemTransactions")
    )
    mine = [change for change in changes if change[0] == "retrievePayment"]
    assert ("retrievePayment", "response field `itemTransactions` removed", True) in mine
    assert not [change for change in mine if "itemTransactions[]." in change[1]]


def test_the_cli_compares_a_temp_copy_edited_as_text(tmp_path: Path) -> None:
    edited = Path(
        shutil.copytree(ROOT / "spec", tmp_path / "spec", ignore=shutil.ignore_patterns("templates", "runtime"))
    )
    part = edited / "paths" / "bin_installment.yaml"
    part.write_text(part.read_text(encoding="utf-8").replace("required: [binNumber]", "required: [binNumber, locale]"))
    result = _cli(str(ROOT / "spec"), str(edited))
    assert result.returncode == 0, result.stderr
    assert "checkBin\n  BREAKING request field `locale` is now required\n" in result.stdout
    assert "1 (1 breaking)" in result.stdout.splitlines()[0]


# -- the changelog rule ------------------------------------------------------------------------------------


def _git(repo: Path, *arguments: str) -> None:
    subprocess.run(["git", *arguments], cwd=repo, check=True, capture_output=True)  # noqa: S607 (git from PATH, as a maintainer runs it)


@pytest.fixture
def released(tmp_path: Path) -> Path:
    """A repository whose spec is this one's, released as v0.1.0."""
    shutil.copytree(ROOT / "spec", tmp_path / "spec", ignore=shutil.ignore_patterns("templates", "runtime"))
    (tmp_path / "CHANGELOG.md").write_text("# Changelog\n\n## 0.2.0 (unreleased)\n\n## 0.1.0\n\n* First.\n")
    _git(tmp_path, "init", "-q")
    _git(tmp_path, "add", ".")
    _git(tmp_path, "-c", "user.name=t", "-c", "user.email=t@example.com", "commit", "-qm", "0.1.0")
    _git(tmp_path, "tag", "v0.1.0")
    return tmp_path


def _break_check_bin(repo: Path) -> None:
    part = repo / "spec" / "paths" / "bin_installment.yaml"
    part.write_text(part.read_text(encoding="utf-8").replace("required: [binNumber]", "required: [binNumber, locale]"))


def test_no_release_tag_means_nothing_to_break(tmp_path: Path) -> None:
    (tmp_path / "spec").mkdir()
    _git(tmp_path, "init", "-q")
    assert spec_diff.changelog_check(tmp_path) == (
        True,
        ["no release tag (v[0-9]*) yet: nothing released, so nothing to break"],
    )


def test_an_unchanged_spec_passes(released: Path) -> None:
    assert spec_diff.changelog_check(released) == (
        True,
        ["0 breaking spec change(s) since v0.1.0, each named in CHANGELOG.md's unreleased section"],
    )


def test_a_breaking_change_the_changelog_does_not_name_fails(released: Path) -> None:
    _break_check_bin(released)
    passed, lines = spec_diff.changelog_check(released)
    assert not passed
    assert lines[0] == (
        "breaking spec change since v0.1.0 that CHANGELOG.md's unreleased section does not name: "
        "BREAKING checkBin: request field `locale` is now required"
    )


def test_naming_it_in_a_released_section_is_not_enough(released: Path) -> None:
    _break_check_bin(released)
    changelog = released / "CHANGELOG.md"
    changelog.write_text(changelog.read_text().replace("* First.", "* First. checkBin takes a locale."))
    assert not spec_diff.changelog_check(released)[0]


def test_naming_it_in_the_unreleased_section_passes(released: Path) -> None:
    _break_check_bin(released)
    changelog = released / "CHANGELOG.md"
    text = changelog.read_text().replace("(unreleased)\n", "(unreleased)\n\n* Breaking: `checkBin` needs `locale`.\n")
    changelog.write_text(text)
    assert spec_diff.changelog_check(released) == (
        True,
        ["1 breaking spec change(s) since v0.1.0, each named in CHANGELOG.md's unreleased section"],
    )
