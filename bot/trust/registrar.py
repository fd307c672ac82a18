"""Everything a group holds, for the registrar (diarium, arkiv) and for access requests.

``export_group`` reads every table: rows with the group's ``group_id``, and the rows that hang
off those (versions, links, notes, entries, decisions), found through the foreign keys — so a
table added later is exported without a change here. The audit log is included, with
the hashes that let anyone verify it. ``write_export`` writes one JSON file with all of it and
one CSV file per table. The export itself is recorded in the audit log.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

import sqlmodel
from sqlalchemy import Connection, Table, select
from sqlmodel import SQLModel

from bot.commands import fold
from bot.errors import NotFound
from bot.i18n import N_
from storage.db import Database
from storage.models import Group

# Slack's installation tokens and the chain's head are not the group's data
_FORMULA = ("=", "+", "-", "@", "\t", "\r")
NOT_GROUP_DATA = frozenset(
    {"slack_installations", "slack_bots", "slack_oauth_states", "audit_head"}
)


@dataclass(frozen=True)
class GroupExport:
    group_id: int
    group: str
    exported_at: datetime
    tables: dict[str, list[dict[str, Any]]]

    def counts(self) -> dict[str, int]:
        return {name: len(rows) for name, rows in self.tables.items()}


def find_group(db: Database, text: str) -> Group:
    """A group by its name (case and diacritics aside) or by ``#id``."""
    with db.unit_of_work(read_only=True) as uow:
        groups = uow.session.exec(sqlmodel.select(Group).order_by(sqlmodel.col(Group.id))).all()
        if text.startswith("#") and text[1:].isdigit():
            found = [g for g in groups if g.id == int(text[1:])]
        else:
            found = [g for g in groups if fold(g.name) == fold(text.strip())]
        if len(found) != 1:
            names = ", ".join(f"#{g.id} {g.name}" for g in groups) or "-"
            raise NotFound(
                N_("No single group called “{text}”. The groups: {names}.", text=text, names=names)
            )
        return found[0]


def export_group(db: Database, group: Group, *, now: datetime) -> GroupExport:
    """Every row the group holds, table by table, in one read transaction."""
    assert group.id is not None
    with db.unit_of_work(read_only=True) as uow:
        tables = _rows(uow.session.connection(), group.id)
    with db.unit_of_work() as uow:
        uow.audit.record(
            "group.exported",
            entity="group",
            entity_id=group.id,
            actor="export",
            at=now,
            group_id=group.id,
            after={"rows": {name: len(rows) for name, rows in tables.items()}},
        )
    return GroupExport(group.id, group.name, now, tables)


def _rows(conn: Connection, group_id: int) -> dict[str, list[dict[str, Any]]]:
    ids: dict[str, set[Any]] = {}
    out: dict[str, list[dict[str, Any]]] = {}
    for table in SQLModel.metadata.sorted_tables:  # parents before children
        if table.name in NOT_GROUP_DATA:
            continue
        where = _belongs(table, group_id, ids)
        if where is None:
            continue
        order = list(table.primary_key.columns)
        rows = [dict(r._mapping) for r in conn.execute(select(table).where(where).order_by(*order))]
        out[table.name] = rows
        if "id" in table.c:
            ids[table.name] = {r["id"] for r in rows}
    return out


def _belongs(table: Table, group_id: int, ids: dict[str, set[Any]]) -> Any:
    """The condition that picks the group's rows from ``table``, or None if it has none."""
    if table.name == "est_group":
        return table.c.id == group_id
    if "group_id" in table.c:
        return table.c.group_id == group_id
    for fk in sorted(table.foreign_keys, key=lambda f: f.parent.name):
        parent = fk.column.table.name
        if parent in ids and fk.column.name == "id":
            return fk.parent.in_(sorted(ids[parent]))
    return None


def _plain(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    return value


def write_export(export: GroupExport, directory: Path) -> Sequence[Path]:
    """``<directory>/export.json`` and one ``<table>.csv`` per table (UTF-8 with BOM, so Excel
    opens å, ä, ö right; JSON cells as JSON text; text that a spreadsheet would take for a
    formula gets a leading apostrophe)."""
    directory.mkdir(parents=True, exist_ok=True)
    tables = {
        name: [{k: _plain(v) for k, v in row.items()} for row in rows]
        for name, rows in export.tables.items()
    }
    whole = {
        "group": {"id": export.group_id, "name": export.group},
        "exported_at": export.exported_at.isoformat(),
        "tables": tables,
    }
    written = [directory / "export.json"]
    written[0].write_text(json.dumps(whole, ensure_ascii=False, indent=1), encoding="utf-8")
    for name, rows in tables.items():
        path = directory / f"{name}.csv"
        columns = [c.name for c in SQLModel.metadata.tables[name].columns]
        with path.open("w", encoding="utf-8-sig", newline="") as handle:
            writer = csv.writer(handle)
            writer.writerow(columns)
            for row in rows:
                writer.writerow([_cell(row.get(c)) for c in columns])
        written.append(path)
    return written


def _cell(value: Any) -> Any:
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False, sort_keys=True)
    if value is None:
        return ""
    if isinstance(value, str) and value.startswith(_FORMULA):
        return "'" + value  # a spreadsheet must not run what someone typed (export.json is exact)
    return value
