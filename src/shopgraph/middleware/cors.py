"""CORS for browser apps on other origins: an explicit allowlist, off when it is empty."""

from __future__ import annotations

from collections.abc import Sequence

from starlette.middleware import Middleware
from starlette.middleware.cors import CORSMiddleware

METHODS = ("GET", "POST", "PATCH", "DELETE", "OPTIONS")
REQUEST_HEADERS = (
    "Authorization",
    "Content-Type",
    "Idempotency-Key",
    "If-Match",
    "If-None-Match",
    "X-Request-Id",
)
EXPOSED_HEADERS = (
    "ETag",
    "Location",
    "X-Request-Id",
    "Idempotent-Replayed",
    "RateLimit",
    "RateLimit-Policy",
    "Retry-After",
    "Link",
)
MAX_AGE = 600


def cors(origins: Sequence[str]) -> list[Middleware]:
    """The CORS middleware for `origins`, or none at all when there are none."""
    if not origins:
        return []
    return [
        Middleware(
            CORSMiddleware,
            allow_origins=list(origins),
            allow_methods=METHODS,
            allow_headers=REQUEST_HEADERS,
            expose_headers=EXPOSED_HEADERS,
            max_age=MAX_AGE,
        )
    ]
