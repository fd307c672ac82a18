"""the group's priorities for an EST period (quarter or tertial), with their versions

Revision ID: 0023
Revises: 0018
Create Date: 2026-12-07 14:20:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel.sql.sqltypes
from alembic import op

import storage.types

revision: str = "0023"
down_revision: str | None = "0018"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _string(length: int) -> sqlmodel.sql.sqltypes.AutoString:
    return sqlmodel.sql.sqltypes.AutoString(length=length)


def upgrade() -> None:
    op.create_table(
        "period_priority",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("group_id", sa.Integer(), nullable=False),
        sa.Column("period", _string(16), nullable=False),
        sa.Column("first_day", sa.Date(), nullable=False),
        sa.Column("last_day", sa.Date(), nullable=False),
        sa.Column("based_on", _string(16), nullable=False),
        sa.Column("status", _string(16), nullable=False),
        sa.Column("items", sa.JSON(), nullable=False),
        sa.Column("meeting_id", sa.Integer(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_by", _string(32), nullable=False),
        sa.Column("updated_by", _string(32), nullable=False),
        sa.Column("created_at", storage.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", storage.types.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["group_id"], ["est_group.id"]),
        sa.ForeignKeyConstraint(["meeting_id"], ["meeting.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("period_priority", schema=None) as batch_op:
        batch_op.create_index(
            "ix_period_priority_group_days", ["group_id", "first_day", "last_day"], unique=False
        )
    op.create_table(
        "period_priority_version",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("priority_id", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("content", sa.JSON(), nullable=False),
        sa.Column("changed_by", _string(32), nullable=False),
        sa.Column("changed_at", storage.types.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["priority_id"], ["period_priority.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("priority_id", "version"),
    )
    with op.batch_alter_table("period_priority_version", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_period_priority_version_priority_id"), ["priority_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("period_priority_version", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_period_priority_version_priority_id"))
    op.drop_table("period_priority_version")
    with op.batch_alter_table("period_priority", schema=None) as batch_op:
        batch_op.drop_index("ix_period_priority_group_days")
    op.drop_table("period_priority")
