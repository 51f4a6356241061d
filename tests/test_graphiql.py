"""Tests for the GraphiQL page: example operations as tabs, the API-key form, and the page
still inside its Content-Security-Policy. The page's script is checked as text, and run
under node (when there is one) with stand-ins for the browser, React and GraphiQL."""

from __future__ import annotations

import base64
import hashlib
import json
import logging
import re
import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import httpx
import pytest
from typer.testing import CliRunner

from shopgraph import graphiql_examples, graphiql_page, ide
from shopgraph.app import create_app
from shopgraph.cli import app as cli_app
from shopgraph.context import Services
from shopgraph.graphiql_examples import Example, default_examples_dir, load_examples
from shopgraph.middleware.security_headers import GRAPHIQL_CSP
from shopgraph.settings import Settings

REPO_EXAMPLES = Path(__file__).resolve().parents[1] / "examples" / "graphql"
DATA_RE = re.compile(r"^const SHOPGRAPH_GRAPHIQL = (.*);$", re.MULTILINE)


@pytest.fixture
def assets_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Stand-ins for GraphiQL's files, so the page is the real one, not the install hint."""
    directory = tmp_path / "assets"
    directory.mkdir()
    for asset in ide.graphiql_assets():
        (directory / asset.filename).write_text("/* stand-in */", encoding="utf-8")
    monkeypatch.setenv("SHOPGRAPH_ASSETS_DIR", str(directory))
    return directory


class _Page(HTMLParser):
    """The tags of a page (name and attributes) and the text of its inline scripts."""

    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.inline_scripts: list[str] = []
        self._in_inline_script = False
        self.feed(html)
        self.close()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))
        self._in_inline_script = tag == "script" and "src" not in dict(attrs)
        if self._in_inline_script:
            self.inline_scripts.append("")

    def handle_endtag(self, tag: str) -> None:
        if tag == "script":
            self._in_inline_script = False

    def handle_data(self, data: str) -> None:
        if self._in_inline_script:
            self.inline_scripts[-1] += data

    def elements(self, tag: str) -> list[dict[str, str | None]]:
        return [attrs for name, attrs in self.tags if name == tag]


def _embedded(html: str) -> list[dict[str, str | None]]:
    (script,) = _Page(html).inline_scripts
    match = DATA_RE.search(script)
    assert match is not None
    examples: list[dict[str, str | None]] = json.loads(match.group(1))["examples"]
    return examples


def _write(directory: Path, files: dict[str, str | bytes]) -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    for name, content in files.items():
        if isinstance(content, bytes):
            (directory / name).write_bytes(content)
        else:
            (directory / name).write_text(content, encoding="utf-8")
    return directory


def test_the_repository_examples_are_found_from_a_source_checkout(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.delenv("SHOPGRAPH_EXAMPLES_DIR", raising=False)
    assert default_examples_dir() == REPO_EXAMPLES
    monkeypatch.setenv("SHOPGRAPH_EXAMPLES_DIR", str(tmp_path))
    assert default_examples_dir() == tmp_path
    # Installed from a wheel: no pyproject.toml two folders up, so no examples.
    monkeypatch.delenv("SHOPGRAPH_EXAMPLES_DIR")
    fake = tmp_path / "lib" / "site-packages" / "shopgraph" / "graphiql_examples.py"
    monkeypatch.setattr(graphiql_examples, "__file__", str(fake))
    assert default_examples_dir() is None
    assert load_examples(None) == []
    assert load_examples(tmp_path / "missing") == []


def test_examples_and_the_variables_convention(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    directory = _write(
        tmp_path,
        {
            "b_orders.graphql": (
                "# Orders, newest first.\n"
                '#   Variables: {"first": 2, "after": null}\n'
                "query Orders($first: Int!, $after: String) { orders(first: $first) { id } }\n"
            ),
            "a_anonymous.graphql": "{ products(first: 1) { nodes { id } } }",
            "c_broken.graphql": "# variables: [1]\nquery {",
            "d_not_json.graphql": "# variables: {first: 2}\nquery D { a }",
            "e_late.graphql": 'query E { a }\n# variables: {"x": 1}\n',
            "f_latin1.graphql": "# caf\xe9\n{ a }".encode("latin-1"),
            "notes.txt": "not an example",
        },
    )
    with caplog.at_level(logging.WARNING, logger="shopgraph.graphiql_examples"):
        examples = load_examples(directory)
    by_name = {e.name: e for e in examples}
    assert list(by_name) == ["a_anonymous", "b_orders", "c_broken", "d_not_json", "e_late"]
    orders = by_name["b_orders"]
    assert orders.title == "Orders"
    assert orders.query == (directory / "b_orders.graphql").read_text(encoding="utf-8")
    assert orders.variables == '{\n  "first": 2,\n  "after": null\n}'
    assert by_name["a_anonymous"].title == "a_anonymous"  # no operation name: the file's
    assert by_name["a_anonymous"].variables is None
    assert by_name["c_broken"].title == "c_broken"  # GraphiQL shows the syntax error
    assert by_name["c_broken"].variables is None  # not an object
    assert by_name["d_not_json"].variables is None
    assert by_name["e_late"].variables is None  # only the leading comments count
    messages = " ".join(r.getMessage() for r in caplog.records)
    assert "f_latin1.graphql" in messages
    assert "not a JSON object" in messages
    assert "is not JSON" in messages

    edited = Example(orders.name, orders.title, orders.query + "\n", orders.variables)
    assert edited.id != orders.id  # an edited file is offered again
    assert orders.id.startswith("b_orders:")


def test_the_page_embeds_every_example_operation(assets_dir: Path) -> None:
    html = ide.graphiql_html(assets_dir=assets_dir)
    files = sorted(REPO_EXAMPLES.glob("*.graphql"))
    assert files, "examples/graphql has no operations"
    embedded = _embedded(html)
    assert [e["query"] for e in embedded] == [f.read_text(encoding="utf-8") for f in files]
    examples = load_examples(REPO_EXAMPLES)
    assert [e["title"] for e in embedded] == [e.title for e in examples]
    assert [e["variables"] for e in embedded] == [e.variables for e in examples]
    assert [e["id"] for e in embedded] == [e.id for e in examples]
    for example in examples:  # a `# variables:` line is valid JSON for the editor
        assert example.variables is None or isinstance(json.loads(example.variables), dict)


def test_an_example_cannot_break_out_of_the_script(tmp_path: Path, assets_dir: Path) -> None:
    evil = (
        "# </script><script>alert(1)</script> <!-- <script> -->\n"
        '# variables: {"s": "</script>&amp;\u2028"}\n'
        'query Evil { products(filter: {search: "</SCRIPT ><img src=x onerror=alert(2)>"}) '
        "{ nodes { id } } }\n"
    )
    examples = _write(tmp_path / "examples", {"evil.graphql": evil})
    html = ide.graphiql_html(assets_dir=assets_dir, examples_dir=examples)
    page = _Page(html)
    assert len(page.inline_scripts) == 1
    assert len(page.elements("script")) == len(ide.graphiql_assets()) - 2 + 1  # 2 are CSS
    assert not page.elements("img")
    assert html.lower().count("</script") == len(page.elements("script"))
    (script,) = page.inline_scripts
    assert "<" not in DATA_RE.search(script).group(1)  # type: ignore[union-attr]
    assert "\u2028" not in script
    (example,) = _embedded(html)
    assert example["query"] == evil
    assert json.loads(example["variables"] or "") == {"s": "</script>&amp;\u2028"}


def test_script_json_is_json_and_safe_in_a_script() -> None:
    value = {"a": "</script><!--&\u2028\u2029", "b": ["<", ">"]}
    text = graphiql_page.script_json(value)
    assert json.loads(text) == value
    assert not set(text) & {"<", ">", "&", "\u2028", "\u2029"}


def test_without_examples_graphiql_opens_as_before(tmp_path: Path, assets_dir: Path) -> None:
    html = ide.graphiql_html(assets_dir=assets_dir, examples_dir=tmp_path / "none")
    assert _embedded(html) == []
    assert 'id="sg-key"' in html  # the key form does not depend on examples
    (script,) = _Page(html).inline_scripts
    assert (
        "defaultTabs: opening.defaultTabs" in script
    )  # undefined without examples: GraphiQL's own


def test_the_key_form_and_how_the_key_is_sent(assets_dir: Path) -> None:
    html = ide.graphiql_html(assets_dir=assets_dir)
    page = _Page(html)
    (form,) = page.elements("form")
    assert form["id"] == "sg-key"
    assert "action" not in form  # only script submits it; `form-action 'none'` blocks the rest
    (field,) = page.elements("input")
    assert field["type"] == "password"
    assert field["id"] == "sg-key-input"
    assert {b.get("id") for b in page.elements("button")} >= {"sg-key-forget"}
    # The page is the only place that says how to get a key: one line, a real command.
    hint = re.search(r'class="sg-key-hint">(.*?)</span>', html, re.DOTALL)
    assert hint is not None
    command = re.search(r"<code>(shopgraph apikey create [^<]*)</code>", hint.group(1))
    assert command is not None
    options = set(re.findall(r"--[a-z-]+", command.group(1)))
    usage = CliRunner().invoke(cli_app, ["apikey", "create", "--help"])
    assert usage.exit_code == 0
    assert all(option in usage.output for option in options)
    assert "--scope admin" in command.group(1)
    (script,) = page.inline_scripts
    # The scheme of docs/auth.md, in the headers editor of every tab, not kept by GraphiQL.
    assert 'JSON.stringify({ Authorization: "Bearer " + key }, null, 2)' in script
    for prop in ("defaultHeaders: keyHeaders", "headers: headers[0]"):
        assert prop in script
    assert "shouldPersistHeaders: false" in script
    assert "isHeadersEditorEnabled: true" in script
    assert "localStorage.getItem(name)" in script
    assert "subscriptionUrl" not in script
    assert "window.location.origin + window.location.pathname" in script  # this server


def test_the_script_is_written_for_graphiql_3() -> None:
    """graphiql_page.js uses GraphiQL 3's props (`query`, `headers`, `defaultTabs`...),
    which GraphiQL 5 removed: a Strawberry that loads another GraphiQL needs a look."""
    versions = {a.version for a in ide.graphiql_assets() if a.package == "graphiql"}
    assert versions
    assert all(v.startswith("3.") for v in versions), versions
    source = (Path(graphiql_page.__file__).with_name("graphiql_page.js")).read_text("utf-8")
    assert "</script" not in source.lower()
    assert "<!--" not in source


def test_an_unknown_template_is_served_as_it_is(caplog: pytest.LogCaptureFixture) -> None:
    html = "<html><head></head><body><script>a()</script><script>b()</script></body></html>"
    with caplog.at_level(logging.WARNING, logger="shopgraph.graphiql_page"):
        assert graphiql_page.customize(html, []) == html
    assert "without the examples" in caplog.text


def _policy(header: str) -> dict[str, list[str]]:
    directives = (part.split() for part in header.split(";") if part.strip())
    return {name: sources for name, *sources in directives}


def _allows_inline(sources: list[str], content: str) -> bool:
    """CSP 3: a hash or nonce in the list turns 'unsafe-inline' off."""
    digest = base64.b64encode(hashlib.sha256(content.encode()).digest()).decode()
    if f"'sha256-{digest}'" in sources:
        return True
    strict = any(s.startswith(("'sha256-", "'sha384-", "'sha512-", "'nonce-")) for s in sources)
    return "'unsafe-inline'" in sources and not strict


@pytest.fixture
def database_url(tmp_path: Path) -> str:
    return f"sqlite+aiosqlite:///{tmp_path}/shopgraph.db"


async def test_the_served_page_holds_to_its_content_security_policy(
    assets_dir: Path, database_url: str
) -> None:
    settings = Settings(database_url=database_url, secret_key="test-secret", rate_limit="off")
    app = create_app(settings, migrate=False)
    services = Services(settings)
    app.state.services = services
    try:
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as http:
            response = await http.get("/graphql", headers={"accept": "text/html"})
            assets = [
                await http.get(f"/graphql/static/{a.filename}") for a in ide.graphiql_assets()
            ]
    finally:
        await services.close()
    assert response.status_code == 200
    assert response.headers["content-security-policy"] == GRAPHIQL_CSP
    assert all(asset.status_code == 200 for asset in assets)
    policy = _policy(response.headers["content-security-policy"])
    page = _Page(response.text)
    assert _embedded(response.text)  # the page under test is the one with the examples

    # Scripts and stylesheets from this origin ('self'), none from anywhere else.
    assert "'self'" in policy["script-src"]
    assert "'self'" in policy["style-src"]
    for tag, attribute in (("script", "src"), ("link", "href")):
        for element in page.elements(tag):
            url = element.get(attribute)
            if url is not None and element.get("rel") != "icon":
                assert url.startswith("/graphql/static/"), url
    # Every inline script and style is allowed; no handler attributes or javascript: URLs.
    for script in page.inline_scripts:
        assert _allows_inline(policy["script-src"], script)
    for style in re.findall(r"<style>(.*?)</style>", response.text, re.DOTALL):
        assert _allows_inline(policy["style-src"], style)
    for _tag, attrs in page.tags:
        assert not any(name.startswith("on") for name in attrs), attrs
        assert not any("javascript:" in (value or "") for value in attrs.values()), attrs
    # The key goes to this server only: the fetcher's URL is this page's, and the policy
    # lets the page connect nowhere else.
    assert policy["connect-src"] == ["'self'"]
    assert policy["form-action"] == ["'none'"]
    assert "fetch(" not in page.inline_scripts[0]


# Runs the page's script under node with stand-ins for the browser, React and GraphiQL,
# and prints the props GraphiQL gets and what the page stored.
_NODE_HARNESS = r"""
const vm = require("vm");
const [script, store, search] = JSON.parse(require("fs").readFileSync(0, "utf8"));
const items = new Map(Object.entries(store));
const element = () => ({ addEventListener() {}, hidden: true, textContent: "", value: "" });
const elements = {};
let props = null;
const context = {
  SHOPGRAPH_GRAPHIQL: undefined, URL, URLSearchParams, JSON, Date,
  window: {
    localStorage: { getItem: (k) => (items.has(k) ? items.get(k) : null),
                    setItem: (k, v) => items.set(k, v), removeItem: (k) => items.delete(k) },
    location: { href: "http://h/graphql" + search, search, origin: "http://h",
                pathname: "/graphql", hash: "" },
    history: { replaceState() {} },
  },
  document: { getElementById: (id) => (elements[id] = elements[id] || element()) },
  React: { useState: (v) => [v, () => {}], createElement: (type, p) => ({ type, props: p }) },
  ReactDOM: { createRoot: () => ({ render: (el) => { props = el.type().props; } }) },
  GraphiQL: Object.assign(function GraphiQL() {}, { createFetcher: (o) => ({ url: o.url }) }),
  GraphiQLPluginExplorer: { explorerPlugin: () => ({}) },
};
vm.runInContext(script, vm.createContext(context));
const { plugins, onEditQuery, onEditVariables, onEditHeaders, ...data } = props;
process.stdout.write(JSON.stringify({ props: data, items: Object.fromEntries(items),
                                      status: elements["sg-key-status"].textContent }));
"""


def _run_page_script(
    script: str, store: dict[str, str] | None = None, search: str = ""
) -> dict[str, Any]:
    node = shutil.which("node")
    assert node is not None
    completed = subprocess.run(
        [node, "-e", _NODE_HARNESS],
        input=json.dumps([script, store or {}, search]),
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    result: dict[str, Any] = json.loads(completed.stdout)
    return result


@pytest.mark.skipif(shutil.which("node") is None, reason="needs node")
def test_the_page_script_under_node(assets_dir: Path) -> None:
    html = ide.graphiql_html(assets_dir=assets_dir)
    (script,) = _Page(html).inline_scripts
    examples = _embedded(html)
    ids = [e["id"] for e in examples]

    first = _run_page_script(script)  # a first visit: the examples are the tabs
    props = first["props"]
    assert [t["query"] for t in props["defaultTabs"]] == [e["query"] for e in examples]
    assert [t["variables"] for t in props["defaultTabs"]] == [e["variables"] for e in examples]
    assert props["query"] == examples[0]["query"]
    assert props.get("headers") is None
    assert props["shouldPersistHeaders"] is False
    assert props["fetcher"] == {"url": "http://h/graphql"}
    assert json.loads(first["items"]["shopgraph:examplesOffered"]) == ids

    key = "sg_lyXZSAXN_N2ExPXplkdv4puHlrR7gEaXLeCMhAzs6"
    keyed = _run_page_script(script, {"shopgraph:apiKey": key})
    headers = {"Authorization": f"Bearer {key}"}
    assert json.loads(keyed["props"]["headers"]) == headers  # the tab it opens on
    assert json.loads(keyed["props"]["defaultHeaders"]) == headers  # every other tab
    assert keyed["status"].endswith("Bearer sg_lyXZSAXN_\u2026")

    # Later: GraphiQL's own tabs are kept, only an example not offered yet is added.
    mine = {
        "id": "t1",
        "hash": None,
        "title": "Mine",
        "query": "query Mine { a }",
        "variables": None,
        "headers": '{"Authorization": "Bearer old"}',
        "operationName": None,
        "response": None,
    }
    stored = {
        "graphiql:tabState": json.dumps({"activeTabIndex": 0, "tabs": [mine]}),
        "shopgraph:examplesOffered": json.dumps(ids[:-1]),
    }
    later = _run_page_script(script, stored)
    assert "defaultTabs" not in later["props"]
    assert later["props"]["query"] == "query Mine { a }"  # opens on the tab it was on
    tabs = json.loads(later["items"]["graphiql:tabState"])["tabs"]
    assert [t["query"] for t in tabs] == ["query Mine { a }", examples[-1]["query"]]
    assert all(t["headers"] is None for t in tabs)  # GraphiQL no longer keeps headers
    assert set(tabs[1]) == set(mine)  # the shape GraphiQL 3 accepts

    shared = _run_page_script(script, search="?q=%7B%20a%20%7D")
    assert shared["props"]["query"] == "{ a }"
    assert len(shared["props"]["defaultTabs"]) == len(examples) + 1
