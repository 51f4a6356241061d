"""The GraphQL surface: Strawberry types over the shared resolvers, served at `/graphql`."""

from __future__ import annotations

from functools import partial

import strawberry
from graphql import GraphQLError
from strawberry.extensions import (
    MaxAliasesLimiter,
    MaxTokensLimiter,
    ParserCache,
    QueryDepthLimiter,
    ValidationCache,
)
from strawberry.schema.config import StrawberryConfig
from strawberry.types import ExecutionContext

from ..settings import Settings
from .mutation import Mutation
from .query import Query
from .scalars import SCALARS
from .types import Category, Customer, Order, Product


class Schema(strawberry.Schema):
    def process_errors(
        self, errors: list[GraphQLError], execution_context: ExecutionContext | None = None
    ) -> None:
        """Errors are rendered and logged once, by the HTTP view, with the request id."""


def build_schema(settings: Settings) -> Schema:
    """Build once per process: building is slow and the result is immutable."""
    return Schema(
        query=Query,
        mutation=Mutation,
        types=[Category, Product, Customer, Order],
        config=StrawberryConfig(scalar_map=SCALARS),
        extensions=[
            partial(QueryDepthLimiter, max_depth=settings.max_query_depth),
            partial(MaxAliasesLimiter, max_alias_count=settings.max_aliases),
            partial(MaxTokensLimiter, max_token_count=settings.max_tokens),
            partial(ParserCache, maxsize=1000),
            partial(ValidationCache, maxsize=1000),
        ],
    )
