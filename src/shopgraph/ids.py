"""Opaque, type-prefixed public ids (`prod_3xK9...`) for internal integer keys.

The integer key is scrambled by a fixed reversible permutation of 64-bit integers and
written in base62, so ids are stable and need no lookup table or extra column. The
permutation's constants are in this file, so an id hides its row number from a casual
look, not from anyone who reads this code: ids are opaque, not secret, and authorization
never relies on an id being hard to guess. (Keying the permutation per installation waits
for the entity registry, which gives ids a per-installation codec instead of this
module's constants: issue 10.)
"""

from __future__ import annotations

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
}
TYPE_BY_PREFIX: Final = {prefix: kind for kind, prefix in PREFIXES.items()}

_ALPHABET: Final = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
_INDEX: Final = {char: i for i, char in enumerate(_ALPHABET)}
_WIDTH: Final = 11  # 62**11 > 2**64
_MASK: Final = (1 << 64) - 1
_MULTIPLIER: Final = 0x9E3779B97F4A7C15  # odd, so invertible modulo 2**64
_INVERSE: Final = pow(_MULTIPLIER, -1, 1 << 64)
_XOR: Final = 0x5DEECE66DA3B9F21
_MAX_KEY: Final = (1 << 63) - 1


def encode(kind: str, key: int) -> str:
    """The public id of row `key` of type `kind` (a GraphQL type name, e.g. `Product`)."""
    value = ((key * _MULTIPLIER) & _MASK) ^ _XOR
    chars = []
    for _ in range(_WIDTH):
        value, digit = divmod(value, 62)
        chars.append(_ALPHABET[digit])
    return f"{PREFIXES[kind]}_{''.join(reversed(chars))}"


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
    key = ((value ^ _XOR) * _INVERSE) & _MASK
    if not 1 <= key <= _MAX_KEY:
        return None
    return kind, key


def decode(kind: str, public_id: str) -> int | None:
    """The key behind `public_id` if it is a well-formed id of type `kind`, else None."""
    decoded = decode_any(public_id)
    if decoded is None or decoded[0] != kind:
        return None
    return decoded[1]
