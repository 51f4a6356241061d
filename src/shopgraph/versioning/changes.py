"""What changed in each version, as objects that undo it.

A change reshapes one kind of resource (`object_type`, as events name it). Its `undo`
takes the resource as the newer version renders it and returns it as the version before
rendered it; what the older shape had and the newer one lacks is handed in as `related`
(named by `needs`), which the REST facade loads for the resources it answers with. The
chain runs newest first, so a consumer several versions behind gets every change undone in
turn. `undo_schema` does the same to the resource's JSON Schema (its OpenAPI component),
so each version has its own OpenAPI document.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, Final

from .calendar import VERSIONS

Resource = dict[str, Any]
Schema = dict[str, Any]


@dataclass(frozen=True, slots=True)
class VersionChange:
    version: str  # the version that brought it
    object_type: str  # the resource it reshapes: Payment, Order, ...
    summary: str  # one line for the changelog and docs/versioning.md
    undo: Callable[[Resource, Mapping[str, Any]], Resource]
    # The resource's JSON Schema in the newer version -> in the version before.
    undo_schema: Callable[[Schema], Schema]
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
    # it could exist, so what an event lacks is always the empty list. The refunds come
    # already in the consumer's version (the REST edge renders them so).
    return _before(payment, "created_at", "refunds", related.get("refunds", []))


# The URLs each resource carries since 2026-12-06 (representations.py).
LINKS: Final[dict[str, frozenset[str]]] = {
    "Category": frozenset({"url", "products_url"}),
    "Product": frozenset({"url", "category_url", "inventory_url"}),
    "Customer": frozenset({"url", "orders_url"}),
    "Order": frozenset({"url", "customer_url", "payments_url"}),
    "Payment": frozenset({"url", "order_url", "refunds_url"}),
    "Refund": frozenset({"url", "payment_url"}),
}


def _without_links(object_type: str) -> Callable[[Resource, Mapping[str, Any]], Resource]:
    links = LINKS[object_type]

    def undo(resource: Resource, related: Mapping[str, Any]) -> Resource:
        return {field: value for field, value in resource.items() if field not in links}

    return undo


def _without_properties(names: frozenset[str]) -> Callable[[Schema], Schema]:
    def undo(schema: Schema) -> Schema:
        properties = {k: v for k, v in schema["properties"].items() if k not in names}
        required = [name for name in schema.get("required", ()) if name not in names]
        return {**schema, "properties": properties, "required": required}

    return undo


def _with_refunds(schema: Schema) -> Schema:
    refunds = {"items": {"$ref": "#/components/schemas/Refund"}, "type": "array"}
    properties = {**schema["properties"], "refunds": refunds}
    return {**schema, "properties": properties, "required": [*schema["required"], "refunds"]}


# Oldest first; within a version, a change listed later is undone earlier.
CHANGES: Final[tuple[VersionChange, ...]] = (
    *(
        VersionChange(
            version="2026-12-06",
            object_type=object_type,
            summary="Resources carry their own `url` and their neighbours' (`*_url`).",
            undo=_without_links(object_type),
            undo_schema=_without_properties(LINKS[object_type]),
        )
        for object_type in LINKS
    ),
    VersionChange(
        version="2026-12-06",
        object_type="Payment",
        summary="A payment no longer embeds its refunds; list them at "
        "`GET /v1/payments/{id}/refunds`.",
        undo=_payment_with_refunds,
        undo_schema=_with_refunds,
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
