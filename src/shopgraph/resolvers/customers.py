"""Customers: list, get, create, update, delete."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import BindParameter, ColumnElement, or_

from .. import registry
from ..auth.principal import authorize, may_see_customer
from ..context import RequestContext
from ..db.models import customers
from ..errors import NotFound
from ..pagination import Page
from ..records import Customer
from ..sort_keys import CUSTOMER_SORTS
from .audit_trail import record_read
from .common import (
    Filter,
    PageInput,
    check_filter,
    delete_one,
    fetch_page,
    get_one,
    insert_one,
    key_of,
    like_pattern,
    resolve_page_args,
    update_one,
)
from .inputs import CustomerCreate, CustomerUpdate, changes, parse


@dataclass(frozen=True, slots=True)
class CustomerFilter:
    email: str | None = None  # exact, case-insensitive
    search: str | None = None  # case-insensitive substring of the name or email


async def list_customers(
    ctx: RequestContext, page: PageInput, where: CustomerFilter = CustomerFilter()
) -> Page[Customer]:
    check_filter(where)
    authorize(ctx.principal, "customers:read")
    args = resolve_page_args(ctx, CUSTOMER_SORTS, page)
    filters = []
    if where.email is not None:
        filters.append(Filter("email", customers.c.email.__eq__, where.email.strip().lower()))
    if where.search:
        filters.append(Filter("search", _name_or_email_like, like_pattern(where.search)))
    found = await fetch_page(ctx, registry.CUSTOMER, args, filters)
    record_read(ctx, [item.id for item in found.items])
    return found


def _name_or_email_like(pattern: BindParameter[Any]) -> ColumnElement[bool]:
    return or_(
        customers.c.name.ilike(pattern, escape="/"), customers.c.email.ilike(pattern, escape="/")
    )


async def get_customer(ctx: RequestContext, customer_id: str) -> Customer:
    customer = await current_customer(ctx, customer_id)
    record_read(ctx, [customer.id])
    return customer


async def current_customer(ctx: RequestContext, customer_id: str) -> Customer:
    """The customer, if the caller may see it; without recording a read (for checks).

    Access is decided before the lookup, so a refusal never tells whether the id exists:
    a customer token asking for someone else gets NOT_FOUND, like for an unknown id.
    """
    principal = ctx.principal
    if not principal.is_customer:
        authorize(principal, "customers:read")
    elif not may_see_customer(principal, key_of("Customer", customer_id)):
        raise NotFound(f"No customer with id `{customer_id}`.")
    customer: Customer = await get_one(
        "Customer", ctx.loaders.by_id(registry.CUSTOMER), customer_id
    )
    return customer


async def create_customer(ctx: RequestContext, data: dict[str, Any]) -> Customer:
    authorize(ctx.principal, "customers:write")
    values = parse(CustomerCreate, data).model_dump()
    return await insert_one(
        ctx, "Customer", customers, values, registry.CUSTOMER.columns, registry.CUSTOMER.from_row
    )


async def update_customer(
    ctx: RequestContext,
    customer_id: str,
    data: dict[str, Any],
    *,
    expected_version: int | None = None,
) -> Customer:
    """PATCH semantics; with `expected_version`, PRECONDITION_FAILED unless it is current."""
    authorize(ctx.principal, "customers:write")
    values = changes(parse(CustomerUpdate, data))
    return await update_one(
        ctx,
        "Customer",
        customers,
        customer_id,
        values,
        registry.CUSTOMER.columns,
        registry.CUSTOMER.from_row,
        expected_version=expected_version,
    )


async def delete_customer(ctx: RequestContext, customer_id: str) -> str:
    authorize(ctx.principal, "customers:write")
    return await delete_one(ctx, "Customer", customers, customer_id)
