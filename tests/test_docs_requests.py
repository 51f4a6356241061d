"""The docs cannot rot (issue 13): every request block of docs/*.md and README.md runs
against a live `shopgraph serve --demo`, and its answer is checked against what the
document shows.

One test per block, named by its file and line. The blocks of one file run in order
against one server of their own (a fresh database), so a block may use what an earlier
one made; Python blocks, which repeat a file's curl examples in another language, run in
order against a second server. Running one block alone runs the earlier ones of its file
first. curl commands run for real, in bash, as written: `$BASE` and the documented host
(`http://127.0.0.1:8000`, `localhost:8000`) name the test's server, and the variables of
docs/api.md ("Examples that run") hold keys and ids made for the test. Without curl on
the machine (or with SHOPGRAPH_DOCS_FAKE_CURL=1), a stand-in over httpx takes its place.

What a block must satisfy, and how to mark one that must not run, is in docs/api.md.
tests/doc_blocks.py reads the blocks, tests/doc_answers.py and tests/doc_samples.py what
the document says they answer, tests/doc_servers.py starts the servers and makes what the
variables name, and tests/fake_curl.py stands in for curl.
"""

from __future__ import annotations

import gc
import json
import os
import re
import shutil
import subprocess
import sys
import traceback
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import graphql
import httpx
import pytest

from .conftest import BACKENDS
from .doc_answers import Answer, parse_comment_answer, parse_fence_answer
from .doc_blocks import DOC_HOST, REQUEST_LINE, DocBlock, blocks_of, collect, shell_lines
from .doc_samples import ELLIPSIS_CHAR, SampleError, compare, holds, parse_sample
from .doc_servers import Lane, LaneKey, Lanes

ROOT = Path(__file__).parent.parent
BLOCKS = collect(ROOT)
CURL = None if os.environ.get("SHOPGRAPH_DOCS_FAKE_CURL") == "1" else shutil.which("curl")
# Every curl runs through this function: the command as written, then what it needs to
# record the answer (later options win), and the body on stdout as usual.
PRELUDE = [
    "set -u -o pipefail",
    "curl() {",
    '  local n rc; n=$(( $(cat "$DOC_OUT/count") + 1 )); echo "$n" > "$DOC_OUT/count"',
    '  command curl "$@" --no-include --no-fail --silent --show-error'
    ' --output "$DOC_OUT/$n.body" --dump-header "$DOC_OUT/$n.head"'
    " --write-out '%{http_code} %{url_effective}'"
    ' > "$DOC_OUT/$n.code" 2> "$DOC_OUT/$n.err"',
    '  rc=$?; echo "${BASH_LINENO[0]} $rc" > "$DOC_OUT/$n.line"',
    '  cat "$DOC_OUT/$n.body" 2> /dev/null; return $rc',
    "}",
]


# Running each file's blocks in order


def lane_key(backend: str, block: DocBlock) -> LaneKey:
    return backend, block.path, "python" if block.kind == "python" else "main"


class DocRuns:
    """Where each lane of the file being run is in its blocks, so they run in order.

    A test may run alone, or after others were deselected: the earlier blocks of its lane
    run first, as what it may build on.
    """

    def __init__(self, lanes: Lanes) -> None:
        self.lanes = lanes
        self.current: tuple[str, str] | None = None
        self.next: dict[LaneKey, int] = {}  # the index of the lane's next block to run

    def run(self, backend: str, block: DocBlock) -> list[str]:
        if self.current != (backend, block.path):
            self.lanes.close_open()
            self.current = (backend, block.path)
        key = lane_key(backend, block)
        if key not in self.lanes.open:
            self.next[key] = 0
        lane = self.lanes.lane(key)
        earlier = [
            other
            for other in BLOCKS
            if other.runs
            and lane_key(backend, other) == key
            and self.next[key] <= other.index < block.index
        ]
        self.next[key] = block.index + 1
        for other in earlier:  # what this block may build on, when it runs alone
            run_block(lane, other)
        return run_block(lane, block)


@pytest.fixture(scope="session")
def doc_runs(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[DocRuns]:
    # The lanes the selected tests will use, in the order they will use them.
    plan: list[LaneKey] = []
    for item in request.session.items:
        params = getattr(getattr(item, "callspec", None), "params", {})
        block, backend = params.get("block"), params.get("backend")
        if isinstance(block, DocBlock) and block.runs and isinstance(backend, str):
            key = lane_key(backend, block)
            if key not in plan:
                plan.append(key)
    lanes = Lanes(tmp_path_factory.mktemp("docs"), plan)
    try:
        yield DocRuns(lanes)
    finally:
        lanes.close()


# Checking an answer


@dataclass
class Reply:
    status: int
    headers: dict[str, str]  # lower-case names
    body: bytes
    url: str

    def json(self) -> Any:
        try:
            return json.loads(self.body)
        except ValueError:
            return None

    def excerpt(self) -> str:
        return self.body.decode(errors="replace")[:600]


def _user_errors(value: Any) -> list[Any]:
    if isinstance(value, dict):
        found = [value["userErrors"]] if value.get("userErrors") else []
        return found + [error for item in value.values() for error in _user_errors(item)]
    if isinstance(value, list):
        return [error for item in value for error in _user_errors(item)]
    return []


def check(reply: Reply, answer: Answer | None) -> list[str]:
    """What is wrong with `reply`, given what the document says of it (if anything)."""
    problems: list[str] = []
    expected = answer.expected_status if answer is not None else None
    if expected is not None and reply.status != expected:
        problems.append(f"status {reply.status}; the document says {expected}")
    elif expected is None and reply.status >= 400:
        problems.append(
            f"status {reply.status}: document a failure after the request "
            f"(`# {reply.status} …`, or the problem body), or fix the request"
        )
    for name, value in answer.headers if answer is not None else []:
        real = reply.headers.get(name.lower())
        if real is None:
            problems.append(f"header {name}: documented, but not in the answer")
        else:
            problems.extend(compare(value, real, f"header {name}"))
    body = reply.json()
    documented = answer.body if answer is not None and answer.has_body else None
    if answer is not None and answer.has_body:
        if body is None:
            problems.append("the document shows a JSON answer; the answer is not JSON")
        else:
            problems.extend(compare(answer.body, body))
    if urlsplit(reply.url).path.endswith("/graphql") and isinstance(body, dict):
        if body.get("errors") and not holds(documented, "errors"):
            problems.append(f"GraphQL errors the document does not show: {body['errors']}")
        if _user_errors(body.get("data")) and not holds(documented, "userErrors"):
            problems.append(f"userErrors the document does not show: {_user_errors(body['data'])}")
    if problems:
        problems.append(f"the answer: {reply.status} {reply.excerpt()}")
    return problems


def substitute(text: str, values: dict[str, str]) -> tuple[str, list[str]]:
    """`text` with `$NAME`/`${NAME}` (upper case) replaced; the names it does not know."""
    unknown: list[str] = []

    def value(match: re.Match[str]) -> str:
        name = match[1] or match[2]
        if name in values:
            return values[name]
        unknown.append(name)
        return match[0]

    return re.sub(r"\$\{([A-Z][A-Z0-9_]*)\}|\$([A-Z][A-Z0-9_]*)", value, text), unknown


def _read_answer(block: DocBlock) -> Answer | None:
    return parse_fence_answer(block.answer) if block.answer is not None else None


ELIDED = (
    f"an elided value ({ELLIPSIS_CHAR}) in a request: write a variable ($CUSTOMER, "
    "$PRODUCT, …; docs/api.md) or a real value, or mark the block not run"
)


# Running each kind of block


def run_block(lane: Lane, block: DocBlock) -> list[str]:
    try:
        if block.kind == "shell":
            return run_shell(lane, block)
        if block.kind == "http":
            return run_http(lane, block)
        if block.kind == "graphql":
            return run_graphql(lane, block)
        assert block.kind == "python", block.kind
        return run_python(lane, block)
    except SampleError as unreadable:
        return [f"the documented answer cannot be read: {unreadable}"]


def _curl_path(folder: Path) -> str:
    path = os.environ.get("PATH", "/usr/bin:/bin")
    if CURL is not None:
        return path
    shim = folder / "fake-curl"
    if not shim.exists():
        shim.mkdir()
        script = shim / "curl"
        script.write_text(
            f"#!{sys.executable}\nimport sys\nsys.path.insert(0, {str(ROOT)!r})\n"
            "from tests.fake_curl import fake_curl\nsys.exit(fake_curl(sys.argv[1:]))\n"
        )
        script.chmod(0o755)
    return f"{shim}{os.pathsep}{path}"


def run_shell(lane: Lane, block: DocBlock) -> list[str]:
    lines = shell_lines(block.fence)
    reserved = frozenset(lane.vars)
    script = [""] * len(lines)
    first = block.fence.first_line
    requests = [command for command in block.commands if command.request]
    for command in block.commands:
        if not command.runs(reserved):
            continue
        if ELLIPSIS_CHAR in command.text:
            return [f"line {first + command.start}: {ELIDED}"]
        for index in range(command.start, command.end + 1):
            script[index] = DOC_HOST.sub(lane.base, lines[index])
    out = lane.folder / f"shell-{block.fence.line}"
    shutil.rmtree(out, ignore_errors=True)
    out.mkdir()
    (out / "count").write_text("0")
    (out / "script.sh").write_text("\n".join([*PRELUDE, *script]) + "\n")
    env = {
        "PATH": _curl_path(lane.folder),
        "HOME": str(out),
        "LC_ALL": "C.UTF-8",
        "DOC_OUT": str(out),
        **lane.vars,
    }
    done = subprocess.run(
        ["bash", str(out / "script.sh")],
        env=env,
        cwd=out,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    problems: list[str] = []
    if done.stderr.strip():
        problems.append(f"the block wrote to stderr: {done.stderr.strip()}")
    replies: dict[int, list[tuple[int, Reply, str]]] = {}
    for number in range(1, int((out / "count").read_text()) + 1):
        script_line, rc = (int(word) for word in (out / f"{number}.line").read_text().split())
        index = script_line - len(PRELUDE) - 1
        status, _, url = (out / f"{number}.code").read_text().partition(" ")
        status = status if status.isdigit() else "0"  # curl did not get as far as an answer
        head = (out / f"{number}.head").read_text(errors="replace") if rc == 0 else ""
        reply = Reply(
            int(status),
            _headers(head),
            (out / f"{number}.body").read_bytes() if (out / f"{number}.body").exists() else b"",
            url.strip(),
        )
        error = (out / f"{number}.err").read_text().strip() if rc else ""
        replies.setdefault(index, []).append((rc, reply, error))
    for command in requests:
        line = first + command.start
        made = [
            reply
            for index in range(command.start, command.end + 1)
            for reply in replies.get(index, [])
        ]
        if not made:
            problems.append(f"line {line}: curl did not run")
            continue
        answer = parse_comment_answer(line, command.comments)
        if command is requests[-1] and block.answer is not None:
            answer = _merged(answer, _read_answer(block))
        for position, (rc, reply, error) in enumerate(made):
            if rc:
                problems.append(f"line {line}: curl failed ({rc}): {error}")
                continue
            said = answer if position == len(made) - 1 else None
            problems.extend(f"line {line}: {problem}" for problem in check(reply, said))
    return problems


def _merged(comment: Answer | None, fence: Answer | None) -> Answer | None:
    if comment is None or fence is None:
        return comment or fence
    if comment.status is None:
        comment.status = fence.status
    comment.headers += fence.headers
    if not comment.has_body:
        comment.body, comment.has_body = fence.body, fence.has_body
    return comment


def _headers(dump: str) -> dict[str, str]:
    """The headers of the last response in curl's `--dump-header` output."""
    blocks = [part for part in dump.replace("\r\n", "\n").split("\n\n") if part.strip()]
    headers: dict[str, str] = {}
    for line in blocks[-1].splitlines()[1:] if blocks else []:
        name, _, value = line.partition(":")
        headers[name.strip().lower()] = value.strip()
    return headers


def run_http(lane: Lane, block: DocBlock) -> list[str]:
    text, unknown = substitute(block.fence.text, lane.vars)
    if unknown:
        return [f"unknown variables: {', '.join(unknown)} (docs/api.md lists them)"]
    if ELLIPSIS_CHAR in text:
        return [ELIDED]
    head, _, body = text.strip("\n").partition("\n\n")
    request_line, *header_lines = head.splitlines()
    parsed = REQUEST_LINE.match(request_line.strip())
    assert parsed is not None, request_line
    target = DOC_HOST.sub(lane.base, parsed[2])
    if target.startswith("/"):
        target = lane.base + target
    elif not target.startswith(lane.base):
        return [f"the request goes to {target}: write a path, or the documented host"]
    headers: list[tuple[str, str]] = []
    for line in header_lines:
        if line[:1] in " \t" and headers:
            headers[-1] = (headers[-1][0], f"{headers[-1][1]} {line.strip()}")
        else:
            name, _, value = line.partition(":")
            headers.append((name.strip(), value.strip()))
    response = httpx.request(
        parsed[1],
        target,
        headers=headers,
        content=body.encode() if body.strip() else None,
        timeout=60,
    )
    reply = Reply(response.status_code, dict(response.headers), response.content, target)
    return check(reply, _read_answer(block))


def run_graphql(lane: Lane, block: DocBlock) -> list[str]:
    document, _ = substitute(block.fence.text, lane.vars)
    variables: dict[str, Any] = {}
    if block.variables is not None:
        text, unknown = substitute(block.variables.text, lane.vars)
        if unknown:
            return [f"unknown variables: {', '.join(unknown)} (docs/api.md lists them)"]
        if ELLIPSIS_CHAR in text:
            return [ELIDED]
        try:
            variables = json.loads(text)
        except ValueError as error:
            return [f"the variables at line {block.variables.line} are not JSON: {error}"]
    if ELLIPSIS_CHAR in document:
        return [ELIDED]
    try:
        parsed = graphql.parse(document)
    except graphql.GraphQLError as error:
        return [f"not a GraphQL document: {error}"]
    operations = [
        definition
        for definition in parsed.definitions
        if isinstance(definition, graphql.OperationDefinitionNode)
    ]
    if len(operations) != 1:
        return [f"{len(operations)} operations: a block holds one (fragments are not run alone)"]
    missing = [
        definition.variable.name.value
        for definition in operations[0].variable_definitions or ()
        if isinstance(definition.type, graphql.NonNullTypeNode)
        and definition.default_value is None
        and definition.variable.name.value not in variables
    ]
    if missing:
        # No values to run it with: it must at least be valid against the live schema.
        return [error.message for error in graphql.validate(lane.schema(), parsed)]
    response = httpx.post(
        f"{lane.base}/graphql",
        json={"query": document, "variables": variables},
        headers=lane.server.headers,
        timeout=60,
    )
    reply = Reply(response.status_code, dict(response.headers), response.content, str(response.url))
    return check(reply, _read_answer(block))


@contextmanager
def _environment(values: dict[str, str]) -> Iterator[None]:
    saved = {name: os.environ.get(name) for name in values}
    os.environ.update(values)
    try:
        yield
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


def run_python(lane: Lane, block: DocBlock) -> list[str]:
    code = DOC_HOST.sub(lane.base, block.fence.text)
    # Line numbers in a traceback are the document's.
    source = "\n" * (block.fence.first_line - 1) + code
    try:
        compiled = compile(source, block.path, "exec")
        # A client an example drops unclosed (`admin = httpx.Client(...)` twice) is not
        # the API's concern.
        with _environment(lane.vars), warnings.catch_warnings():
            warnings.simplefilter("ignore", ResourceWarning)
            try:
                exec(compiled, lane.namespace)
            finally:
                gc.collect()
    except Exception:
        return [traceback.format_exc(limit=-4)]
    return []


# The tests


@pytest.mark.parametrize("block", BLOCKS, ids=[block.id for block in BLOCKS])
@pytest.mark.parametrize("backend", BACKENDS)
def test_doc_request(backend: str, block: DocBlock, doc_runs: DocRuns) -> None:
    if block.problem is not None:
        pytest.fail(f"{block.id}: {block.problem}", pytrace=False)
    if block.skip is not None:
        pytest.skip(f"{block.id}: not run: {block.skip}")
    problems = doc_runs.run(backend, block)
    if problems:
        pytest.fail(f"{block.id} ({block.kind}):\n" + "\n".join(problems), pytrace=False)


def test_the_docs_show_requests() -> None:
    """The reader finds what the docs hold (if it found nothing, nothing would fail)."""
    kinds = {block.kind for block in BLOCKS if block.runs}
    assert kinds == {"shell", "http", "graphql", "python"}, kinds
    assert len([block for block in BLOCKS if block.runs]) >= 20


def test_a_renamed_field_or_value_fails() -> None:
    documented = parse_sample(
        '{"data": [{"id": "prod_…", "price": {"amount": …, "currency": "USD"}}, …],'
        ' "has_more": true, "next_cursor": "…", "previous_cursor": null}'
    )
    real = {
        "data": [{"id": "prod_x", "price": {"amount": 5, "currency": "USD"}}, {"id": "prod_y"}],
        "has_more": False,
        "next_cursor": "abc",
        "previous_cursor": None,
    }
    assert compare(documented, real) == []
    renamed = {**real, "data": [{"id": "prod_x", "cost": {"amount": 5, "currency": "USD"}}]}
    assert compare(documented, renamed) == [
        "$.data[0].price: documented but missing (got ['cost', 'id'])"
    ]
    assert compare(documented, {**real, "next_cursor": None}) == [
        "$.next_cursor: documented a string, got None"
    ]
    assert compare(parse_sample('{"code": "CONFLICT"}'), {"code": "TAKEN"}) == [
        "$.code: documented 'CONFLICT', got 'TAKEN'"
    ]
    assert compare(parse_sample('["a"]'), ["a", "b"]) == ["$: documented 1 item(s), got 2"]


def test_blocks_run_unless_marked() -> None:
    text = "\n".join(
        [
            "```sh",
            "curl -s $BASE/v1/products  # 200",
            "```",
            "<!-- not run: an illustration -->",
            "```http",
            "GET /v1/nowhere",
            "```",
            "```",
            "curl -s $BASE/v1/orders",
            "```",
            "```sh",
            "./dev serve",
            "```",
            "```graphql",
            "{ products { nodes { id } } }",
            "```",
            "It answers:",
            "```json",
            '{"data": {"products": {"nodes": [{"id": "prod_…"}, …]}}}',
            "```",
        ]
    )
    found = {block.fence.line: block for block in blocks_of("x.md", text)}
    assert sorted(found) == [1, 5, 8, 14]
    assert found[1].runs
    assert found[1].commands[0].comments == ["200"]
    assert found[5].skip == "an illustration"
    assert found[8].problem is not None
    assert "untagged" in found[8].problem
    assert found[14].runs
    assert found[14].answer is not None
    assert found[14].answer.line == 18


def test_how_a_shell_block_documents_its_answers() -> None:
    text = "\n".join(
        [
            "```console",
            '$ curl -s "$BASE/v1/orders/$OTHER_ORDER" \\',
            '    -H "Authorization: Bearer $CUSTOMER_TOKEN"',
            '{"code": "NOT_FOUND",',
            ' "detail": "No order with id `ord_…`.", …}',
            "$ export KEY=sg_…",
            "$ QUERY='{ products(first: 1) {",
            "    nodes { id } } }'",
            "```",
        ]
    )
    (block,) = blocks_of("x.md", text)
    found, key, query = block.commands
    assert (found.start, found.end, found.request) == (0, 1, True)
    answer = parse_comment_answer(1, found.comments)
    assert answer is not None
    assert answer.expected_status is None
    assert compare(answer.body, {"code": "NOT_FOUND", "detail": "No order with id `ord_x`."}) == []
    reserved = frozenset({"KEY"})
    assert (key.assigns, key.runs(reserved)) == (["KEY"], False)
    assert (query.start, query.end, query.runs(reserved)) == (5, 6, True)
    prose = parse_comment_answer(1, ["this customer's orders only"])
    assert prose is None
    said = parse_comment_answer(1, ['401, WWW-Authenticate: Bearer realm="shopgraph"'])
    assert said is not None
    assert (said.status, said.headers) == (401, [("WWW-Authenticate", 'Bearer realm="shopgraph"')])
