"""The command line: deterministic seeding, and `serve --demo` as a user runs it."""

from __future__ import annotations

import os
import sqlite3
import stat
import sys
from pathlib import Path

import httpx
import pytest
from typer.testing import CliRunner

from shopgraph.cli import app
from shopgraph.db.migrate import upgrade
from shopgraph.settings import get_settings

from .servers import serving

SHOPGRAPH = [sys.executable, "-m", "shopgraph.cli"]


def _env(url: str) -> dict[str, str]:
    return {**os.environ, "SHOPGRAPH_DATABASE_URL": url, "SHOPGRAPH_LOG_LEVEL": "warning"}


def _dump(path: Path) -> list[tuple[object, ...]]:
    with sqlite3.connect(path) as db:
        rows: list[tuple[object, ...]] = []
        for table in (
            "categories",
            "products",
            "inventory_levels",
            "customers",
            "orders",
            "order_lines",
            "inventory_movements",
        ):
            rows += db.execute(f"SELECT * FROM {table} ORDER BY 1").fetchall()
        return rows


def test_seed_is_deterministic_and_counts_are_exact(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    runner = CliRunner()
    dumps = []
    for name in ("a", "b"):
        url = f"sqlite+aiosqlite:///{tmp_path}/{name}.db"
        monkeypatch.setenv("SHOPGRAPH_DATABASE_URL", url)
        get_settings.cache_clear()
        result = runner.invoke(
            app, ["seed", "--customers", "7", "--products", "9", "--orders", "25", "--seed", "3"]
        )
        assert result.exit_code == 0, result.output
        dumps.append(_dump(tmp_path / f"{name}.db"))
    get_settings.cache_clear()
    assert dumps[0] == dumps[1]
    with sqlite3.connect(tmp_path / "a.db") as db:
        assert db.execute("SELECT count(*) FROM orders").fetchone() == (25,)
        assert db.execute("SELECT count(*) FROM customers").fetchone() == (7,)
        # Totals are what the lines add up to.
        mismatched = db.execute(
            "SELECT count(*) FROM orders o WHERE total_amount != "
            "(SELECT sum(line_total_amount) FROM order_lines l WHERE l.order_id = o.id)"
        ).fetchone()
        assert mismatched == (0,)


def test_serve_demo_starts_a_working_server(tmp_path: Path) -> None:
    with serving(f"sqlite+aiosqlite:///{tmp_path}/demo.db", "--demo") as server:
        base = server.base
        products = httpx.get(f"{base}/v1/products").json()
        assert len(products["data"]) == 20
        assert products["has_more"] is True
        orders = httpx.post(
            f"{base}/graphql",
            json={"query": "{ orders(first: 3) { nodes { number lines { quantity } } } }"},
            headers=server.headers,
        )
        assert len(orders.json()["data"]["orders"]["nodes"]) == 3
        assert httpx.get(f"{base}/graphql", headers={"accept": "text/html"}).status_code == 200
        assert httpx.get(f"{base}/docs").status_code == 200
    (errors,) = server.output
    assert f"{base}/graphql" in errors
    assert f"{base}/docs" in errors
    assert "demo admin API key" in errors


def test_a_refused_key_names_the_option_at_fault(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Issue 9.14: the CLI said only "The API key settings are invalid."."""
    monkeypatch.setenv("SHOPGRAPH_DATABASE_URL", f"sqlite+aiosqlite:///{tmp_path}/keys.db")
    get_settings.cache_clear()
    try:
        result = CliRunner().invoke(
            app, ["apikey", "create", "--name", "n", "--scope", "admin", "--tier", "internal"]
        )
    finally:
        get_settings.cache_clear()
    assert result.exit_code == 1
    assert "--tier" in result.output
    assert "One of:" in result.output


def test_a_new_sqlite_database_is_private(tmp_path: Path) -> None:
    """Issue 9.14: the SQLite file, which holds customer data, was world-readable."""
    path = tmp_path / "private.db"
    upgrade(f"sqlite+aiosqlite:///{path}")
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
