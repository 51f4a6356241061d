"""deprecation_usage: uses of deprecated versions and fields, per day, consumer and subject

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-06 02:10:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0013"
down_revision: str | None = "0012"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

WHEN = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "deprecation_usage",
        sa.Column("day", sa.String(length=10), nullable=False),
        sa.Column("consumer_kind", sa.String(length=32), nullable=False),
        sa.Column("consumer_id", sa.String(length=64), nullable=False),
        sa.Column("subject", sa.String(length=200), nullable=False),
        sa.Column("count", sa.BigInteger(), nullable=False),
        sa.Column("first_seen", WHEN, nullable=False),
        sa.Column("last_seen", WHEN, nullable=False),
        sa.PrimaryKeyConstraint("day", "consumer_kind", "consumer_id", "subject"),
    )


def downgrade() -> None:
    op.drop_table("deprecation_usage")
