"""The GraphQL surface: Strawberry types over the shared resolvers, served at `/graphql`."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Any

import strawberry
from graphql import GraphQLError, GraphQLObjectType, GraphQLSchema
from graphql.validation import ASTValidationRule
from strawberry.extensions import (
    AddValidationRules,
    MaxTokensLimiter,
    ParserCache,
    ValidationCache,
)
from strawberry.extensions.max_aliases import create_validator as alias_limit
from strawberry.extensions.query_depth_limiter import create_validator as depth_limit
from strawberry.schema.config import StrawberryConfig
from strawberry.tools import merge_types
from strawberry.types import ExecutionContext

from ..settings import Settings
from .access import AccessMutation, AccessQuery
from .cost_gate import CostGate
from .cost_limit import QueryCostLimiter
from .events import EventsQuery
from .introspection import introspection_limit
from .mutation import Mutation
from .order_mutations import OrderMutation
from .payment_mutations import PaymentMutation
from .query import Query
from .reports import ReportsQuery
from .scalars import SCALARS
from .types import Category, Customer, Order, Payment, Product, Refund
from .webhooks import WebhooksMutation, WebhooksQuery


class Schema(strawberry.Schema):
    # Set by `build_schema`, for the planned executor: the cost gate both executors admit
    # operations through, and the limits Strawberry's extensions apply to every document.
    cost_gate: CostGate
    validation_limits: tuple[type[ASTValidationRule], ...]
    max_tokens: int

    def process_errors(
        self, errors: list[GraphQLError], execution_context: ExecutionContext | None = None
    ) -> None:
        """Errors are rendered and logged once, by the HTTP view, with the request id."""


def graphql_schema(schema: strawberry.Schema) -> GraphQLSchema:
    """The graphql-core schema Strawberry built (it keeps it as `_schema`)."""
    return schema._schema


def _attribute_reader(name: str) -> Callable[..., Any]:
    def read(source: Any, _info: Any) -> Any:
        return getattr(source, name)

    return read


def _read_plain_fields_directly(schema: Schema) -> None:
    """Give every plain field (no resolver, no extension) a bare attribute read.

    graphql-core calls a field's resolver once per field per row (~2,800 calls for the
    nested orders query); Strawberry's generic wrapper for plain fields costs three
    extra calls each, a bare `getattr` none.
    """
    for graphql_type in graphql_schema(schema).type_map.values():
        if not isinstance(graphql_type, GraphQLObjectType):
            continue
        for field in graphql_type.fields.values():
            definition = (field.extensions or {}).get("strawberry-definition")
            if getattr(field.resolve, "_is_default", False) and definition is not None:
                field.resolve = _attribute_reader(definition.python_name)


def build_schema(settings: Settings) -> Schema:
    """Build once per process: building is slow and the result is immutable.

    The depth and alias rules are built here, once: Strawberry's limiter extensions build
    a new rule class per request, which changes ValidationCache's key every time, so no
    document would ever be validated from the cache.
    """
    limits: list[type[ASTValidationRule]] = [
        depth_limit(settings.max_query_depth, None, None),
        alias_limit(settings.max_aliases),
        introspection_limit(settings.max_introspection_fields),
    ]
    gate = CostGate(settings.max_query_cost)
    schema = Schema(
        query=merge_types("Query", (Query, AccessQuery, ReportsQuery, EventsQuery, WebhooksQuery)),
        mutation=merge_types(
            "Mutation",
            (Mutation, OrderMutation, PaymentMutation, AccessMutation, WebhooksMutation),
        ),
        types=[Category, Product, Customer, Order, Payment, Refund],
        config=StrawberryConfig(scalar_map=SCALARS),
        extensions=[
            partial(AddValidationRules, limits),
            partial(
                QueryCostLimiter,
                gate=gate,
                default_page_size=settings.default_page_size,
            ),
            partial(MaxTokensLimiter, max_token_count=settings.max_tokens),
            partial(ParserCache, maxsize=1000),
            partial(ValidationCache, maxsize=1000),
        ],
    )
    _read_plain_fields_directly(schema)
    schema.cost_gate = gate
    schema.validation_limits = tuple(limits)
    schema.max_tokens = settings.max_tokens
    return schema
