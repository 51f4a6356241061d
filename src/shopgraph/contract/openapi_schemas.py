"""JSON Schema against JSON Schema, as OpenAPI uses it, for requests and for responses.

One difference means opposite things on the two sides of a call. A request schema says
what the server accepts: it may widen (accept more) safely, and narrowing it refuses what
clients were told they could send. A response schema says what clients may receive: it may
narrow safely, and widening it (a field that may now be null or absent, another type, a new
enum value) hands clients what they were told they would never get. Everything below is
that one rule, applied to one keyword at a time.

Two judgements are this project's, not the rule's: a value removed from a response enum
is breaking (clients branch on those values, and the things that carried it now carry
another, silently), and a value added to one is dangerous (graphql-core's verdict for
GraphQL enums, so both surfaces agree).

A named schema (`#/components/schemas/Product`) is compared once per direction and its
changes are placed on it (`Product.sku`), not on each of the routes that use it; the
routes are named in the description instead.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Collection, Iterable
from dataclasses import replace
from typing import Literal, NamedTuple

from .change import Change, Severity
from .json_schema import (
    Json,
    alternatives,
    canonical,
    covers,
    enum_values,
    has_own_kind,
    kind_of,
    ref_name,
    resolve,
)

Direction = Literal["request", "response"]

LOWER_BOUNDS = ("minimum", "exclusiveMinimum", "minLength", "minItems", "minProperties")
UPPER_BOUNDS = ("maximum", "exclusiveMaximum", "maxLength", "maxItems", "maxProperties")
# Keywords that only constrain further; a change to one cannot be judged precisely, so in a
# request adding one is narrowing, changing one is dangerous, and in a response none matters.
CONSTRAINTS = (
    "pattern",
    "not",
    "allOf",
    "if",
    "then",
    "else",
    "multipleOf",
    "uniqueItems",
    "contains",
    "propertyNames",
    "dependentRequired",
    "dependentSchemas",
)
NAMED_USES_SHOWN = 3


class Place(NamedTuple):
    """Where a schema sits: an anchor (a route, or a named schema) and a path below it."""

    anchor: str
    path: str = ""

    def child(self, step: str) -> Place:
        return Place(self.anchor, self.path + step)

    def __str__(self) -> str:
        return self.anchor + self.path


class SchemaComparison:
    """Compares schemas of one pair of documents, collecting the changes."""

    def __init__(self, old_doc: Json, new_doc: Json) -> None:
        self.old_doc = old_doc
        self.new_doc = new_doc
        self._found: list[tuple[str, Change]] = []
        self._refers: defaultdict[str, set[str]] = defaultdict(set)  # anchor -> named schemas
        self._compared: set[tuple[str, Direction]] = set()
        self._following: set[tuple[str, str, Direction]] = set()  # pairs being compared

    def changes(self, operations: Collection[str]) -> list[Change]:
        """The changes found; those on a named schema say which of `operations` use it."""
        return [
            change if anchor in operations else self._with_uses(change, anchor, operations)
            for anchor, change in self._found
        ]

    def compare(self, old: Json, new: Json, place: Place, direction: Direction) -> None:
        old_name, new_name = ref_name(old), ref_name(new)
        if old_name is not None and old_name == new_name:
            self._refers[place.anchor].add(old_name)
            if (old_name, direction) not in self._compared:
                self._compared.add((old_name, direction))
                self.compare(
                    resolve(self.old_doc, old),
                    resolve(self.new_doc, new),
                    Place(old_name),
                    direction,
                )
            return
        if old_name is None and new_name is None:
            self._compare_union(old, new, place, direction)
            return
        # Renamed, or inlined: compare the content, once per pair on the way down (a
        # schema may contain itself).
        following = (old_name or "", new_name or "", direction)
        if following in self._following:
            return
        self._following.add(following)
        try:
            old_schema, new_schema = resolve(self.old_doc, old), resolve(self.new_doc, new)
            self._compare_union(old_schema, new_schema, place, direction)
        finally:
            self._following.discard(following)

    def _compare_union(self, old: Json, new: Json, place: Place, direction: Direction) -> None:
        old_by_kind = self._by_kind(old, self.old_doc)
        new_by_kind = self._by_kind(new, self.new_doc)
        lost = [kind for kind in old_by_kind if not covers(new_by_kind, kind)]
        gained = [kind for kind in new_by_kind if not covers(old_by_kind, kind)]
        if lost and gained:
            self._add(
                place,
                "TYPE_CHANGED",
                Severity.BREAKING,
                f"{_noun(place, direction)} changed type from {_kinds(old_by_kind)} "
                f"to {_kinds(new_by_kind)}.",
            )
        else:
            for kind in lost:
                self._add(
                    place,
                    "TYPE_NARROWED",
                    _narrowing(direction),
                    f"{_noun(place, direction)} is no longer {_a(kind)}.",
                )
            for kind in gained:
                self._add(
                    place,
                    "TYPE_WIDENED",
                    _widening(direction, Severity.BREAKING),
                    f"{_noun(place, direction)} may now be {_a(kind)}.",
                )
        for kind, old_schema in old_by_kind.items():
            new_schema = new_by_kind.get(kind)
            if new_schema is None and kind == "integer":
                new_schema = new_by_kind.get("number")
            if new_schema is None:
                continue
            if "$ref" in old_schema or "$ref" in new_schema:
                self.compare(old_schema, new_schema, place, direction)
            else:
                self._compare_one(old_schema, new_schema, place, direction)

    def _compare_one(self, old: Json, new: Json, place: Place, direction: Direction) -> None:
        """Two schemas of the same kind: their values, bounds, properties and items."""
        if new.get("deprecated") and not old.get("deprecated"):
            self._add(
                place, "DEPRECATED", Severity.SAFE, f"{_noun(place, direction)} is deprecated."
            )
        self._compare_enum(old, new, place, direction)
        self._compare_bounds(old, new, place, direction)
        if direction == "request":
            self._compare_constraints(old, new, place)
            self._compare_default(old, new, place)
        self._compare_format(old, new, place, direction)
        self._compare_properties(old, new, place, direction)
        old_items, new_items = old.get("items"), new.get("items")
        if isinstance(old_items, dict) and isinstance(new_items, dict):
            self.compare(old_items, new_items, place.child("[]"), direction)
        old_extra, new_extra = old.get("additionalProperties"), new.get("additionalProperties")
        if isinstance(old_extra, dict) and isinstance(new_extra, dict):
            self.compare(old_extra, new_extra, place.child(".*"), direction)

    def _compare_enum(self, old: Json, new: Json, place: Place, direction: Direction) -> None:
        old_values, new_values = enum_values(old), enum_values(new)
        noun = _noun(place, direction)
        if old_values is None:
            if new_values is not None:
                self._add(
                    place,
                    "ENUM_NARROWED",
                    _narrowing(direction),
                    f"{noun} is now limited to {_values(new_values)}.",
                )
        elif new_values is None:
            self._add(
                place,
                "ENUM_WIDENED",
                _widening(direction, Severity.DANGEROUS),
                f"{noun} is no longer limited to {_values(old_values)}.",
            )
        else:
            for value in old_values.keys() - new_values.keys():
                self._add(
                    place,
                    "ENUM_VALUE_REMOVED",
                    Severity.BREAKING,
                    f"{noun} can no longer be {old_values[value]}.",
                )
            for value in new_values.keys() - old_values.keys():
                self._add(
                    place,
                    "ENUM_VALUE_ADDED",
                    _widening(direction, Severity.DANGEROUS),
                    f"{noun} may now be {new_values[value]}.",
                )

    def _compare_bounds(self, old: Json, new: Json, place: Place, direction: Direction) -> None:
        for keyword in LOWER_BOUNDS + UPPER_BOUNDS:
            before, after = old.get(keyword), new.get(keyword)
            if before == after:
                continue
            if after is None:
                narrowed = False
            elif before is None:
                narrowed = True
            else:
                narrowed = after > before if keyword in LOWER_BOUNDS else after < before
            self._add(
                place,
                "BOUND_NARROWED" if narrowed else "BOUND_WIDENED",
                _narrowing(direction) if narrowed else _widening(direction, Severity.DANGEROUS),
                f"{_noun(place, direction)}: {keyword} changed from {_show(before)} "
                f"to {_show(after)}.",
            )

    def _compare_constraints(self, old: Json, new: Json, place: Place) -> None:
        keywords: tuple[str, ...] = CONSTRAINTS
        if has_own_kind(old) and has_own_kind(new):  # beside a type, anyOf only constrains
            keywords += ("anyOf", "oneOf")
        for keyword in keywords:
            before, after = old.get(keyword), new.get(keyword)
            if canonical(before) == canonical(after):
                continue
            if before is None:
                kind, severity, verb = "CONSTRAINT_ADDED", Severity.BREAKING, "added"
            elif after is None:
                kind, severity, verb = "CONSTRAINT_REMOVED", Severity.SAFE, "removed"
            else:
                kind, severity, verb = "CONSTRAINT_CHANGED", Severity.DANGEROUS, "changed"
            self._add(place, kind, severity, f"{_noun(place, 'request')}: `{keyword}` was {verb}.")

    def _compare_default(self, old: Json, new: Json, place: Place) -> None:
        if "default" in old and canonical(old.get("default")) != canonical(new.get("default")):
            self._add(
                place,
                "DEFAULT_CHANGED",
                Severity.DANGEROUS,
                f"{_noun(place, 'request')}: the default changed from {_show(old['default'])} "
                f"to {_show(new.get('default'))}.",
            )

    def _compare_format(self, old: Json, new: Json, place: Place, direction: Direction) -> None:
        before, after = old.get("format"), new.get("format")
        if before == after:
            return
        if before is None:  # a format added constrains a request and informs a response
            severity = _narrowing(direction)
        elif after is None:
            severity = _widening(direction, Severity.BREAKING)
        else:
            severity = Severity.BREAKING
        self._add(
            place,
            "FORMAT_CHANGED",
            severity,
            f"{_noun(place, direction)}: format changed from {_show(before)} to {_show(after)}.",
        )

    def _compare_properties(self, old: Json, new: Json, place: Place, direction: Direction) -> None:
        old_props: Json = old.get("properties") or {}
        new_props: Json = new.get("properties") or {}
        old_required = set(old.get("required") or ())
        new_required = set(new.get("required") or ())
        removed = [name for name in old_props if name not in new_props]
        added = [name for name in new_props if name not in old_props]
        renamed = len(removed) == len(added) == 1
        noun = "Request field" if direction == "request" else "Response field"
        for name in removed:
            field = place.child(f".{name}")
            if renamed:
                what = (
                    f"{noun} {field} was renamed to {added[0]} (or removed, and {added[0]} added)"
                )
            else:
                what = f"{noun} {field} was removed"
            if direction == "request":
                refused = new.get("additionalProperties") is False
                what += ": requests that send it are " + ("refused." if refused else "misread.")
            else:
                what += ": clients that read it find nothing."
            kind = "FIELD_RENAMED" if renamed else "FIELD_REMOVED"
            self._add(field, kind, Severity.BREAKING, what)
        for name in [] if renamed else added:
            field = place.child(f".{name}")
            if direction == "request" and name in new_required:
                self._add(
                    field,
                    "REQUIRED_FIELD_ADDED",
                    Severity.BREAKING,
                    f"A required request field {field} was added.",
                )
            else:
                optional = "n optional" if direction == "request" else ""
                self._add(
                    field,
                    "FIELD_ADDED",
                    Severity.SAFE,
                    f"A{optional} {noun.lower()} {field} was added.",
                )
        for name in old_props.keys() & new_props.keys():
            field = place.child(f".{name}")
            if name in new_required and name not in old_required:
                self._add(
                    field,
                    "FIELD_BECAME_REQUIRED",
                    _narrowing(direction),
                    f"{noun} {field} is now required.",
                )
            elif name in old_required and name not in new_required:
                self._add(
                    field,
                    "FIELD_BECAME_OPTIONAL",
                    _widening(direction, Severity.BREAKING),
                    f"{noun} {field} is no longer required"
                    + (": responses may leave it out." if direction == "response" else "."),
                )
            self.compare(old_props[name], new_props[name], field, direction)

    def _by_kind(self, schema: Json, doc: Json) -> dict[str, Json]:
        """The alternatives a schema allows, by JSON kind (`string`, `null`, ...)."""
        by_kind: dict[str, Json] = {}
        for alternative in alternatives(schema):
            by_kind.setdefault(kind_of(resolve(doc, alternative)), alternative)
        return by_kind

    def _add(self, place: Place, kind: str, severity: Severity, description: str) -> None:
        change = Change("rest", kind, str(place), description, severity)
        self._found.append((place.anchor, change))

    def _with_uses(self, change: Change, name: str, operations: Collection[str]) -> Change:
        users = sorted(_reaching(self._refers, name) & set(operations))
        if not users:
            return change
        shown = ", ".join(users[:NAMED_USES_SHOWN])
        more = len(users) - NAMED_USES_SHOWN
        if more > 0:
            shown += f" and {more} more"
        return replace(change, description=f"{change.description} (in {shown})")


def _reaching(refers: dict[str, set[str]], name: str) -> set[str]:
    """Every anchor that refers to the named schema `name`, directly or through others."""
    referred_by: defaultdict[str, set[str]] = defaultdict(set)
    for anchor, names in refers.items():
        for target in names:
            referred_by[target].add(anchor)
    seen: set[str] = set()
    todo = [name]
    while todo:
        for anchor in referred_by[todo.pop()]:
            if anchor not in seen:
                seen.add(anchor)
                todo.append(anchor)
    return seen


def _narrowing(direction: Direction) -> Severity:
    return Severity.BREAKING if direction == "request" else Severity.SAFE


def _widening(direction: Direction, in_response: Severity) -> Severity:
    return Severity.SAFE if direction == "request" else in_response


def _noun(place: Place, direction: Direction) -> str:
    return f"{'Request' if direction == 'request' else 'Response'} value {place}"


def _kinds(by_kind: Iterable[str]) -> str:
    return " or ".join(sorted(by_kind))


def _a(kind: str) -> str:
    return kind if kind in ("null", "any") else ("an " if kind[0] in "aeiou" else "a ") + kind


def _values(values: dict[str, str]) -> str:
    return ", ".join(sorted(values.values()))


def _show(value: object) -> str:
    return "none" if value is None else json.dumps(value)
