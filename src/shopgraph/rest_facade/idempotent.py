"""`Idempotency-Key` on REST creates: the outcome of a keyed write, answered byte for byte.

The resolvers run the key (`resolvers/idempotency.py`) and store the outcome with it: the
resource as rendered, or the problem. A keyed answer is built from that outcome, the first
time as on every replay, so a retry (through REST or GraphQL) gets the same status and
body; replays carry `Idempotent-Replayed: true`.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import TypeVar

import orjson
from starlette.requests import Request
from starlette.responses import Response

from ..http_problems import PROBLEM_JSON, problem_body
from ..resolvers.idempotency import check_key
from ..resolvers.outcome import Written
from .render import JSON

HEADER = "Idempotency-Key"
T = TypeVar("T")


def idempotency_key(request: Request) -> str | None:
    """The request's idempotency key, checked under the header's own name."""
    key = request.headers.get(HEADER)
    return None if key is None else check_key(key, HEADER)


async def answer(
    written: Written[T], collection: str, fresh: Callable[[T], Awaitable[Response]]
) -> Response:
    """The response to a create: `fresh(made)` without a key, else the stored outcome.

    A 201's `Location` is `collection` plus the new id.
    """
    outcome = written.outcome
    if outcome is None:
        assert written.made is not None
        return await fresh(written.made)
    headers = {"Idempotent-Replayed": "true"} if written.replayed else {}
    if outcome.problem is not None:
        body = orjson.dumps(problem_body(outcome.problem, outcome.request_id))
        return Response(body, outcome.status, headers=headers, media_type=PROBLEM_JSON)
    headers["Location"] = f"{collection}/{outcome.resource_id}"
    return Response(orjson.dumps(outcome.resource), outcome.status, headers, media_type=JSON)
