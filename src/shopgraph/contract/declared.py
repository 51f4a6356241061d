"""Breaking changes made on purpose, and the check that every other one is refused.

A breaking change reaches consumers only in one of two ways, and both are written down
here, in code, where review sees them:

- as part of a new dated API version (`version`, YYYY-MM-DD): keys pinned to older versions
  keep the old contract through the version's translation; the snapshots show the newest;
- as the end of a deprecation (`sunset`): the thing was announced as going away on that
  date (RFC 8594 `Sunset`), and the date has passed.

Either way CHANGELOG.md must name the change's place, in backticks (`` `Product.sku` ``),
so consumers read about it where they look. A declaration stays here after its release:
the registry is the history of what was broken on purpose, and why.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable
from dataclasses import dataclass
from datetime import date

from .change import Change, Surface

CODE_SPAN = re.compile(r"`([^`\n]+)`")


@dataclass(frozen=True)
class Declaration:
    """One accepted breaking change: its place (`Change.where`), why, and by which route."""

    surface: Surface
    where: str
    reason: str
    version: date | None = None
    sunset: date | None = None

    def __post_init__(self) -> None:
        if (self.version is None) == (self.sunset is None):
            raise ValueError(
                f"declaration of {self.where}: give either the version that introduces it "
                "or the sunset of the deprecation it completes, not both or neither"
            )


# Newest last. Example:
#   Declaration("rest", "GET /v1/products query.limit", "page_size names what it is",
#               version=date(2026, 3, 1)),
DECLARATIONS: tuple[Declaration, ...] = (
    Declaration(
        "rest",
        "Payment.refunds",
        "An unbounded embedded list: every payment read loaded all its refunds; they are "
        "listed at GET /v1/payments/{id}/refunds (docs/versioning.md).",
        version=date(2026, 12, 6),
    ),
)


@dataclass(frozen=True)
class Violation:
    """A breaking change that may not pass, and what is missing for it to pass."""

    change: Change
    problem: str

    def __str__(self) -> str:
        return f"{self.change.description} {self.problem}"


def undeclared_breaking(
    changes: Iterable[Change],
    *,
    changelog: str,
    today: date,
    declarations: Iterable[Declaration] = DECLARATIONS,
    versions: Collection[date] | None = None,
) -> list[Violation]:
    """The breaking changes among `changes` that are not properly declared.

    `changelog` is CHANGELOG.md's text. `versions`, when given, are the dated API versions
    that exist; a declaration for any other version is refused.
    """
    by_place = {(declared.surface, declared.where): declared for declared in declarations}
    named = set(CODE_SPAN.findall(changelog))
    violations: list[Violation] = []
    for change in changes:
        if not change.breaking:
            continue
        declared = by_place.get((change.surface, change.where))
        if declared is None:
            problem = (
                f"Undeclared: keep the API compatible, or declare `{change.where}` in "
                "src/shopgraph/contract/declared.py (a new version, or a deprecation past its "
                "sunset) and name it in CHANGELOG.md."
            )
        elif declared.sunset is not None and declared.sunset > today:
            problem = (
                f"Declared as the end of a deprecation, but its sunset ({declared.sunset}) "
                "has not passed: until then it must keep working."
            )
        elif (
            declared.version is not None
            and versions is not None
            and (declared.version not in versions)
        ):
            problem = f"Declared for API version {declared.version}, which does not exist."
        elif change.where not in named:
            problem = f"Declared, but CHANGELOG.md does not name `{change.where}`."
        else:
            continue
        violations.append(Violation(change, problem))
    return violations
