"""The adoption report: who still uses what is deprecated, and the write that feeds it.

`flush` adds a process's counts (`versioning/adoption.py`) to the rows in one statement,
an upsert that sums, so processes never overwrite each other's counts. `report` gives one
row per consumer and subject: total uses, days seen, first and last use, and the uses of
the last 7 days against the 7 before (the trend an operator watches fall before a sunset).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

import structlog
from sqlalchemy import case, func, select

from ..auth.principal import authorize
from ..context import RequestContext, Services
from ..db.conflicts import insert_on_conflict
from ..db.engine import Database
from ..db.models import deprecation_usage, utcnow
from ..versioning.adoption import UsageTally

log = structlog.get_logger("shopgraph.deprecations")


async def flush(database: Database, tally: UsageTally) -> int:
    """Write the counts noted so far; how many rows they touched. On failure they are kept
    for the next flush (a count is never lost to an outage, nor written twice)."""
    taken = tally.take()
    if not taken:
        return 0
    rows = [
        {
            "day": day,
            "consumer_kind": kind,
            "consumer_id": consumer,
            "subject": subject,
            "count": item.count,
            "first_seen": item.first_seen,
            "last_seen": item.last_seen,
        }
        for (day, kind, consumer, subject), item in taken.items()
    ]
    try:
        async with database.transaction() as db:
            await db.execute(_added(insert_on_conflict(db, deprecation_usage).values(rows)))
    except Exception:
        tally.give_back(taken)
        raise
    return len(rows)


def _added(statement: Any) -> Any:
    """The upsert that adds a flush's counts to the rows already there."""
    usage, new = deprecation_usage.c, statement.excluded
    return statement.on_conflict_do_update(
        index_elements=[usage.day, usage.consumer_kind, usage.consumer_id, usage.subject],
        set_={
            "count": usage.count + new.count,
            "first_seen": case(
                (new.first_seen < usage.first_seen, new.first_seen), else_=usage.first_seen
            ),
            "last_seen": case(
                (new.last_seen > usage.last_seen, new.last_seen), else_=usage.last_seen
            ),
        },
    )


async def flush_services(services: Services) -> int:
    return await flush(services.database, services.deprecation_usage)


@dataclass(frozen=True, slots=True)
class UsageRow:
    subject: str
    consumer_kind: str
    consumer_id: str
    uses: int
    days: int
    first_seen: datetime
    last_seen: datetime
    last_7_days: int
    previous_7_days: int


async def report_rows(database: Database, today: date | None = None) -> list[UsageRow]:
    """One row per subject and consumer, most used first."""
    today = today or utcnow().date()
    week = (today - timedelta(days=6)).isoformat()
    fortnight = (today - timedelta(days=13)).isoformat()
    usage = deprecation_usage.c
    recent = func.sum(case((usage.day >= week, usage.count), else_=0))
    before = func.sum(case(((usage.day >= fortnight) & (usage.day < week), usage.count), else_=0))
    query = (
        select(
            usage.subject,
            usage.consumer_kind,
            usage.consumer_id,
            func.sum(usage.count),
            func.count(),
            func.min(usage.first_seen),
            func.max(usage.last_seen),
            recent,
            before,
        )
        .group_by(usage.subject, usage.consumer_kind, usage.consumer_id)
        .order_by(usage.subject, func.sum(usage.count).desc(), usage.consumer_id)
    )
    async with database.connect() as db:
        rows = await db.execute(query)
        return [
            UsageRow(
                subject=row[0],
                consumer_kind=row[1],
                consumer_id=row[2],
                uses=int(row[3]),
                days=int(row[4]),
                first_seen=row[5],
                last_seen=row[6],
                last_7_days=int(row[7] or 0),
                previous_7_days=int(row[8] or 0),
            )
            for row in rows
        ]


async def report(ctx: RequestContext) -> list[UsageRow]:
    """The adoption report (admins): this process's latest counts included."""
    authorize(ctx.principal, "admin")
    try:
        await flush_services(ctx.services)
    except Exception:  # the report stands without this process's last few seconds
        log.warning("deprecations.flush_failed", exc_info=True)
    return await report_rows(ctx.services.database)
