"""What the docs say a request answers: any of a status, headers, a body.

A document shows it in one of two ways (docs/api.md, "Examples that run"): by a comment
after a curl command (`# 404 {"code": …}`), or by a `json` (or `http` response) block right
after the request block. Both read into one `Answer`, so the test checks them alike. The
body is documented JSON, read by tests/doc_samples.py.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from .doc_blocks import HEADER_LINE, STATUS_LINE, Fence
from .doc_samples import SampleError, parse_sample


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
