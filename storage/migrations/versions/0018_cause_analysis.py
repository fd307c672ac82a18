"""cause analyses (orsaksanalys) with their versions; actions and activities tied to one

Revision ID: 0018
Revises: 0013
Create Date: 2026-12-06 23:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel.sql.sqltypes
from alembic import op

import storage.types

revision: str = "0018"
down_revision: str | None = "0013"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_TEXTS = (
    ("category", 100),
    ("description", 3000),
    ("persistence", 16),
    ("days", 200),
    ("hours", 200),
    ("season", 200),
    ("place_side", 3000),
    ("target_side", 3000),
    ("offender_side", 3000),
    ("place_manager", 1000),
    ("guardians", 1000),
    ("handlers", 1000),
    ("why_here_now", 3000),
)


def _string(length: int) -> sqlmodel.sql.sqltypes.AutoString:
    return sqlmodel.sql.sqltypes.AutoString(length=length)


def upgrade() -> None:
    op.create_table(
        "cause_analysis",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("group_id", sa.Integer(), nullable=False),
        sa.Column("place_id", sa.Integer(), nullable=False),
        *(sa.Column(name, _string(length), nullable=False) for name, length in _TEXTS),
        sa.Column("sources", sa.JSON(), nullable=False),
        sa.Column("status", _string(16), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_by", _string(32), nullable=False),
        sa.Column("updated_by", _string(32), nullable=False),
        sa.Column("created_at", storage.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", storage.types.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["group_id"], ["est_group.id"]),
        sa.ForeignKeyConstraint(["place_id"], ["place.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("cause_analysis", schema=None) as batch_op:
        batch_op.create_index(
            "ix_cause_analysis_group_place", ["group_id", "place_id"], unique=False
        )
    op.create_table(
        "cause_analysis_version",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("analysis_id", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("content", sa.JSON(), nullable=False),
        sa.Column("changed_by", _string(32), nullable=False),
        sa.Column("changed_at", storage.types.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["analysis_id"], ["cause_analysis.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("analysis_id", "version"),
    )
    with op.batch_alter_table("cause_analysis_version", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_cause_analysis_version_analysis_id"), ["analysis_id"], unique=False
        )
    for table in ("est_action", "activity"):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(sa.Column("analysis_id", sa.Integer(), nullable=True))
            batch_op.create_foreign_key(
                f"fk_{table}_analysis_id", "cause_analysis", ["analysis_id"], ["id"]
            )


def downgrade() -> None:
    for table in ("activity", "est_action"):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_constraint(f"fk_{table}_analysis_id", type_="foreignkey")
            batch_op.drop_column("analysis_id")
    with op.batch_alter_table("cause_analysis_version", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_cause_analysis_version_analysis_id"))
    op.drop_table("cause_analysis_version")
    with op.batch_alter_table("cause_analysis", schema=None) as batch_op:
        batch_op.drop_index("ix_cause_analysis_group_place")
    op.drop_table("cause_analysis")
