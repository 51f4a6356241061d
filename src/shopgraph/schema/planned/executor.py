"""The planned executor in front of Strawberry: cached plans for queries, Strawberry for the rest.

A document is planned the first time it comes, after it passed the validation Strawberry
would apply (graphql-core's rules, Strawberry's own and the server's limits, with the same
token limit); a document that fails it is left to Strawberry, which reports why. The cache
key is the document's text and operation name: validation depends on nothing else. A
request with a planned document runs its plan: variables coerced by graphql-core, the price
admitted through the same cost gate, the plan run, the cost settled. A document the planner
does not support is remembered as such and always runs through Strawberry. A request whose
run bails runs again through Strawberry from a clean slate (no loaded values, no joins,
nothing read counted), keeping its admission, so it is charged once and answered exactly as
Strawberry answers.
"""

from __future__ import annotations

from collections import OrderedDict
from typing import Any

import structlog
from graphql import GraphQLError, OperationDefinitionNode, parse, specified_rules
from graphql.execution.values import VariableValues, get_variable_values
from strawberry.schema.schema import validate_document
from strawberry.types import ExecutionResult
from strawberry.types.graphql import OperationType

from ...context import RequestContext
from ...errors import ShopgraphError
from ...metrics import GRAPHQL_EXECUTIONS
from ...settings import Settings
from .. import Schema, graphql_schema
from ..cost_limit import calculator_for
from .compiler import Compiler
from .plan import Bail, Plan, Unsupported
from .runner import arguments_of, run

log = structlog.get_logger("shopgraph.graphql.planned")

PLANS = 1000  # documents whose plans a process keeps


class AmbiguousOperation(Exception):
    """A valid document with several operations, and no `operationName` to choose one."""


_AMBIGUOUS = object()  # what the plan cache keeps for such a document
PRICES = 256  # prices a plan keeps, by the values of the variables they depend on
# The counters of each way a request is answered, labelled once (`labels` costs ~3 us).
_PLANNED = GRAPHQL_EXECUTIONS.labels("planned")
_BAILED = GRAPHQL_EXECUTIONS.labels("bailed")
_STRAWBERRY = GRAPHQL_EXECUTIONS.labels("strawberry")
_UNSEEN = object()


class PlannedExecutor:
    """Executes GraphQL requests: through a plan when there is one, else through Strawberry."""

    def __init__(self, schema: Schema, settings: Settings) -> None:
        self.schema = schema
        self.graphql = graphql_schema(schema)
        self.enabled = settings.planned_executor
        self.calculator = calculator_for(self.graphql, settings.default_page_size)
        self._plans: OrderedDict[tuple[str, str | None], Plan | object | None] = OrderedDict()

    async def execute(
        self,
        query: str,
        variables: dict[str, Any] | None,
        operation_name: str | None,
        context: RequestContext,
        allowed: set[OperationType],
    ) -> ExecutionResult:
        key = (query, operation_name)
        plan = self._plans.get(key, _UNSEEN)
        if plan is _UNSEEN:
            plan = self._plan(query, operation_name)
            self._keep(key, plan)
        if plan is _AMBIGUOUS:
            raise AmbiguousOperation
        if isinstance(plan, Plan):
            self._plans.move_to_end(key)
            result = await self._run(plan, variables, operation_name, context)
            if result is not None:
                _PLANNED.inc()
                return result
            _BAILED.inc()
        else:
            _STRAWBERRY.inc()
        return await self.schema.execute(
            query,
            variable_values=variables,
            context_value=context,
            operation_name=operation_name,
            allowed_operation_types=allowed,
        )

    def plan(self, query: str, operation_name: str | None) -> Plan | None:
        """The plan of a valid document's operation, or None where the planner declines
        (or the document is invalid: Strawberry then says why)."""
        plan = self._plan(query, operation_name)
        return plan if isinstance(plan, Plan) else None

    def _plan(self, query: str, operation_name: str | None) -> Plan | object | None:
        """A plan; `_AMBIGUOUS` for a valid document with several operations and no name;
        None for the rest (with plans off, everything but that check is Strawberry's)."""
        try:
            document = parse(query, max_tokens=self.schema.max_tokens)
        except GraphQLError:
            return None
        rules = (*specified_rules, *self.schema.validation_limits)
        if validate_document(self.graphql, document, rules):
            return None
        operations = [d for d in document.definitions if isinstance(d, OperationDefinitionNode)]
        if operation_name is None and len(operations) != 1:
            return _AMBIGUOUS  # the spec's request error, where Strawberry takes the first
        if not self.enabled:
            return None
        named = [
            d
            for d in operations
            if operation_name is None or (d.name is not None and d.name.value == operation_name)
        ]
        if not named:
            return None  # no such operation: Strawberry's request error
        try:
            return Compiler(self.schema, self.graphql, document, named[0]).plan()
        except Unsupported as reason:
            log.debug("graphql.not_planned", reason=str(reason))
            return None

    def _keep(self, key: tuple[str, str | None], plan: Plan | object | None) -> None:
        self._plans[key] = plan
        while len(self._plans) > PLANS:
            self._plans.popitem(last=False)

    def _price(
        self,
        plan: Plan,
        operation_name: str | None,
        variables: dict[str, Any] | None,
        coerced: VariableValues | None,
    ) -> int:
        """The operation's price, computed once per plan and values of the variables that
        can change it."""
        values = coerced.coerced if coerced is not None else {}
        key = tuple(_hashable(values.get(name)) for name in plan.priced_by)
        price = plan.prices.get(key)
        if price is None:
            price = self.calculator.cost(plan.document, operation_name, variables)
            if len(plan.prices) >= PRICES:
                plan.prices.clear()
            plan.prices[key] = price
        return price

    async def _run(
        self,
        plan: Plan,
        variables: dict[str, Any] | None,
        operation_name: str | None,
        context: RequestContext,
    ) -> ExecutionResult | None:
        definitions = plan.operation.variable_definitions
        coerced: VariableValues | None = None
        if definitions:
            values = get_variable_values(self.graphql, definitions, variables or {})
            if isinstance(values, list):
                return None  # Strawberry reports the variables' errors
            coerced = values
        try:
            arguments = arguments_of(plan, coerced)
        except GraphQLError:
            return None  # a root field's arguments do not coerce: Strawberry reports it
        # A price depends on `first`, `last` and `ids` alone while every argument coerces.
        clean = not any(isinstance(given, GraphQLError) for given in arguments[1])
        cost = (
            self._price(plan, operation_name, variables, coerced)
            if clean
            else self.calculator.cost(plan.document, operation_name, variables)
        )
        refusal = await self.schema.cost_gate.admit(context, cost)
        if refusal is not None:
            error = GraphQLError(refusal.detail, original_error=refusal)
            return ExecutionResult(data=None, errors=[error])
        try:
            data, objects = await run(plan, context, arguments)
        except Exception as error:
            reason = type(error).__name__
            if isinstance(error, Bail | ShopgraphError | GraphQLError):
                log.debug("graphql.plan_bailed", request_id=context.request_id, reason=reason)
            else:  # a planner bug, or an outage: Strawberry answers either way
                log.warning(
                    "graphql.plan_failed",
                    request_id=context.request_id,
                    reason=reason,
                    exc_info=True,
                )
            context.loaders.release()  # its values and its joins: Strawberry starts afresh
            context.reader.rows_read = 0
            return None
        await self.schema.cost_gate.settle(context, objects)
        return ExecutionResult(data=data, errors=None)


def _hashable(value: Any) -> Any:
    if isinstance(value, list):
        return tuple(_hashable(item) for item in value)
    if isinstance(value, dict):
        return tuple(sorted((key, _hashable(item)) for key, item in value.items()))
    return value
