"""Restoring one group from its export (``python app.py import-all DIR``): the inverse of
``export-all``, for moving a group to another deployment or bringing it back after a loss.

Everything is written in one transaction, or nothing: rows keep their ids (so every link between
them holds), and a database that already holds any of those ids, or the group's channel, is left
as it was with an answer that says which. The group's audit events are appended to this
database's chain in their order, with their content as it was (when, who, what, before, after):
the old hashes linked to other groups' events, so the chain is sealed anew, and one event
``group.imported`` names the export and the first and last hash it carried.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from bot.errors import Conflict, InvalidInput
from bot.i18n import N_
from storage.db import Database
from storage.errors import Conflict as StorageConflict
from storage.repositories import UnitOfWork

AUDIT = "audit_event"
_EVENT_FIELDS = ("group_id", "at", "actor", "action", "entity", "entity_id", "before", "after")


@dataclass(frozen=True)
class Imported:
    group_id: int
    group: str
    rows: int
    tables: int
    audit_events: int


def read_export(directory: Path) -> dict[str, Any]:
    """``export.json`` of an export-all directory, checked for the parts an import needs."""
    path = directory / "export.json"
    try:
        whole = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        raise InvalidInput(
            N_(
                "No readable export.json in “{path}”: give the directory export-all wrote.",
                path=str(directory),
            )
        ) from None
    if not isinstance(whole, dict) or not isinstance(whole.get("tables"), dict):
        raise InvalidInput(N_("“{path}” is not an export of export-all.", path=str(path)))
    return whole


def import_group(db: Database, whole: dict[str, Any], *, now: datetime) -> Imported:
    """Write the export's rows in one transaction; the audit events join this chain."""
    tables: dict[str, list[dict[str, Any]]] = whole["tables"]
    group = whole.get("group") or {}
    try:
        with db.unit_of_work() as uow:
            _check_free(uow, tables)
            rows = sum(uow.restore.insert(n, r) for n, r in tables.items() if n != AUDIT)
            uow.restore.advance_ids([n for n in tables if n != AUDIT])
            events = tables.get(AUDIT, [])
            _append_audit(uow, events, whole, now=now)
    except StorageConflict:
        raise Conflict(
            N_(
                "The group “{name}” could not be imported: this database already holds it or "
                "its Slack channel. Nothing was written.",
                name=str(group.get("name", "")),
            )
        ) from None
    return Imported(int(group["id"]), str(group["name"]), rows, len(tables), len(events))


def _check_free(uow: UnitOfWork, tables: dict[str, list[dict[str, Any]]]) -> None:
    for name, rows in tables.items():
        if name == AUDIT:
            continue
        table = uow.restore.table(name)
        if table is None:
            raise InvalidInput(
                N_("The export has a table “{table}” that this version does not know.", table=name)
            )
        ids = [int(r["id"]) for r in rows if r.get("id") is not None] if "id" in table.c else []
        taken = uow.restore.taken_ids(name, ids)
        if taken:
            shown = ", ".join(f"#{i}" for i in taken[:5]) + (" …" if len(taken) > 5 else "")
            raise Conflict(
                N_(
                    "This database already holds rows of “{table}” with the export's ids "
                    "({ids}): import into a database without them. Nothing was written.",
                    table=name,
                    ids=shown,
                )
            )


def _append_audit(
    uow: UnitOfWork, events: list[dict[str, Any]], whole: dict[str, Any], *, now: datetime
) -> None:
    group_id = int(whole["group"]["id"])
    carried = [{k: e.get(k) for k in _EVENT_FIELDS} for e in events]
    for fields in carried:
        fields["at"] = datetime.fromisoformat(str(fields["at"]))
    imported = {
        "group_id": group_id,
        "at": now,
        "actor": "import",
        "action": "group.imported",
        "entity": "group",
        "entity_id": group_id,
        "before": None,
        "after": {
            "exported_at": whole.get("exported_at"),
            "rows": {n: len(r) for n, r in whole["tables"].items()},
            "first_hash": events[0].get("hash") if events else None,
            "last_hash": events[-1].get("hash") if events else None,
        },
    }
    uow.audit.append([*carried, imported])
