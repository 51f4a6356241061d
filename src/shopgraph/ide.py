"""Offline-capable GraphiQL and REST API docs pages.

Strawberry's GraphiQL template names React, GraphiQL and its explorer plugin by unpkg.com
URLs. ``fetch_graphiql_assets`` downloads those exact files once from the npm registry
(verified against the ``integrity`` hashes in Strawberry's own template) into a local
cache, and ``graphiql_html`` / ``graphiql_static_route`` then serve the page and the files
from this server, so the IDE works in a browser without internet access. Without them the
page says how to install them; it never falls back to the CDN. With them, the page opens on
the example operations and offers to keep an API key (graphiql_page.py). ``docs_html``
renders Swagger UI with every asset inlined (from the ``offapi`` package).
"""

from __future__ import annotations

import base64
import hashlib
import io
import logging
import os
import re
import tarfile
import urllib.error
import urllib.request
from collections.abc import Sequence
from dataclasses import dataclass
from html import escape as html_escape
from pathlib import Path

from offapi import OpenAPITemplate
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import FileResponse
from starlette.routing import Mount, Route
from strawberry.http.ides import get_graphql_ide_html

from . import graphiql_page
from .graphiql_examples import default_examples_dir, load_examples

__all__ = [
    "AssetFetchError",
    "GraphiQLAsset",
    "default_assets_dir",
    "docs_html",
    "fetch_graphiql_assets",
    "graphiql_assets",
    "graphiql_html",
    "graphiql_static_route",
]

logger = logging.getLogger(__name__)

NPM_REGISTRY = "https://registry.npmjs.org"
GRAPHIQL_TITLE = "shopgraph GraphiQL"
DOCS_TITLE = "shopgraph API docs"
CACHE_CONTROL = "public, max-age=31536000, immutable"
FETCH_HINT = "run `shopgraph assets fetch`"

_TAG_RE = re.compile(r"<(?:script|link)\b[^>]*>", re.IGNORECASE)
_URL_ATTR_RE = re.compile(r"""\b(?:src|href)\s*=\s*["'](https://unpkg\.com/[^"']+)["']""")
_INTEGRITY_RE = re.compile(r"""\bintegrity\s*=\s*["'](sha384-[A-Za-z0-9+/=]+)["']""")
_UNPKG_URL_RE = re.compile(r"^https://unpkg\.com/((?:@[^/@]+/)?[^/@]+)@([^/]+)/(.+)$")
_PLACEHOLDERS = {"SUBSCRIPTION_ENABLED": "false", "REPLACE_VARIABLES": ""}
_warned_dirs: set[Path] = set()


class AssetFetchError(RuntimeError):
    """An asset could not be downloaded, found in its tarball, or failed verification."""


@dataclass(frozen=True)
class GraphiQLAsset:
    """One file the GraphiQL template loads from unpkg.com."""

    url: str  # as written in the template, e.g. https://unpkg.com/react@18.2.0/umd/x.js
    package: str  # npm package name, e.g. "react" or "@graphiql/plugin-explorer"
    version: str
    path: str  # path inside the package, e.g. "umd/react.production.min.js"
    integrity: str  # "sha384-<base64>"

    @property
    def filename(self) -> str:
        """Versioned local file name, unique across packages (safe to cache forever)."""
        pkg = self.package.lstrip("@").replace("/", "-")
        return f"{pkg}-{self.version}-{self.path.rsplit('/', 1)[-1]}"

    @property
    def tarball_url(self) -> str:
        name = self.package.rsplit("/", 1)[-1]
        return f"{NPM_REGISTRY}/{self.package}/-/{name}-{self.version}.tgz"


def default_assets_dir() -> Path:
    """``$SHOPGRAPH_ASSETS_DIR``, else ``~/.cache/shopgraph/assets``."""
    env = os.environ.get("SHOPGRAPH_ASSETS_DIR")
    return Path(env) if env else Path.home() / ".cache" / "shopgraph" / "assets"


def _stock_template() -> str:
    return get_graphql_ide_html(graphql_ide="graphiql")


def graphiql_assets(template: str | None = None) -> list[GraphiQLAsset]:
    """Parse the unpkg URLs and their integrity hashes out of Strawberry's template."""
    html = _stock_template() if template is None else template
    assets: list[GraphiQLAsset] = []
    for tag in _TAG_RE.findall(html):
        url_match = _URL_ATTR_RE.search(tag)
        if url_match is None:
            continue
        url = url_match.group(1)
        integrity = _INTEGRITY_RE.search(tag)
        parts = _UNPKG_URL_RE.match(url)
        if integrity is None or parts is None:
            raise AssetFetchError(f"cannot localize {url!r}: no sha384 integrity or odd URL")
        package, version, path = parts.groups()
        assets.append(GraphiQLAsset(url, package, version, path, integrity.group(1)))
    if len(assets) != html.count("https://unpkg.com/"):
        raise AssetFetchError("Strawberry's GraphiQL template has unpkg URLs this parser missed")
    return assets


def _sri_sha384(data: bytes) -> str:
    return "sha384-" + base64.b64encode(hashlib.sha384(data).digest()).decode("ascii")


def _is_verified(file: Path, asset: GraphiQLAsset) -> bool:
    return file.is_file() and _sri_sha384(file.read_bytes()) == asset.integrity


def _download(url: str, timeout: float) -> bytes:
    request = urllib.request.Request(url, headers={"User-Agent": "shopgraph-assets"})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            data: bytes = response.read()
    except (urllib.error.URLError, OSError) as exc:
        raise AssetFetchError(f"download of {url} failed: {exc}") from exc
    return data


def _extract(tarball: bytes, asset: GraphiQLAsset) -> bytes:
    """Read one member from an npm tarball (top folder is usually ``package/``)."""
    try:
        with tarfile.open(fileobj=io.BytesIO(tarball), mode="r:gz") as tar:
            for member in tar.getmembers():
                if member.isfile() and member.name.split("/", 1)[-1] == asset.path:
                    handle = tar.extractfile(member)
                    if handle is not None:
                        return handle.read()
    except tarfile.TarError as exc:
        raise AssetFetchError(f"{asset.tarball_url} is not a valid tarball: {exc}") from exc
    raise AssetFetchError(f"{asset.path!r} not found in {asset.tarball_url}")


def fetch_graphiql_assets(dest: Path | None = None, *, timeout: float = 60.0) -> list[Path]:
    """Download GraphiQL's assets from the npm registry into ``dest``; return their paths.

    Files already present with the right hash are not downloaded again. Every new file
    is checked against the template's sha384 ``integrity`` before anything is written:
    on any failure ``AssetFetchError`` is raised and no file is written or replaced.
    """
    target = default_assets_dir() if dest is None else dest
    assets = graphiql_assets()
    tarballs: dict[str, bytes] = {}
    pending: dict[Path, bytes] = {}
    for asset in assets:
        file = target / asset.filename
        if _is_verified(file, asset):
            continue
        if asset.tarball_url not in tarballs:
            logger.info("downloading %s", asset.tarball_url)
            tarballs[asset.tarball_url] = _download(asset.tarball_url, timeout)
        data = _extract(tarballs[asset.tarball_url], asset)
        actual = _sri_sha384(data)
        if actual != asset.integrity:
            raise AssetFetchError(
                f"integrity mismatch for {asset.url} (from {asset.tarball_url}): "
                f"expected {asset.integrity}, got {actual}; nothing was written"
            )
        pending[file] = data
    if pending:
        target.mkdir(parents=True, exist_ok=True)
    for file, data in pending.items():
        tmp = file.with_name(f".{file.name}.tmp")
        tmp.write_bytes(data)
        os.replace(tmp, file)
    return [target / asset.filename for asset in assets]


def _render_placeholders(html: str) -> str:
    """Fill the placeholders older/newer Strawberry templates carry; disable subscriptions."""
    for name, value in _PLACEHOLDERS.items():
        html = re.sub(r"\{\{\s*" + name + r"\s*\}\}", value, html)
    # Strawberry 0.341 serves the file verbatim and always passes a websocket URL to
    # createFetcher; without it GraphiQL never opens a subscription websocket.
    html = re.sub(r"^[ \t]*subscriptionUrl,[ \t]*\n", "", html, flags=re.MULTILINE)
    return re.sub(r"<title>.*?</title>", f"<title>{GRAPHIQL_TITLE}</title>", html, count=1)


def graphiql_html(
    static_prefix: str = "/graphql/static",
    *,
    assets_dir: Path | None = None,
    examples_dir: Path | None = None,
) -> str:
    """The GraphiQL page, loading its assets from ``static_prefix``, with the example
    operations of ``examples_dir`` (default: ``default_examples_dir()``), read now, once.

    The server never sends a browser to a CDN: when any asset is missing from the cache,
    the page says how to install them (``shopgraph assets fetch``, from the npm registry)
    instead, and a warning is logged once per cache directory.
    """
    directory = default_assets_dir() if assets_dir is None else assets_dir
    html = _render_placeholders(_stock_template())
    try:
        assets = graphiql_assets(html)
    except AssetFetchError as exc:
        logger.warning("GraphiQL assets cannot be served locally: %s", exc)
        return _not_installed(str(exc))
    missing = [a.filename for a in assets if not (directory / a.filename).is_file()]
    if missing:
        if directory not in _warned_dirs:
            _warned_dirs.add(directory)
            logger.warning(
                "GraphiQL assets missing from %s (%s); the page asks for them: %s",
                directory,
                ", ".join(missing),
                FETCH_HINT,
            )
        return _not_installed(f"missing from {directory}: {', '.join(missing)}")
    prefix = static_prefix.rstrip("/")
    for asset in assets:
        html = html.replace(asset.url, f"{prefix}/{asset.filename}")
    examples = load_examples(default_examples_dir() if examples_dir is None else examples_dir)
    return graphiql_page.customize(html, examples)


def _not_installed(detail: str) -> str:
    """The page served while GraphiQL's files are not installed on this server."""
    return (
        '<!doctype html><html lang="en"><head><meta charset="utf-8">'
        f"<title>{GRAPHIQL_TITLE}</title></head><body>"
        "<h1>GraphiQL is not installed on this server</h1>"
        "<p>Its files are served by this server, never from a CDN. Install them once "
        "(they come from the npm registry, checked against their published hashes) with "
        "<code>shopgraph assets fetch</code>, then reload this page.</p>"
        f"<p><small>{html_escape(detail)}</small></p>"
        "<p>The API answers meanwhile: <code>POST /graphql</code> with a JSON body "
        '<code>{"query": "{ products(first: 3) { nodes { name } } }"}</code>.</p>'
        "</body></html>"
    )


def graphiql_static_route(
    static_prefix: str = "/graphql/static", *, assets_dir: Path | None = None
) -> Mount:
    """A Starlette mount serving only the known cached GraphiQL files, cached for a year."""
    directory = default_assets_dir() if assets_dir is None else assets_dir
    known = {asset.filename for asset in graphiql_assets()}

    async def serve(request: Request) -> FileResponse:
        name = request.path_params["name"]
        file = directory / name
        if name not in known or not file.is_file():
            raise HTTPException(status_code=404)
        return FileResponse(file, headers={"Cache-Control": CACHE_CONTROL})

    return Mount(
        static_prefix.rstrip("/"),
        routes=[Route("/{name:str}", serve, methods=["GET", "HEAD"])],
        name="graphiql-static",
    )


def docs_html(
    spec_url: str = "/openapi.json", *, definitions: Sequence[tuple[str, str]] = ()
) -> str:
    """Swagger UI for the REST API with all JS/CSS inlined (no CDN needed).

    `definitions` (name, URL), first shown first, fill the top bar's "Select a definition"
    list instead of the one `spec_url`: one OpenAPI document per dated API version.
    """
    for url in [spec_url, *(url for _, url in definitions)]:
        if re.search(r"""["'<>\\\s]""", url):
            raise ValueError(f"unsafe characters in spec_url: {url!r}")
    for name, _ in definitions:
        if re.search(r"""["'<>\\{}]""", name):
            raise ValueError(f"unsafe characters in a definition's name: {name!r}")
    template: str = OpenAPITemplate.SWAGGER.value
    # No "valid" badge: it would send the spec URL to validator.swagger.io (needs internet).
    marker = "url: '{spec_url}',"
    chosen = marker
    if definitions:
        listed = ", ".join(f"{{{{url: '{url}', name: '{name}'}}}}" for name, url in definitions)
        chosen = f"urls: [{listed}],\n        'urls.primaryName': '{definitions[0][0]}',"
    template = template.replace(marker, chosen + "\n        validatorUrl: null,", 1)
    html = template.format(spec_url=spec_url)
    return re.sub(r"<title>.*?</title>", f"<title>{DOCS_TITLE}</title>", html, count=1)
