"""Introspection: a few entry points per document, and answers kept for the next caller.

Introspection costs CPU, not database time, and a lot of it: the standard introspection
query takes ~50 ms here and returns ~1,200 objects. One `__schema` query is what GraphiQL
and code generators send; thirty aliases of it are an attack. So:
- a document may name `__schema` or `__type` only a few times (`introspection_limit`,
  refused before anything runs);
- the cost model prices what introspection returns (`cost.py`), and the cost limit never
  charges an introspection-only operation more than the caller's full bucket, so anyone,
  anonymous GraphiQL users included, can learn the schema (`cost_limit.py`);
- the schema never changes while the process runs, so the answer to an introspection-only
  operation is kept (`IntrospectionAnswers`) and the same request again costs 1.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Mapping
from typing import Any

import orjson
from graphql import FieldNode, GraphQLError, OperationDefinitionNode, ValidationContext
from graphql.validation import ASTValidationRule

from ..errors import QueryTooComplex

ENTRY_POINTS = frozenset({"__schema", "__type"})
META_FIELDS = ENTRY_POINTS | {"__typename"}


def introspection_limit(maximum: int) -> type[ASTValidationRule]:
    """A validation rule refusing documents with more than `maximum` entry points."""

    class IntrospectionLimit(ASTValidationRule):
        def __init__(self, context: ValidationContext) -> None:
            super().__init__(context)
            self.seen = 0

        def enter_field(self, node: FieldNode, *_args: Any) -> None:
            if node.name.value not in ENTRY_POINTS:
                return
            self.seen += 1
            if self.seen == maximum + 1:
                error = QueryTooComplex(
                    f"A document may ask for `__schema` or `__type` at most {maximum} times.",
                    extra={"maximum": maximum},
                )
                self.report_error(GraphQLError(error.detail, node, original_error=error))

    return IntrospectionLimit


def is_introspection_only(operation: OperationDefinitionNode) -> bool:
    """A query whose every root field is `__schema`, `__type` or `__typename`."""
    selections = operation.selection_set.selections
    return operation.operation.value == "query" and all(
        isinstance(item, FieldNode) and item.name.value in META_FIELDS and not item.directives
        for item in selections
    )


class IntrospectionAnswers:
    """The answers to the last `size` distinct introspection-only requests of a process."""

    def __init__(self, size: int = 64) -> None:
        self.size = size
        self._answers: OrderedDict[bytes, Any] = OrderedDict()

    @staticmethod
    def key(query: str, operation_name: str | None, variables: Mapping[str, Any] | None) -> bytes:
        return orjson.dumps([query, operation_name, variables or {}], option=orjson.OPT_SORT_KEYS)

    def get(self, key: bytes) -> Any:
        answer = self._answers.get(key)
        if answer is not None:
            self._answers.move_to_end(key)
        return answer

    def keep(self, key: bytes, data: Any) -> None:
        self._answers[key] = data
        self._answers.move_to_end(key)
        while len(self._answers) > self.size:
            self._answers.popitem(last=False)
