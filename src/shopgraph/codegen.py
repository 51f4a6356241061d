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
    filename = f"<shopgraph {name} #{next(_serial)}>"
    exec(compile(source, filename, "exec"), namespace)
    linecache.cache[filename] = (len(source), None, source.splitlines(keepends=True), filename)
    made: Callable[..., Any] = namespace[name]
    return made
