"""the outbox's open rows per person, in a partial index

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-22 12:50:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

OPEN_ROWS = "status IN ('pending', 'sending')"


def upgrade() -> None:
    with op.batch_alter_table("outbox", schema=None) as batch_op:
        batch_op.drop_index("ix_outbox_recipient")
        batch_op.create_index(
            "ix_outbox_open",
            ["recipient", "id"],
            unique=False,
            sqlite_where=sa.text(OPEN_ROWS),
            postgresql_where=sa.text(OPEN_ROWS),
        )


def downgrade() -> None:
    with op.batch_alter_table("outbox", schema=None) as batch_op:
        batch_op.drop_index("ix_outbox_open", sqlite_where=sa.text(OPEN_ROWS))
        batch_op.create_index("ix_outbox_recipient", ["recipient", "id"], unique=False)
