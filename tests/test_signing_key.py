"""No process signs with a published secret (issue 9.11).

Started any way other than `shopgraph serve` (say `uvicorn --factory`), the app used the
development default from settings, and a token signed with it read customers and made
admin keys. Now the key is configured, or made once beside an embedded database, or the
server refuses to start.
"""

from __future__ import annotations

import os
import stat
from datetime import timedelta
from pathlib import Path

import httpx
import pytest

from shopgraph.app import create_app
from shopgraph.auth import tokens
from shopgraph.context import Services
from shopgraph.db.migrate import upgrade_async
from shopgraph.settings import Settings
from shopgraph.signing_key import MissingSecretKey, secret_key_for

from .conftest import ADMIN

PUBLISHED = "shopgraph-dev-insecure-secret-change-me"  # the old default in settings.py


async def test_an_embedded_database_gets_a_key_of_its_own(tmp_path: Path) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path}/shop.db"
    await upgrade_async(url)
    settings = Settings(database_url=url, rate_limit="off")
    first, second = Services(settings), Services(settings)
    try:
        assert first.secret_key == second.secret_key  # every worker signs alike
        assert len(first.secret_key) >= 32
        assert first.secret_key != PUBLISHED
        kept = tmp_path / "shop.db.secret"
        assert kept.read_text() == first.secret_key
        assert stat.S_IMODE(os.stat(kept).st_mode) == 0o600
        app = create_app(settings, migrate=False)
        app.state.services = first
        forged = tokens.issue(PUBLISHED, ADMIN, timedelta(minutes=5))
        async with httpx.AsyncClient(
            transport=httpx.ASGITransport(app=app), base_url="http://t"
        ) as http:
            refused = await http.get("/v1/customers", headers={"Authorization": f"Bearer {forged}"})
            assert refused.status_code == 401
            real = tokens.issue(first.secret_key, ADMIN, timedelta(minutes=5))
            allowed = await http.get("/v1/customers", headers={"Authorization": f"Bearer {real}"})
            assert allowed.status_code == 200
    finally:
        await first.close()
        await second.close()


def test_a_server_database_without_a_key_refuses_to_start() -> None:
    with pytest.raises(MissingSecretKey):
        secret_key_for(None, "postgresql+asyncpg://postgres@127.0.0.1:5432/shop")
    assert secret_key_for("configured-" * 4, "postgresql+asyncpg://x/y") == "configured-" * 4
