"""The example operations GraphiQL opens with: ``examples/graphql/*.graphql``.

The examples live in the repository beside ``src/``, not inside the package, so an
installed wheel has none (unless ``$SHOPGRAPH_EXAMPLES_DIR`` names a folder of them):
GraphiQL then opens as it always did. They are read once, when the app is built; a file
that cannot be read is left out with a warning rather than failing the server.

A file is sent exactly as written, comments included: an allow-listed operation is
registered by the hash of its exact text, so a tab must run what the file says.

Variables: a line ``# variables: {"first": 50}`` (any case) in a file's leading comment
block prefills the variables editor of its tab with that JSON object.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import re
from dataclasses import dataclass
from pathlib import Path

from graphql import GraphQLError, OperationDefinitionNode, parse

__all__ = ["Example", "default_examples_dir", "load_examples"]

logger = logging.getLogger(__name__)

_VARIABLES_RE = re.compile(r"#\s*variables\s*:(.*)", re.IGNORECASE)
_LINE_END_RE = re.compile(r"\r\n?|\n")


@dataclass(frozen=True)
class Example:
    """One example operation, as GraphiQL's tab shows it."""

    name: str  # the file's stem, e.g. "orders"
    title: str  # the first operation's name, else the file's stem
    query: str  # the file's text, exactly
    variables: str | None  # JSON for the variables editor, from a `# variables:` line

    @property
    def id(self) -> str:
        """Changes when the file does, so a browser is offered an edited example again."""
        digest = hashlib.sha256(f"{self.query}\0{self.variables}".encode()).hexdigest()
        return f"{self.name}:{digest[:16]}"


def default_examples_dir() -> Path | None:
    """``$SHOPGRAPH_EXAMPLES_DIR``, else ``examples/graphql`` of the source checkout the
    package runs from (none when it runs from a wheel: no ``pyproject.toml`` up there)."""
    env = os.environ.get("SHOPGRAPH_EXAMPLES_DIR")
    if env:
        return Path(env)
    root = Path(__file__).resolve().parents[2]
    return root / "examples" / "graphql" if (root / "pyproject.toml").is_file() else None


def load_examples(directory: Path | None) -> list[Example]:
    """The ``*.graphql`` files of ``directory`` in name order; none if it does not exist."""
    if directory is None or not directory.is_dir():
        return []
    examples: list[Example] = []
    for file in sorted(directory.glob("*.graphql")):
        try:
            text = file.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            logger.warning("GraphiQL example %s left out: %s", file, exc)
            continue
        examples.append(Example(file.stem, _title(text, file.stem), text, _variables(file, text)))
    return examples


def _title(text: str, fallback: str) -> str:
    try:
        document = parse(text)
    except GraphQLError:
        return fallback  # GraphiQL shows the syntax error in the tab itself
    for definition in document.definitions:
        if isinstance(definition, OperationDefinitionNode) and definition.name is not None:
            return definition.name.value
    return fallback


def _variables(file: Path, text: str) -> str | None:
    """The JSON of the leading comment block's ``# variables:`` line, pretty-printed."""
    for line in _LINE_END_RE.split(text):  # GraphQL's line ends: not str.splitlines()
        stripped = line.strip()
        if not stripped:
            continue
        if not stripped.startswith("#"):
            return None  # past the leading comments: the operation itself
        match = _VARIABLES_RE.fullmatch(stripped)
        if match is None:
            continue
        try:
            value = json.loads(match.group(1))
        except ValueError as exc:
            logger.warning("GraphiQL example %s: `# variables:` is not JSON: %s", file, exc)
            return None
        if not isinstance(value, dict):
            logger.warning("GraphiQL example %s: `# variables:` is not a JSON object", file)
            return None
        return json.dumps(value, indent=2, ensure_ascii=False)
    return None
