"""the installation: a random key for public ids, made once per database

Public ids were a fixed, published permutation of row keys; from this revision they are
keyed per installation (see ids.py). The key is made here, at random, so every process
using this database encodes alike. Ids issued before this revision change.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-01 22:10:00
"""

import secrets
from collections.abc import Sequence
from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    installation = op.create_table(
        "installation",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("id_key", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("id = 1", name=op.f("ck_installation_one_row")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_installation")),
    )
    op.bulk_insert(
        installation,
        [{"id": 1, "id_key": secrets.token_hex(32), "created_at": datetime.now(UTC)}],
    )


def downgrade() -> None:
    op.drop_table("installation")
