"""The records that motivated an activity as an auditor reads them: when each happened (an
incident's time, a situation report's week) as well as when it was registered."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from bot.activities.results import PlannedActivity
from storage.repositories import UnitOfWork


@dataclass(frozen=True)
class CitedRecord:
    """A motivating record, with when it happened as well as when it was registered."""

    kind: str  # incident / report
    record_id: int
    place: str
    happened_at: datetime | None  # an incident's time
    happened_week: tuple[int, int] | None  # a situation report's (ISO year, week)
    registered_at: datetime
    summary: str


def cited_records(uow: UnitOfWork, group_id: int, a: PlannedActivity) -> tuple[CitedRecord, ...]:
    """The motivating records with when each happened: an incident's time, a report's week."""
    found = []
    for m in a.motivations:
        at, week = None, None
        if m.kind == "incident":
            incident = uow.incidents.get(m.record_id)
            at = incident.occurred_at if incident and incident.group_id == group_id else None
        else:
            entry = uow.candidates.report_entry(group_id, m.record_id)
            week = (entry[1].iso_year, entry[1].iso_week) if entry else None
        found.append(CitedRecord(m.kind, m.record_id, m.place, at, week, m.record_at, m.summary))
    return tuple(found)
