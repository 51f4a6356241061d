"""Signing secrets and signatures, to the Standard Webhooks specification.

A secret is `whsec_` and the base64 of 24 random bytes, shown to its owner once. The
database holds it encrypted (Fernet, with a key derived from the server's secret key), so a
copy of the database alone cannot sign for this server. Each delivery carries
`webhook-id`, `webhook-timestamp` and `webhook-signature`; during a rotation's overlap the
signature header holds one `v1,` signature per secret, and receivers accept any that verifies.
"""

from __future__ import annotations

import base64
import hashlib
import secrets
from collections.abc import Sequence
from datetime import datetime
from functools import cache

from cryptography.fernet import Fernet
from standardwebhooks import Webhook

PREFIX = "whsec_"


def new_secret() -> str:
    return PREFIX + base64.b64encode(secrets.token_bytes(24)).decode()


@cache
def _fernet(server_key: str) -> Fernet:
    digest = hashlib.sha256(b"shopgraph-webhook-secrets:" + server_key.encode()).digest()
    return Fernet(base64.urlsafe_b64encode(digest))


def seal(secret: str, server_key: str) -> str:
    """The secret as stored."""
    return _fernet(server_key).encrypt(secret.encode()).decode()


def unseal(stored: str, server_key: str) -> str:
    return _fernet(server_key).decrypt(stored.encode()).decode()


def headers(
    message_id: str, sent_at: datetime, body: bytes, signing: Sequence[str]
) -> dict[str, str]:
    """The Standard Webhooks headers of one delivery, signed with every secret in `signing`."""
    signatures = " ".join(Webhook(secret).sign(message_id, sent_at, body) for secret in signing)
    return {
        "webhook-id": message_id,
        "webhook-timestamp": str(int(sent_at.timestamp())),
        "webhook-signature": signatures,
    }
