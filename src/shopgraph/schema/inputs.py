"""GraphQL input objects; turned into plain dicts and validated by the shared resolvers."""

from __future__ import annotations

import dataclasses
from enum import Enum
from typing import Any

import strawberry
from strawberry import UNSET

from ..versioning.deprecations import INPUTS
from .enums import OrderStatus
from .scalars import DateTime, Long


def to_dict(value: Any) -> Any:
    """An input object as the dict a REST body would be: snake_case keys, unset keys absent."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {
            field.name: to_dict(getattr(value, field.name))
            for field in dataclasses.fields(value)
            if getattr(value, field.name) is not UNSET
        }
    if isinstance(value, list):
        return [to_dict(item) for item in value]
    if isinstance(value, Enum):
        return value.value
    return value


@strawberry.input
class MoneyInput:
    amount: Long
    currency: str


@strawberry.input
class CategoryCreateInput:
    name: str
    description: str | None = UNSET


@strawberry.input
class CategoryUpdateInput:
    name: str | None = UNSET
    description: str | None = UNSET


@strawberry.input
class ProductCreateInput:
    sku: str
    name: str
    price: MoneyInput
    description: str | None = UNSET
    category_id: strawberry.ID | None = UNSET


@strawberry.input
class ProductUpdateInput:
    sku: str | None = UNSET
    name: str | None = UNSET
    description: str | None = UNSET
    price: MoneyInput | None = UNSET
    category_id: strawberry.ID | None = UNSET


@strawberry.input
class CustomerCreateInput:
    email: str
    name: str


@strawberry.input
class CustomerUpdateInput:
    email: str | None = UNSET
    name: str | None = UNSET


@strawberry.input
class ProductFilter:
    category_id: strawberry.ID | None = None
    sku: str | None = None
    search: str | None = strawberry.field(default=None, description="Substring of the name.")
    price_min: Long | None = None
    price_max: Long | None = None


@strawberry.input
class CustomerFilter:
    email: str | None = None
    search: str | None = strawberry.field(default=None, description="Substring of name or email.")


@strawberry.input
class OrderFilter:
    status: OrderStatus | None = None
    customer_id: strawberry.ID | None = None
    created_from: DateTime | None = strawberry.field(default=None, description="Inclusive.")
    created_before: DateTime | None = strawberry.field(default=None, description="Exclusive.")
    created_after: DateTime | None = strawberry.field(
        default=None,
        description="Inclusive.",
        deprecation_reason=INPUTS["OrderFilter.createdAfter"].schema_reason,
    )
