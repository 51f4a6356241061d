"""Public ids and cursors: round trips, and nothing else decodes."""

from __future__ import annotations

import base64
from datetime import UTC, datetime
from pathlib import Path

import httpx
import pytest
from hypothesis import given
from hypothesis import strategies as st

from shopgraph import ids
from shopgraph.db import installation
from shopgraph.db.engine import Database
from shopgraph.errors import ValidationFailed
from shopgraph.pagination import CursorCodec
from shopgraph.sort_keys import CUSTOMER_SORTS, ORDER_SORTS, PRODUCT_SORTS

from .conftest import TEST_ID_KEY
from .servers import serving

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


def test_a_cursor_is_bound_to_its_resource_and_unreadable() -> None:
    """Issue 9.12: a products cursor was accepted by orders and customers, and cursors were
    readable base64 carrying sort values such as a customer's email."""
    codec = CursorCodec("secret")
    created = datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC)
    cursor = codec.encode(PRODUCT_SORTS["created_at"], False, created, 7)
    with pytest.raises(ValidationFailed):
        codec.decode(cursor, ORDER_SORTS["created_at"], False, "after")
    assert codec.decode(cursor, PRODUCT_SORTS["created_at"], False, "after") == (created, 7)
    by_email = codec.encode(CUSTOMER_SORTS["email"], False, "jane.doe@example.com", 9)
    raw = base64.urlsafe_b64decode(by_email + "=" * (-len(by_email) % 4))
    assert b"jane" not in raw
    assert b"example" not in raw


async def test_a_foreign_cursor_is_refused_by_every_list(client: httpx.AsyncClient) -> None:
    products = (await client.get("/v1/products", params={"limit": 1})).json()
    cursor = products["next_cursor"]
    for path in ("/v1/orders", "/v1/customers", "/v1/categories"):
        response = await client.get(path, params={"starting_after": cursor})
        assert response.status_code == 422, (path, response.text)
        assert response.json()["errors"][0]["field"] == "starting_after"


def test_ids_are_keyed_per_installation_and_per_type() -> None:
    """Issue 9.13: the permutation was a public constant, so `cus_`, `key_` and
    `pay_GoVSUmvkI9U` were row 1 in every installation."""
    one, other = bytes(range(32)), bytes(range(1, 33))
    try:
        ids.configure(one)
        mine = {kind: ids.encode(kind, 1) for kind in ("Customer", "ApiKey", "Payment")}
        ids.configure(other)
        theirs = {kind: ids.encode(kind, 1) for kind in mine}
        assert ids.decode("Customer", mine["Customer"]) != 1  # another installation's id
    finally:
        ids.configure(bytes.fromhex(TEST_ID_KEY))
    assert mine != theirs
    bodies = {public.partition("_")[2] for public in mine.values()}
    assert len(bodies) == 3  # one row, three types: three unrelated bodies
    assert all(not public.endswith("GoVSUmvkI9U") for public in mine.values())


async def test_a_server_makes_ids_with_its_databases_own_key(tmp_path: Path) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path}/own.db"
    env = {"SHOPGRAPH_ID_KEY": ""}  # as a deployment runs: no key pinned
    with serving(url, env=env) as server:
        async with httpx.AsyncClient(base_url=server.base, headers=server.headers) as http:
            made = (await http.post("/v1/categories", json={"name": "Keyed"})).json()
    database = Database(url)
    try:
        key = await installation.id_key(database)
    finally:
        await database.dispose()
    try:
        ids.configure(key)
        assert ids.decode("Category", made["id"]) == 1  # the first row of a new database
    finally:
        ids.configure(bytes.fromhex(TEST_ID_KEY))
    assert ids.decode("Category", made["id"]) != 1  # another key reads another row
