"""`Idempotency-Key` on REST creates: the first answer is stored, replays return it as-is."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

import orjson
from starlette.responses import Response

from ..errors import Forbidden, ShopgraphError, Unauthenticated, ValidationFailed, to_problem
from ..resolvers.idempotency import Answer, check_key, run_once
from ..web import request_id_of
from .endpoint import Call
from .problems import PROBLEM_JSON, problem_body
from .queries import Query
from .render import JSON

HEADER = "Idempotency-Key"


async def idempotent(
    call: Call[Query],
    operation: str,
    create: Callable[[], Awaitable[Response]],
    *,
    location: str | None = None,
) -> Response:
    """Run `create` at most once per caller and key; replays carry `Idempotent-Replayed`.

    A 201 answer's `Location` is `location` (default: the request path) plus the new id.
    """
    key = call.request.headers.get(HEADER)
    if key is not None:
        check_key(key, HEADER)

    async def run() -> tuple[Answer, bool]:
        try:
            response = await create()
        except (Unauthenticated, Forbidden):
            raise  # not an answer to keep: rendered (with its challenge) by the handlers
        except ShopgraphError as error:
            body = problem_body(to_problem(error), request_id_of(call.request))
            return Answer(error.status, orjson.dumps(body).decode()), isinstance(
                error, ValidationFailed
            )
        return Answer(response.status_code, bytes(response.body).decode()), False

    answer, replayed = await run_once(
        call.ctx, key, surface="rest", operation=operation, params=call.body, run=run
    )
    headers = {"Idempotent-Replayed": "true"} if replayed else {}
    if answer.status == 201:
        collection = location or call.request.url.path.rstrip("/")
        headers["Location"] = f"{collection}/{orjson.loads(answer.body)['id']}"
    media_type = JSON if answer.status < 400 else PROBLEM_JSON
    return Response(answer.body, answer.status, headers=headers, media_type=media_type)
