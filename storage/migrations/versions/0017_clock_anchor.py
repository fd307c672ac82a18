"""the shared start of a simulated bot time (EST_CLOCK_START, EST_CLOCK_RATE)

Revision ID: 0017
Revises: 0012
Create Date: 2026-12-06 23:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import storage.types

revision: str = "0017"
down_revision: str | None = "0012"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "clock_anchor",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("start", storage.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("rate", sa.Float(), nullable=False),
        sa.Column("began", storage.types.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )


def downgrade() -> None:
    op.drop_table("clock_anchor")
