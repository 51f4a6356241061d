"""What is deprecated, since when, until when, and how an answer says so.

One registry for both surfaces, by kind: a dated REST version; an output field by its
schema coordinate (`Order.currency` names the GraphQL field and the REST field alike); a
GraphQL input value (an argument, `Query.events(type:)`, or an input field,
`OrderFilter.createdAfter`); a REST route (`GET /v1/customers/{id}/orders`) and a REST
query parameter (`GET /v1/orders?created_after`). An answer that used any of them carries
`Deprecation` (RFC 9745: when it was deprecated, as a structured-field date), `Sunset`
(RFC 8594: when it stops working, as an HTTP-date) and `Link` headers to its documentation
(`rel="deprecation"`) and to its successor (`rel="successor-version"`) where there is one.
After its sunset a version, route or parameter is answered 410 Gone, naming the successor.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from email.utils import format_datetime
from typing import Final
from urllib.parse import quote

from ..errors import ShopgraphError

DOCS: Final = "https://shopgraph.dev/docs/"


class Retired(ShopgraphError):
    """A route or parameter past its sunset: 410, naming what to use instead."""

    code = "RETIRED"
    status = 410
    title = "No longer served"


@dataclass(frozen=True, slots=True)
class Deprecation:
    subject: str  # "version 2026-12-01", or a coordinate such as "Order.currency"
    since: date
    sunset: date
    reason: str
    docs: str  # the page and anchor under DOCS that explains the move
    successor: str | None = None  # what to use instead, as a consumer writes it
    # Where the successor is: a path from the API's origin (a route's, `{id}` filled from
    # the request's path) or a whole URL (a version's docs).
    successor_url: str | None = None

    def as_extension(self) -> dict[str, str]:
        """As GraphQL's `extensions.deprecations` lists it."""
        listed = {
            "field": self.subject,
            "reason": self.reason,
            "deprecated_at": self.since.isoformat(),
            "sunset": self.sunset.isoformat(),
        }
        if self.successor is not None:
            listed["successor"] = self.successor
        return listed

    @property
    def schema_reason(self) -> str:
        """The reason as the GraphQL schema's `@deprecated` and the OpenAPI document give it."""
        return f"{self.reason} Sunset {self.sunset.isoformat()}."

    def is_past_sunset(self) -> bool:
        return today() >= self.sunset

    def retired(self) -> Retired:
        """The 410 for a use of this after its sunset."""
        instead = f" Use `{self.successor}` instead." if self.successor else ""
        return Retired(
            f"`{self.subject}` was retired on {self.sunset.isoformat()}.{instead} "
            f"See {DOCS}{self.docs}.",
            extra={"successor": self.successor},
        )


VERSIONS: Final[dict[str, Deprecation]] = {
    "2026-12-01": Deprecation(
        "version 2026-12-01",
        since=date(2026, 12, 6),
        sunset=date(2027, 6, 6),
        reason="Superseded by 2026-12-06: a payment's refunds are a list of their own.",
        docs="versioning#migrating-to-2026-12-06",
        successor="2026-12-06",
        successor_url=f"{DOCS}versioning",
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
# GraphQL arguments (`Type.field(argument:)`) and input fields (`Input.field`).
INPUTS: Final[dict[str, Deprecation]] = {
    "OrderFilter.createdAfter": Deprecation(
        "OrderFilter.createdAfter",
        since=date(2026, 12, 6),
        sunset=date(2027, 6, 6),
        reason="Renamed `createdFrom`: the bound is inclusive, which `after` did not say.",
        docs="versioning#deprecated-parameters",
        successor="OrderFilter.createdFrom",
    ),
}
# REST routes, as `METHOD /v1/path`.
ROUTES: Final[dict[str, Deprecation]] = {
    "GET /v1/customers/{id}/orders": Deprecation(
        "GET /v1/customers/{id}/orders",
        since=date(2026, 12, 6),
        sunset=date(2027, 6, 6),
        reason="One way to list orders: `GET /v1/orders?customer_id=` takes the customer "
        "and every other filter (status, dates) too.",
        docs="versioning#deprecated-routes",
        successor="GET /v1/orders?customer_id={id}",
        successor_url="/v1/orders?customer_id={id}",
    ),
}
# REST query parameters, as `METHOD /v1/path?name`.
PARAMETERS: Final[dict[str, Deprecation]] = {
    "GET /v1/orders?created_after": Deprecation(
        "GET /v1/orders?created_after",
        since=date(2026, 12, 6),
        sunset=date(2027, 6, 6),
        reason="Renamed `created_from`: the bound is inclusive, which `after` did not say.",
        docs="versioning#deprecated-parameters",
        successor="created_from",
    ),
}


def every() -> list[Deprecation]:
    """Every deprecation of every kind."""
    registries = (VERSIONS, FIELDS, INPUTS, ROUTES, PARAMETERS)
    return [item for registry in registries for item in registry.values()]


def parameters_of(route: str) -> dict[str, Deprecation]:
    """The deprecated query parameters of `route` (`METHOD /v1/path`), by name."""
    prefix = f"{route}?"
    return {key[len(prefix) :]: item for key, item in PARAMETERS.items() if key.startswith(prefix)}


def today() -> date:
    """The date sunsets are judged by (tests set their own)."""
    return datetime.now(UTC).date()


def _midnight(day: date) -> datetime:
    return datetime.combine(day, time(), tzinfo=UTC)


def headers(
    used: Iterable[Deprecation], origin: str = "", path: Mapping[str, str] | None = None
) -> dict[str, str]:
    """The headers of an answer that used `used` (none: no headers); a successor's URL is
    made absolute with `origin` (`https://host`) and the request's `path` parameters."""
    found = sorted(set(used), key=lambda item: (item.since, item.subject))
    if not found:
        return {}
    earliest_sunset = min(item.sunset for item in found)
    links = []
    for item in found:
        links.append(f'<{DOCS}{item.docs}>; rel="deprecation"; type="text/html"')
        if item.successor_url is not None:
            filled = {name: quote(value, safe="") for name, value in (path or {}).items()}
            url = item.successor_url.format_map(filled)
            url = f"{origin}{url}" if url.startswith("/") else url
            title = (item.successor or "").format_map(filled)
            links.append(f'<{url}>; rel="successor-version"; title="{title}"')
    return {
        "Deprecation": f"@{int(_midnight(found[0].since).timestamp())}",
        "Sunset": format_datetime(_midnight(earliest_sunset), usegmt=True),
        "Link": ", ".join(dict.fromkeys(links)),
    }
