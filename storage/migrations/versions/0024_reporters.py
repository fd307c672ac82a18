"""reporters: personal reporting links for the web form, and the monthly feedback switch

Revision ID: 0024
Revises: 0023
Create Date: 2026-12-07 14:40:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel.sql.sqltypes
from alembic import op

import storage.types

revision: str = "0024"
down_revision: str | None = "0023"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _string(length: int) -> sqlmodel.sql.sqltypes.AutoString:
    return sqlmodel.sql.sqltypes.AutoString(length=length)


def upgrade() -> None:
    op.create_table(
        "reporter_link",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("group_id", sa.Integer(), nullable=False),
        sa.Column("name", _string(200), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column("token_hash", _string(64), nullable=False),
        sa.Column("form_key", _string(64), nullable=False),
        sa.Column("feedback", sa.Boolean(), nullable=False),
        sa.Column("created_by", _string(32), nullable=False),
        sa.Column("created_at", storage.types.UTCDateTime(), nullable=False),
        sa.Column("revoked_at", storage.types.UTCDateTime(), nullable=True),
        sa.Column("revoked_by", _string(32), nullable=True),
        sa.Column("window_start", storage.types.UTCDateTime(), nullable=True),
        sa.Column("window_hits", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["group_id"], ["est_group.id"]),
        sa.ForeignKeyConstraint(["organisation_id"], ["organisation.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("token_hash"),
    )
    op.create_index("ix_reporter_link_group_id", "reporter_link", ["group_id"])
    with op.batch_alter_table("member") as batch:
        batch.add_column(
            sa.Column("feedback", sa.Boolean(), nullable=False, server_default=sa.true())
        )


def downgrade() -> None:
    with op.batch_alter_table("member") as batch:
        batch.drop_column("feedback")
    op.drop_index("ix_reporter_link_group_id", table_name="reporter_link")
    op.drop_table("reporter_link")
