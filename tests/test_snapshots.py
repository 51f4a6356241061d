"""The committed GraphQL schema and OpenAPI document match the code.

Changing the API shows up in review as a diff of these files. To accept a change:
SHOPGRAPH_UPDATE_SNAPSHOTS=1 ./dev test tests/test_snapshots.py
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from shopgraph.rest_facade import openapi_document
from shopgraph.schema import build_schema
from shopgraph.settings import Settings

DOCS = Path(__file__).parent.parent / "docs"
UPDATE = os.environ.get("SHOPGRAPH_UPDATE_SNAPSHOTS") == "1"


def _check(path: Path, current: str) -> None:
    if UPDATE:
        path.write_text(current)
        return
    assert path.exists(), f"{path.name} is missing; run with SHOPGRAPH_UPDATE_SNAPSHOTS=1"
    if path.read_text() != current:
        pytest.fail(
            f"{path.name} is out of date; review the change, "
            "then run with SHOPGRAPH_UPDATE_SNAPSHOTS=1"
        )


def test_graphql_schema_snapshot() -> None:
    _check(DOCS / "schema.graphql", str(build_schema(Settings())) + "\n")


def test_openapi_snapshot() -> None:
    _check(DOCS / "openapi.json", json.dumps(openapi_document(), indent=2, sort_keys=True) + "\n")
