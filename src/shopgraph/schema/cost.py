"""What a GraphQL query costs, computed from the document before anything runs.

The model, in the spirit of Shopify's and GitHub's:
- every field that returns an object (or a list of objects) costs 1; scalars and enums 0;
- inside a connection (`…Connection`), `edges` and `nodes` are paid once per item the
  connection can return: `first` or `last`, or the default page size when neither is
  given; the connection field itself and its `pageInfo` are paid once;
- `nodes(ids:)` pays its selection once per id; other lists are paid once (their length is
  bounded by the data, not by the caller);
- fragments count where they are spread; for an abstract type every type condition is
  summed (an upper bound);
- each mutation field costs 10 on top of its selection.
Variables are resolved, so `first: $n` costs what `$n` is.
"""

from __future__ import annotations

import math
from collections.abc import AsyncIterator, Mapping
from typing import Any

from graphql import (
    DocumentNode,
    ExecutionResult,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLError,
    GraphQLField,
    GraphQLNamedType,
    GraphQLObjectType,
    GraphQLSchema,
    InlineFragmentNode,
    IntValueNode,
    ListValueNode,
    OperationDefinitionNode,
    OperationType,
    SelectionSetNode,
    VariableNode,
    get_named_type,
    is_composite_type,
)
from strawberry.extensions import SchemaExtension

from ..context import RequestContext
from ..errors import QueryTooComplex, RateLimited, ServiceUnavailable, ShopgraphError
from ..metrics import RATE_LIMITED
from ..ratelimit import Decision
from ..ratelimit.buckets import bucket_of

MUTATION_COST = 10
MULTIPLIED = ("edges", "nodes")


class CostCalculator:
    def __init__(self, schema: GraphQLSchema, default_page_size: int) -> None:
        self.schema = schema
        self.default_page_size = default_page_size

    def cost(
        self,
        document: DocumentNode,
        operation_name: str | None,
        variables: Mapping[str, Any] | None,
    ) -> int:
        """The cost of the operation `operation_name` of `document` (0 if it is absent)."""
        operations = [d for d in document.definitions if isinstance(d, OperationDefinitionNode)]
        chosen = next(
            (
                op
                for op in operations
                if operation_name is None or (op.name and op.name.value == operation_name)
            ),
            None,
        )
        if chosen is None:
            return 0
        fragments = {
            d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)
        }
        root = (
            self.schema.mutation_type
            if chosen.operation == OperationType.MUTATION
            else self.schema.query_type
        )
        if root is None:
            return 0
        walk = _Walk(self, fragments, dict(variables or {}))
        total = walk.selection(root, chosen.selection_set, connection_size=None)
        if chosen.operation == OperationType.MUTATION:
            total += MUTATION_COST * walk.root_fields(root, chosen.selection_set)
        return total

    def actual(
        self,
        document: DocumentNode,
        operation_name: str | None,
        variables: Mapping[str, Any] | None,
        data: Any,
    ) -> int:
        """What the operation really cost: the same model over the lists it returned."""
        chosen = _operation(document, operation_name)
        if chosen is None or not isinstance(data, dict):
            return 0
        root = self._root(chosen)
        if root is None:
            return 0
        walk = _Walk(self, _fragments(document), dict(variables or {}))
        total = walk.returned(root, chosen.selection_set, data)
        if chosen.operation == OperationType.MUTATION:
            total += MUTATION_COST * walk.root_fields(root, chosen.selection_set)
        return total

    def _root(self, operation: OperationDefinitionNode) -> GraphQLObjectType | None:
        if operation.operation == OperationType.MUTATION:
            return self.schema.mutation_type
        return self.schema.query_type


def _operation(document: DocumentNode, name: str | None) -> OperationDefinitionNode | None:
    return next(
        (
            d
            for d in document.definitions
            if isinstance(d, OperationDefinitionNode)
            and (name is None or (d.name is not None and d.name.value == name))
        ),
        None,
    )


def _fragments(document: DocumentNode) -> dict[str, FragmentDefinitionNode]:
    return {d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)}


class _Walk:
    def __init__(
        self,
        calculator: CostCalculator,
        fragments: dict[str, FragmentDefinitionNode],
        variables: dict[str, Any],
    ) -> None:
        self.calculator = calculator
        self.fragments = fragments
        self.variables = variables

    def _fields(
        self, parent: GraphQLNamedType, selection_set: SelectionSetNode
    ) -> list[tuple[GraphQLNamedType, FieldNode]]:
        found: list[tuple[GraphQLNamedType, FieldNode]] = []
        for selection in selection_set.selections:
            if isinstance(selection, FieldNode):
                found.append((parent, selection))
            elif isinstance(selection, InlineFragmentNode):
                condition = (
                    self.calculator.schema.get_type(selection.type_condition.name.value)
                    if selection.type_condition
                    else parent
                )
                found += self._fields(condition or parent, selection.selection_set)
            elif isinstance(selection, FragmentSpreadNode):
                fragment = self.fragments.get(selection.name.value)
                if fragment is not None:
                    condition = self.calculator.schema.get_type(fragment.type_condition.name.value)
                    found += self._fields(condition or parent, fragment.selection_set)
        return found

    def root_fields(self, root: GraphQLObjectType, selection_set: SelectionSetNode) -> int:
        return sum(
            1
            for _, node in self._fields(root, selection_set)
            if not node.name.value.startswith("__")
        )

    def _argument(self, node: FieldNode, name: str) -> Any:
        for argument in node.arguments or ():
            if argument.name.value == name:
                value = argument.value
                if isinstance(value, VariableNode):
                    return self.variables.get(value.name.value)
                if isinstance(value, IntValueNode):
                    return int(value.value)
                if isinstance(value, ListValueNode):
                    return [item for item in value.values]
        return None

    def _field_definition(self, parent: GraphQLNamedType, name: str) -> GraphQLField | None:
        fields = getattr(parent, "fields", None)
        return None if fields is None else fields.get(name)

    def selection(
        self,
        parent: GraphQLNamedType,
        selection_set: SelectionSetNode,
        connection_size: int | None,
    ) -> int:
        total = 0
        for owner, node in self._fields(parent, selection_set):
            definition = self._field_definition(owner, node.name.value)
            if definition is None:
                continue  # __typename and friends: free
            named = get_named_type(definition.type)
            if not is_composite_type(named) or node.selection_set is None:
                continue
            size = self._size(named, node)
            inner = self.selection(named, node.selection_set, size)
            if connection_size is not None and node.name.value in MULTIPLIED:
                total += connection_size * (1 + inner)
            elif node.name.value == "nodes" and connection_size is None:
                ids = self._argument(node, "ids")
                count = len(ids) if isinstance(ids, list) else 1
                total += count * (1 + inner)
            else:
                total += 1 + inner
        return total

    def returned(self, parent: GraphQLNamedType, selection_set: SelectionSetNode, data: Any) -> int:
        """Each object (or list item) the response holds costs 1; nulls and scalars 0."""
        if not isinstance(data, dict):
            return 0
        total = 0
        for owner, node in self._fields(parent, selection_set):
            definition = self._field_definition(owner, node.name.value)
            if definition is None or node.selection_set is None:
                continue
            named = get_named_type(definition.type)
            if not is_composite_type(named):
                continue
            value = data.get(node.alias.value if node.alias else node.name.value)
            items = value if isinstance(value, list) else [value]
            total += sum(
                1 + self.returned(named, node.selection_set, item)
                for item in items
                if item is not None
            )
        return total

    def _size(self, named: GraphQLNamedType, node: FieldNode) -> int | None:
        if not named.name.endswith("Connection"):
            return None
        for name in ("first", "last"):
            value = self._argument(node, name)
            if isinstance(value, int) and value >= 0:
                return value
        return self.calculator.default_page_size


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
        calculator = CostCalculator(context.schema._schema, self.default_page_size)
        cost = calculator.cost(document, context.operation_name, context.variables)
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
        if limiter is not None:
            capacity = limiter.policy(principal.tier).capacity
            if cost > capacity:  # could never be paid for, however long the caller waits
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
                decision = await limiter.take(bucket, principal.tier, cost)
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
                        f"This query costs {cost}; {math.floor(decision.remaining)} is "
                        f"available. Retry in {wait} s.",
                        extra={"retry_after": wait, "cost": cost},
                    )
                )
                yield
                return
        yield
        result = context.result
        data = getattr(result, "data", None)
        actual = min(
            cost, calculator.actual(document, context.operation_name, context.variables, data)
        )
        report["actualQueryCost"] = actual
        if limiter is not None and decision is not None:
            available = decision.remaining
            if actual < cost:
                available = await limiter.give_back(bucket, principal.tier, cost - actual)
            report["throttleStatus"] = _status(available, decision)


def _status(available: float, decision: Decision) -> dict[str, float]:
    policy = decision.policy
    return {
        "maximumAvailable": policy.capacity,
        "currentlyAvailable": math.floor(available),
        "restoreRate": policy.refill_per_second,
    }
