"""Documented JSON ("samples"), and whether a real answer agrees with one.

The docs show answers as JSON in which `…` elides (docs/api.md, "Examples that run"): a
value (`"id": "ord_…"`, `"number": …`), members of an object, items of a list. Such JSON is
not JSON to `json.loads`, so it has a reader of its own here. A document may leave out
what varies or does not matter, but what it shows must hold: the answer must have every
documented key, with a value of the same type; strings are compared exactly unless they
hold `…` or are ids, times, tokens.

This module knows JSON only; tests/doc_blocks.py and tests/doc_answers.py read the Markdown.
"""

from __future__ import annotations

import json
import re
from typing import Any, Final

ELLIPSIS_CHAR: Final = "…"


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
