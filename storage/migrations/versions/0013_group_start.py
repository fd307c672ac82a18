"""a group's start date: records may be dated from it (the recording window); when a
motivating record happened, beside when it was saved

Revision ID: 0013
Revises: 0015
Create Date: 2026-12-06 23:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import storage.types

revision: str = "0013"
down_revision: str | None = "0015"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("est_group", schema=None) as batch_op:
        batch_op.add_column(sa.Column("started_on", sa.Date(), nullable=True))
    with op.batch_alter_table("activity_motivation", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("happened_at", storage.types.UTCDateTime(timezone=True), nullable=True)
        )


def downgrade() -> None:
    with op.batch_alter_table("activity_motivation", schema=None) as batch_op:
        batch_op.drop_column("happened_at")
    with op.batch_alter_table("est_group", schema=None) as batch_op:
        batch_op.drop_column("started_on")
