"""Functions generated from Python source, for the loops that run per row or per field.

Reading a row into a record and turning a record into a response dict run hundreds of
times per request; a function written out for one shape (`r[0]`, `r[1]`, ...) costs a
fraction of a generic loop over a field list. The source is kept in `linecache`, so a
traceback through generated code shows the line that failed.
"""

from __future__ import annotations

import itertools
import linecache
from collections.abc import Callable
from typing import Any

_serial = itertools.count()


def function(name: str, source: str, namespace: dict[str, Any]) -> Callable[..., Any]:
    """Compile `source`, which defines `name`, with `namespace` as its globals."""
    define(name, source, namespace, keep_source=True)
    made: Callable[..., Any] = namespace[name]
    return made


def define(title: str, source: str, namespace: dict[str, Any], *, keep_source: bool) -> None:
    """Run `source` (definitions) with `namespace` as its globals, which it fills.

    `keep_source` keeps the text for tracebacks for the life of the process: only for code
    made a bounded number of times (not per distinct client document).
    """
    filename = f"<shopgraph {title} #{next(_serial)}>"
    exec(compile(source, filename, "exec"), namespace)
    if keep_source:
        lines = source.splitlines(keepends=True)
        linecache.cache[filename] = (len(source), None, lines, filename)
