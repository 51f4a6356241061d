"""The query-cost limit: price each operation before it runs, charge the caller for it.

The price is `cost.CostCalculator`'s. An operation above `SHOPGRAPH_MAX_QUERY_COST` (or
above what the caller's bucket could ever hold) is refused with QUERY_TOO_COMPLEX; one the
bucket cannot pay for now is throttled with RATE_LIMITED. After execution the unused part
of the price is given back: the price minus what ran, where what ran is the larger of what
the response holds and the rows the request read. A query that reads every loader and then
errors out (its `data` nulled) is charged for what it read, not refunded.

Introspection-only operations (`introspection.py`) are charged at most the caller's full
bucket, and their answers are kept: the same request again is answered without running and
costs 1.
"""

from __future__ import annotations

import weakref
from collections.abc import AsyncIterator

from graphql import ExecutionResult, GraphQLError, GraphQLSchema
from strawberry.extensions import SchemaExtension

from ..context import RequestContext
from ..errors import ShopgraphError
from .cost import CostCalculator, operation
from .cost_gate import CostGate
from .introspection import IntrospectionAnswers, is_introspection_only

# Built once per schema: counting the schema for introspection prices takes a moment.
_PER_SCHEMA: weakref.WeakKeyDictionary[GraphQLSchema, tuple[CostCalculator, IntrospectionAnswers]]
_PER_SCHEMA = weakref.WeakKeyDictionary()


def calculator_for(schema: GraphQLSchema, default_page_size: int) -> CostCalculator:
    """The schema's one cost calculator (both executors price with it)."""
    return _tools(schema, default_page_size)[0]


def _tools(
    schema: GraphQLSchema, default_page_size: int
) -> tuple[CostCalculator, IntrospectionAnswers]:
    tools = _PER_SCHEMA.get(schema)
    if tools is None:
        tools = _PER_SCHEMA[schema] = (
            CostCalculator(schema, default_page_size),
            IntrospectionAnswers(),
        )
    return tools


class QueryCostLimiter(SchemaExtension):
    """Price an operation before execution and admit it through the cost gate; after
    execution, settle what it ran.

    Runs after parsing and validation (the cost needs a valid document and variables) and
    before any resolver, so a refused or throttled operation never touches the database.
    An operation the planned executor already admitted (and handed over) is not charged
    again.
    """

    def __init__(self, *, gate: CostGate, default_page_size: int) -> None:
        self.gate = gate
        self.default_page_size = default_page_size

    def _refuse(self, error: ShopgraphError) -> None:
        self.execution_context.result = ExecutionResult(
            data=None, errors=[GraphQLError(error.detail, original_error=error)]
        )

    async def on_execute(self) -> AsyncIterator[None]:
        context = self.execution_context
        document = context.graphql_document
        request = context.context
        if document is None or not isinstance(request, RequestContext):
            yield
            return
        calculator, answers = _tools(context.schema._schema, self.default_page_size)
        chosen = operation(document, context.operation_name)
        introspection = chosen is not None and is_introspection_only(chosen)
        kept_key = answers.key(context.query or "", context.operation_name, context.variables)
        kept = answers.get(kept_key) if introspection else None
        if request.admission is None:
            cost = (
                1
                if kept is not None
                else calculator.cost(document, context.operation_name, context.variables)
            )
            refusal = await self.gate.admit(request, cost, introspection=introspection)
            if refusal is not None:
                self._refuse(refusal)
                yield
                return
        if kept is not None:
            context.result = ExecutionResult(data=kept)
        yield
        result = context.result
        data = getattr(result, "data", None)
        if (
            introspection
            and kept is None
            and data is not None
            and not getattr(result, "errors", None)
        ):
            answers.keep(kept_key, data)
        returned = (
            1
            if kept is not None
            else calculator.actual(document, context.operation_name, context.variables, data)
        )
        await self.gate.settle(request, returned)
