"""api_version on API keys and webhook endpoints: the dated REST version each is pinned to

Rows that exist already were made under the contract of the first dated version, so they
are pinned to it; new ones get the version current when they are made.

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-06 02:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0012"
down_revision: str | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

FIRST = "2026-12-01"  # versioning.FIRST, written out: a migration never changes


def upgrade() -> None:
    for table in ("api_keys", "webhook_endpoints"):
        with op.batch_alter_table(table) as batch:
            batch.add_column(
                sa.Column("api_version", sa.String(length=10), nullable=False, server_default=FIRST)
            )


def downgrade() -> None:
    for table in ("api_keys", "webhook_endpoints"):
        with op.batch_alter_table(table) as batch:
            batch.drop_column("api_version")
