"""What changed in each version, as objects that undo it.

A change reshapes one kind of resource (`object_type`, as events name it). Its `undo`
takes the resource as the newer version renders it and returns it as the version before
rendered it; what the older shape had and the newer one lacks is handed in as `related`
(named by `needs`), which the REST facade loads for the resources it answers with. The
chain runs newest first, so a consumer several versions behind gets every change undone in
turn.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, Final

from .calendar import VERSIONS

Resource = dict[str, Any]


@dataclass(frozen=True, slots=True)
class VersionChange:
    version: str  # the version that brought it
    object_type: str  # the resource it reshapes: Payment, Order, ...
    summary: str  # one line for the changelog and docs/versioning.md
    undo: Callable[[Resource, Mapping[str, Any]], Resource]
    needs: str | None = None  # related data `undo` reads, by name


def _before(resource: Resource, key: str, name: str, value: Any) -> Resource:
    """`resource` with `name` inserted just before `key`, as the older rendering had it."""
    shaped: Resource = {}
    for field, present in resource.items():
        if field == key:
            shaped[name] = value
        shaped[field] = present
    return shaped


def _payment_with_refunds(payment: Resource, related: Mapping[str, Any]) -> Resource:
    # Events carry a payment as it was when it succeeded or failed: before any refund of
    # it could exist, so what an event lacks is always the empty list.
    return _before(payment, "created_at", "refunds", related.get("refunds", []))


CHANGES: Final[tuple[VersionChange, ...]] = (
    VersionChange(
        version="2026-12-06",
        object_type="Payment",
        summary="A payment no longer embeds its refunds; list them at "
        "`GET /v1/payments/{id}/refunds`.",
        undo=_payment_with_refunds,
        needs="refunds",
    ),
)


def undone_for(version: str) -> list[VersionChange]:
    """The changes a consumer of `version` must have undone, newest first."""
    rank = VERSIONS.index(version)
    return [c for c in reversed(CHANGES) if VERSIONS.index(c.version) > rank]


def downgrade(
    object_type: str,
    resource: Resource,
    version: str,
    related: Mapping[str, Any] | None = None,
) -> Resource:
    """`resource` (of `object_type`, newest shape) as `version` renders it; `related` holds
    what the changes need, by their `needs` names (absent: none of it exists)."""
    for change in undone_for(version):
        if change.object_type == object_type:
            resource = change.undo(resource, related or {})
    return resource
