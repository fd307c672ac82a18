"""weekly summary: stored per group and week, and when each group's is posted

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-22 12:30:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel.sql.sqltypes
from alembic import op

import storage.types

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "weekly_summary",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("group_id", sa.Integer(), nullable=False),
        sa.Column("iso_year", sa.Integer(), nullable=False),
        sa.Column("iso_week", sa.Integer(), nullable=False),
        sa.Column("content", sa.JSON(), nullable=False),
        sa.Column("created_by", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
        sa.Column("created_at", storage.types.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["group_id"], ["est_group.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("group_id", "iso_year", "iso_week"),
    )
    with op.batch_alter_table("est_group", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("summary_weekday", sa.Integer(), nullable=False, server_default="0")
        )
        batch_op.add_column(
            sa.Column(
                "summary_time",
                sqlmodel.sql.sqltypes.AutoString(length=5),
                nullable=False,
                server_default="08:00",
            )
        )


def downgrade() -> None:
    with op.batch_alter_table("est_group", schema=None) as batch_op:
        batch_op.drop_column("summary_time")
        batch_op.drop_column("summary_weekday")
    op.drop_table("weekly_summary")
