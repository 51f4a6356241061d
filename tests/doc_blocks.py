"""The request blocks of the documentation, read as tests/test_docs_requests.py runs them.

The convention is written for doc authors in docs/api.md ("Examples that run"). In short:

- `sh`/`bash`/`shell`/`console` blocks with a `curl` command, `http` blocks that start with
  a request line, every `graphql` block, and `python` blocks that use httpx are requests,
  and run unless marked `<!-- not run: reason -->` on the line right before the fence;
- a block of another kind that looks like a request (a `curl` line, a request line) is an
  error until it is tagged or marked, so no request escapes by its tag;
- a `json` (or `http` response) block right after a request block documents its answer;
  right after a `graphql` block, a `json` block without `data` or `errors` holds the
  operation's variables instead (its answer may follow).

This module only reads Markdown: what a documented answer says is tests/doc_answers.py's,
comparing it with the real one tests/doc_samples.py's, and running is the test's business.
"""

from __future__ import annotations

import re
import shlex
from dataclasses import dataclass, field
from pathlib import Path
from typing import Final, Literal

from .doc_samples import SampleError, parse_sample

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
