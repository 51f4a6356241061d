"""One difference between two versions of the API contract, and what it does to consumers."""

from __future__ import annotations

import enum
from dataclasses import dataclass
from typing import Literal

Surface = Literal["graphql", "rest"]


class Severity(enum.IntEnum):
    """Ordered, so the worst of a list is `max(...)`.

    The three levels are graphql-core's: a safe change cannot break a consumer; a dangerous
    one cannot break a well-written consumer but may surprise one (a new enum value its
    `switch` does not know); a breaking one breaks consumers that did nothing wrong.
    """

    SAFE = 0
    DANGEROUS = 1
    BREAKING = 2


@dataclass(frozen=True)
class Change:
    """A classified difference; `where` names the thing changed, stably enough to declare.

    `where` is a GraphQL schema coordinate (`Product.sku`, `Query.products(first:)`) or a
    REST location (`GET /v1/products query.limit`, `POST /v1/orders body`,
    `Product.sku` for a field of a named OpenAPI schema). `kind` is a machine name such as
    graphql-core's `FIELD_REMOVED`.
    """

    surface: Surface
    kind: str
    where: str
    description: str
    severity: Severity

    @property
    def breaking(self) -> bool:
        return self.severity is Severity.BREAKING


def ordered(changes: list[Change]) -> list[Change]:
    """Worst first, then by surface and place, each once, so every run reads the same."""
    return sorted(
        set(changes), key=lambda c: (-c.severity, c.surface, c.where, c.kind, c.description)
    )
