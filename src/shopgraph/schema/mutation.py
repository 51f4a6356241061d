"""Mutations. Expected failures come back in the payload's `userErrors`, not as errors."""

from __future__ import annotations

from collections.abc import Awaitable
from typing import Annotated, Any, TypeVar

import strawberry

from ..errors import Conflict, NotFound, PreconditionFailed, ShopgraphError, ValidationFailed
from ..resolvers import categories, customers, products
from .context import Info
from .enums import UserErrorCode
from .inputs import (
    CategoryCreateInput,
    CategoryUpdateInput,
    CustomerCreateInput,
    CustomerUpdateInput,
    ProductCreateInput,
    ProductUpdateInput,
    to_dict,
)
from .types import Category, Customer, Product

T = TypeVar("T")
# What a mutation reports in its payload; anything else (auth, internal) is a top-level error.
EXPECTED = (ValidationFailed, Conflict, NotFound, PreconditionFailed)

# Optimistic concurrency: the same compare-and-set as REST's `If-Match`, by version number.
ExpectedVersion = Annotated[
    int | None,
    strawberry.argument(
        description=(
            "Apply the update only if the resource's `version` is still this one; otherwise "
            "the payload has a PRECONDITION_FAILED userError naming the current version and "
            "nothing is changed. Omit it to update unconditionally."
        )
    ),
]


def camel(path: str | None) -> str | None:
    """`price.amount` stays, `category_id` becomes `categoryId`: GraphQL's own names."""
    if path is None:
        return None
    head, *rest = path.split("_")
    return head + "".join(part[:1].upper() + part[1:] for part in rest)


@strawberry.type
class UserError:
    field: str | None = strawberry.field(description="The input field at fault, if any.")
    code: UserErrorCode
    message: str


def user_errors(error: ShopgraphError) -> list[UserError]:
    if not error.errors:
        return [UserError(field=None, code=UserErrorCode[error.code], message=error.detail)]
    return [
        UserError(field=camel(item.field), code=UserErrorCode[item.code], message=item.message)
        for item in error.errors
    ]


async def attempt(call: Awaitable[T]) -> tuple[T | None, list[UserError]]:
    try:
        return await call, []
    except EXPECTED as error:
        return None, user_errors(error)


@strawberry.type
class CategoryPayload:
    category: Category | None
    user_errors: list[UserError]


@strawberry.type
class ProductPayload:
    product: Product | None
    user_errors: list[UserError]


@strawberry.type
class CustomerPayload:
    customer: Customer | None
    user_errors: list[UserError]


@strawberry.type
class DeletePayload:
    deleted_id: strawberry.ID | None
    user_errors: list[UserError]


def _data(value: Any) -> dict[str, Any]:
    return to_dict(value)  # type: ignore[no-any-return]


@strawberry.type
class Mutation:
    @strawberry.mutation
    async def create_category(self, info: Info, input: CategoryCreateInput) -> CategoryPayload:
        found, errors = await attempt(categories.create_category(info.context, _data(input)))
        return CategoryPayload(category=found, user_errors=errors)  # type: ignore[arg-type]

    @strawberry.mutation
    async def update_category(
        self,
        info: Info,
        id: strawberry.ID,
        input: CategoryUpdateInput,
        expected_version: ExpectedVersion = None,
    ) -> CategoryPayload:
        found, errors = await attempt(
            categories.update_category(
                info.context, id, _data(input), expected_version=expected_version
            )
        )
        return CategoryPayload(category=found, user_errors=errors)  # type: ignore[arg-type]

    @strawberry.mutation
    async def delete_category(self, info: Info, id: strawberry.ID) -> DeletePayload:
        deleted, errors = await attempt(categories.delete_category(info.context, id))
        return DeletePayload(deleted_id=deleted, user_errors=errors)  # type: ignore[arg-type]

    @strawberry.mutation
    async def create_product(self, info: Info, input: ProductCreateInput) -> ProductPayload:
        found, errors = await attempt(products.create_product(info.context, _data(input)))
        return ProductPayload(product=found, user_errors=errors)  # type: ignore[arg-type]

    @strawberry.mutation
    async def update_product(
        self,
        info: Info,
        id: strawberry.ID,
        input: ProductUpdateInput,
        expected_version: ExpectedVersion = None,
    ) -> ProductPayload:
        found, errors = await attempt(
            products.update_product(
                info.context, id, _data(input), expected_version=expected_version
            )
        )
        return ProductPayload(product=found, user_errors=errors)  # type: ignore[arg-type]

    @strawberry.mutation
    async def delete_product(self, info: Info, id: strawberry.ID) -> DeletePayload:
        deleted, errors = await attempt(products.delete_product(info.context, id))
        return DeletePayload(deleted_id=deleted, user_errors=errors)  # type: ignore[arg-type]

    @strawberry.mutation
    async def create_customer(self, info: Info, input: CustomerCreateInput) -> CustomerPayload:
        found, errors = await attempt(customers.create_customer(info.context, _data(input)))
        return CustomerPayload(customer=found, user_errors=errors)  # type: ignore[arg-type]

    @strawberry.mutation
    async def update_customer(
        self,
        info: Info,
        id: strawberry.ID,
        input: CustomerUpdateInput,
        expected_version: ExpectedVersion = None,
    ) -> CustomerPayload:
        found, errors = await attempt(
            customers.update_customer(
                info.context, id, _data(input), expected_version=expected_version
            )
        )
        return CustomerPayload(customer=found, user_errors=errors)  # type: ignore[arg-type]

    @strawberry.mutation
    async def delete_customer(self, info: Info, id: strawberry.ID) -> DeletePayload:
        deleted, errors = await attempt(customers.delete_customer(info.context, id))
        return DeletePayload(deleted_id=deleted, user_errors=errors)  # type: ignore[arg-type]
