"""Writing a group's exported rows back (``python app.py import-all``): the inverse of the
registrar's export. Rows keep their ids, so every link between them holds as it was; the audit
events are appended to this database's chain by the caller (``AuditRepository.append``), never
copied with their old hashes, which link to other groups' events."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from typing import Any

from sqlalchemy import Date, DateTime, Table, insert, text
from sqlalchemy import select as core_select
from sqlmodel import Session, SQLModel

from storage.types import UTCDateTime

CHUNK = 500


def _typed(table: Table, row: dict[str, Any]) -> dict[str, Any]:
    """A row as export.json holds it (timestamps and dates as ISO text) in the column types."""
    out: dict[str, Any] = {}
    for column in table.columns:
        if column.name not in row:
            continue
        value = row[column.name]
        if isinstance(value, str) and isinstance(column.type, UTCDateTime | DateTime):
            value = datetime.fromisoformat(value)
        elif isinstance(value, str) and isinstance(column.type, Date):
            value = date.fromisoformat(value)
        out[column.name] = value
    return out


class RestoreRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    @staticmethod
    def table(name: str) -> Table | None:
        return SQLModel.metadata.tables.get(name)

    def taken_ids(self, name: str, ids: Sequence[int]) -> list[int]:
        """Which of these ids ``name`` already holds."""
        table = SQLModel.metadata.tables[name]
        taken: list[int] = []
        for start in range(0, len(ids), CHUNK):
            chunk = ids[start : start + CHUNK]
            query = core_select(table.c.id).where(table.c.id.in_(chunk))
            taken += [int(i) for (i,) in self.session.connection().execute(query)]
        return sorted(taken)

    def insert(self, name: str, rows: Sequence[dict[str, Any]]) -> int:
        """Insert the rows as they are, ids and all, a chunk per statement."""
        table = SQLModel.metadata.tables[name]
        typed = [_typed(table, row) for row in rows]
        conn = self.session.connection()
        for start in range(0, len(typed), CHUNK):
            conn.execute(insert(table), typed[start : start + CHUNK])
        return len(typed)

    def advance_ids(self, names: Sequence[str]) -> None:
        """PostgreSQL: move each table's id sequence past the ids just written, so the next row
        made the ordinary way gets a new one (SQLite takes max(id) + 1 by itself)."""
        if self.session.connection().dialect.name != "postgresql":
            return
        for name in names:
            table = SQLModel.metadata.tables[name]
            if "id" not in table.c or not table.c.id.autoincrement:
                continue
            self.session.connection().execute(
                text(
                    f"SELECT setval(pg_get_serial_sequence('{name}', 'id'), "  # noqa: S608 - our table names
                    f"GREATEST((SELECT max(id) FROM {name}), 1))"
                )
            )
