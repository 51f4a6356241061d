"""List endpoints: query parameters to a `PageInput` and a filter; a page to a response.

Body: `{"data", "has_more", "next_cursor", "previous_cursor"}`. `has_more` is about the
direction of travel (forward unless `ending_before` was given), as in Stripe's API;
the cursors are there whenever a neighbouring page exists. The same links go in an
RFC 8288 `Link` header (`rel="next"`, `rel="prev"`), built from the request's URL.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import Any, TypeVar

from starlette.requests import Request
from starlette.responses import Response

from ..errors import FieldError, ValidationFailed
from ..pagination import Page
from ..resolvers.common import PageInput
from .queries import ListQuery
from .render import json_response

F = TypeVar("F")

# PageInput's (first, last, after, before) by their REST names, for error messages.
NAMES = ("limit", "limit", "starting_after", "ending_before")
CURSOR_PARAMS = ("starting_after", "ending_before")


def page_input(query: ListQuery) -> PageInput:
    """Paging from the query string; an empty cursor is no cursor, as `page_args` reads it."""
    if query.starting_after and query.ending_before:
        raise ValidationFailed(
            "Pass `starting_after` or `ending_before`, not both.",
            errors=[
                FieldError("ending_before", "INVALID", "Cannot be combined with `starting_after`.")
            ],
        )
    if query.ending_before:
        return PageInput(
            last=query.limit,
            before=query.ending_before,
            sort=query.sort,
            direction=query.direction,
            names=NAMES,
        )
    return PageInput(
        first=query.limit,
        after=query.starting_after,
        sort=query.sort,
        direction=query.direction,
        names=NAMES,
    )


def filter_of(kind: Callable[..., F], query: ListQuery) -> F:
    """A resolver filter dataclass filled from the query parameters of the same names."""
    names = [field.name for field in dataclasses.fields(kind)]  # type: ignore[arg-type]
    return kind(**{name: getattr(query, name) for name in names})


def link(request: Request, param: str, cursor: str, rel: str) -> str:
    """A `Link` header value: this request's URL with `param` set to `cursor`."""
    url = request.url.remove_query_params(CURSOR_PARAMS).include_query_params(**{param: cursor})
    return f'<{url}>; rel="{rel}"'


def list_response(
    request: Request, query: ListQuery, page: Page[Any], data: list[dict[str, Any]]
) -> Response:
    next_cursor = page.end_cursor if page.has_next else None
    previous_cursor = page.start_cursor if page.has_previous else None
    backward = bool(query.ending_before)
    links = []
    if next_cursor is not None:
        links.append(link(request, "starting_after", next_cursor, "next"))
    if previous_cursor is not None:
        links.append(link(request, "ending_before", previous_cursor, "prev"))
    body = {
        "data": data,
        "has_more": page.has_previous if backward else page.has_next,
        "next_cursor": next_cursor,
        "previous_cursor": previous_cursor,
    }
    return json_response(body, headers={"Link": ", ".join(links)} if links else None)
