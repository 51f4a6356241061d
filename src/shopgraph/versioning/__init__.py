"""Dated API versions: which ones exist, how a request names one, and the changes between
them (docs/versioning.md).

The code speaks only the newest version. Each change is a small declared object that turns
a resource of its version back into the shape of the version before, so a consumer pinned
to an older version keeps its contract while the code moves on.
"""

from .calendar import (
    CURRENT,
    FIRST,
    HEADER,
    VERSIONS,
    UnknownVersion,
    VersionSunset,
    parse_version,
)
from .changes import CHANGES, VersionChange, downgrade, undone_for

__all__ = [
    "CHANGES",
    "CURRENT",
    "FIRST",
    "HEADER",
    "VERSIONS",
    "UnknownVersion",
    "VersionChange",
    "VersionSunset",
    "downgrade",
    "parse_version",
    "undone_for",
]
