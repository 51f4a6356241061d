"""Browser hardening headers on every HTTP response; a route's own headers win.

API responses get a Content-Security-Policy that allows nothing. The two HTML pages,
GraphiQL (`/graphql`) and Swagger UI (`/docs`), inline their scripts and styles and load
assets from this origin, so they get a policy that lets exactly that work.
"""

from __future__ import annotations

from starlette.types import Scope

API_CSP = "default-src 'none'; frame-ancestors 'none'"
_PAGE_BASE = "default-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
# GraphiQL's files come from this origin only (`shopgraph assets fetch`), never a CDN.
GRAPHIQL_CSP = (
    f"{_PAGE_BASE}; script-src 'self' 'unsafe-inline'; "
    "style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
    "font-src 'self' data:; connect-src 'self'"
)
DOCS_CSP = (
    f"{_PAGE_BASE}; script-src 'unsafe-inline'; style-src 'unsafe-inline'; "
    "img-src 'self' data:; font-src data:; connect-src 'self'"
)
PAGE_CSPS = {"/graphql": GRAPHIQL_CSP.encode(), "/docs": DOCS_CSP.encode()}
HSTS = "max-age=31536000; includeSubDomains"
HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
    "Cross-Origin-Opener-Policy": "same-origin",
}
_ALWAYS = [(name.lower().encode(), value.encode()) for name, value in HEADERS.items()]
_API = API_CSP.encode()
_HSTS = HSTS.encode()


def page_policy(scope: Scope) -> bytes | None:
    """The CSP of the HTML page at this request's path, if there is one."""
    path: str = scope["path"]
    root: str = scope.get("root_path", "")
    return PAGE_CSPS.get(path[len(root) :] if root and path.startswith(root) else path)


def hardened(
    headers: list[tuple[bytes, bytes]], page_csp: bytes | None, https: bool
) -> list[tuple[bytes, bytes]]:
    """A response's headers with the hardening headers it does not set itself."""
    given = {name.lower(): value for name, value in headers}
    is_html = given.get(b"content-type", b"").startswith(b"text/html")
    headers += [pair for pair in _ALWAYS if pair[0] not in given]
    if b"content-security-policy" not in given:
        headers.append((b"content-security-policy", page_csp if page_csp and is_html else _API))
    if https and b"strict-transport-security" not in given:
        headers.append((b"strict-transport-security", _HSTS))
    return headers
