"""The GraphQL surface: Strawberry types over the shared resolvers, served at `/graphql`."""

from __future__ import annotations

from functools import partial

import strawberry
from graphql import GraphQLError
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
    """Build once per process: building is slow and the result is immutable.

    The depth and alias rules are built here, once: Strawberry's limiter extensions build
    a new rule class per request, which changes ValidationCache's key every time, so no
    document would ever be validated from the cache.
    """
    limits: list[type[ASTValidationRule]] = [
        depth_limit(settings.max_query_depth, None, None),
        alias_limit(settings.max_aliases),
    ]
    return Schema(
        query=Query,
        mutation=Mutation,
        types=[Category, Product, Customer, Order],
        config=StrawberryConfig(scalar_map=SCALARS),
        extensions=[
            partial(AddValidationRules, limits),
            partial(MaxTokensLimiter, max_token_count=settings.max_tokens),
            partial(ParserCache, maxsize=1000),
            partial(ValidationCache, maxsize=1000),
        ],
    )
