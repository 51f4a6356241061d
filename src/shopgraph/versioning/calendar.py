"""The dated versions, oldest first, and how a version is named (`YYYY-MM-DD`).

`FIRST` is the contract as it stood when dated versions began: keys made before then are
pinned to it. A new version is added here with the change it brings (`changes.py`).
"""

from __future__ import annotations

from typing import Final

from ..errors import FieldError, MalformedRequest, ShopgraphError, ValidationFailed

HEADER: Final = "Shopgraph-Version"
FIRST: Final = "2026-12-01"
VERSIONS: Final = (FIRST, "2026-12-06")
CURRENT: Final = VERSIONS[-1]


class UnknownVersion(MalformedRequest):
    """A version that does not exist: 400, listing those that do."""

    code = "UNKNOWN_VERSION"
    title = "Unknown API version"


class VersionSunset(ShopgraphError):
    """A version past its sunset: 410, naming the version to move to."""

    code = "VERSION_SUNSET"
    status = 410
    title = "Version no longer served"


def parse_version(value: str, field: str = HEADER) -> str:
    """`value` if it names a version. Otherwise UnknownVersion (400) for the header, and
    VALIDATION_FAILED (422) for a field of a body, as for any other field's rule."""
    if value in VERSIONS:
        return value
    message = f"`{value}` is not an API version. Versions: {', '.join(VERSIONS)} (current)."
    errors = [FieldError(field, "INVALID", f"One of: {', '.join(VERSIONS)}.")]
    if field == HEADER:
        raise UnknownVersion(message, errors=errors)
    raise ValidationFailed(message, errors=errors)
