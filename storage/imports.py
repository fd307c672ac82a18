"""Queries for imported incidents: which row fingerprints a group already holds."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from sqlalchemy import insert
from sqlmodel import Session, col, func, select

from storage.models import Incident, IncidentVersion

VersionOf = Callable[[int, dict[str, Any]], dict[str, Any]]  # (id, incident) → version columns
CHUNK = 1000  # fingerprints per query: well under every engine's limit on bound parameters


class ImportRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def known(self, group_id: int, fingerprints: Sequence[str]) -> set[str]:
        """Those of ``fingerprints`` the group's incidents (deleted ones too) already carry."""
        found: set[str] = set()
        for start in range(0, len(fingerprints), CHUNK):
            chunk = list(fingerprints[start : start + CHUNK])
            query = select(Incident.import_fingerprint).where(
                Incident.group_id == group_id, col(Incident.import_fingerprint).in_(chunk)
            )
            found.update(f for f in self.session.exec(query).all() if f is not None)
        return found

    def add(self, incidents: Sequence[dict[str, Any]], versions: VersionOf) -> list[int]:
        """Insert many imported incidents (their columns as dicts; fingerprints unique) and
        their first versions, with one multi-row statement each: no ORM objects, so 100 000
        rows take seconds. Returns the new ids in the incidents' order.

        The new ids are read back in one query: the group's incidents above the highest id
        before the insert, by fingerprint (rows another transaction added meanwhile carry
        other fingerprints, and are passed over)."""
        table = Incident.__table__  # type: ignore[attr-defined]
        versions_table = IncidentVersion.__table__  # type: ignore[attr-defined]
        group_id = incidents[0]["group_id"]
        floor = self.session.exec(select(func.max(Incident.id))).one() or 0
        self.session.execute(insert(table), list(incidents))  # the engine's executemany
        query = select(Incident.import_fingerprint, Incident.id).where(
            Incident.group_id == group_id,
            col(Incident.id) > floor,
            col(Incident.import_fingerprint).is_not(None),
        )
        by_fingerprint = {f: i for f, i in self.session.exec(query).all() if f and i}
        ids = [by_fingerprint[row["import_fingerprint"]] for row in incidents]
        self.session.execute(
            insert(versions_table),
            [versions(i, row) for i, row in zip(ids, incidents, strict=True)],
        )
        return ids
