"""persisted_operations: GraphQL documents by SHA-256, for APQ and the allow-list

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-08 10:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0011"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

WHEN = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "persisted_operations",
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("document", sa.Text(), nullable=False),
        sa.Column("operation_name", sa.String(length=200), nullable=True),
        sa.Column("registered", sa.Boolean(), nullable=False),
        sa.Column("source", sa.String(length=500), nullable=True),
        sa.Column("created_at", WHEN, nullable=False),
        sa.Column("registered_at", WHEN, nullable=True),
        sa.PrimaryKeyConstraint("sha256", name=op.f("pk_persisted_operations")),
    )
    op.create_index(
        "ix_persisted_operations_registered_created_at",
        "persisted_operations",
        ["registered", "created_at"],
    )


def downgrade() -> None:
    op.drop_table("persisted_operations")
