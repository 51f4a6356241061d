"""What is deprecated, since when, until when, and how an answer says so.

One registry for both surfaces: a dated REST version, or a field by its schema coordinate
(`Order.currency` names the GraphQL field and the REST field alike). An answer that used
any of them carries `Deprecation` (RFC 9745: when it was deprecated, as a structured-field
date), `Sunset` (RFC 8594: when it stops working, as an HTTP-date) and `Link` headers to
its documentation (`rel="deprecation"`) and, for a version, to its successor
(`rel="successor-version"`). After its sunset a version is answered 410 Gone.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from email.utils import format_datetime
from typing import Final

DOCS: Final = "https://shopgraph.dev/docs/"


@dataclass(frozen=True, slots=True)
class Deprecation:
    subject: str  # "version 2026-12-01", or a coordinate such as "Order.currency"
    since: date
    sunset: date
    reason: str
    docs: str  # the page and anchor under DOCS that explains the move
    successor: str | None = None  # a version's successor version

    def as_extension(self) -> dict[str, str]:
        """As GraphQL's `extensions.deprecations` lists it."""
        return {
            "field": self.subject,
            "reason": self.reason,
            "deprecated_at": self.since.isoformat(),
            "sunset": self.sunset.isoformat(),
        }


VERSIONS: Final[dict[str, Deprecation]] = {
    "2026-12-01": Deprecation(
        "version 2026-12-01",
        since=date(2026, 12, 6),
        sunset=date(2027, 6, 6),
        reason="Superseded by 2026-12-06: a payment's refunds are a list of their own.",
        docs="versioning#migrating-to-2026-12-06",
        successor="2026-12-06",
    ),
}
FIELDS: Final[dict[str, Deprecation]] = {
    "Order.currency": Deprecation(
        "Order.currency",
        since=date(2026, 12, 6),
        sunset=date(2027, 6, 6),
        reason="Every amount carries its own currency: read `total.currency`.",
        docs="versioning#deprecated-fields",
    ),
}


def today() -> date:
    """The date sunsets are judged by (tests set their own)."""
    return datetime.now(UTC).date()


def _midnight(day: date) -> datetime:
    return datetime.combine(day, time(), tzinfo=UTC)


def headers(used: Iterable[Deprecation]) -> dict[str, str]:
    """The headers of an answer that used `used` (none: no headers)."""
    found = sorted(set(used), key=lambda item: (item.since, item.subject))
    if not found:
        return {}
    earliest_sunset = min(item.sunset for item in found)
    links = []
    for item in found:
        links.append(f'<{DOCS}{item.docs}>; rel="deprecation"; type="text/html"')
        if item.successor is not None:
            links.append(f'<{DOCS}versioning>; rel="successor-version"; title="{item.successor}"')
    return {
        "Deprecation": f"@{int(_midnight(found[0].since).timestamp())}",
        "Sunset": format_datetime(_midnight(earliest_sunset), usegmt=True),
        "Link": ", ".join(dict.fromkeys(links)),
    }
