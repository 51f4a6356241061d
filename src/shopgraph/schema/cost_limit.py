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

import math
import weakref
from collections.abc import AsyncIterator
from typing import Any

from graphql import ExecutionResult, GraphQLError, GraphQLSchema
from strawberry.extensions import SchemaExtension

from ..context import RequestContext
from ..errors import QueryTooComplex, RateLimited, ServiceUnavailable, ShopgraphError
from ..metrics import RATE_LIMITED
from ..ratelimit import Decision
from ..ratelimit.buckets import bucket_of
from .cost import CostCalculator, operation
from .introspection import IntrospectionAnswers, is_introspection_only

# Built once per schema: counting the schema for introspection prices takes a moment.
_PER_SCHEMA: weakref.WeakKeyDictionary[GraphQLSchema, tuple[CostCalculator, IntrospectionAnswers]]
_PER_SCHEMA = weakref.WeakKeyDictionary()


class QueryCostLimiter(SchemaExtension):
    """Price an operation before execution: refuse it over `max_cost`, charge the caller's
    bucket its requested cost, and after execution give back what it did not use.

    Runs after parsing and validation (the cost needs a valid document and variables) and
    before any resolver, so a refused or throttled operation never touches the database.
    The report lands on the request context; the HTTP view renders it as
    `extensions.cost`.
    """

    def __init__(self, *, max_cost: int, default_page_size: int) -> None:
        self.max_cost = max_cost
        self.default_page_size = default_page_size

    def _tools(self, schema: GraphQLSchema) -> tuple[CostCalculator, IntrospectionAnswers]:
        tools = _PER_SCHEMA.get(schema)
        if tools is None:
            tools = _PER_SCHEMA[schema] = (
                CostCalculator(schema, self.default_page_size),
                IntrospectionAnswers(),
            )
        return tools

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
        calculator, answers = self._tools(context.schema._schema)
        chosen = operation(document, context.operation_name)
        introspection = chosen is not None and is_introspection_only(chosen)
        kept_key = answers.key(context.query or "", context.operation_name, context.variables)
        kept = answers.get(kept_key) if introspection else None
        cost = (
            1
            if kept is not None
            else calculator.cost(document, context.operation_name, context.variables)
        )
        request.query_cost = cost
        report: dict[str, Any] = {"requestedQueryCost": cost, "maximumQueryCost": self.max_cost}
        request.cost_report = report
        if cost > self.max_cost:
            self._refuse(
                QueryTooComplex(
                    f"This query costs {cost}, above the maximum of {self.max_cost}; ask for "
                    "fewer items (`first`/`last`) or fewer nested connections.",
                    extra={"cost": cost, "maximum": self.max_cost},
                )
            )
            yield
            return
        limiter = request.services.rate_limiter
        principal = request.principal
        bucket = bucket_of(principal.kind, principal.id, request.client_ip)
        decision = None
        charge = cost
        if limiter is not None:
            capacity = limiter.policy(principal.tier).capacity
            if introspection:  # anyone may learn the schema, once per bucket
                charge = min(cost, int(capacity))
            if charge > capacity:  # could never be paid for, however long the caller waits
                self._refuse(
                    QueryTooComplex(
                        f"This query costs {cost}, more than your rate limit allows at once "
                        f"({capacity}).",
                        extra={"cost": cost, "maximum": capacity},
                    )
                )
                yield
                return
            try:
                decision = await limiter.take(bucket, principal.tier, charge)
            except ServiceUnavailable as error:
                self._refuse(error)
                yield
                return
            report["throttleStatus"] = _status(decision.remaining, decision)
            if not decision.allowed:
                wait = max(1, math.ceil(decision.retry_after))
                request.retry_after = wait
                RATE_LIMITED.labels("graphql").inc()
                self._refuse(
                    RateLimited(
                        f"This query costs {charge}; {math.floor(decision.remaining)} is "
                        f"available. Retry in {wait} s.",
                        extra={"retry_after": wait, "cost": charge},
                    )
                )
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
        if kept is not None:
            actual = cost
        else:
            returned = calculator.actual(document, context.operation_name, context.variables, data)
            actual = min(charge, max(returned, request.reader.rows_read))
        report["actualQueryCost"] = actual
        if limiter is not None and decision is not None:
            available = decision.remaining
            if actual < charge:
                available = await limiter.give_back(bucket, principal.tier, charge - actual)
            report["throttleStatus"] = _status(available, decision)


def _status(available: float, decision: Decision) -> dict[str, float]:
    policy = decision.policy
    return {
        "maximumAvailable": policy.capacity,
        "currentlyAvailable": math.floor(available),
        "restoreRate": policy.refill_per_second,
    }
