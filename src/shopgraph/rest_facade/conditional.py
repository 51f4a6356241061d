"""Conditional requests (RFC 9110 §8.8.3, §13): strong ETags, `If-None-Match`, `If-Match`.

The ETag of a single resource is a hash of its JSON representation, the exact bytes sent:
`"` + the first 16 hex digits (64 bits) of their SHA-256 + `"`. A hash rather than the
row's `version` because a representation can change while the version does not (a
product's embedded `inventory` is a separate record with no version of its own), and a
strong validator must change whenever the bytes do. Equal bytes give equal tags, so a GET,
the PATCH or POST that produced the same state, and a 304 all show the same ETag.

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

import hashlib
import re
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

import orjson
from starlette.requests import Request
from starlette.responses import Response

from ..errors import FieldError, MalformedRequest, PreconditionFailed
from .render import JSON


@dataclass(frozen=True, slots=True)
class EntityTag:
    opaque: str  # without the quotes
    weak: bool = False


ANY = "*"
# The grammar of `If-Match` and `If-None-Match` (RFC 9110 §8.8.3, §5.6.1): `*`, or a list
# of entity-tags separated by commas, where empty list elements are allowed and at least
# one tag is required. etagc = %x21 / %x23-7E / obs-text (a comma is a legal etagc, so
# the list cannot simply be split on commas). One pattern, so the OpenAPI document states
# exactly what `parse_entity_tags` accepts.
_OWS = "[ \\t]*"
_TAG = '(W/)?"([\\x21\\x23-\\x7e\\x80-\\xff]*)"'
_PLAIN_TAG = _TAG.replace("(", "(?:")
ENTITY_TAGS_PATTERN = (
    f"^(?:{_OWS}\\*{_OWS}|(?:{_OWS},)*{_OWS}{_PLAIN_TAG}{_OWS}(?:,{_OWS}(?:{_PLAIN_TAG}{_OWS})?)*)$"
)
_LIST = re.compile(ENTITY_TAGS_PATTERN)
_TAGS = re.compile(_TAG)


def entity_tag(content: bytes) -> str:
    """The strong ETag of these exact bytes, quoted, as sent in the `ETag` header."""
    return '"' + hashlib.sha256(content).hexdigest()[:16] + '"'


def parse_entity_tags(value: str) -> list[EntityTag] | str:
    """`*` as ANY, else the list of entity-tags; ValueError if malformed or empty."""
    if _LIST.fullmatch(value) is None:
        raise ValueError(f"malformed entity-tag list: {value!r}")
    if value.strip(" \t") == ANY:
        return ANY
    return [EntityTag(tag, weak=weak == "W/") for weak, tag in _TAGS.findall(value)]


def _header(request: Request, name: str) -> str | None:
    """A list-valued header, its field lines joined as RFC 9110 §5.3 allows."""
    lines = request.headers.getlist(name)
    return ", ".join(lines) if lines else None


def _opaque(tag: str) -> str:
    return tag.removeprefix("W/").strip('"')


def not_modified(request: Request, current: str) -> bool:
    """True if `If-None-Match` matches the current ETag (weak comparison)."""
    value = _header(request, "if-none-match")
    if value is None:
        return False
    try:
        tags = parse_entity_tags(value)
    except ValueError:
        return False
    if isinstance(tags, str):  # `*`: the resource exists, since we are answering it
        return True
    return any(tag.opaque == _opaque(current) for tag in tags)


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
    value = _header(request, "if-match")
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
    tag = _opaque(entity_tag(orjson.dumps(body)))
    if any(not item.weak and item.opaque == tag for item in condition):
        return version
    raise PreconditionFailed(
        f"The {kind} has changed since the `If-Match` entity-tag was read "
        f"(its current version is {version}); GET it again for its current ETag.",
        extra={"current_version": version},
    )
