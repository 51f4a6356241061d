"""The request blocks of the documentation, read as tests/test_docs_requests.py runs them.

The convention is written for doc authors in docs/api.md ("Examples that run"). In short:

- `sh`/`bash`/`shell`/`console` blocks with a `curl` command, `http` blocks that start with
  a request line, every `graphql` block, and `python` blocks that use httpx are requests,
  and run unless marked `<!-- not run: reason -->` on the line right before the fence;
- a block of another kind that looks like a request (a `curl` line, a request line) is an
  error until it is tagged or marked, so no request escapes by its tag;
- the answer is documented by a comment after a curl command (`# 404 {"code": …}`), or by
  a `json` (or `http` response) block right after the request block;
- in documented JSON, `…` elides: a value (`"id": "ord_…"`, `"number": …`), members of an
  object, items of a list. The answer must hold every documented key, with a value of the
  same type; strings are compared exactly unless they hold `…` or are ids, times, tokens.

This module only reads Markdown and compares JSON; running is the test's business. It also
holds `fake_curl`, a small stand-in for curl (the options the docs use, over httpx) for
machines without curl.
"""

from __future__ import annotations

import json
import re
import shlex
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Final, Literal

ELLIPSIS_CHAR: Final = "…"
SHELL_LANGS: Final = frozenset({"sh", "bash", "shell", "zsh", "console"})
GRAPHQL_LANGS: Final = frozenset({"graphql", "gql"})
PYTHON_LANGS: Final = frozenset({"python", "py", "python3"})
METHODS: Final = "GET|HEAD|POST|PUT|PATCH|DELETE|OPTIONS"
REQUEST_LINE: Final = re.compile(rf"^({METHODS})\s+(\S+)(?:\s+HTTP/\d(?:\.\d)?)?\s*$")
STATUS_LINE: Final = re.compile(r"^HTTP/\d(?:\.\d)?\s+([1-5]\d\d)\b")
HEADER_LINE: Final = re.compile(r"^([A-Za-z][A-Za-z0-9-]*):[ \t]*(.*)$")
NOT_RUN: Final = re.compile(r"^\s*<!--\s*not run:(.*?)-->\s*$", re.I)
NOT_RUN_LOOSE: Final = re.compile(r"<!--\s*not[ -]run\b", re.I)
FENCE: Final = re.compile(r"^(?P<indent>[ \t]*)(?P<fence>`{3,}|~{3,})(?P<info>.*)$")
CURL_COMMAND: Final = re.compile(r"(?:^|[\s;&|(`])curl\s")
# Documented hosts the test replaces with its server's URL.
DOC_HOST: Final = re.compile(r"(?:https?://)?(?:localhost|127\.0\.0\.1):8000")

Kind = Literal["shell", "http", "graphql", "python"]


# Fenced blocks


@dataclass(frozen=True)
class Fence:
    line: int  # of the opening fence, 1-based
    end: int  # of the closing fence
    info: str
    text: str  # the content, the fence's indentation removed
    before: tuple[str, ...]  # the lines between the previous fence (or the start) and this one

    @property
    def lang(self) -> str:
        return self.info.split()[0].lower() if self.info.split() else ""

    @property
    def first_line(self) -> int:
        """The document line of the content's first line."""
        return self.line + 1


def read_fences(text: str) -> list[Fence]:
    lines = text.splitlines()
    fences: list[Fence] = []
    previous_end = 0
    index = 0
    while index < len(lines):
        opening = FENCE.match(lines[index])
        if opening is None or ("`" in opening["info"] and opening["fence"][0] == "`"):
            index += 1
            continue
        indent, mark = len(opening["indent"]), opening["fence"]
        closing = re.compile(rf"^[ \t]*{re.escape(mark[0])}{{{len(mark)},}}\s*$")
        body: list[str] = []
        end = index + 1
        while end < len(lines) and not closing.match(lines[end]):
            line = lines[end]
            strip = min(indent, len(line) - len(line.lstrip(" ")))
            body.append(line[strip:])
            end += 1
        fences.append(
            Fence(
                line=index + 1,
                end=end + 1,
                info=opening["info"].strip(),
                text="\n".join(body),
                before=tuple(lines[previous_end:index]),
            )
        )
        previous_end = end + 1
        index = end + 1
    return fences


# Documented JSON ("samples"): JSON where `…` elides


class _Marker:
    def __init__(self, name: str) -> None:
        self.name = name

    def __repr__(self) -> str:
        return self.name


ANY: Final = _Marker("…")  # a value written as a bare `…`: any value
MORE: Final = _Marker("…more")  # a bare `…` among a list's items: more items may follow


class SampleError(ValueError):
    pass


_NUMBER = re.compile(r"-?\d+(\.\d+)?([eE][+-]?\d+)?")


class _SampleParser:
    def __init__(self, text: str) -> None:
        self.text = text
        self.at = 0

    def fail(self, what: str) -> SampleError:
        near = self.text[self.at : self.at + 30]
        return SampleError(f"documented JSON: {what} at {near!r}")

    def space(self) -> None:
        while self.at < len(self.text) and self.text[self.at] in " \t\r\n":
            self.at += 1

    def ellipsis(self) -> bool:
        for token in (ELLIPSIS_CHAR, "..."):
            if self.text.startswith(token, self.at):
                self.at += len(token)
                return True
        return False

    def value(self) -> Any:
        self.space()
        if self.at >= len(self.text):
            raise self.fail("unexpected end")
        char = self.text[self.at]
        if char == "{":
            return self.object()
        if char == "[":
            return self.array()
        if char == '"':
            return self.string()
        if self.ellipsis():
            return ANY
        for word, value in (("true", True), ("false", False), ("null", None)):
            if self.text.startswith(word, self.at):
                self.at += len(word)
                return value
        number = _NUMBER.match(self.text, self.at)
        if number is None:
            raise self.fail("expected a value")
        self.at = number.end()
        return json.loads(number.group())

    def string(self) -> str:
        start = self.at
        self.at += 1
        while self.at < len(self.text) and self.text[self.at] != '"':
            self.at += 2 if self.text[self.at] == "\\" else 1
        if self.at >= len(self.text):
            raise self.fail("unterminated string")
        self.at += 1
        try:
            decoded: str = json.loads(self.text[start : self.at])
        except json.JSONDecodeError:
            self.at = start
            raise self.fail("a string JSON cannot read") from None
        return decoded

    def object(self) -> dict[str, Any]:
        self.at += 1
        members: dict[str, Any] = {}
        self.space()
        if self.text.startswith("}", self.at):
            self.at += 1
            return members
        while True:
            self.space()
            if not self.ellipsis():
                if not self.text.startswith('"', self.at):
                    raise self.fail("expected a key")
                key = self.string()
                self.space()
                if not self.text.startswith(":", self.at):
                    raise self.fail("expected ':'")
                self.at += 1
                value = self.value()
                if key not in ("...", ELLIPSIS_CHAR):
                    members[key] = value
            self.space()
            if self.text.startswith(",", self.at):
                self.at += 1
            elif self.text.startswith("}", self.at):
                self.at += 1
                return members
            else:
                raise self.fail("expected ',' or '}'")

    def array(self) -> list[Any]:
        self.at += 1
        items: list[Any] = []
        self.space()
        if self.text.startswith("]", self.at):
            self.at += 1
            return items
        while True:
            self.space()
            if self.ellipsis():
                self.space()
                items.append(MORE if self.text[self.at : self.at + 1] in ",]" else ANY)
            else:
                items.append(self.value())
            self.space()
            if self.text.startswith(",", self.at):
                self.at += 1
            elif self.text.startswith("]", self.at):
                self.at += 1
                return items
            else:
                raise self.fail("expected ',' or ']'")


def parse_sample(text: str) -> Any:
    """The documented JSON value at the start of `text` (what follows it is ignored)."""
    parser = _SampleParser(text)
    return parser.value()


VOLATILE: Final = (
    # public ids, API key ids and audit entries
    re.compile(r"^(cat|prod|cus|ord|pay|re|event|we|wa|key|evt)_[0-9A-Za-z]{4,}$"),
    re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$"),  # times
    re.compile(r"^(sg|sgr|whsec)_\S+$|^eyJ\S*$"),  # keys, refresh tokens, secrets, JWTs
    re.compile(r"^[0-9a-f]{32}$"),  # request ids
)


def _describe(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, list):
        return "a list"
    return "an object"


def compare(doc: Any, real: Any, where: str = "$") -> list[str]:
    """Where the real answer differs from the documented one (empty: it agrees).

    Every documented key must be there with a value of the same JSON type; lists hold the
    documented items (and no more, unless a `…` says so); strings are equal unless they
    hold `…` (a pattern) or are ids, times or tokens; numbers and booleans are compared
    by type only, `null` must be `null`. Keys the document leaves out are not checked.
    """
    if doc is ANY:
        return []
    if isinstance(doc, dict):
        if not isinstance(real, dict):
            return [f"{where}: documented an object, got {_describe(real)}"]
        problems: list[str] = []
        for key, value in doc.items():
            if key not in real:
                problems.append(f"{where}.{key}: documented but missing (got {sorted(real)})")
            else:
                problems.extend(compare(value, real[key], f"{where}.{key}"))
        return problems
    if isinstance(doc, list):
        if not isinstance(real, list):
            return [f"{where}: documented a list, got {_describe(real)}"]
        items = [item for item in doc if item is not MORE]
        more = len(items) != len(doc)
        if len(real) < len(items) or (not more and len(real) != len(items)):
            said = f"{len(items)} item(s){' or more' if more else ''}"
            return [f"{where}: documented {said}, got {len(real)}"]
        problems = []
        for index, item in enumerate(items):
            problems.extend(compare(item, real[index], f"{where}[{index}]"))
        return problems
    if doc is None:
        return [] if real is None else [f"{where}: documented null, got {real!r}"]
    if isinstance(doc, bool):
        return [] if isinstance(real, bool) else [f"{where}: documented a boolean, got {real!r}"]
    if isinstance(doc, int | float):
        wanted: tuple[type, ...] = (int,) if isinstance(doc, int) else (int, float)
        if isinstance(real, bool) or not isinstance(real, wanted):
            return [f"{where}: documented {doc!r}, got {real!r}"]
        return []
    assert isinstance(doc, str), doc
    if not isinstance(real, str):
        return [f"{where}: documented a string, got {real!r}"]
    if ELLIPSIS_CHAR in doc:
        pattern = ".*".join(re.escape(part) for part in doc.split(ELLIPSIS_CHAR))
        if re.fullmatch(pattern, real, re.S) is None:
            return [f"{where}: documented {doc!r}, got {real!r}"]
        return []
    if any(volatile.match(doc) for volatile in VOLATILE) or doc == real:
        return []
    return [f"{where}: documented {doc!r}, got {real!r}"]


def holds(sample: Any, key: str) -> bool:
    """Whether the documented JSON has `key` somewhere with a non-empty value."""
    if isinstance(sample, dict):
        return any(
            (name == key and value not in (None, [], {})) or holds(value, key)
            for name, value in sample.items()
        )
    if isinstance(sample, list):
        return any(holds(item, key) for item in sample)
    return False


# Documented answers


@dataclass
class Answer:
    """What the document says a request answers: any of a status, headers, a body."""

    line: int
    status: int | None = None
    headers: list[tuple[str, str]] = field(default_factory=list)
    body: Any = None
    has_body: bool = False

    @property
    def expected_status(self) -> int | None:
        if self.status is not None:
            return self.status
        body = self.body
        # A problem+json body says its status.
        if isinstance(body, dict) and isinstance(body.get("status"), int) and "type" in body:
            status: int = body["status"]
            return status
        return None


_COMMENT_STATUS = re.compile(r"^(?P<status>[1-5]\d\d)(?=$|[\s,:;.])(?P<rest>.*)$")


def parse_comment_answer(line: int, texts: list[str]) -> Answer | None:
    """The answer documented by the comment lines after a command (`#` removed), or None
    when they are prose: they start with a status (`404`, `201, Cache-Control: no-store`,
    `404 {"code": …}`) or with JSON, which may go on over the following lines."""
    if not texts:
        return None
    first = texts[0].strip()
    answer = Answer(line)
    json_text: str | None = None
    status = _COMMENT_STATUS.match(first)
    if status is not None:
        answer.status = int(status["status"])
        rest = status["rest"].strip()
        if rest.startswith(","):
            header = HEADER_LINE.match(rest[1:].strip())
            if header is not None:
                answer.headers.append((header[1], header[2].strip()))
        elif rest[:1] in ("{", "["):
            json_text = "\n".join([rest, *texts[1:]])
        if json_text is None and len(texts) > 1 and texts[1].strip()[:1] in ("{", "["):
            json_text = "\n".join(texts[1:])
    elif first[:1] in ("{", "["):
        json_text = "\n".join(texts)
    else:
        return None
    if json_text is not None:
        answer.body = parse_sample(json_text)
        answer.has_body = True
    return answer


def parse_fence_answer(fence: Fence) -> Answer:
    """A `json` block (the body) or an `http` response block (status, headers, body)."""
    if fence.lang != "http":
        return Answer(fence.line, body=parse_sample(fence.text), has_body=True)
    head, _, body = fence.text.strip().partition("\n\n")
    lines = head.splitlines()
    status = STATUS_LINE.match(lines[0])
    if status is None:
        raise SampleError(f"{fence.line}: an http answer starts with a status line")
    answer = Answer(fence.line, status=int(status[1]))
    for line in lines[1:]:
        header = HEADER_LINE.match(line)
        if header is None:
            raise SampleError(f"{fence.line}: not a header: {line!r}")
        answer.headers.append((header[1], header[2].strip()))
    if body.strip():
        answer.body = parse_sample(body)
        answer.has_body = True
    return answer


# Shell blocks


@dataclass
class Command:
    start: int  # first and last line, 0-based, in the block
    end: int
    text: str
    comments: list[str]  # the comment ending its last line, then the comment lines after it
    request: bool  # it runs curl
    assigns: list[str]  # names it assigns, if it is only assignments

    def runs(self, reserved: frozenset[str]) -> bool:
        """Requests run, and so do assignments of the block's own variables; the others
        (`shopgraph serve`, `export KEY=sg_…` of a variable the test provides) do not."""
        if self.request:
            return True
        return bool(self.assigns) and not any(name in reserved for name in self.assigns)


def _scan(text: str) -> tuple[str | None, int | None]:
    """The quote still open at the end of `text` (None if none), and where a comment on
    its last line starts (None if none), as the shell reads it, roughly."""
    quote: str | None = None
    comment: int | None = None
    index = 0
    while index < len(text):
        char = text[index]
        if comment is not None:
            if char == "\n":
                comment = None
        elif quote == "'":
            if char == "'":
                quote = None
        elif quote == '"':
            if char == "\\":
                index += 1
            elif char == '"':
                quote = None
        elif char == "\\":
            index += 1
        elif char in "'\"":
            quote = char
        elif char == "#" and (index == 0 or text[index - 1] in " \t\n;"):
            comment = index
        index += 1
    return quote, comment


def shell_lines(fence: Fence) -> list[str]:
    """A `console` block as the script it shows: prompts removed, output as comments."""
    lines = fence.text.splitlines()
    if fence.lang != "console":
        return lines
    out: list[str] = []
    pending: str | None = None  # a command that goes on over the next line
    for line in lines:
        if pending is not None:
            out.append(line)
            pending += "\n" + line
        elif line.startswith("$ "):
            out.append(line[2:])
            pending = line[2:]
        else:
            out.append(f"# {line}" if line.strip() else "")
        if pending is not None and not _continues(pending):
            pending = None
    return out


def _continues(text: str) -> bool:
    """Whether a command goes on over the next line: a quote is open, or a backslash ends
    the line (before its comment, if any)."""
    quote, comment = _scan(text)
    if quote is not None:
        return True
    code = text[:comment] if comment is not None else text
    return code.split("\n")[-1].rstrip().endswith("\\")


def split_commands(lines: list[str]) -> list[Command]:
    commands: list[Command] = []
    index = 0
    while index < len(lines):
        line = lines[index]
        stripped = line.strip()
        if not stripped or stripped.startswith("#"):
            index += 1
            continue
        start = index
        text = line
        while _continues(text) and index + 1 < len(lines):
            index += 1
            text += "\n" + lines[index]
        _, comment_at = _scan(text)
        comments = [text[comment_at + 1 :].split("\n")[0]] if comment_at is not None else []
        code = text[:comment_at] if comment_at is not None else text
        end = index
        index += 1
        while index < len(lines) and lines[index].strip().startswith("#"):
            comments.append(lines[index].strip()[1:])
            index += 1
        comments = [comment[1:] if comment.startswith(" ") else comment for comment in comments]
        commands.append(
            Command(
                start=start,
                end=end,
                text=code,
                comments=comments,
                request=CURL_COMMAND.search(code) is not None,
                assigns=_assignments(code),
            )
        )
    return commands


def _assignments(code: str) -> list[str]:
    try:
        words = shlex.split(code)
    except ValueError:
        return []
    if words[:1] == ["export"]:
        words = words[1:]
    names = [re.match(r"^([A-Za-z_][A-Za-z0-9_]*)=", word) for word in words]
    if not words or any(name is None for name in names):
        return []
    return [name[1] for name in names if name is not None]


# The documents' blocks


@dataclass
class DocBlock:
    path: str  # relative to the repository: "docs/auth.md"
    fence: Fence
    kind: Kind | None  # None: not a request (then `problem` or `skip` says why it is here)
    skip: str | None = None  # the reason it is marked not run
    problem: str | None = None  # why it cannot be run as it is written
    answer: Fence | None = None  # the json/http block right after it
    variables: Fence | None = None  # a graphql block's variables
    commands: list[Command] = field(default_factory=list)
    index: int = 0  # among the file's blocks that run

    @property
    def id(self) -> str:
        return f"{self.path}:{self.fence.line}"

    @property
    def runs(self) -> bool:
        return self.kind is not None and self.skip is None and self.problem is None


def _request_kind(fence: Fence) -> tuple[Kind | None, str | None, list[Command]]:
    """What request the block is (None: none), or why it cannot be one."""
    lang = fence.lang
    if lang in SHELL_LANGS:
        commands = split_commands(shell_lines(fence))
        if any(command.request for command in commands):
            return "shell", None, commands
        return None, None, commands
    first = next((line.strip() for line in fence.text.splitlines() if line.strip()), "")
    if lang == "http":
        if REQUEST_LINE.match(first):
            return "http", None, []
        if STATUS_LINE.match(first):
            return None, None, []  # an answer
        if all(HEADER_LINE.match(line) or line[:1] in " \t" for line in fence.text.splitlines()):
            return None, None, []  # headers an answer carries, for instance
        return None, "an `http` block is a request, an answer (`HTTP/1.1 200 OK`) or headers", []
    if lang in GRAPHQL_LANGS:
        return "graphql", None, []
    if lang in PYTHON_LANGS:
        return ("python" if re.search(r"\bhttpx\b", fence.text) else None), None, []
    looks = REQUEST_LINE.match(first) or any(
        re.match(r"^\s*(\$\s+)?curl\s", line) for line in fence.text.splitlines()
    )
    if looks:
        tag = f"`{fence.info}`" if fence.info else "untagged"
        return (
            None,
            f"this block shows a request but is {tag}: tag it `sh` (curl) or `http` so it "
            "runs, or mark it `<!-- not run: reason -->`",
            [],
        )
    return None, None, []


def _adjacent(between: tuple[str, ...]) -> bool:
    """Whether a block right after a request documents its answer: only blank lines, or
    one paragraph that ends with a colon (`It answers:`), separate them."""
    text = "\n".join(line.strip() for line in between).strip().splitlines()
    if not text:
        return True
    if any(not line or line.startswith(("#", "<!--", "|", "-", "*")) for line in text):
        return False  # more than one paragraph, a heading, a table, a list
    return text[-1].endswith(":")


def _marker(fence: Fence) -> tuple[str | None, str | None]:
    """The `not run` reason before `fence` (None if unmarked), or a problem with it."""
    previous = next((line for line in reversed(fence.before) if line.strip()), "")
    marked = NOT_RUN.match(previous)
    if marked is None:
        if NOT_RUN_LOOSE.search(previous):
            return None, "write the marker as `<!-- not run: reason -->`, on one line"
        return None, None
    reason = marked[1].strip()
    if not reason:
        return None, "`<!-- not run: -->` needs a reason"
    return reason, None


def _is_response(fence: Fence) -> bool:
    first = fence.text.strip().splitlines()[0] if fence.text.strip() else ""
    return fence.lang == "json" or (fence.lang == "http" and STATUS_LINE.match(first) is not None)


def _is_graphql_response(fence: Fence) -> bool:
    try:
        sample = parse_sample(fence.text)
    except SampleError:
        return True  # reported when it is read as the answer
    return isinstance(sample, dict) and bool({"data", "errors"} & set(sample))


def blocks_of(path: str, text: str) -> list[DocBlock]:
    fences = read_fences(text)
    blocks: list[DocBlock] = []
    used: set[int] = set()
    runs = 0
    for number, fence in enumerate(fences):
        if number in used:
            continue
        kind, problem, commands = _request_kind(fence)
        reason, marker_problem = _marker(fence)
        block = DocBlock(path, fence, kind, problem=problem or marker_problem, commands=commands)
        if reason is not None:
            if kind is None and problem is None:
                block.problem = "marked not run, but it is not a request block"
            else:
                block.skip, block.problem = reason, None
        if kind is not None:
            following = fences[number + 1 : number + 3]
            if (
                kind == "graphql"
                and following
                and following[0].lang == "json"
                and _adjacent(following[0].before)
                and not _is_graphql_response(following[0])
            ):
                block.variables = following[0]
                used.add(number + 1)
                following = following[1:]
            if following and _is_response(following[0]) and _adjacent(following[0].before):
                block.answer = following[0]
                used.add(fences.index(following[0]))
        if block.runs:
            block.index = runs
            runs += 1
        if kind is not None or block.problem is not None or block.skip is not None:
            blocks.append(block)
    return blocks


def collect(root: Path) -> list[DocBlock]:
    """The request blocks (and the broken or marked ones) of docs/*.md and README.md."""
    paths = [*sorted((root / "docs").glob("*.md")), root / "README.md"]
    found: list[DocBlock] = []
    for path in paths:
        found.extend(blocks_of(path.relative_to(root).as_posix(), path.read_text()))
    return found


# curl, for machines without it


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
                    raise SystemExit(f"curl: unknown option {short} (tests/doc_blocks.py)")
                options.append((_CURL_FLAGS[short], ""))
        elif arg.startswith("-"):
            raise SystemExit(f"curl: option {arg} is unknown to tests/doc_blocks.py")
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
        print("curl: tests/doc_blocks.py takes exactly one URL", file=sys.stderr)
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
