"""Admitting a priced GraphQL operation, and charging the caller for what it ran.

Both executors go through this gate: Strawberry's (through `QueryCostLimiter`) and the
planned one (`planned/`). An operation above `SHOPGRAPH_MAX_QUERY_COST` (or above what the
caller's bucket could ever hold) is refused with QUERY_TOO_COMPLEX; one the bucket cannot
pay for now is throttled with RATE_LIMITED. After execution the unused part of the price is
given back: the price minus what ran, where what ran is the larger of what the response
holds and the rows the request read. An admission is kept on the request context, so an
operation the planned executor hands over to Strawberry midway is charged once.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from ..context import RequestContext
from ..errors import QueryTooComplex, RateLimited, ServiceUnavailable, ShopgraphError
from ..metrics import RATE_LIMITED
from ..ratelimit import Decision
from ..ratelimit.buckets import bucket_of


@dataclass(slots=True)
class Admission:
    """An operation let through: what it was charged, and the bucket to settle with."""

    charge: int
    bucket: str
    tier: str
    decision: Decision | None  # None without rate limits


class CostGate:
    """Admits priced operations against the limits of one server (see the module)."""

    def __init__(self, max_cost: int) -> None:
        self.max_cost = max_cost

    async def admit(
        self, request: RequestContext, cost: int, *, introspection: bool = False
    ) -> ShopgraphError | None:
        """Charge `cost` to the caller's bucket; the error refusing it, if it is refused.

        Introspection-only operations are charged at most a full bucket: anyone may learn
        the schema, once per bucket. The report lands on the context (`extensions.cost`).
        """
        request.query_cost = cost
        report: dict[str, Any] = {"requestedQueryCost": cost, "maximumQueryCost": self.max_cost}
        request.cost_report = report
        if cost > self.max_cost:
            return QueryTooComplex(
                f"This query costs {cost}, above the maximum of {self.max_cost}; ask for "
                "fewer items (`first`/`last`) or fewer nested connections.",
                extra={"cost": cost, "maximum": self.max_cost},
            )
        principal = request.principal
        bucket = bucket_of(principal.kind, principal.id, request.client_ip)
        limiter = request.services.rate_limiter
        if limiter is None:
            request.admission = Admission(cost, bucket, principal.tier, None)
            return None
        capacity = limiter.policy(principal.tier).capacity
        charge = min(cost, int(capacity)) if introspection else cost
        if charge > capacity:  # could never be paid for, however long the caller waits
            return QueryTooComplex(
                f"This query costs {cost}, more than your rate limit allows at once ({capacity}).",
                extra={"cost": cost, "maximum": capacity},
            )
        try:
            decision = await limiter.take(bucket, principal.tier, charge)
        except ServiceUnavailable as error:
            return error
        report["throttleStatus"] = _status(decision.remaining, decision)
        if not decision.allowed:
            wait = max(1, math.ceil(decision.retry_after))
            request.retry_after = wait
            RATE_LIMITED.labels("graphql").inc()
            return RateLimited(
                f"This query costs {charge}; {math.floor(decision.remaining)} is "
                f"available. Retry in {wait} s.",
                extra={"retry_after": wait, "cost": charge},
            )
        request.admission = Admission(charge, bucket, principal.tier, decision)
        return None

    async def settle(self, request: RequestContext, returned: int) -> None:
        """Charge what ran, `returned` objects or the rows read, and give back the rest."""
        admission = request.admission
        report = request.cost_report
        if admission is None or report is None:
            return
        actual = min(admission.charge, max(returned, request.reader.rows_read))
        report["actualQueryCost"] = actual
        limiter = request.services.rate_limiter
        decision = admission.decision
        if limiter is None or decision is None:
            return
        available = decision.remaining
        if actual < admission.charge:
            available = await limiter.give_back(
                admission.bucket, admission.tier, admission.charge - actual
            )
        report["throttleStatus"] = _status(available, decision)


def returned_objects(data: Any) -> int:
    """What a response holds, priced by the cost model: every object (or list item that is
    an object) costs 1, the root `data` object aside; scalars and nulls cost nothing."""
    total = -1
    pending = [data]
    while pending:
        value = pending.pop()
        if isinstance(value, dict):
            total += 1
            pending.extend(item for item in value.values() if isinstance(item, dict | list))
        elif isinstance(value, list):
            pending.extend(item for item in value if isinstance(item, dict | list))
    return max(total, 0)


def _status(available: float, decision: Decision) -> dict[str, float]:
    policy = decision.policy
    return {
        "maximumAvailable": policy.capacity,
        "currentlyAvailable": math.floor(available),
        "restoreRate": policy.refill_per_second,
    }
