"""Query-parameter models: they parse a request's query string and document it.

Lax (query values arrive as strings: `limit=5` becomes 5) and closed (an unknown
parameter is VALIDATION_FAILED naming it). Range and sort-name rules live in the
resolvers; these models only coerce types, so both surfaces fail the same way.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, JsonValue

from ..events.catalog import EVENT_TYPES
from ..formats import parse_timestamp
from ..pagination import CURSOR_PATTERN
from ..resolvers.common import MAX_FILTER_TEXT
from ..resolvers.inputs import CURRENCY_PATTERN, MAX_AMOUNT, NUL_FREE
from ..resolvers.orders import ORDER_STATUSES
from ..settings import Settings
from ..sort_keys import (
    CATEGORY_SORTS,
    CUSTOMER_SORTS,
    EVENT_SORTS,
    MOVEMENT_SORTS,
    ORDER_SORTS,
    PRODUCT_SORTS,
    WEBHOOK_ATTEMPT_SORTS,
    WEBHOOK_ENDPOINT_SORTS,
)

DEFAULT_LIMIT = Settings.model_fields["default_page_size"].default
MAX_LIMIT = Settings.model_fields["max_page_size"].default


def _rfc3339(value: Any) -> Any:
    return parse_timestamp(value) if isinstance(value, str) else value


Timestamp = Annotated[datetime, BeforeValidator(_rfc3339)]


def _text(description: str) -> Any:
    """A text filter, stated as `check_filter` enforces it: no NUL, at most 200 characters."""
    return Field(
        default=None,
        description=description,
        json_schema_extra={"maxLength": MAX_FILTER_TEXT, "pattern": NUL_FREE},
    )


def _amount(description: str) -> Any:
    """An integer filter, stated as `check_filter` enforces it: exact in JSON (2^53 - 1)."""
    return Field(
        default=None,
        description=description,
        json_schema_extra={"minimum": -MAX_AMOUNT, "maximum": MAX_AMOUNT},
    )


def _sort(options: dict[str, Any]) -> Any:
    names: list[JsonValue] = [*sorted(options)]
    return Field(
        default="created_at",
        description="The field to sort by.",
        json_schema_extra={"enum": names},
    )


class Query(BaseModel):
    """A query string with no parameters: anything given is refused."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class ListQuery(Query):
    """Keyset paging and sorting, shared by every list."""

    limit: int | None = Field(
        default=None,
        ge=1,
        description=f"Page size, 1 to {MAX_LIMIT} (the server's maximum); default {DEFAULT_LIMIT}.",
        json_schema_extra={"maximum": MAX_LIMIT, "default": DEFAULT_LIMIT},
    )
    starting_after: str | None = Field(
        default=None,
        description=(
            "A cursor from `next_cursor`: return the page after that item. Not together "
            "with `ending_before`; empty means none."
        ),
        json_schema_extra={"pattern": CURSOR_PATTERN},
    )
    ending_before: str | None = Field(
        default=None,
        description=(
            "A cursor from `previous_cursor`: return the page before that item. Not "
            "together with `starting_after`; empty means none."
        ),
        json_schema_extra={"pattern": CURSOR_PATTERN},
    )
    sort: str = Field(default="created_at", description="The field to sort by.")
    direction: Literal["asc", "desc"] = Field(default="asc", description="Sort direction.")


class CategoryListQuery(ListQuery):
    sort: str = _sort(CATEGORY_SORTS)


class ProductListQuery(ListQuery):
    sort: str = _sort(PRODUCT_SORTS)
    category_id: str | None = _text("Only products in this category.")
    sku: str | None = _text("Exact SKU.")
    search: str | None = _text("Case-insensitive substring of the name.")
    price_min: int | None = _amount("Minimum price, in minor units.")
    price_max: int | None = _amount("Maximum price, in minor units.")


class CustomerListQuery(ListQuery):
    sort: str = _sort(CUSTOMER_SORTS)
    email: str | None = _text("Exact email, case-insensitive.")
    search: str | None = _text("Case-insensitive substring of the name or email.")


# What `type` takes: each type, and `<resource>.*` for each resource's types.
EVENT_TYPE_FILTERS: list[JsonValue] = [
    *sorted({*EVENT_TYPES, *(t.split(".")[0] + ".*" for t in EVENT_TYPES)})
]


class EventListQuery(ListQuery):
    sort: str = _sort(EVENT_SORTS)
    type: str | None = Field(
        default=None,
        description="One event type (`order.paid`), or every type of a resource (`order.*`).",
        json_schema_extra={"enum": EVENT_TYPE_FILTERS},
    )
    object_id: str | None = _text("Only events carrying this resource (its id).")


class WebhookEndpointListQuery(ListQuery):
    sort: str = _sort(WEBHOOK_ENDPOINT_SORTS)


class WebhookAttemptListQuery(ListQuery):
    sort: str = Field(
        default="attempted_at",
        description="The field to sort by.",
        json_schema_extra={"enum": list(WEBHOOK_ATTEMPT_SORTS)},
    )


class MovementListQuery(ListQuery):
    sort: str = _sort(MOVEMENT_SORTS)


class CustomerOrdersQuery(ListQuery):
    sort: str = _sort(ORDER_SORTS)


class OrderListQuery(ListQuery):
    sort: str = _sort(ORDER_SORTS)
    status: str | None = Field(
        default=None, description="Order status.", json_schema_extra={"enum": list(ORDER_STATUSES)}
    )
    customer_id: str | None = _text("Only this customer's orders.")
    created_from: Timestamp | None = Field(
        default=None, description="RFC 3339 timestamp; inclusive."
    )
    created_before: Timestamp | None = Field(
        default=None, description="RFC 3339 timestamp; exclusive."
    )
    created_after: Timestamp | None = Field(
        default=None, description="`created_from`'s old name; not with it."
    )


class AuditListQuery(ListQuery):
    sort: str = Field(
        default="occurred_at",
        description="The field to sort by.",
        json_schema_extra={"enum": ["occurred_at"]},
    )


# What an IANA time zone name looks like (`Europe/Paris`, `Etc/GMT+5`, `UTC`); which names
# exist is the tz database's business.
TIME_ZONE_PATTERN = "^[A-Za-z][A-Za-z0-9_+-]*(/[A-Za-z0-9_+-]+)*$"


class SalesReportQuery(Query):
    from_: Timestamp = Field(
        alias="from",
        description="RFC 3339 timestamp; inclusive. From 1900 to 9000, not after `to`.",
    )
    to: Timestamp = Field(description="RFC 3339 timestamp; exclusive. From 1900 to 9000.")
    group_by: Literal["day", "week", "month", "product", "category", "customer"] = Field(
        default="day",
        description="Periods of the time zone's calendar, or products, categories or "
        "customers (customers need `customers:read` too).",
    )
    time_zone: str = Field(
        default="UTC",
        description="An IANA time zone name, such as Europe/Paris: its calendar makes the "
        "periods. A name the tz database does not hold is VALIDATION_FAILED.",
        json_schema_extra={"maxLength": 64, "pattern": TIME_ZONE_PATTERN},
    )
    limit: int | None = Field(
        default=None,
        ge=1,
        description=f"Rows per page, 1 to {MAX_LIMIT}; default {DEFAULT_LIMIT}.",
        json_schema_extra={"maximum": MAX_LIMIT, "default": DEFAULT_LIMIT},
    )
    starting_after: str | None = Field(
        default=None,
        description="A cursor from `next_cursor`: return the rows after that one.",
        json_schema_extra={"pattern": CURSOR_PATTERN},
    )


class TopProductsQuery(Query):
    by: Literal["revenue", "units"] = Field(default="revenue", description="What to rank by.")
    from_: Timestamp | None = Field(
        default=None, alias="from", description="RFC 3339 timestamp; inclusive."
    )
    to: Timestamp | None = Field(default=None, description="RFC 3339 timestamp; exclusive.")
    currency: str | None = Field(
        default=None,
        description="Rank sales in this currency only.",
        json_schema_extra={"pattern": CURRENCY_PATTERN},
    )
    limit: int = Field(
        default=10,
        description="How many, 0 to 100.",
        json_schema_extra={"minimum": 0, "maximum": 100},
    )
