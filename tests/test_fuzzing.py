"""Schemathesis against both surfaces: the OpenAPI document must state what the server does.

REST: every operation of the generated OpenAPI document, with every check Schemathesis
has (as `--checks all`: status codes, content types, response schemas and headers,
positive data accepted, negative data refused, missing required headers, unsupported
methods, use after free, resource availability, ...), in every phase: examples,
coverage, fuzzing, and stateful sequences through the links the document states and
those Schemathesis infers. GraphQL: generated queries and mutations are never a server
error (no 5xx, no `INTERNAL`).

The fuzzer holds an API key with every scope but `admin` (an admin fuzzer would revoke
its own key), works in a database of its own (it creates, renames and deletes freely,
which must not disturb the seeded data other tests count on), and reaches the app in
process. Schemathesis calls ASGI apps from an event loop in a thread of its own, so the
app's services are made, used and closed in that loop (`FuzzTarget`), never in the
test session's.

The budget is fixed: derandomized generation, no example database, a bounded number of
examples per operation and of stateful scenarios and steps, so every run sends the same
requests and costs the same (about 25 s per backend here).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterator, MutableMapping
from typing import Any

import hypothesis
import jsonschema  # type: ignore[import-untyped]
import pytest
import schemathesis
from schemathesis.checks import negative_data_rejection, positive_data_acceptance
from schemathesis.core.failures import AcceptedNegativeData, FailureGroup
from schemathesis.openapi.checks import RejectedPositiveData
from schemathesis.python import asgi

from shopgraph.app import create_app
from shopgraph.auth.api_keys import create_api_key
from shopgraph.auth.principal import SCOPES
from shopgraph.context import Services
from shopgraph.db.migrate import upgrade_async
from shopgraph.rest_facade import openapi_document
from shopgraph.schema import build_schema
from shopgraph.seed import SeedCounts, seed
from shopgraph.settings import Settings

from .conftest import BACKENDS, _run, private_database

Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]

FUZZ_DATA = SeedCounts(customers=8, products=12, orders=16)
FUZZER_SCOPES = [scope for scope in SCOPES if scope != "admin"]
MAX_EXAMPLES = 25  # per operation and phase; the coverage phase adds its own fixed set
STATEFUL_ROUNDS = range(6)  # fixed seeds, one Hypothesis run each
STATEFUL = hypothesis.settings(
    max_examples=10,  # scenarios per round
    stateful_step_count=10,
    deadline=None,
    database=None,
    phases=[hypothesis.Phase.generate],  # a failing scenario is reported as found
    suppress_health_check=list(hypothesis.HealthCheck),
)


class FuzzTarget:
    """The app as Schemathesis reaches it: its services live in the fuzzer's event loop.

    Only the services are made at startup: the production lifespan would also start the
    background jobs and tune the garbage collector of the whole test process.
    """

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.app = create_app(settings, migrate=False)

    async def __call__(self, scope: Message, receive: Receive, send: Send) -> None:
        if scope["type"] != "lifespan":
            await self.app(scope, receive, send)
            return
        while True:
            message = await receive()
            if message["type"] == "lifespan.startup":
                self.app.state.services = Services(self.settings)
                await send({"type": "lifespan.startup.complete"})
            elif message["type"] == "lifespan.shutdown":
                await self.app.state.services.close()
                await send({"type": "lifespan.shutdown.complete"})
                return


async def _prepare(url: str) -> str:
    """Migrate and seed the fuzzer's database; returns the fuzzer's API key."""
    await upgrade_async(url)
    services = Services(Settings(database_url=url, secret_key="test-secret"))
    try:
        await seed(services.database, FUZZ_DATA, seed=11)
        _, key = await create_api_key(services.database, name="fuzzer", scopes=FUZZER_SCOPES)
    finally:
        await services.close()
    return key


@pytest.fixture(scope="module", params=BACKENDS)
def fuzz_database(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[str]:
    """An empty database of the fuzzer's own, on each backend."""
    with private_database(request.param, tmp_path_factory.mktemp("fuzzing"), "fuzz") as url:
        yield url


@pytest.fixture(scope="module")
def fuzz_target(fuzz_database: str) -> Iterator[tuple[FuzzTarget, dict[str, str]]]:
    """The app on the fuzzer's database, and the fuzzer's credentials."""
    key = _run(_prepare(fuzz_database))
    settings = Settings(
        database_url=fuzz_database, secret_key="test-secret", log_json=True, rate_limit="off"
    )
    try:
        yield FuzzTarget(settings), {"Authorization": f"Bearer {key}"}
    finally:
        asgi.shutdown_lifespans()  # closes the services, in the loop they were made in


DOCUMENT = openapi_document()
REST = schemathesis.openapi.from_dict(DOCUMENT)
REST.config.generation.update(max_examples=MAX_EXAMPLES, deterministic=True, database="none")

# Schema-valid input the server may still refuse, because whether it is acceptable depends
# on data no document can state: 422 for a well-formed id naming no resource (`NOT_FOUND`,
# as docs/api.md says of unknown references), a cursor the server never issued, or a card
# token the payment provider does not know; 412 for an `If-Match` tag that is not current.
ISSUED_ELSEWHERE = frozenset({"starting_after", "ending_before", "source"})
# Likewise rules the document states in words only: a time zone name the tz database does
# not hold (a pattern says what a name looks like, not which exist), a report range
# that ends before it starts or leaves the years 1900 to 9000 (docs/analytics.md), a
# webhook URL whose host does not resolve to public addresses only, and "*" among other
# event types (docs/webhooks.md).
STATED_IN_WORDS = frozenset(
    {
        ("time_zone", "INVALID"),
        ("to", "INVALID"),
        ("from", "OUT_OF_RANGE"),
        ("to", "OUT_OF_RANGE"),
        ("url", "INVALID"),
        ("event_types", "INVALID"),
        ("created_after", "INVALID"),  # given with created_from
    }
)


def _unknowable(error: dict[str, Any]) -> bool:
    return (
        error.get("code") == "NOT_FOUND"
        or (error.get("field") in ISSUED_ELSEWHERE and error.get("code") == "INVALID")
        or (error.get("field"), error.get("code")) in STATED_IN_WORDS
    )


def _refused_for_state(response: Any, case: Any) -> bool:
    """Whether a refusal is one of those above, whatever the document says."""
    if response.status_code == 412:
        return "If-Match" in (case.headers or {})
    if response.status_code != 422:
        return False
    errors = response.json().get("errors") or [{}]
    return all(_unknowable(error) for error in errors)


def _violates_header_schema(case: Any) -> bool:
    """Whether a header of a case labelled positive breaks its own documented schema.

    Schemathesis's coverage phase builds header values from letters and digits only; for
    a header whose pattern needs other characters (`If-Match` needs quotes) it has no
    positive value and keeps a negative one in its positive cases. Such a request is not
    schema-valid, so refusing it is right.
    """
    operation = DOCUMENT["paths"][case.operation.path][case.method.lower()]
    headers = case.headers or {}
    return any(
        parameter["in"] == "header"
        and parameter["name"] in headers
        and not jsonschema.Draft202012Validator(parameter["schema"]).is_valid(
            headers[parameter["name"]]
        )
        for parameter in operation.get("parameters", ())
    )


def positive_data_accepted(ctx: Any, response: Any, case: Any) -> bool | None:
    """Schemathesis's `positive_data_acceptance`, but for the two exceptions above."""
    try:
        positive_data_acceptance(ctx, response, case)
    except RejectedPositiveData:
        if not (_refused_for_state(response, case) or _violates_header_schema(case)):
            raise
    return None


def negative_data_refused(ctx: Any, response: Any, case: Any) -> bool | None:
    """Schemathesis's `negative_data_rejection`, but a stale `If-Match` answers 412 whatever
    the body holds: preconditions come before the content (RFC 9110 §13.2.2; see
    tests/test_optimistic_concurrency.py), and 412 is no acceptance."""
    try:
        negative_data_rejection(ctx, response, case)
    except AcceptedNegativeData:
        if not (response.status_code == 412 and "If-Match" in (case.headers or {})):
            raise
    return None


# Every check Schemathesis runs by default (all of them), with the two above in place of
# their originals.
CHECKS: dict[str, Any] = {
    "excluded_checks": [positive_data_acceptance, negative_data_rejection],
    "additional_checks": [positive_data_accepted, negative_data_refused],
}
Target = tuple[FuzzTarget, dict[str, str]]


@REST.parametrize()
def test_rest_conforms_to_its_document(case: Any, fuzz_target: Target) -> None:
    app, auth = fuzz_target
    case.call_and_validate(app=app, headers=auth, **CHECKS)


def test_rest_sequences_conform_to_its_document(fuzz_target: Target) -> None:
    """The stateful phase: created resources are read, changed, paged and deleted.

    Which rules a scenario can take depends on what the server answered, so replaying a
    scenario against a database that has moved on may draw differently, which Hypothesis
    calls flaky; as in Schemathesis's own runner, that ends the round, and only the
    failures the checks saw count. Several seeded rounds keep one such end from cutting
    the whole phase short.
    """
    app, auth = fuzz_target
    failures: list[FailureGroup] = []

    class Sequences(REST.as_state_machine()):  # type: ignore[misc]
        def get_call_kwargs(self, case: Any) -> dict[str, Any]:
            return {"app": app, "headers": auth}

        def validate_response(
            self, response: Any, case: Any, additional_checks: Any = None, **kwargs: Any
        ) -> None:
            try:
                case.validate_response(
                    response,
                    headers=auth,
                    transport_kwargs=kwargs,
                    recorder=getattr(self, "recorder", None),
                    **CHECKS,
                )
            except FailureGroup as failure:
                failures.append(failure)
                raise

    for number in STATEFUL_ROUNDS:
        try:
            hypothesis.seed(number)(Sequences).run(settings=STATEFUL)
        except hypothesis.errors.Flaky:
            if failures:
                raise failures[0] from None


def no_server_error(ctx: Any, response: Any, case: Any) -> bool | None:
    """No 5xx, and no error GraphQL answers with 200 that is a server fault (`INTERNAL`).

    Schemathesis's own `not_a_server_error` counts every entry of `errors` as a server
    error, but most are the refusals they should be (`first` with `last`, a bad cursor).
    """
    assert response.status_code < 500, f"{response.status_code}: {response.text}"
    body = response.json() if response.text else {}
    codes = [error.get("extensions", {}).get("code") for error in body.get("errors") or ()]
    assert "INTERNAL" not in codes, response.text
    return None


GRAPHQL = schemathesis.graphql.from_file(str(build_schema(Settings())))
GRAPHQL.config.generation.update(max_examples=MAX_EXAMPLES, deterministic=True, database="none")


@GRAPHQL.parametrize()
def test_graphql_never_answers_with_a_server_error(case: Any, fuzz_target: Target) -> None:
    app, auth = fuzz_target
    case.call_and_validate(
        base_url="http://testserver/graphql", app=app, headers=auth, checks=[no_server_error]
    )
