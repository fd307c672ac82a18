"""the outbox's sends by result for /metrics; its pending rows in id order for the claim

Revision ID: 0026
Revises: 0025
Create Date: 2026-12-07 14:30:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0026"
down_revision: str | None = "0025"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

RESULTS = ("ok", "429", "error")


def upgrade() -> None:
    table = op.create_table(
        "delivery_count",
        sa.Column("result", sa.String(length=16), nullable=False),
        sa.Column("total", sa.BigInteger(), nullable=False, server_default="0"),
        sa.PrimaryKeyConstraint("result"),
    )
    op.bulk_insert(table, [{"result": r, "total": 0} for r in RESULTS])
    with op.batch_alter_table("outbox", schema=None) as batch_op:
        batch_op.create_index(
            "ix_outbox_pending_id",
            ["id"],
            unique=False,
            sqlite_where=sa.text("status = 'pending'"),
            postgresql_where=sa.text("status = 'pending'"),
        )


def downgrade() -> None:
    with op.batch_alter_table("outbox", schema=None) as batch_op:
        batch_op.drop_index(
            "ix_outbox_pending_id",
            sqlite_where=sa.text("status = 'pending'"),
            postgresql_where=sa.text("status = 'pending'"),
        )
    op.drop_table("delivery_count")
