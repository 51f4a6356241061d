"""leases on idempotency keys, provider keys on payments and refunds, sandbox calls,
keys never reused on SQLite

Idempotency keys stored before this revision hold answers in a per-surface format and a
per-surface scope; they are dropped (they live 24 hours at most). SQLite tables are
rebuilt with AUTOINCREMENT, so a deleted row's key is never given to a new row.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-01 20:17:04.023105
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

KEY = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
TIMESTAMP = sa.DateTime(timezone=True)
# Every table keyed by `id`, parents before children.
KEYED_TABLES = (
    "categories",
    "products",
    "customers",
    "orders",
    "order_lines",
    "inventory_movements",
    "payments",
    "refunds",
    "idempotency_keys",
    "api_keys",
    "refresh_tokens",
    "audit_events",
)


def upgrade() -> None:
    op.execute("DELETE FROM idempotency_keys")
    op.create_table(
        "sandbox_calls",
        sa.Column("id", KEY, nullable=False),
        sa.Column("key", sa.String(length=200), nullable=False),
        sa.Column("operation", sa.String(length=16), nullable=False),
        sa.Column("amount", sa.BigInteger(), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("source", sa.String(length=100), nullable=True),
        sa.Column("capture", sa.Boolean(), nullable=True),
        sa.Column("target", sa.String(length=128), nullable=True),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("outcome", sa.String(length=16), nullable=True),
        sa.Column("decline_code", sa.String(length=64), nullable=True),
        sa.Column("reference", sa.String(length=128), nullable=True),
        sa.Column("created_at", TIMESTAMP, nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sandbox_calls")),
        sa.UniqueConstraint("key", name=op.f("uq_sandbox_calls_key")),
        sqlite_autoincrement=True,
    )
    with op.batch_alter_table("sandbox_calls", schema=None) as batch_op:
        batch_op.create_index("ix_sandbox_calls_target", ["target"], unique=False)

    with op.batch_alter_table("idempotency_keys", schema=None) as batch_op:
        batch_op.add_column(sa.Column("lease_token", sa.String(length=32), nullable=True))
        batch_op.add_column(sa.Column("lease_expires_at", TIMESTAMP, nullable=True))
        batch_op.add_column(sa.Column("recovery_point", sa.String(length=64), nullable=True))

    with op.batch_alter_table("payments", schema=None) as batch_op:
        batch_op.add_column(sa.Column("provider_key", sa.String(length=200), nullable=True))
        batch_op.add_column(sa.Column("lease_expires_at", TIMESTAMP, nullable=True))
        batch_op.add_column(
            sa.Column("capture", sa.Boolean(), nullable=False, server_default=sa.true())
        )
        batch_op.create_index(
            "ix_payments_status_lease_expires_at", ["status", "lease_expires_at"], unique=False
        )
        batch_op.create_unique_constraint(batch_op.f("uq_payments_provider_key"), ["provider_key"])

    with op.batch_alter_table("refunds", schema=None) as batch_op:
        batch_op.add_column(sa.Column("provider_key", sa.String(length=200), nullable=True))
        batch_op.add_column(sa.Column("lease_expires_at", TIMESTAMP, nullable=True))
        batch_op.create_index(
            "ix_refunds_status_lease_expires_at", ["status", "lease_expires_at"], unique=False
        )
        batch_op.create_unique_constraint(batch_op.f("uq_refunds_provider_key"), ["provider_key"])

    if op.get_bind().dialect.name == "sqlite":
        for table in KEYED_TABLES:
            with op.batch_alter_table(
                table, recreate="always", table_kwargs={"sqlite_autoincrement": True}
            ):
                pass


def downgrade() -> None:
    with op.batch_alter_table("refunds", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("uq_refunds_provider_key"), type_="unique")
        batch_op.drop_index("ix_refunds_status_lease_expires_at")
        batch_op.drop_column("lease_expires_at")
        batch_op.drop_column("provider_key")

    with op.batch_alter_table("payments", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("uq_payments_provider_key"), type_="unique")
        batch_op.drop_index("ix_payments_status_lease_expires_at")
        batch_op.drop_column("capture")
        batch_op.drop_column("lease_expires_at")
        batch_op.drop_column("provider_key")

    with op.batch_alter_table("idempotency_keys", schema=None) as batch_op:
        batch_op.drop_column("recovery_point")
        batch_op.drop_column("lease_expires_at")
        batch_op.drop_column("lease_token")

    with op.batch_alter_table("sandbox_calls", schema=None) as batch_op:
        batch_op.drop_index("ix_sandbox_calls_target")

    op.drop_table("sandbox_calls")
