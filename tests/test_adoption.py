"""The adoption report (issue 13): every use of something deprecated, counted per consumer
and day in each process and summed in the database, exactly, across processes."""

from __future__ import annotations

import subprocess
from typing import Any

import httpx
import orjson

from shopgraph.versioning import FIRST, HEADER

from .servers import SHOPGRAPH, Server, ServerProcess

OLD_VERSION = f"version {FIRST}"
CURRENCY = "{ orders(first: 1) { nodes { id currency } } }"


def _key(server: Server, **extra: Any) -> dict[str, Any]:
    made = httpx.post(
        f"{server.base}/v1/api-keys",
        json={"name": "consumer", "scopes": ["orders:read"], **extra},
        headers=server.headers,
    )
    assert made.status_code == 201, made.text
    key: dict[str, Any] = made.json()
    return key


def _get(server: Server, path: str, key: dict[str, Any] | None, **headers: str) -> None:
    auth = {"Authorization": f"Bearer {key['key']}"} if key else {}
    answered = httpx.get(f"{server.base}{path}", headers={**auth, **headers})
    assert answered.status_code == 200, answered.text


def _graphql(server: Server, key: dict[str, Any], query: str) -> None:
    answered = httpx.post(
        f"{server.base}/graphql",
        json={"query": query},
        headers={"Authorization": f"Bearer {key['key']}"},
    )
    assert answered.status_code == 200, answered.text
    assert answered.json()["extensions"]["deprecations"][0]["field"] == "Order.currency"


def test_the_report_counts_a_scripted_mix_of_consumers_across_two_processes(
    database_url: str,
) -> None:
    one, two = ServerProcess(database_url), ServerProcess(database_url)
    first, second = one.start(), two.start()
    try:
        old = _key(first, api_version=FIRST)
        new = _key(first)
        plain = _key(second)
        for _ in range(3):
            _get(first, "/v1/products?limit=1", old)
        for _ in range(2):
            _get(second, "/v1/products?limit=1", old)
            _graphql(first, new, CURRENCY)
        _get(second, "/v1/orders?limit=1", new)  # REST answers carry Order.currency too
        for _ in range(4):
            _get(second, "/v1/products?limit=1", plain)  # nothing deprecated
        _get(first, "/v1/products?limit=1", None, **{HEADER: FIRST})
    finally:
        one.stop()  # a graceful stop writes what the process still counts
        two.stop()
    reported = subprocess.run(
        [*SHOPGRAPH, "deprecations", "report", "--json"],
        env=one.env,
        capture_output=True,
        text=True,
        check=True,
    )
    ours = {old["id"], new["id"], plain["id"], "-"}
    counted = {
        (row["subject"], row["consumer_kind"], row["consumer_id"]): row["uses"]
        for row in orjson.loads(reported.stdout)
        if row["consumer_id"] in ours
    }
    assert counted == {
        (OLD_VERSION, "api_key", old["id"]): 5,
        ("Order.currency", "api_key", new["id"]): 3,
        (OLD_VERSION, "anonymous", "-"): 1,
    }
    rows = [row for row in orjson.loads(reported.stdout) if row["consumer_id"] == old["id"]]
    assert [(row["days"], row["last_7_days"], row["previous_7_days"]) for row in rows] == [
        (1, 5, 0)
    ]
