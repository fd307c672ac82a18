"""Queries of retention (gallring): which rows hold free text past a cutoff, and those rows.

What is cleared, and how, is bot/trust/retention.py's; this module only finds and loads the rows,
in chunks, so a group with years of history is never loaded in one statement.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import datetime

from sqlmodel import Session, col, select

from storage.models import (
    AuditEvent,
    Group,
    Incident,
    IncidentVersion,
    PictureSnapshot,
    ReportEntry,
    ReportVersion,
    SituationReport,
)

CHUNK = 500


def _chunks(ids: Sequence[int]) -> Iterator[Sequence[int]]:
    for start in range(0, len(ids), CHUNK):
        yield ids[start : start + CHUNK]


class RetentionRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def groups(self) -> Sequence[Group]:
        """Every group, archived ones too: their free text ages like any other."""
        return self.session.exec(select(Group).order_by(col(Group.id))).all()

    def lock_group(self, group_id: int) -> Group:
        """The group, locked to the end of the transaction: a second clock by mistake waits,
        then finds nothing left to clear."""
        query = select(Group).where(Group.id == group_id).with_for_update()
        return self.session.exec(query).one()

    def incidents_due(self, group_id: int, cutoff: datetime) -> list[int]:
        """Incidents that happened before ``cutoff`` and still hold their text."""
        query = select(Incident.id).where(
            Incident.group_id == group_id,
            col(Incident.occurred_at) < cutoff,
            col(Incident.text_cleared_at).is_(None),
        )
        return sorted(i for i in self.session.exec(query) if i)

    def reports_due(self, group_id: int, cutoff: datetime) -> list[int]:
        """Situation reports last saved before ``cutoff`` that still hold their text."""
        query = select(SituationReport.id).where(
            SituationReport.group_id == group_id,
            col(SituationReport.updated_at) < cutoff,
            col(SituationReport.text_cleared_at).is_(None),
        )
        return sorted(r for r in self.session.exec(query) if r)

    def snapshots_before(self, group_id: int, cutoff: datetime) -> Sequence[PictureSnapshot]:
        query = select(PictureSnapshot).where(
            PictureSnapshot.group_id == group_id, col(PictureSnapshot.created_at) < cutoff
        )
        return self.session.exec(query).all()

    def incidents(self, ids: Sequence[int]) -> Iterator[tuple[Incident, list[IncidentVersion]]]:
        """Each incident with its versions."""
        for chunk in _chunks(ids):
            versions: dict[int, list[IncidentVersion]] = {i: [] for i in chunk}
            query = select(IncidentVersion).where(col(IncidentVersion.incident_id).in_(chunk))
            for version in self.session.exec(query):
                versions[version.incident_id].append(version)
            for row in self.session.exec(select(Incident).where(col(Incident.id).in_(chunk))):
                yield row, versions[row.id or 0]

    def reports(
        self, ids: Sequence[int]
    ) -> Iterator[tuple[SituationReport, list[ReportEntry], list[ReportVersion]]]:
        """Each situation report with its entries and versions."""
        for chunk in _chunks(ids):
            entries: dict[int, list[ReportEntry]] = {i: [] for i in chunk}
            versions: dict[int, list[ReportVersion]] = {i: [] for i in chunk}
            for entry in self.session.exec(
                select(ReportEntry).where(col(ReportEntry.report_id).in_(chunk))
            ):
                entries[entry.report_id].append(entry)
            for version in self.session.exec(
                select(ReportVersion).where(col(ReportVersion.report_id).in_(chunk))
            ):
                versions[version.report_id].append(version)
            query = select(SituationReport).where(col(SituationReport.id).in_(chunk))
            for row in self.session.exec(query):
                yield row, entries[row.id or 0], versions[row.id or 0]

    def snapshots(self, ids: Sequence[int]) -> Iterator[PictureSnapshot]:
        for chunk in _chunks(ids):
            query = select(PictureSnapshot).where(col(PictureSnapshot.id).in_(chunk))
            yield from self.session.exec(query)

    def audit_events(self, group_id: int, entity: str, ids: Sequence[int]) -> Iterator[AuditEvent]:
        """The group's audit events about these rows of ``entity``."""
        for chunk in _chunks(ids):
            query = select(AuditEvent).where(
                AuditEvent.group_id == group_id,
                AuditEvent.entity == entity,
                col(AuditEvent.entity_id).in_(chunk),
            )
            yield from self.session.exec(query)
