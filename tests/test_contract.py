"""The API contract check: drift fails, a breaking change fails unless declared, safe passes.

Every case starts from the committed documents (docs/schema.graphql, docs/openapi.json)
and changes a copy in memory the way a careless commit would change the code; the copy
plays the code, the committed file the snapshot. See docs/api-changes.md.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from collections.abc import Callable
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from shopgraph.cli import app
from shopgraph.contract import Change, Declaration, Severity, Snapshots, Verdict, check
from shopgraph.contract.graphql_changes import graphql_changes
from shopgraph.contract.snapshots import SnapshotUnavailable
from shopgraph.contract.verdict import DATED, audit_history

ROOT = Path(__file__).parent.parent
DOCS = ROOT / "docs"
TODAY = date(2026, 6, 1)
Json = dict[str, Any]


@pytest.fixture(scope="module")
def committed() -> Snapshots:
    return Snapshots.from_dir(DOCS)


def _with_schema(snapshots: Snapshots, edit: Callable[[str], str]) -> Snapshots:
    schema = edit(snapshots.schema)
    assert schema != snapshots.schema, "the edit changed nothing"
    return Snapshots(schema, snapshots.openapi)


def _with_openapi(snapshots: Snapshots, edit: Callable[[Json], object]) -> Snapshots:
    document = json.loads(snapshots.openapi)
    edit(document)
    return Snapshots(snapshots.schema, json.dumps(document, indent=2, sort_keys=True) + "\n")


def _in_type(name: str, edit: Callable[[str], str]) -> Callable[[str], str]:
    """An edit of one type's block of SDL (`type Product implements Node { ... }`)."""

    def apply(schema: str) -> str:
        block = re.search(rf"^(type|input) {name}\b[^{{]*\{{.*?^\}}", schema, re.M | re.S)
        assert block is not None, f"no type {name}"
        return schema[: block.start()] + edit(block.group()) + schema[block.end() :]

    return apply


def _operation(document: Json, method: str, path: str) -> Json:
    operation: Json = document["paths"][path][method]
    return operation


def _parameter(document: Json, method: str, path: str, name: str) -> Json:
    parameters = _operation(document, method, path)["parameters"]
    return next(parameter for parameter in parameters if parameter["name"] == name)


def _rename_limit(document: Json) -> None:
    _parameter(document, "get", "/v1/products", "limit")["name"] = "page_size"


def _verdict(
    committed: Snapshots,
    code: Snapshots,
    *,
    declarations: tuple[Declaration, ...] = (),
    changelog: str = "",
) -> Verdict:
    return check(committed, code, changelog=changelog, today=TODAY, declarations=declarations)


def _places(changes: tuple[Change, ...] | list[Change]) -> set[tuple[str, str, str, Severity]]:
    return {(change.surface, change.kind, change.where, change.severity) for change in changes}


def _baseline() -> Snapshots | None:
    """The snapshots this tree started from (git `HEAD`, or SHOPGRAPH_CONTRACT_BASE in CI).

    Compared with them, a breaking change is caught even after the snapshots were rewritten
    to match it. Without git (an unpacked archive) only the committed snapshots count.
    """
    revision = os.environ.get("SHOPGRAPH_CONTRACT_BASE")
    try:
        return Snapshots.from_git(revision or "HEAD", DOCS)
    except SnapshotUnavailable:
        if revision:  # asked for, so it must exist
            raise
        return None


def test_the_code_matches_the_snapshots_and_breaks_nothing(committed: Snapshots) -> None:
    verdict = check(
        committed,
        Snapshots.from_code(),
        changelog=(ROOT / "CHANGELOG.md").read_text(),
        today=datetime.now(UTC).date(),
        baseline=_baseline(),
        versions=DATED,
    )
    assert verdict.drifted == (), "the code no longer makes " + ", ".join(verdict.drifted)
    assert verdict.violations == (), "\n".join(str(violation) for violation in verdict.violations)


def test_the_changelog_has_an_unreleased_section() -> None:
    assert "## [Unreleased]" in (ROOT / "CHANGELOG.md").read_text()


def test_a_removed_graphql_field_is_breaking_and_fails(committed: Snapshots) -> None:
    code = _with_schema(
        committed, _in_type("Product", lambda block: block.replace("  sku: String!\n", ""))
    )

    verdict = _verdict(committed, code)

    assert _places(verdict.changes) == {
        ("graphql", "FIELD_REMOVED", "Product.sku", Severity.BREAKING)
    }
    assert [violation.change.where for violation in verdict.violations] == ["Product.sku"]
    assert "Field Product.sku was removed." in str(verdict.violations[0])
    assert verdict.drifted == ("schema.graphql",)
    assert not verdict.ok


def test_a_renamed_rest_parameter_is_breaking_and_fails_naming_route_and_parameter(
    committed: Snapshots,
) -> None:
    code = _with_openapi(committed, _rename_limit)

    verdict = _verdict(committed, code)

    assert _places(verdict.changes) == {
        ("rest", "PARAMETER_RENAMED", "GET /v1/products query.limit", Severity.BREAKING)
    }
    [violation] = verdict.violations
    message = str(violation)
    assert "Query parameter `limit` of GET /v1/products was renamed to `page_size`" in message
    assert "Undeclared" in message
    assert not verdict.ok


def test_a_breaking_change_written_into_the_snapshots_is_still_caught_since_the_base(
    committed: Snapshots,
) -> None:
    # Rewriting the snapshots ends the drift, not the change: CI compares with the base.
    code = _with_openapi(committed, _rename_limit)
    verdict = check(code, code, changelog="", today=TODAY, declarations=(), baseline=committed)
    assert verdict.drifted == ()
    assert [violation.change.where for violation in verdict.violations] == [
        "GET /v1/products query.limit"
    ]


@pytest.mark.skipif(not shutil.which("git"), reason="needs git")
def test_a_landed_commit_that_broke_the_contract_is_caught_in_the_history(
    committed: Snapshots, tmp_path: Path
) -> None:
    """A repository whose second commit renamed a parameter and its snapshot together:
    the tree is consistent, the history audit is not; declared and listed, it passes."""

    def git(*args: str) -> str:
        done = subprocess.run(
            ["git", "-c", "user.name=t", "-c", "user.email=t@example.com", *args],
            cwd=tmp_path,
            capture_output=True,
            text=True,
            check=True,
        )
        return done.stdout.strip()

    docs = tmp_path / "docs"
    docs.mkdir()
    git("init", "-q")

    def commit(snapshots: Snapshots, message: str) -> str:
        (docs / "schema.graphql").write_text(snapshots.schema)
        (docs / "openapi.json").write_text(snapshots.openapi)
        git("add", "-A")
        git("commit", "-qm", message)
        return git("rev-parse", "HEAD")

    start = commit(committed, "the contract as it was")
    commit(_with_openapi(committed, _rename_limit), "rename limit, snapshots rewritten")
    [violation] = audit_history(docs, changelog="", today=TODAY, since=start)
    assert violation.change.where == "GET /v1/products query.limit"
    assert "(commit " in violation.problem
    declared = Declaration(
        "rest", "GET /v1/products query.limit", "page_size", version=date(2026, 12, 6)
    )
    assert (
        audit_history(
            docs,
            changelog="- `GET /v1/products query.limit` is now `page_size`",
            today=TODAY,
            since=start,
            declarations=(declared,),
        )
        == []
    )


def test_no_commit_since_the_check_arrived_broke_the_contract_undeclared() -> None:
    try:
        found = audit_history(
            DOCS, changelog=(ROOT / "CHANGELOG.md").read_text(), today=datetime.now(UTC).date()
        )
    except SnapshotUnavailable as unavailable:
        pytest.skip(f"no git history here: {unavailable}")
    assert found == [], "\n".join(str(violation) for violation in found)


def test_the_command_fails_on_a_removed_field_and_a_renamed_parameter(
    committed: Snapshots, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Here the snapshots are the edited copy and the code is the code: a snapshot with a
    # field and a parameter name the code lacks is the code having removed and renamed them.
    snapshots = _with_schema(
        committed,
        _in_type("Product", lambda block: block.replace("  sku:", "  barcode: String\n  sku:")),
    )
    snapshots = _with_openapi(
        snapshots,
        lambda document: _parameter(document, "get", "/v1/products", "limit").update(
            name="page_size"
        ),
    )
    (tmp_path / "schema.graphql").write_text(snapshots.schema)
    (tmp_path / "openapi.json").write_text(snapshots.openapi)
    monkeypatch.delenv("SHOPGRAPH_CONTRACT_BASE", raising=False)

    result = CliRunner().invoke(
        app,
        [
            "contract",
            "check",
            "--against-dir",
            str(tmp_path),
            "--changelog",
            str(ROOT / "CHANGELOG.md"),
        ],
    )

    assert result.exit_code == 1, result.output
    assert "graphql Product.barcode: Field Product.barcode was removed." in result.output
    assert (
        "rest    GET /v1/products query.page_size: Query parameter `page_size` of "
        "GET /v1/products was renamed to `limit`" in result.output
    )
    assert "not allowed to ship (2)" in result.output
    assert "schema.graphql does not match the code" in result.output


def test_the_command_passes_on_the_committed_snapshots(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SHOPGRAPH_CONTRACT_BASE", raising=False)
    result = CliRunner().invoke(
        app,
        [
            "contract",
            "check",
            "--against-dir",
            str(DOCS),
            "--changelog",
            str(ROOT / "CHANGELOG.md"),
        ],
    )
    assert result.exit_code == 0, result.output
    assert "the contract holds" in result.output


def test_adding_optional_fields_and_parameters_is_safe(committed: Snapshots) -> None:
    def add_to_product(block: str) -> str:
        return block.replace("  sku: String!\n", "  sku: String!\n  barcode: String\n")

    def add_to_rest(document: Json) -> None:
        _operation(document, "get", "/v1/products")["parameters"].append(
            {"in": "query", "name": "barcode", "required": False, "schema": {"type": "string"}}
        )
        create = document["components"]["schemas"]["ProductCreate"]
        create["properties"]["barcode"] = {"type": "string", "maxLength": 64}
        product = document["components"]["schemas"]["Product"]
        product["properties"]["barcode"] = {"anyOf": [{"type": "string"}, {"type": "null"}]}
        product["required"].append("barcode")

    code = _with_openapi(_with_schema(committed, _in_type("Product", add_to_product)), add_to_rest)

    verdict = _verdict(committed, code)

    assert _places(verdict.changes) == {
        ("graphql", "FIELD_ADDED", "Product.barcode", Severity.SAFE),
        ("rest", "OPTIONAL_PARAMETER_ADDED", "GET /v1/products query.barcode", Severity.SAFE),
        ("rest", "FIELD_ADDED", "ProductCreate.barcode", Severity.SAFE),
        ("rest", "FIELD_ADDED", "Product.barcode", Severity.SAFE),
    }
    assert verdict.violations == ()
    assert verdict.drifted == ("schema.graphql", "openapi.json")  # still to be written


def test_an_optional_graphql_argument_is_dangerous_but_passes(committed: Snapshots) -> None:
    # graphql-core's verdict: an old client's request is unchanged, but a field's results
    # may now differ between clients that send the argument and clients that do not.
    code = _with_schema(
        committed,
        _in_type(
            "Product",
            lambda block: block.replace("  sales(\n", "  sales(\n    currency: String = null\n"),
        ),
    )
    verdict = _verdict(committed, code)
    assert _places(verdict.changes) == {
        ("graphql", "OPTIONAL_ARG_ADDED", "Product.sales(currency:)", Severity.DANGEROUS)
    }
    assert verdict.violations == ()


RENAME = Declaration(
    "rest",
    "GET /v1/products query.limit",
    "`page_size` says what it counts",
    version=date(2026, 5, 1),
)
CHANGELOG = """# Changelog

## [Unreleased]

### Changed
- Version 2026-05-01: `GET /v1/products query.limit` is now `page_size`.
"""


def test_a_declared_change_named_in_the_changelog_passes(committed: Snapshots) -> None:
    verdict = _verdict(
        committed,
        _with_openapi(committed, _rename_limit),
        declarations=(RENAME,),
        changelog=CHANGELOG,
    )
    assert verdict.violations == ()
    assert [change.breaking for change in verdict.changes] == [True]  # still reported


def test_a_declared_change_missing_from_the_changelog_fails(committed: Snapshots) -> None:
    verdict = _verdict(
        committed,
        _with_openapi(committed, _rename_limit),
        declarations=(RENAME,),
        changelog=CHANGELOG.replace("`GET /v1/products query.limit`", "the limit parameter"),
    )
    [violation] = verdict.violations
    assert violation.problem == (
        "Declared, but CHANGELOG.md does not name `GET /v1/products query.limit`."
    )


@pytest.mark.parametrize(
    ("sunset", "passes"),
    [(date(2026, 5, 31), True), (TODAY, True), (date(2026, 6, 2), False)],
)
def test_a_removal_passes_only_after_the_deprecations_sunset(
    committed: Snapshots, sunset: date, passes: bool
) -> None:
    removal = Declaration("graphql", "Product.sku", "deprecated for `code`", sunset=sunset)
    code = _with_schema(
        committed, _in_type("Product", lambda block: block.replace("  sku: String!\n", ""))
    )

    verdict = _verdict(
        committed,
        code,
        declarations=(removal,),
        changelog="## [Unreleased]\n### Removed\n- `Product.sku` (GraphQL)\n",
    )

    if passes:
        assert verdict.violations == ()
    else:
        [violation] = verdict.violations
        assert "its sunset (2026-06-02) has not passed" in violation.problem


def test_a_declaration_for_an_unknown_version_fails(committed: Snapshots) -> None:
    verdict = check(
        committed,
        _with_openapi(committed, _rename_limit),
        changelog=CHANGELOG,
        today=TODAY,
        declarations=(RENAME,),
        versions={date(2025, 1, 1)},
    )
    [violation] = verdict.violations
    assert violation.problem == "Declared for API version 2026-05-01, which does not exist."


def test_a_declaration_names_a_version_or_a_sunset() -> None:
    with pytest.raises(ValueError, match="either the version"):
        Declaration("rest", "GET /v1/products", "neither")
    with pytest.raises(ValueError, match="either the version"):
        Declaration("rest", "GET /v1/products", "both", version=TODAY, sunset=TODAY)


def _drop_property(schema: str, name: str) -> Callable[[Json], None]:
    def edit(document: Json) -> None:
        component = document["components"]["schemas"][schema]
        del component["properties"][name]
        if name in component.get("required", ()):
            component["required"].remove(name)

    return edit


def _set_property(schema: str, name: str, value: Json) -> Callable[[Json], None]:
    def edit(document: Json) -> None:
        document["components"]["schemas"][schema]["properties"][name] = value

    return edit


def _require(schema: str, name: str) -> Callable[[Json], None]:
    def edit(document: Json) -> None:
        component = document["components"]["schemas"][schema]
        component["properties"][name] = {"type": "string"}
        component["required"].append(name)

    return edit


def _enum(schema: str, name: str, values: list[str]) -> Callable[[Json], None]:
    def edit(document: Json) -> None:
        document["components"]["schemas"][schema]["properties"][name]["enum"] = values

    return edit


STATUSES = ["pending", "paid", "fulfilled", "cancelled", "refunded", "partially_refunded"]


@pytest.mark.parametrize(
    ("edit", "kind", "where", "severity"),
    [
        pytest.param(
            _drop_property("Product", "sku"),
            "FIELD_REMOVED",
            "Product.sku",
            Severity.BREAKING,
            id="response field removed",
        ),
        pytest.param(
            _set_property("Product", "name", {"anyOf": [{"type": "string"}, {"type": "null"}]}),
            "TYPE_WIDENED",
            "Product.name",
            Severity.BREAKING,
            id="response field may now be null",
        ),
        pytest.param(
            _set_property("Product", "description", {"type": "string"}),
            "TYPE_NARROWED",
            "Product.description",
            Severity.SAFE,
            id="response field no longer null",
        ),
        pytest.param(
            _set_property("Product", "sku", {"type": "integer"}),
            "TYPE_CHANGED",
            "Product.sku",
            Severity.BREAKING,
            id="response field changed type",
        ),
        pytest.param(
            _require("ProductCreate", "barcode"),
            "REQUIRED_FIELD_ADDED",
            "ProductCreate.barcode",
            Severity.BREAKING,
            id="new required request field",
        ),
        pytest.param(
            lambda document: document["components"]["schemas"]["ProductCreate"]["properties"][
                "name"
            ].update(maxLength=100),
            "BOUND_NARROWED",
            "ProductCreate.name",
            Severity.BREAKING,
            id="request field narrowed",
        ),
        pytest.param(
            lambda document: _parameter(document, "get", "/v1/products", "sort")["schema"][
                "enum"
            ].remove("price"),
            "ENUM_VALUE_REMOVED",
            "GET /v1/products query.sort",
            Severity.BREAKING,
            id="enum value removed from an input",
        ),
        pytest.param(
            _enum("Order", "status", [*STATUSES, "on_hold"]),
            "ENUM_VALUE_ADDED",
            "Order.status",
            Severity.DANGEROUS,
            id="enum value added to a response",
        ),
        pytest.param(
            _enum("Order", "status", STATUSES[1:]),
            "ENUM_VALUE_REMOVED",
            "Order.status",
            Severity.BREAKING,
            id="enum value removed from a response",
        ),
        pytest.param(
            lambda document: _parameter(document, "get", "/v1/products", "sku").update(
                required=True
            ),
            "PARAMETER_BECAME_REQUIRED",
            "GET /v1/products query.sku",
            Severity.BREAKING,
            id="parameter became required",
        ),
        pytest.param(
            lambda document: document["paths"]["/v1/products/{id}"].pop("get"),
            "OPERATION_REMOVED",
            "GET /v1/products/{id}",
            Severity.BREAKING,
            id="route removed",
        ),
    ],
)
def test_rest_changes_are_classified(
    committed: Snapshots, edit: Callable[[Json], object], kind: str, where: str, severity: Severity
) -> None:
    verdict = _verdict(committed, _with_openapi(committed, edit))
    assert _places(verdict.changes) == {("rest", kind, where, severity)}
    assert [violation.change.where for violation in verdict.violations] == (
        [where] if severity is Severity.BREAKING else []
    )


def test_a_change_to_a_shared_schema_names_the_routes_that_use_it(committed: Snapshots) -> None:
    verdict = _verdict(committed, _with_openapi(committed, _drop_property("Product", "sku")))
    [change] = verdict.changes
    assert change.description.startswith("Response field Product.sku was removed")
    assert "(in GET /v1/products, GET /v1/products/{id}, PATCH /v1/products/{id} and " in (
        change.description
    )


def test_what_the_contract_does_not_promise_is_not_a_change(committed: Snapshots) -> None:
    def reword_and_rename(document: Json) -> None:
        _operation(document, "get", "/v1/products")["summary"] = "Products, a page at a time"
        item = document["paths"].pop("/v1/products/{id}")  # a path variable's name
        for operation in item.values():
            for parameter in operation.get("parameters", ()):
                if parameter["name"] == "id":
                    parameter["name"] = "product_id"
        document["paths"]["/v1/products/{product_id}"] = item

    verdict = _verdict(committed, _with_openapi(committed, reword_and_rename))
    assert _places(verdict.changes) == {("rest", "TEXT_CHANGED", "openapi.json", Severity.SAFE)}
    assert verdict.violations == ()


@pytest.mark.parametrize(
    ("old", "new", "where"),
    [
        ("type Query { a(x: Int): Int }", "type Query { a: Int }", "Query.a(x:)"),
        ("type Query { a: Int }", "type Query { a(x: Int!): Int }", "Query.a(x:)"),
        ("type Query { a: E } enum E { X Y }", "type Query { a: E } enum E { X }", "E.Y"),
        (
            "type Query { a: U } union U = A | B type A { x: Int } type B { x: Int }",
            "type Query { a: U, b: B } union U = A type A { x: Int } type B { x: Int }",
            "U",
        ),
        ("type Query { a: Int } type T { x: Int }", "type Query { a: Int }", "T"),
        (
            "type Query { a(i: I): Int } input I { x: Int }",
            "type Query { a(i: I): Int } input I { x: Int, y: Int! }",
            "I.y",
        ),
        ("type Query { a: Int } directive @d on FIELD", "type Query { a: Int }", "@d"),
    ],
)
def test_graphql_changes_are_placed_by_schema_coordinate(old: str, new: str, where: str) -> None:
    [change] = [change for change in graphql_changes(old, new) if change.breaking]
    assert change.where == where
