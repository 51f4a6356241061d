"""What a keyed write answered, as it is kept with its key and replayed to every retry.

Surface-neutral: the created resource as `shopgraph.representations` renders it, or the
problem; each surface renders a replay from it (REST byte for byte, GraphQL by re-reading
the object). See `idempotency.py` for how keys are claimed and completed.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Generic, TypeVar

import orjson

from ..errors import FieldError, Problem

T_co = TypeVar("T_co", covariant=True)


@dataclass(frozen=True, slots=True)
class Outcome:
    """What a keyed write answered: kept with its key and given to every retry.

    `resource` is the created resource as `shopgraph.representations` renders it (what
    REST answers, byte for byte, on every replay); `problem` the error it answered with.
    """

    status: int
    resource: dict[str, Any] | None = None
    problem: Problem | None = None
    request_id: str = "-"

    @property
    def resource_id(self) -> str | None:
        return None if self.resource is None else str(self.resource["id"])

    def to_json(self) -> str:
        data: dict[str, Any] = {"status": self.status, "request_id": self.request_id}
        if self.resource is not None:
            data["resource"] = self.resource
        if self.problem is not None:
            problem = self.problem
            data["problem"] = {
                "code": problem.code,
                "status": problem.status,
                "title": problem.title,
                "detail": problem.detail,
                "errors": [[e.field, e.code, e.message] for e in problem.errors],
                "extra": problem.extra,
            }
        return orjson.dumps(data).decode()

    @classmethod
    def from_json(cls, text: str) -> Outcome:
        data = orjson.loads(text)
        problem = None
        if "problem" in data:
            stored = data["problem"]
            problem = Problem(
                stored["code"],
                stored["status"],
                stored["title"],
                stored["detail"],
                [FieldError(*item) for item in stored["errors"]],
                stored["extra"],
            )
        return cls(data["status"], data.get("resource"), problem, data["request_id"])


@dataclass(frozen=True, slots=True)
class Written(Generic[T_co]):
    """A write's result: the record this call made, or the first call's outcome replayed.

    `outcome` is None for a write sent without a key (there is nothing to replay).
    """

    made: T_co | None
    outcome: Outcome | None = None
    replayed: bool = False
