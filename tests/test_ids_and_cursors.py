"""Public ids and cursors: round trips, and nothing else decodes."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from shopgraph import ids
from shopgraph.errors import ValidationFailed
from shopgraph.pagination import CursorCodec
from shopgraph.sort_keys import ORDER_SORTS, PRODUCT_SORTS

KINDS = st.sampled_from(sorted(ids.PREFIXES))


@given(KINDS, st.integers(min_value=1, max_value=2**63 - 1))
def test_ids_round_trip_and_carry_their_type(kind: str, key: int) -> None:
    public = ids.encode(kind, key)
    assert public.startswith(ids.PREFIXES[kind] + "_")
    assert ids.decode(kind, public) == key
    for other in ids.PREFIXES:
        if other != kind:
            assert ids.decode(other, public) is None


@given(st.text(max_size=40))
def test_arbitrary_text_never_crashes_decoding(text: str) -> None:
    decoded = ids.decode_any(text)
    if decoded is not None:
        assert ids.encode(*decoded) == text


def test_ids_do_not_reveal_order() -> None:
    consecutive = [ids.encode("Order", key) for key in range(1, 6)]
    assert consecutive != sorted(consecutive)


@given(st.integers(min_value=-(2**53), max_value=2**53), st.integers(min_value=1, max_value=2**62))
def test_cursors_round_trip(value: int, pk: int) -> None:
    codec = CursorCodec("secret")
    sort = PRODUCT_SORTS["price"]
    assert codec.decode(codec.encode(sort, True, value, pk), sort, True, "after") == (value, pk)


def test_datetime_cursor_round_trip() -> None:
    codec = CursorCodec("secret")
    sort = ORDER_SORTS["created_at"]
    moment = datetime(2026, 11, 22, 1, 2, 3, 456789, tzinfo=UTC)
    assert codec.decode(codec.encode(sort, False, moment, 7), sort, False, "after") == (moment, 7)


def test_cursor_from_another_secret_sort_or_direction_is_refused() -> None:
    sort = PRODUCT_SORTS["name"]
    cursor = CursorCodec("one").encode(sort, False, "Mug", 3)
    with pytest.raises(ValidationFailed):
        CursorCodec("two").decode(cursor, sort, False, "after")
    with pytest.raises(ValidationFailed):
        CursorCodec("one").decode(cursor, PRODUCT_SORTS["sku"], False, "after")
    with pytest.raises(ValidationFailed):
        CursorCodec("one").decode(cursor, sort, True, "after")


@given(st.text(max_size=80))
def test_garbage_cursors_are_validation_errors(text: str) -> None:
    sort = PRODUCT_SORTS["name"]
    with pytest.raises(ValidationFailed) as raised:
        CursorCodec("secret").decode(text, sort, False, "starting_after")
    assert raised.value.errors[0].field == "starting_after"
