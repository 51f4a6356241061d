"""Tests for shopgraph.ide: offline GraphiQL assets and the REST docs page.

Only ``test_fetch_graphiql_assets_from_npm`` uses the network, and only when
SHOPGRAPH_TEST_NETWORK=1.
"""

from __future__ import annotations

import io
import logging
import os
import re
import tarfile
import warnings
from pathlib import Path

import httpx
import pytest
from starlette.applications import Starlette
from starlette.exceptions import StarletteDeprecationWarning
from starlette.requests import Request
from starlette.responses import HTMLResponse
from starlette.routing import Route

from shopgraph import ide
from shopgraph.versioning import CURRENT, FIRST

with warnings.catch_warnings():
    # Starlette 1.10 warns when only httpx (not httpx2) is installed; pytest runs with -W error.
    warnings.simplefilter("ignore", StarletteDeprecationWarning)
    from starlette.testclient import TestClient


def _populate(directory: Path) -> list[ide.GraphiQLAsset]:
    assets = ide.graphiql_assets()
    directory.mkdir(parents=True, exist_ok=True)
    for asset in assets:
        (directory / asset.filename).write_text(f"/* fake {asset.url} */", encoding="utf-8")
    return assets


@pytest.fixture
def assets_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    directory = tmp_path / "assets"
    monkeypatch.setenv("SHOPGRAPH_ASSETS_DIR", str(directory))
    return directory


def test_default_assets_dir(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("SHOPGRAPH_ASSETS_DIR", str(tmp_path))
    assert ide.default_assets_dir() == tmp_path
    monkeypatch.delenv("SHOPGRAPH_ASSETS_DIR")
    assert ide.default_assets_dir() == Path.home() / ".cache" / "shopgraph" / "assets"


def test_assets_are_parsed_from_strawberry_template() -> None:
    assets = ide.graphiql_assets()
    assert len(assets) == 7
    by_url = {a.url: a for a in assets}
    explorer = by_url["https://unpkg.com/@graphiql/plugin-explorer@1.0.2/dist/index.umd.js"]
    assert explorer.package == "@graphiql/plugin-explorer"
    assert explorer.version == "1.0.2"
    assert explorer.path == "dist/index.umd.js"
    assert explorer.tarball_url == (
        "https://registry.npmjs.org/@graphiql/plugin-explorer/-/plugin-explorer-1.0.2.tgz"
    )
    assert explorer.filename == "graphiql-plugin-explorer-1.0.2-index.umd.js"
    assert all(a.integrity.startswith("sha384-") for a in assets)
    assert len({a.filename for a in assets}) == len(assets)


def test_graphiql_html_without_assets_asks_for_them_and_names_no_cdn(
    assets_dir: Path, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.WARNING, logger="shopgraph.ide"):
        html = ide.graphiql_html()
        ide.graphiql_html()
    assert "unpkg.com" not in html
    assert "<script" not in html
    assert "shopgraph assets fetch" in html
    assert "<title>shopgraph GraphiQL</title>" in html
    warnings = [r for r in caplog.records if "shopgraph assets fetch" in r.getMessage()]
    assert len(warnings) == 1


def test_graphiql_html_with_partial_assets_asks_for_them(assets_dir: Path) -> None:
    assets = _populate(assets_dir)
    (assets_dir / assets[0].filename).unlink()
    html = ide.graphiql_html()
    assert "unpkg.com" not in html
    assert assets[0].filename in html
    assert "shopgraph assets fetch" in html


def test_graphiql_html_with_assets_is_local(assets_dir: Path) -> None:
    assets = _populate(assets_dir)
    html = ide.graphiql_html()
    assert "unpkg.com" not in html
    for asset in assets:
        assert f'"/graphql/static/{asset.filename}"' in html
        assert asset.integrity in html  # SRI still matches the same bytes
    assert "<title>shopgraph GraphiQL</title>" in html
    assert "subscriptionUrl," not in html  # subscriptions disabled
    assert "{{" not in html

    custom = ide.graphiql_html("/ide/assets/", assets_dir=assets_dir)
    assert f'"/ide/assets/{assets[0].filename}"' in custom


def _app(assets_dir: Path) -> Starlette:
    async def page(request: Request) -> HTMLResponse:
        return HTMLResponse(ide.graphiql_html(assets_dir=assets_dir))

    return Starlette(routes=[Route("/", page), ide.graphiql_static_route(assets_dir=assets_dir)])


def test_static_route_serves_known_files_only(assets_dir: Path) -> None:
    assets = _populate(assets_dir)
    (assets_dir / "secret.txt").write_text("nope", encoding="utf-8")
    js = next(a for a in assets if a.filename.endswith(".js"))
    css = next(a for a in assets if a.filename.endswith(".css"))
    client = TestClient(_app(assets_dir))

    response = client.get(f"/graphql/static/{js.filename}")
    assert response.status_code == 200
    assert response.text == f"/* fake {js.url} */"
    assert "javascript" in response.headers["content-type"]
    assert "max-age=31536000" in response.headers["cache-control"]
    assert "text/css" in client.get(f"/graphql/static/{css.filename}").headers["content-type"]

    assert client.get("/graphql/static/secret.txt").status_code == 404
    assert client.get("/graphql/static/unknown.js").status_code == 404
    assert client.get("/graphql/static/..%2Fsecret.txt").status_code == 404
    (assets_dir / js.filename).unlink()
    assert client.get(f"/graphql/static/{js.filename}").status_code == 404

    page = client.get("/")
    assert page.status_code == 200
    assert "unpkg.com" not in page.text  # one file gone: the page asks for it, no CDN
    assert "shopgraph assets fetch" in page.text


def _tarball(files: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w:gz") as tar:
        for name, data in files.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
    return buffer.getvalue()


def _fake_template(content: bytes) -> str:
    integrity = ide._sri_sha384(content)
    return (
        '<script src="https://unpkg.com/@demo/lib@1.2.3/dist/lib.js" '
        f'integrity="{integrity}"></script>'
    )


def test_fetch_extracts_verifies_and_is_idempotent(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    content = b"console.log('lib');"
    monkeypatch.setattr(ide, "_stock_template", lambda: _fake_template(content))
    calls: list[str] = []

    def fake_download(url: str, timeout: float) -> bytes:
        calls.append(url)
        return _tarball({"package/dist/lib.js": content, "package/README.md": b"x"})

    monkeypatch.setattr(ide, "_download", fake_download)
    paths = ide.fetch_graphiql_assets(tmp_path / "cache")
    assert calls == ["https://registry.npmjs.org/@demo/lib/-/lib-1.2.3.tgz"]
    assert paths == [tmp_path / "cache" / "demo-lib-1.2.3-lib.js"]
    assert paths[0].read_bytes() == content

    assert ide.fetch_graphiql_assets(tmp_path / "cache") == paths
    assert len(calls) == 1  # already present and verified: no second download

    paths[0].write_bytes(b"corrupted")
    ide.fetch_graphiql_assets(tmp_path / "cache")
    assert len(calls) == 2
    assert paths[0].read_bytes() == content


def test_fetch_integrity_mismatch_writes_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(ide, "_stock_template", lambda: _fake_template(b"expected"))
    monkeypatch.setattr(
        ide, "_download", lambda url, timeout: _tarball({"package/dist/lib.js": b"tampered"})
    )
    with pytest.raises(ide.AssetFetchError, match="integrity mismatch"):
        ide.fetch_graphiql_assets(tmp_path / "cache")
    assert not (tmp_path / "cache").exists()


def test_fetch_missing_member(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(ide, "_stock_template", lambda: _fake_template(b"x"))
    monkeypatch.setattr(ide, "_download", lambda url, timeout: _tarball({"package/a.js": b"x"}))
    with pytest.raises(ide.AssetFetchError, match="not found"):
        ide.fetch_graphiql_assets(tmp_path)


def test_docs_html_is_self_contained() -> None:
    html = ide.docs_html("/api/openapi.json")
    assert "url: '/api/openapi.json'" in html
    assert "validatorUrl: null" in html
    assert "<title>shopgraph API docs</title>" in html
    assert '<script src="http' not in html
    assert '<link rel="stylesheet"' not in html
    assert "unpkg.com" not in html
    assert "SwaggerUIBundle" in html
    with pytest.raises(ValueError, match="unsafe"):
        ide.docs_html("x'); alert(1); ('")


@pytest.mark.skipif(
    os.environ.get("SHOPGRAPH_TEST_NETWORK") != "1", reason="set SHOPGRAPH_TEST_NETWORK=1"
)
def test_fetch_graphiql_assets_from_npm(tmp_path: Path) -> None:
    paths = ide.fetch_graphiql_assets(tmp_path)
    assert len(paths) == 7
    assert all(path.is_file() and path.stat().st_size > 0 for path in paths)
    assert "unpkg.com" not in ide.graphiql_html(assets_dir=tmp_path)


async def test_the_docs_page_lists_each_versions_document(client: httpx.AsyncClient) -> None:
    html = (await client.get("/docs")).text
    listed = re.findall(r"\{url: '(/openapi\.json\?version=[0-9-]+)', name: '([^']+)'\}", html)
    assert listed == [
        (f"/openapi.json?version={CURRENT}", f"{CURRENT} (current)"),
        (f"/openapi.json?version={FIRST}", FIRST),
    ]
    assert f"'urls.primaryName': '{CURRENT} (current)'" in html
    for url, _ in listed:  # each one is served
        assert (await client.get(url)).status_code == 200
    with pytest.raises(ValueError, match="unsafe"):
        ide.docs_html(definitions=[("x'}]; alert(1); ({'", "/openapi.json")])
