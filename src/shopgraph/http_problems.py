"""Errors as RFC 9457 `application/problem+json` bodies: the one rendering every part of
the server shares (the REST facade, and the middleware that answers before any surface).

It starts from `shopgraph.errors.to_problem`, so a problem shows the same codes and field
paths as GraphQL's `extensions.code` and `userErrors`.
"""

from __future__ import annotations

from typing import Any

from .errors import Problem

PROBLEM_JSON = "application/problem+json"
PROBLEM_BASE = "https://shopgraph.dev/problems/"
STANDARD_MEMBERS = frozenset(("type", "title", "status", "detail", "code", "request_id", "errors"))


def problem_type(code: str) -> str:
    """`NOT_FOUND` -> `https://shopgraph.dev/problems/not-found`."""
    return PROBLEM_BASE + code.lower().replace("_", "-")


def problem_body(problem: Problem, request_id: str) -> dict[str, Any]:
    body: dict[str, Any] = {
        key: value for key, value in problem.extra.items() if key not in STANDARD_MEMBERS
    }
    body.update(
        type=problem_type(problem.code),
        title=problem.title,
        status=problem.status,
        detail=problem.detail,
        code=problem.code,
        request_id=request_id,
        errors=[
            {"field": item.field, "code": item.code, "message": item.message}
            for item in problem.errors
        ],
    )
    return body
