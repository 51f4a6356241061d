"""The caller as resolvers see it, and the one place scopes are checked."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Final

from ..errors import Forbidden, Unauthenticated

SCOPES: Final = (
    "products:read",
    "products:write",
    "customers:read",
    "customers:write",
    "orders:read",
    "orders:write",
    "payments:write",
    "audit:read",
    "reports:read",
    "webhooks:read",
    "webhooks:write",
    "admin",
)
# What an anonymous caller may do: browse the public catalog.
PUBLIC: Final = frozenset({"products:read"})
# What a customer token may do, always limited to that customer's own orders.
CUSTOMER: Final = frozenset({"products:read", "orders:read", "orders:write", "payments:write"})


@dataclass(frozen=True, slots=True)
class Principal:
    """`kind`: anonymous, api_key, oauth_client or customer. `id`: its public id."""

    kind: str = "anonymous"
    id: str | None = None
    scopes: frozenset[str] = field(default_factory=lambda: PUBLIC)
    tier: str = "anonymous"
    customer_pk: int | None = None  # set for customer tokens
    api_version: str | None = None  # the dated REST version its key is pinned to

    @property
    def is_customer(self) -> bool:
        return self.customer_pk is not None

    def can(self, scope: str) -> bool:
        return (
            scope in self.scopes
            or "admin" in self.scopes
            or (
                scope == "products:read"  # the catalog is public to everyone
            )
        )


ANONYMOUS = Principal()


def authorize(principal: Principal, scope: str) -> None:
    """UNAUTHENTICATED for an anonymous caller lacking `scope`, FORBIDDEN for anyone else."""
    if principal.can(scope):
        return
    if principal.kind == "anonymous":
        raise Unauthenticated(f"This needs credentials with the `{scope}` scope.")
    raise Forbidden(f"Your credentials lack the `{scope}` scope.", extra={"required_scope": scope})


def parse_scopes(text: str) -> frozenset[str]:
    return frozenset(part for part in text.split() if part)


def authorize_staff(principal: Principal, scope: str) -> None:
    """`scope`, and not as a customer: customers never fulfil, capture or refund."""
    authorize(principal, scope)
    if principal.is_customer:
        raise Forbidden("A customer token cannot do this.", extra={"required_scope": scope})


def may_see_customer(principal: Principal, customer_pk: int) -> bool:
    """Customer data: with `customers:read`, or the customer themselves."""
    return principal.can("customers:read") or principal.customer_pk == customer_pk


def may_see_order_of(principal: Principal, customer_pk: int) -> bool:
    """An order (and its payments): with `orders:read`, and a customer only their own."""
    if not principal.can("orders:read"):
        return False
    return not principal.is_customer or principal.customer_pk == customer_pk


def may_act_for(principal: Principal, customer_pk: int) -> bool:
    """A write on a customer's order, once its scope is checked: a customer only their own.

    Unlike reading, this needs no `orders:read`: a key may cancel what it may place.
    """
    return not principal.is_customer or principal.customer_pk == customer_pk


def authorize_own(principal: Principal, scope: str, customer_pk: int) -> None:
    """`scope`, and for a customer token only on its own customer's data."""
    authorize(principal, scope)
    if principal.is_customer and principal.customer_pk != customer_pk:
        raise Forbidden("A customer token only reaches its own customer's data.")
