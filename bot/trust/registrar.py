"""Everything a group holds, for the registrar (diarium, arkiv) and for access requests.

``export_group`` reads every table (``uow.registrar``): rows with the group's ``group_id``, and
the rows that hang off those (versions, links, notes, entries, decisions), found through the
foreign keys — so a table added later is exported without a change here. The audit log is
included, with the hashes that let anyone verify it. ``write_export`` writes one JSON file with
all of it and one CSV file per table. The export itself is recorded in the audit log.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

from bot.commands import fold
from bot.errors import NotFound
from bot.i18n import N_
from storage.db import Database
from storage.models import Group
from storage.trust import table_columns

_FORMULA = ("=", "+", "-", "@", "\t", "\r")


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
        groups = uow.registrar.groups()
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
        tables = uow.registrar.rows_of_group(group.id)
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
        columns = table_columns(name)
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
