"""The verdict CI acts on: do the snapshots match the code, and may its changes ship?

Two questions, kept apart. Drift (the code no longer makes the committed bytes) always
fails: the snapshots are the contract reviewers read. Compatibility compares a baseline
with the code and lets a breaking change through only when `declared` accepts it. The
baseline is the snapshots themselves, or the snapshots at a git revision (`since`): once a
change has been written into the snapshots it no longer differs from them, so a gate that
must outlive that step compares with what the branch started from.
"""

from __future__ import annotations

import json
from collections.abc import Collection, Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path

from ..versioning import VERSIONS
from .change import Change, Severity, ordered
from .declared import DECLARATIONS, Declaration, Violation, undeclared_breaking
from .graphql_changes import graphql_changes
from .openapi_changes import openapi_changes
from .snapshots import (
    OPENAPI_FILE,
    SCHEMA_FILE,
    Snapshots,
    SnapshotUnavailable,
    revisions_changing,
)

# The commit that brought this check: every snapshot change after it is audited.
AUDITED_SINCE = "7c6d4abf424fcb952d6289d723d57869c515b448"
# The dated API versions that exist: a declaration naming another is refused.
DATED: frozenset[date] = frozenset(date.fromisoformat(version) for version in VERSIONS)


@dataclass(frozen=True)
class Verdict:
    """What the check found; `ok` is whether CI may pass."""

    drifted: tuple[str, ...]  # snapshot files the code no longer matches
    changes: tuple[Change, ...]  # from the baseline to the code, worst first
    violations: tuple[Violation, ...]  # breaking changes not declared as they must be

    @property
    def ok(self) -> bool:
        return not self.drifted and not self.violations


def classify(old: Snapshots, new: Snapshots) -> list[Change]:
    """Every change from `old` to `new`, on both surfaces, worst first."""
    changes = graphql_changes(old.schema, new.schema)
    rest = openapi_changes(json.loads(old.openapi), json.loads(new.openapi))
    if not rest and old.openapi != new.openapi:  # words and examples are not compared
        rest.append(
            Change(
                "rest",
                "TEXT_CHANGED",
                OPENAPI_FILE,
                f"{OPENAPI_FILE} changed only where no client depends on it "
                "(descriptions, examples, order).",
                Severity.SAFE,
            )
        )
    return ordered(changes + rest)


def check(
    snapshots: Snapshots,
    code: Snapshots,
    *,
    changelog: str,
    today: date,
    baseline: Snapshots | None = None,
    declarations: Iterable[Declaration] = DECLARATIONS,
    versions: Collection[date] | None = None,
) -> Verdict:
    """Compare the code with the committed snapshots (and the changes with `baseline`)."""
    drifted = tuple(
        name
        for name, committed, made in (
            (SCHEMA_FILE, snapshots.schema, code.schema),
            (OPENAPI_FILE, snapshots.openapi, code.openapi),
        )
        if committed != made
    )
    changes = classify(baseline or snapshots, code)
    violations = undeclared_breaking(
        changes, changelog=changelog, today=today, declarations=declarations, versions=versions
    )
    return Verdict(drifted, tuple(changes), tuple(violations))


def audit_history(
    directory: Path,
    *,
    changelog: str,
    today: date,
    since: str = AUDITED_SINCE,
    declarations: Iterable[Declaration] = DECLARATIONS,
) -> list[Violation]:
    """The undeclared breaking changes of every commit after `since` that changed the
    snapshots, each against its parent.

    This is what makes the gate hold on a branch that has already landed: a breaking change
    written into the snapshots in the same commit matches them, but not its parent.
    """
    found = []
    for revision in revisions_changing(directory, since):
        changes = classify(
            Snapshots.from_git(f"{revision}~1", directory), Snapshots.from_git(revision, directory)
        )
        for violation in undeclared_breaking(
            changes, changelog=changelog, today=today, declarations=declarations, versions=DATED
        ):
            found.append(
                Violation(violation.change, f"(commit {revision[:10]}) {violation.problem}")
            )
    return found


def check_tree(directory: Path, changelog: Path, *, since: str | None = None) -> Verdict:
    """`check` for a working tree: snapshots in `directory`, CHANGELOG.md at `changelog`;
    with git, the snapshot changes of every commit since `AUDITED_SINCE` too."""
    text = changelog.read_text() if changelog.exists() else ""
    today = datetime.now(UTC).date()
    verdict = check(
        Snapshots.from_dir(directory),
        Snapshots.from_code(),
        changelog=text,
        today=today,
        baseline=Snapshots.from_git(since, directory) if since else None,
        versions=DATED,
    )
    try:
        history = audit_history(directory, changelog=text, today=today)
    except SnapshotUnavailable:  # an unpacked archive: no history to audit
        return verdict
    return Verdict(verdict.drifted, verdict.changes, verdict.violations + tuple(history))
