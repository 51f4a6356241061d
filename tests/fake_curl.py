"""A stand-in for curl, for machines without it (or with SHOPGRAPH_DOCS_FAKE_CURL=1).

The docs' shell blocks run curl for real (tests/test_docs_requests.py). Where curl is
missing, the test puts on PATH a `curl` script that calls `fake_curl`: the options the docs
use, over httpx. An option it does not know stops it with an error rather than being
ignored, so a doc that starts using one fails instead of running a different request.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Final

_CURL_VALUE_OPTIONS: Final = {
    "-X": "request",
    "--request": "request",
    "-H": "header",
    "--header": "header",
    "-d": "data",
    "--data": "data",
    "--data-ascii": "data",
    "--data-binary": "data-binary",
    "--data-raw": "data-raw",
    "--data-urlencode": "data-urlencode",
    "--json": "json",
    "-u": "user",
    "--user": "user",
    "-o": "output",
    "--output": "output",
    "-D": "dump-header",
    "--dump-header": "dump-header",
    "-w": "write-out",
    "--write-out": "write-out",
    "-m": "ignore",
    "--max-time": "ignore",
    "--connect-timeout": "ignore",
    "--url": "url",
}
_CURL_FLAGS: Final = {
    "-s": "ignore",
    "--silent": "ignore",
    "-S": "ignore",
    "--show-error": "ignore",
    "--no-progress-meter": "ignore",
    "-v": "ignore",
    "-L": "ignore",
    "--location": "ignore",
    "-k": "ignore",
    "--insecure": "ignore",
    "--compressed": "ignore",
    "-g": "ignore",
    "--globoff": "ignore",
    "-i": "include",
    "--include": "include",
    "--no-include": "no-include",
    "-f": "fail",
    "--fail": "fail",
    "--no-fail": "no-fail",
    "-G": "get",
    "--get": "get",
    "-I": "head",
    "--head": "head",
}


def _curl_options(argv: list[str]) -> list[tuple[str, str]]:
    """(option, value) pairs and ("url", URL), as curl reads its arguments."""
    options: list[tuple[str, str]] = []
    index = 0
    while index < len(argv):
        arg = argv[index]
        if arg in _CURL_VALUE_OPTIONS:
            index += 1
            if index >= len(argv):
                raise SystemExit(f"curl: option {arg}: requires a value")
            options.append((_CURL_VALUE_OPTIONS[arg], argv[index]))
        elif arg in _CURL_FLAGS:
            options.append((_CURL_FLAGS[arg], ""))
        elif arg.startswith("-") and not arg.startswith("--") and len(arg) > 2:
            # Short options together: -sS, -si, -sX POST, -XPOST.
            for position, letter in enumerate(arg[1:], start=1):
                short = f"-{letter}"
                if short in _CURL_VALUE_OPTIONS:
                    value = arg[position + 1 :]
                    if not value:
                        index += 1
                        value = argv[index]
                    options.append((_CURL_VALUE_OPTIONS[short], value))
                    break
                if short not in _CURL_FLAGS:
                    raise SystemExit(f"curl: unknown option {short} (tests/fake_curl.py)")
                options.append((_CURL_FLAGS[short], ""))
        elif arg.startswith("-"):
            raise SystemExit(f"curl: option {arg} is unknown to tests/fake_curl.py")
        else:
            options.append(("url", arg))
        index += 1
    return options


def _read_data(value: str, *, strip_newlines: bool) -> str:
    if value.startswith("@"):
        content = Path(value[1:]).read_text() if value != "@-" else sys.stdin.read()
        return content.replace("\r", "").replace("\n", "") if strip_newlines else content
    return value


def _urlencoded(value: str) -> str:
    from urllib.parse import quote

    if "=" in value:
        name, _, content = value.partition("=")
        return f"{name}={quote(content, safe='')}" if name else quote(content, safe="")
    if "@" in value:
        name, _, file = value.partition("@")
        encoded = quote(Path(file).read_text(), safe="")
        return f"{name}={encoded}" if name else encoded
    return quote(value, safe="")


def fake_curl(argv: list[str]) -> int:
    """curl's options that the docs use, over httpx: the stand-in when curl is missing."""
    import base64

    import httpx

    method: str | None = None
    headers: list[tuple[str, str]] = []
    data: list[str] = []
    urls: list[str] = []
    settings: dict[str, str] = {}
    switches: set[str] = set()
    for option, value in _curl_options(argv):
        if option == "request":
            method = value
        elif option == "header":
            name, _, content = value.partition(":")
            headers.append((name.strip(), content.strip()))
        elif option == "data":
            data.append(_read_data(value, strip_newlines=True))
        elif option == "data-binary":
            data.append(_read_data(value, strip_newlines=False))
        elif option == "data-raw":
            data.append(value)
        elif option == "data-urlencode":
            data.append(_urlencoded(value))
        elif option == "json":
            data.append(_read_data(value, strip_newlines=False))
            switches.add("json")
        elif option == "user":
            token = base64.b64encode(value.encode()).decode()
            headers.append(("Authorization", f"Basic {token}"))
        elif option == "url":
            urls.append(value)
        elif option in ("output", "dump-header", "write-out"):
            settings[option] = value
        elif option == "no-include":
            switches.discard("include")
        elif option == "no-fail":
            switches.discard("fail")
        elif option != "ignore":
            switches.add(option)
    if len(urls) != 1:
        print("curl: tests/fake_curl.py takes exactly one URL", file=sys.stderr)
        return 2
    url = urls[0] if "://" in urls[0] else f"http://{urls[0]}"
    names = {name.lower() for name, _ in headers}
    body: str | None = None
    if data and "get" in switches:
        url += ("&" if "?" in url else "?") + "&".join(data)
    elif data:
        body = "&".join(data)
        if "json" in switches:
            headers += [("Content-Type", "application/json"), ("Accept", "application/json")]
        elif "content-type" not in names:
            headers.append(("Content-Type", "application/x-www-form-urlencoded"))
    if method is None:
        method = "HEAD" if "head" in switches else ("POST" if body is not None else "GET")
    headers.append(("User-Agent", "curl/doc-blocks"))
    try:
        response = httpx.request(
            method, url, headers=headers, content=body.encode() if body else None, timeout=60
        )
    except httpx.HTTPError as error:
        print(f"curl: (7) {error}", file=sys.stderr)
        return 7
    head = f"HTTP/1.1 {response.status_code} {response.reason_phrase}\r\n" + "".join(
        f"{name}: {value}\r\n" for name, value in response.headers.multi_items()
    )
    if "dump-header" in settings:
        Path(settings["dump-header"]).write_text(head + "\r\n")
    output = ((head + "\r\n").encode() if "include" in switches else b"") + response.content
    if "output" in settings:
        Path(settings["output"]).write_bytes(output)
    else:
        sys.stdout.buffer.write(output)
    if "write-out" in settings:
        written = (
            settings["write-out"]
            .replace("%{http_code}", str(response.status_code))
            .replace("%{url_effective}", str(response.url))
            .replace("\\n", "\n")
        )
        sys.stdout.write(written)
    sys.stdout.flush()
    return 22 if "fail" in switches and response.status_code >= 400 else 0
