"""Which deprecated fields a GraphQL document selects, found once per document.

The answer to a document that selects any carries them in `extensions.deprecations` and in
the same `Deprecation`/`Sunset`/`Link` headers as REST (`versioning/deprecations.py`), so a
consumer hears of it on every use, not only when reading the schema.
"""

from __future__ import annotations

from collections import OrderedDict
from typing import Any

from graphql import (
    FieldNode,
    GraphQLError,
    GraphQLSchema,
    TypeInfo,
    TypeInfoVisitor,
    Visitor,
    parse,
    visit,
)

from ..versioning.deprecations import FIELDS, Deprecation

CACHED = 1_000  # documents


class DeprecatedUse:
    """The deprecated fields of each document, cached by its text (bounded)."""

    def __init__(self, schema: GraphQLSchema, size: int = CACHED) -> None:
        self._schema = schema
        self._size = size
        self._known: OrderedDict[str, tuple[Deprecation, ...]] = OrderedDict()

    def of(self, document: str) -> tuple[Deprecation, ...]:
        if not FIELDS:
            return ()
        known = self._known.get(document)
        if known is None:
            known = self._find(document)
            self._known[document] = known
            while len(self._known) > self._size:
                self._known.popitem(last=False)
        return known

    def _find(self, document: str) -> tuple[Deprecation, ...]:
        try:
            parsed = parse(document)
        except GraphQLError:
            return ()
        info = TypeInfo(self._schema)
        found: dict[str, Deprecation] = {}

        class Fields(Visitor):
            def enter_field(self, node: FieldNode, *_: Any) -> None:
                parent = info.get_parent_type()
                if parent is None:
                    return
                deprecated = FIELDS.get(f"{parent.name}.{node.name.value}")
                if deprecated is not None:
                    found[deprecated.subject] = deprecated

        visit(parsed, TypeInfoVisitor(info, Fields()))
        return tuple(found.values())
