"""Entity-tags (RFC 9110 §8.8.3) and `If-None-Match`: what both surfaces' ETags share.

A tag is a hash of the bytes it validates: `"` + the first 16 hex digits (64 bits) of their
SHA-256 + `"`. The REST facade tags single resources with it (`rest_facade/conditional.py`,
which adds `If-Match`), GraphQL its GET answers (`schema/http_caching.py`); it lives below
both because neither surface may import the other.

`If-None-Match` is `*`, or a list of tags compared weakly (`W/"x"` matches `"x"`); a
malformed value is ignored (the full answer is sent), as caches do.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass

from starlette.requests import Request


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


def list_header(request: Request, name: str) -> str | None:
    """A list-valued header, its field lines joined as RFC 9110 §5.3 allows."""
    lines = request.headers.getlist(name)
    return ", ".join(lines) if lines else None


def opaque(tag: str) -> str:
    """A tag as sent (`W/"x"` or `"x"`) without its weakness and its quotes."""
    return tag.removeprefix("W/").strip('"')


def not_modified(request: Request, current: str) -> bool:
    """True if `If-None-Match` matches the current ETag (weak comparison)."""
    value = list_header(request, "if-none-match")
    if value is None:
        return False
    try:
        tags = parse_entity_tags(value)
    except ValueError:
        return False
    if isinstance(tags, str):  # `*`: the resource exists, since we are answering it
        return True
    return any(tag.opaque == opaque(current) for tag in tags)
