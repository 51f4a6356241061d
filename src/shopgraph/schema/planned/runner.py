"""Running a plan: the root fields, then the relations level by level, one bulk call each.

Every relation step of a level takes the keys of all its owners at once (`load_all`: no
future per key); steps of one level that follow the same relation share the call. Values
come back from the same loaders and service functions Strawberry's resolvers use.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from graphql import GraphQLError
from graphql.execution.values import VariableValues

from ...context import RequestContext
from ...errors import Forbidden, Unauthenticated, ValidationFailed, ValueTooLarge
from ...registry import Paged
from ...registry.aggregate import Aggregate
from ...resolvers import related, reports
from ...resolvers.audit_trail import record_read
from ..connections import page_input
from .plan import Bail, Plan, RelationStep, Run

Given = dict[str, Any]  # a field's arguments, as its function takes them
Arguments = tuple[list[Given], list[Given | GraphQLError | None]]  # of the roots, of the steps


def arguments_of(plan: Plan, variables: VariableValues | None) -> Arguments:
    """Every field's arguments for these variables, before anything runs. A root field's
    that does not coerce raises graphql-core's error (the field always runs: Strawberry
    answers the request); a relation's is kept as the error, raised if the step runs."""
    roots = [{} if root.arguments is None else root.arguments(variables) for root in plan.roots]
    steps: list[Given | GraphQLError | None] = []
    for step in plan.steps:
        try:
            steps.append(None if step.arguments is None else step.arguments(variables))
        except GraphQLError as error:
            steps.append(error)
    return roots, steps


async def run(
    plan: Plan, context: RequestContext, arguments: Arguments
) -> tuple[dict[str, Any], int]:
    """The `data` of the response and the objects it holds; raises `Bail` where Strawberry
    must answer instead."""
    state = Run(context, plan.slots)
    root_arguments, step_arguments = arguments
    context.loaders.prepare(plan.joined, plan.narrowed, plan.prepared)
    if plan.single_read:
        context.reader.reads_once()
    data: dict[str, Any] = {}
    for root, given in zip(plan.roots, root_arguments, strict=True):
        value = None if root.fetch is None else await root.fetch(context, **given)
        data[root.key] = root.complete(value, state)
    steps = list(zip(plan.steps, step_arguments, strict=True))
    start = 0
    while start < len(steps):
        depth = steps[start][0].depth
        end = start
        while end < len(steps) and steps[end][0].depth == depth:
            end += 1
        await _level(steps[start:end], state)
        start = end
    if state.audited:
        record_read(context, state.audited)
    return data, state.objects


async def _level(
    steps: Sequence[tuple[RelationStep, Given | GraphQLError | None]], state: Run
) -> None:
    shared: dict[str, list[RelationStep]] = {}
    for step, given in steps:
        if state.owners[step.slot]:
            if isinstance(step.relation, Paged | Aggregate):
                if not isinstance(given, dict):
                    raise Bail  # its arguments do not coerce: Strawberry reports where
                if isinstance(step.relation, Aggregate):
                    await _figures(step, step.relation, state, given)
                else:
                    await _pages(step, state, given)
            else:
                shared.setdefault(step.relation.name, []).append(step)
    for group in shared.values():
        await _follow(group, state)


async def _follow(steps: list[RelationStep], state: Run) -> None:
    """One or many related records for the owners of every step in `steps` (one relation)."""
    relation = steps[0].relation
    key_of = relation.key
    wanted = [
        key
        for step in steps
        for owner, _ in state.owners[step.slot]
        if (key := key_of(owner)) is not None
    ]
    found = await state.context.loaders.follow(relation).values_for(wanted)
    for step in steps:
        key, complete = step.key, step.complete
        for owner, response in state.owners[step.slot]:
            owner_key = key_of(owner)
            response[key] = complete(None if owner_key is None else found[owner_key], state)


async def _pages(step: RelationStep, state: Run, given: Given) -> None:
    """One page below each owner, all in one statement."""
    assert isinstance(step.relation, Paged)
    page = page_input(
        given.get("first"),
        given.get("after"),
        given.get("last"),
        given.get("before"),
        given["sort"],
        given["direction"],
    )
    owners = state.owners[step.slot]
    pages = await related.pages_of(state.context, step.relation, [o for o, _ in owners], page)
    key, complete = step.key, step.complete
    for (_, response), found in zip(owners, pages, strict=True):
        response[key] = complete(found, state)


# What an aggregate may refuse with; Strawberry then answers it, at each owner's path.
REFUSALS = (Forbidden, Unauthenticated, ValidationFailed, ValueTooLarge)


async def _figures(step: RelationStep, aggregate: Aggregate[Any], state: Run, given: Given) -> None:
    """An aggregate's figures for every owner, in one statement."""
    owners = state.owners[step.slot]
    try:
        span = reports.time_range(given.get("from_"), given.get("to"))
        found = await reports.figures_for(state.context, aggregate, [o for o, _ in owners], span)
    except REFUSALS:
        raise Bail from None
    key, complete = step.key, step.complete
    for (_, response), value in zip(owners, found, strict=True):
        response[key] = complete(value, state)
