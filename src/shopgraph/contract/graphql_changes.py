"""GraphQL schema changes, classified by graphql-core itself.

`find_schema_changes` is graphql-core 3.3's single comparison: `find_breaking_changes` and
`find_dangerous_changes` are now filters over it, and it also reports the safe changes
(added types and fields, new descriptions) a reviewer wants to see. graphql-core's
judgement is used as it is; only the place (`where`) is read back out of its sentence,
since its changes carry no structured location.
"""

from __future__ import annotations

import re

from graphql import build_schema
from graphql.utilities import (
    BreakingChangeType,
    DangerousChangeType,
    SchemaChange,
    find_schema_changes,
)

from .change import Change, Severity

NAME = r"[_A-Za-z][_0-9A-Za-z]*"
# The first pattern that matches a description gives the coordinate; most specific first.
COORDINATES = (
    re.compile(rf"union type ({NAME})"),  # "X was removed from union type U."
    re.compile(rf"implemented by ({NAME})"),  # "I added to interfaces implemented by T."
    re.compile(rf"^Standard scalar ({NAME})"),
    re.compile(rf"(@?{NAME}(?:\.{NAME})?\({NAME}:?\))"),  # Type.field(arg:), @directive(arg:)
    re.compile(rf"(@?{NAME}\.{NAME})"),  # Type.field, Enum.VALUE, Input.field
    re.compile(rf"(@{NAME})"),  # @directive
    re.compile(rf"^(?:Description of )?({NAME})"),  # "Type was removed.", "Type changed from"
)


def graphql_changes(old_sdl: str, new_sdl: str) -> list[Change]:
    """Every change from the schema `old_sdl` describes to the one `new_sdl` describes."""
    return [
        _change(found)
        for found in find_schema_changes(build_schema(old_sdl), build_schema(new_sdl))
    ]


def _change(found: SchemaChange) -> Change:
    if isinstance(found.type, BreakingChangeType):
        severity = Severity.BREAKING
    elif isinstance(found.type, DangerousChangeType):
        severity = Severity.DANGEROUS
    else:
        severity = Severity.SAFE
    return Change(
        surface="graphql",
        kind=found.type.name,
        where=coordinate(found.description),
        description=found.description,
        severity=severity,
    )


def coordinate(description: str) -> str:
    """The schema coordinate a graphql-core description is about (`Product.sku`).

    Only the part before any quoted text is read: a changed description quotes the new
    text, which may contain anything.
    """
    head = description.split('"', 1)[0]
    for pattern in COORDINATES:
        if match := pattern.search(head):
            return match.group(1)
    return description
