"""Opaque, type-prefixed public ids (`prod_3xK9...`) for internal integer keys.

The integer key goes through a keyed permutation of 64-bit integers and is written in
base62, so ids are stable and need no lookup table or extra column, yet reveal neither
the key nor how many rows exist: the permutation is a four-round Feistel network whose
round function is BLAKE2b keyed with the installation's own id key (made once, at the
first migration, and kept in the database: `installation.id_key`), with the id's type in
every round, so `cus_…` and `key_…` of one row look unrelated. Ids are opaque, not secret:
authorization never relies on an id being hard to guess.

Every process configures the key once at start-up (`configure`); encoding before that is
a bug, and raises rather than fall back to a published key.
"""

from __future__ import annotations

import hashlib
from functools import lru_cache
from typing import Final

PREFIXES: Final = {
    "Category": "cat",
    "Product": "prod",
    "Customer": "cus",
    "Order": "ord",
    "Payment": "pay",
    "Refund": "re",
    "InventoryMovement": "mov",
    "ApiKey": "key",
    "AuditEvent": "evt",
    "Event": "event",  # a webhook event (`evt` was taken by the audit trail first)
    "WebhookEndpoint": "we",
    "WebhookAttempt": "wa",
}
TYPE_BY_PREFIX: Final = {prefix: kind for kind, prefix in PREFIXES.items()}

_ALPHABET: Final = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
_INDEX: Final = {char: i for i, char in enumerate(_ALPHABET)}
_WIDTH: Final = 11  # 62**11 > 2**64
_HALF: Final = (1 << 32) - 1
_MASK: Final = (1 << 64) - 1
_MAX_KEY: Final = (1 << 63) - 1
_ROUNDS: Final = 4

_key: bytes | None = None


class NotConfigured(RuntimeError):
    """Public ids were needed before the process configured its installation's id key."""


def configure(key: bytes) -> None:
    """Use the installation's id key (16 to 64 bytes) from now on, in this process."""
    global _key
    if not 16 <= len(key) <= 64:
        raise ValueError("an id key has 16 to 64 bytes")
    _key = key
    encode.cache_clear()
    decode_any.cache_clear()


def _round(kind: str, half: int, step: int) -> int:
    if _key is None:
        raise NotConfigured("public ids need the installation's id key: call ids.configure")
    data = half.to_bytes(4, "little") + bytes((step,)) + kind.encode()
    return int.from_bytes(hashlib.blake2b(data, key=_key, digest_size=4).digest(), "little")


def _permute(kind: str, value: int) -> int:
    left, right = value >> 32, value & _HALF
    for step in range(_ROUNDS):
        left, right = right, left ^ _round(kind, right, step)
    return (left << 32) | right


def _unpermute(kind: str, value: int) -> int:
    left, right = value >> 32, value & _HALF
    for step in reversed(range(_ROUNDS)):
        left, right = right ^ _round(kind, left, step), left
    return (left << 32) | right


@lru_cache(maxsize=65536)
def encode(kind: str, key: int) -> str:
    """The public id of row `key` of type `kind` (a GraphQL type name, e.g. `Product`)."""
    value = _permute(kind, key)
    chars = []
    for _ in range(_WIDTH):
        value, digit = divmod(value, 62)
        chars.append(_ALPHABET[digit])
    return f"{PREFIXES[kind]}_{''.join(reversed(chars))}"


@lru_cache(maxsize=65536)
def decode_any(public_id: str) -> tuple[str, int] | None:
    """(type name, key) for a well-formed id of any type, or None for anything else."""
    prefix, sep, body = public_id.partition("_")
    kind = TYPE_BY_PREFIX.get(prefix)
    if not sep or kind is None or len(body) != _WIDTH:
        return None
    value = 0
    for char in body:
        digit = _INDEX.get(char)
        if digit is None:
            return None
        value = value * 62 + digit
    if value > _MASK:
        return None
    key = _unpermute(kind, value)
    if not 1 <= key <= _MAX_KEY:
        return None
    return kind, key


def decode(kind: str, public_id: str) -> int | None:
    """The key behind `public_id` if it is a well-formed id of type `kind`, else None."""
    decoded = decode_any(public_id)
    if decoded is None or decoded[0] != kind:
        return None
    return decoded[1]
