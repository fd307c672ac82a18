"""imported incidents carry their source label and a fingerprint of their row (unique per
group: the same file imported twice adds nothing); places get WGS84 coordinates for the map

Revision ID: 0025
Revises: 0024
Create Date: 2026-12-07 14:30:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel.sql.sqltypes
from alembic import op

revision: str = "0025"
down_revision: str | None = "0024"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("incident", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                "import_fingerprint", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True
            )
        )
        batch_op.add_column(
            sa.Column("import_source", sqlmodel.sql.sqltypes.AutoString(length=100), nullable=True)
        )
        batch_op.create_unique_constraint(
            "uq_incident_import_fingerprint", ["group_id", "import_fingerprint"]
        )
    with op.batch_alter_table("place", schema=None) as batch_op:
        batch_op.add_column(sa.Column("latitude", sa.Float(), nullable=True))
        batch_op.add_column(sa.Column("longitude", sa.Float(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("place", schema=None) as batch_op:
        batch_op.drop_column("longitude")
        batch_op.drop_column("latitude")
    with op.batch_alter_table("incident", schema=None) as batch_op:
        batch_op.drop_constraint("uq_incident_import_fingerprint", type_="unique")
        batch_op.drop_column("import_source")
        batch_op.drop_column("import_fingerprint")
