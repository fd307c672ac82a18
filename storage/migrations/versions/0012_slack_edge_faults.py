"""the Slack edge's faults: event receipts, Grid workspaces, outbox failures apart from tries

Revision ID: 0012
Revises: 0009
Create Date: 2026-12-05 10:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel.sql.sqltypes
from alembic import op

import storage.types

revision: str = "0012"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "slack_event_receipt",
        sa.Column("event_id", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("received_at", storage.types.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("event_id"),
    )
    with op.batch_alter_table("slack_event_receipt", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_slack_event_receipt_received_at"), ["received_at"], unique=False
        )
    op.create_table(
        "slack_enterprise_team",
        sa.Column("team_id", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
        sa.Column("enterprise_id", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
        sa.Column("seen_at", storage.types.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("team_id"),
    )
    with op.batch_alter_table("outbox", schema=None) as batch_op:
        # every row queued so far has failed as often as it was tried: start from there
        batch_op.add_column(sa.Column("failures", sa.Integer(), nullable=False, server_default="0"))
    op.execute("UPDATE outbox SET failures = attempts WHERE status IN ('pending', 'sending')")


def downgrade() -> None:
    with op.batch_alter_table("outbox", schema=None) as batch_op:
        batch_op.drop_column("failures")
    op.drop_table("slack_enterprise_team")
    with op.batch_alter_table("slack_event_receipt", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_slack_event_receipt_received_at"))
    op.drop_table("slack_event_receipt")
