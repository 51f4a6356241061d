"""GraphQL enums; their values are the names the REST facade uses, so both stay in step."""

from __future__ import annotations

from enum import Enum

import strawberry

from ..errors import ALL_CODES, FIELD_CODES


@strawberry.enum(description="Sort direction.")
class SortDirection(Enum):
    ASC = "asc"
    DESC = "desc"


@strawberry.enum
class CategorySort(Enum):
    CREATED_AT = "created_at"
    NAME = "name"


@strawberry.enum
class ProductSort(Enum):
    CREATED_AT = "created_at"
    NAME = "name"
    PRICE = "price"
    SKU = "sku"


@strawberry.enum
class CustomerSort(Enum):
    CREATED_AT = "created_at"
    NAME = "name"
    EMAIL = "email"


@strawberry.enum
class OrderSort(Enum):
    CREATED_AT = "created_at"
    NUMBER = "number"
    TOTAL = "total"


@strawberry.enum
class OrderStatus(Enum):
    PENDING = "pending"
    PAID = "paid"
    FULFILLED = "fulfilled"
    CANCELLED = "cancelled"
    REFUNDED = "refunded"
    PARTIALLY_REFUNDED = "partially_refunded"


UserErrorCode = strawberry.enum(
    Enum("UserErrorCode", {code: code for code in (*ALL_CODES, *FIELD_CODES)}),  # type: ignore[call-overload]
    description="Why a mutation input was refused: a shared error code or a field-level reason.",
)
