"""Conditional requests (RFC 9110 §8.8.3, §13): strong ETags, `If-None-Match`, `If-Match`.

The ETag of a single resource is a hash of its JSON representation, the exact bytes sent:
`"` + the first 16 hex digits (64 bits) of their SHA-256 + `"`. A hash rather than the
row's `version` because a representation can change while the version does not (a
product's embedded `inventory` is a separate record with no version of its own), and a
strong validator must change whenever the bytes do. Equal bytes give equal tags, so a GET,
the PATCH or POST that produced the same state, and a 304 all show the same ETag. The tags
and `If-None-Match` are `shopgraph.entity_tags`, shared with GraphQL's GET answers.

- `If-None-Match` (GET/HEAD of a single resource): `*`, or a list of tags compared weakly
  (`W/"x"` matches `"x"`); a match is 304 with the ETag and no body. A malformed value is
  ignored (the full representation is sent), as caches do.
- `If-Match` (PATCH): `*`, or a list of tags compared strongly (a weak tag never matches).
  The current representation is read and hashed; if no tag matches it, 412. If one does,
  the `version` that representation was built from goes to the resolver as
  `expected_version`, so a change committed between this check and the UPDATE is still a
  412 (the resolver's compare-and-set), never a lost update. A malformed value is 400.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

import orjson
from starlette.requests import Request
from starlette.responses import Response

# Re-exported as they were before the tags moved below both surfaces (openapi.py, tests).
from ..entity_tags import ENTITY_TAGS_PATTERN as ENTITY_TAGS_PATTERN
from ..entity_tags import EntityTag as EntityTag
from ..entity_tags import entity_tag, list_header, not_modified, opaque
from ..entity_tags import parse_entity_tags as parse_entity_tags
from ..errors import FieldError, MalformedRequest, PreconditionFailed
from .render import JSON


def tagged(body: Any, status: int = 200, headers: dict[str, str] | None = None) -> Response:
    """A JSON response carrying the ETag of its own bytes (PATCH 200, POST 201)."""
    content = orjson.dumps(body)
    return Response(
        content, status, headers={**(headers or {}), "ETag": entity_tag(content)}, media_type=JSON
    )


def created(path: str, body: dict[str, Any]) -> Response:
    """201 with the new resource, its `Location` and its ETag."""
    return tagged(body, 201, {"Location": f"{path.rstrip('/')}/{body['id']}"})


def representation(request: Request, body: dict[str, Any]) -> Response:
    """A single resource for GET/HEAD: 200 with its ETag, or 304 if the client has it."""
    content = orjson.dumps(body)
    tag = entity_tag(content)
    if request.method in ("GET", "HEAD") and not_modified(request, tag):
        return Response(status_code=304, headers={"ETag": tag})
    return Response(content, 200, headers={"ETag": tag}, media_type=JSON)


def if_match(request: Request) -> list[EntityTag] | str | None:
    """`If-Match` parsed: None if absent, ANY for `*`; 400 MALFORMED if it is not valid."""
    value = list_header(request, "if-match")
    if value is None:
        return None
    try:
        return parse_entity_tags(value)
    except ValueError:
        raise MalformedRequest(
            "`If-Match` must be `*` or a comma-separated list of quoted entity-tags "
            'such as `"3f2a9c0d1e4b5a67"`, as sent in `ETag`.',
            errors=[FieldError("If-Match", "INVALID", "Not a valid entity-tag list.")],
        ) from None


# What an `If-Match` check needs: the current representation and the version it was built
# from (reading it raises NOT_FOUND if the resource does not exist).
Current = Callable[[], Awaitable[tuple[dict[str, Any], int]]]


async def expected_version(request: Request, kind: str, current: Current) -> int | None:
    """Evaluate `If-Match`: the version the update must still find, None if unconditional.

    412 PRECONDITION_FAILED (with `current_version`) if no listed tag strongly matches the
    current representation.
    """
    condition = if_match(request)
    if condition is None or isinstance(condition, str):
        # `*` only asks that the resource exist; the update answers 404 if it does not.
        return None
    body, version = await current()
    tag = opaque(entity_tag(orjson.dumps(body)))
    if any(not item.weak and item.opaque == tag for item in condition):
        return version
    raise PreconditionFailed(
        f"The {kind} has changed since the `If-Match` entity-tag was read "
        f"(its current version is {version}); GET it again for its current ETag.",
        extra={"current_version": version},
    )
