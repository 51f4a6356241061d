"""HTTP caching of GraphQL GET answers: an ETag, `If-None-Match` -> 304, Cache-Control.

A query over GET (persisted by hash, or in full) is a read whose URL names it, so browsers
and CDNs can keep its answer and revalidate it:

- The ETag is the shared one (`shopgraph.entity_tags`) of the answer's bytes up to its
  `extensions`, that is of its `data`, and it is weak (`W/"…"`): `extensions.cost` reports
  the caller's bucket, which changes with every request, so the full bytes never repeat.
  Two answers with the same data are the same answer to a client (RFC 9110 §8.8.1's
  "semantically equivalent"); a strong tag over the full bytes would never give a 304.
- A matching `If-None-Match` is 304 with no body. The operation still ran (and was
  charged): it is the answer that is not sent again, not the work that is saved.
- An answer depends on who asks: `Vary: Accept, Authorization`. Anonymous callers all see
  the same public catalog, so theirs is `public, max-age=N`
  (SHOPGRAPH_GRAPHQL_PUBLIC_MAX_AGE_SECONDS); anyone else's is `private, no-cache`: a
  browser may keep it but asks again each time, and a shared cache never serves it.
- An answer with errors (a throttled request, a field refused) is `no-store`.
"""

from __future__ import annotations

from typing import Any

import orjson
from starlette.requests import Request
from starlette.responses import Response

from ..auth.principal import Principal
from ..entity_tags import entity_tag, not_modified

VARY = "Accept, Authorization"


def get_answer(
    request: Request,
    body: dict[str, Any],
    status: int,
    headers: dict[str, str] | None,
    media_type: str,
    principal: Principal,
    public_max_age: int,
) -> Response:
    """The answer to a GET: cacheable and tagged when it holds data and no errors."""
    if status != 200 or "errors" in body or "data" not in body:
        headers = {**(headers or {}), "Cache-Control": "no-store"}
        return Response(orjson.dumps(body), status, headers=headers, media_type=media_type)
    extensions = body.get("extensions")
    content = orjson.dumps({"data": body["data"]})
    tag = "W/" + entity_tag(content)
    if extensions is not None:  # the same bytes as dumping the whole body, hashed up to here
        content = content[:-1] + b',"extensions":' + orjson.dumps(extensions) + b"}"
    if principal.kind != "anonymous":
        cache_control = "private, no-cache"
    elif public_max_age:
        cache_control = f"public, max-age={public_max_age}"
    else:
        cache_control = "public, no-cache"
    headers = {**(headers or {}), "ETag": tag, "Cache-Control": cache_control, "Vary": VARY}
    if not_modified(request, tag):
        return Response(status_code=304, headers=headers)
    return Response(content, 200, headers=headers, media_type=media_type)
