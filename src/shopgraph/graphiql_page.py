"""Our GraphiQL page: Strawberry's, started by our script (graphiql_page.js) instead.

Strawberry's script opens GraphiQL on a welcome text. Ours opens it on the example
operations (GraphiQL 3's ``defaultTabs``) and adds a one-line form where a developer saves
an API key once: every tab's headers editor then holds ``Authorization: Bearer <key>``
(``defaultHeaders``/``headers``), and GraphiQL sends what that editor says, so what is
shown is what goes out. The ``<head>`` stays Strawberry's, with the pinned asset URLs and
integrity hashes ``shopgraph assets fetch`` follows.

Everything added is inline, as Strawberry's script was, so the page's Content-Security-
Policy (middleware/security_headers.py) needs nothing more: no new origin, no handler
attributes, a form that only script submits (``form-action 'none'`` blocks the rest).
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Sequence
from importlib import resources

from .graphiql_examples import Example

__all__ = ["customize", "script_json"]

logger = logging.getLogger(__name__)

# Strawberry's start-up script: the only <script> without attributes.
_INLINE_SCRIPT_RE = re.compile(r"<script>(.*?)</script>", re.DOTALL)
_GRAPHIQL_DIV = '<div id="graphiql"'
_STYLE = """<style>
      body { display: flex; flex-direction: column; height: 100vh; }
      #graphiql { flex: 1; min-height: 0; height: auto; }
      form.sg-key {
        flex: none; flex-wrap: wrap; align-items: center; gap: 4px 8px; height: auto;
        overflow: visible; padding: 6px 12px; font-size: var(--font-size-hint);
        border-bottom: 1px solid hsla(var(--color-neutral), var(--alpha-background-heavy));
      }
      form.sg-key input {
        flex: 0 1 24em; padding: 4px 8px; border-radius: var(--border-radius-4);
        border: 1px solid hsla(var(--color-neutral), var(--alpha-background-heavy));
        background: hsl(var(--color-base));
      }
      form.sg-key button { padding: 4px 10px; font-size: var(--font-size-hint); }
      form.sg-key code { font-family: var(--font-family-mono); }
      form.sg-key .sg-key-hint { margin-left: auto; }
    </style>
  """
# Inside .graphiql-container for GraphiQL's colours, fonts and light/dark theme.
_KEY_FORM = """<form id="sg-key" class="graphiql-container sg-key" autocomplete="off">
      <label for="sg-key-input">API key</label>
      <input id="sg-key-input" type="password" placeholder="sg_&hellip;" spellcheck="false"
        autocomplete="off">
      <button class="graphiql-button" type="submit">Save</button>
      <button class="graphiql-button" type="button" id="sg-key-forget" hidden>Forget</button>
      <span id="sg-key-status">Kept in this browser only; sent to this server only, in
        every tab's headers.</span>
      <span class="sg-key-hint">Get a key:
        <code>shopgraph apikey create --name graphiql --scope admin</code></span>
    </form>
    """


def script_json(value: object) -> str:
    """JSON that is also a JavaScript literal safe inside ``<script>``: no ``<``, ``>``
    or ``&`` can end the element or open a comment, and U+2028/U+2029 are escaped."""
    text = json.dumps(value, ensure_ascii=True, separators=(",", ":"))
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def _script_source() -> str:
    return resources.files(__package__).joinpath("graphiql_page.js").read_text("utf-8")


def customize(html: str, examples: Sequence[Example]) -> str:
    """``html`` (Strawberry's page) with our script, the key form and its style.

    A template this code does not recognise is served as it is, GraphiQL without the
    examples and the key form, rather than a page that might not start.
    """
    scripts = list(_INLINE_SCRIPT_RE.finditer(html))
    if len(scripts) != 1 or html.count("</head>") != 1 or html.count(_GRAPHIQL_DIV) != 1:
        logger.warning("Strawberry's GraphiQL page changed: serving it without the examples")
        return html
    data = {
        "examples": [
            {"id": e.id, "title": e.title, "query": e.query, "variables": e.variables}
            for e in examples
        ]
    }
    html = html.replace("</head>", f"{_STYLE}</head>", 1)
    html = html.replace(_GRAPHIQL_DIV, _KEY_FORM + _GRAPHIQL_DIV, 1)
    start, end = next(_INLINE_SCRIPT_RE.finditer(html)).span()
    script = f"const SHOPGRAPH_GRAPHIQL = {script_json(data)};\n{_script_source()}"
    return f"{html[:start]}<script>\n{script}</script>{html[end:]}"
