"""The REST facade: a thin Starlette sub-app over the resolvers, mounted at `/v1`.

Modules, one idea each:
- `routes`: the route table; it drives both the router and the OpenAPI document.
- `asgi`: builds the sub-app from the table (`create_rest_app`).
- `endpoint`: the per-request plumbing (query and body parsing, context, cleanup).
- `paging`: list query parameters to resolver paging; list bodies and `Link` headers.
- `categories`, `products`, `customers`, `orders`: the endpoints, calling resolvers.
- `render`: records to JSON dicts. `problems`: errors as RFC 9457 problem+json.
- `conditional`: ETags, `If-None-Match` (304) and `If-Match` (412) for single resources.
- `models`, `queries`: pydantic response and query-parameter models (documentation,
  query parsing, and the tests' check that responses match the documentation).
- `openapi`: the OpenAPI 3.1 generator (`openapi_document`).
"""

from __future__ import annotations

from .asgi import create_rest_app
from .openapi import openapi_document

__all__ = ["create_rest_app", "openapi_document"]
