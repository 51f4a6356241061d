"""JSON responses. The resources themselves are rendered by `shopgraph.representations`."""

from __future__ import annotations

from typing import Any

import orjson
from starlette.responses import Response

JSON = "application/json"


def json_response(body: Any, status: int = 200, headers: dict[str, str] | None = None) -> Response:
    return Response(orjson.dumps(body), status, headers=headers, media_type=JSON)


def created(path: str, body: dict[str, Any]) -> Response:
    """201 with the new resource and its `Location` (`path` is the collection's path)."""
    return json_response(body, 201, {"Location": f"{path.rstrip('/')}/{body['id']}"})


def no_content() -> Response:
    return Response(status_code=204)
