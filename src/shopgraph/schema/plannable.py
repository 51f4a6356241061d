"""What a root query field declares so the planned executor can run it (`planned/`).

A root field names the plain function that fetches its value from the service layer,
`fetch(context, **arguments)`, the same function its Strawberry resolver calls, whether
that value is a page to be shown as a connection, and whether the function reads with one
statement (a plan that reads nothing else then needs no snapshot transaction). A root
field without it is run by Strawberry alone.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

ROOT = "shopgraph.root"


@dataclass(frozen=True, slots=True)
class Root:
    fetch: Callable[..., Awaitable[Any]]
    connection: bool  # the value is a `Page`, shown as a `Connection`
    reads_once: bool  # `fetch` sends one statement


def root(
    fetch: Callable[..., Awaitable[Any]], *, connection: bool = False, reads_once: bool = False
) -> dict[str, Any]:
    """Field metadata: `@strawberry.field(metadata=root(fetch))`."""
    return {ROOT: Root(fetch, connection, reads_once)}
