"""indexes for the sales reports

A product's sales read its lines by product with what they sum (quantity, line total,
currency) and the order to check: one index answers that without the table. Refunds in a
period are found by status and time.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-05 20:50:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index(
        "ix_order_lines_product_id_sales",
        "order_lines",
        ["product_id", "order_id", "quantity", "line_total_amount", "currency"],
    )
    op.drop_index("ix_order_lines_product_id", table_name="order_lines")
    op.create_index("ix_refunds_status_created_at", "refunds", ["status", "created_at"])


def downgrade() -> None:
    op.drop_index("ix_refunds_status_created_at", table_name="refunds")
    op.create_index("ix_order_lines_product_id", "order_lines", ["product_id"])
    op.drop_index("ix_order_lines_product_id_sales", table_name="order_lines")
