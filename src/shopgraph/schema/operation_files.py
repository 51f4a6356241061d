"""Operations in `.graphql` files, as `shopgraph operations register` puts them on the
allow-list.

A file holding one operation is registered as its whole text, comments included, since a
client that reads the file and sends it (as `examples/graphql_client.py` does) sends that
text, and the allow-list matches the SHA-256 of the exact text. A file holding several
named operations gives one each: the operation's own text and the fragments it spreads,
in the file's order, separated by a blank line. Every operation must pass the validation
the server applies (the schema, depth, alias and token limits) before any is registered.

Each is registered in its canonical form too (`canonical`: graphql-core's printing of it,
whatever the spacing and comments), because generated clients (clients/graphql) send an
operation as they print it, not as the file has it; the allow-list admits a document
whose canonical form is registered (schema/persisted.py).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path

from graphql import (
    DefinitionNode,
    DocumentNode,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLError,
    InlineFragmentNode,
    OperationDefinitionNode,
    SelectionSetNode,
    parse,
    print_ast,
    specified_rules,
    validate,
)

from ..resolvers.persisted_operations import NewOperation
from . import Schema, graphql_schema


def canonical(document: str) -> str | None:
    """`document` as graphql-core prints it: one text for any spacing and comments; None
    if it does not parse."""
    try:
        return print_ast(parse(document))
    except GraphQLError:
        return None


def with_canonical_forms(operations: Sequence[NewOperation]) -> list[NewOperation]:
    """`operations`, each followed by its canonical form where that is another text."""
    listed: list[NewOperation] = []
    for operation in operations:
        listed.append(operation)
        printed = canonical(operation.document)
        if printed is not None and printed != operation.document:
            listed.append(NewOperation(printed, operation.name, f"{operation.source} (canonical)"))
    return listed


class OperationFileError(ValueError):
    """A file that does not hold registrable operations: the message names it and why."""


def graphql_files(paths: Iterable[Path]) -> list[Path]:
    """`paths`, with each folder replaced by the `.graphql` files in it, sorted."""
    files: list[Path] = []
    for path in paths:
        if path.is_dir():
            files.extend(sorted(path.glob("*.graphql")))
        elif path.is_file():
            files.append(path)
        else:
            raise OperationFileError(f"{path}: no such file or folder.")
    return files


def operations_in(path: Path) -> list[NewOperation]:
    """The operations of one file."""
    text = path.read_text(encoding="utf-8")
    try:
        document = parse(text)
    except GraphQLError as error:
        raise OperationFileError(f"{path}: {error.message}") from None
    operations = [d for d in document.definitions if isinstance(d, OperationDefinitionNode)]
    if not operations:
        raise OperationFileError(f"{path}: no operation in it.")
    if len(operations) == 1:
        return [NewOperation(text, _name(operations[0]), str(path))]
    if any(operation.name is None for operation in operations):
        raise OperationFileError(f"{path}: several operations, so each needs a name.")
    return [NewOperation(_text_of(text, document, op), _name(op), str(path)) for op in operations]


def check(schema: Schema, operations: Sequence[NewOperation]) -> list[str]:
    """Why each operation the server would refuse is refused, naming it; empty if none."""
    rules = (*specified_rules, *schema.validation_limits)
    problems = []
    for operation in operations:
        label = f"{operation.source} ({operation.name or 'anonymous'})"
        try:
            document = parse(operation.document, max_tokens=schema.max_tokens)
        except GraphQLError as error:
            problems.append(f"{label}: {error.message}")
            continue
        problems.extend(
            f"{label}: {error.message}"
            for error in validate(graphql_schema(schema), document, rules)
        )
    return problems


def _name(operation: OperationDefinitionNode) -> str | None:
    return operation.name.value if operation.name else None


def _text_of(text: str, document: DocumentNode, operation: OperationDefinitionNode) -> str:
    """The operation and the fragments it spreads (directly or not), in document order."""
    fragments = {
        d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)
    }
    used: dict[str, FragmentDefinitionNode] = {}
    pending = list(_spreads(operation.selection_set))
    while pending:
        name = pending.pop()
        fragment = fragments.get(name)
        if fragment is not None and name not in used:
            used[name] = fragment
            pending.extend(_spreads(fragment.selection_set))
    parts: list[DefinitionNode] = [operation, *used.values()]
    parts.sort(key=_start)
    return "\n\n".join(text[_start(part) : _end(part)] for part in parts)


def _spreads(selection_set: SelectionSetNode | None) -> Iterable[str]:
    """The names of the fragments spread in a selection set, at any depth."""
    for selection in selection_set.selections if selection_set else ():
        if isinstance(selection, FragmentSpreadNode):
            yield selection.name.value
        elif isinstance(selection, FieldNode | InlineFragmentNode):
            yield from _spreads(selection.selection_set)


def _start(node: DefinitionNode) -> int:
    return node.loc.start if node.loc else 0


def _end(node: DefinitionNode) -> int:
    return node.loc.end if node.loc else 0
