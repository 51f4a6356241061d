"""The OpenAPI document of each dated version, served at `/openapi.json`.

The current version's by default; `?version=YYYY-MM-DD` (or the `Shopgraph-Version`
header) gives the document a consumer pinned to that version is answered by, so a client
generated from it matches what its key gets. Every document is made once, at start-up.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

import orjson
from starlette.requests import Request
from starlette.responses import Response

from ..errors import to_problem
from ..versioning import CURRENT, HEADER, VERSIONS, UnknownVersion, parse_version
from .openapi import openapi_document
from .problems import problem_response
from .render import JSON


def openapi_endpoint() -> Callable[[Request], Awaitable[Response]]:
    documents = {version: orjson.dumps(openapi_document(version)) for version in VERSIONS}

    async def endpoint(request: Request) -> Response:
        asked = request.query_params.get("version") or request.headers.get(HEADER)
        try:
            version = CURRENT if asked is None else parse_version(asked.strip())
        except UnknownVersion as error:
            return problem_response(request, to_problem(error))
        answered = Response(documents[version], media_type=JSON)
        answered.headers[HEADER] = version
        return answered

    return endpoint
