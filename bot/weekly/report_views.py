"""A saved lägesrapport as the bot shows it: per place, level, trend and observations; the
meeting it is for and when this version was registered (a report registered after the fact)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from bot.weekly.weeks import meeting_moment, registered_afterwards
from storage.models import SituationReport
from storage.repositories import UnitOfWork


@dataclass(frozen=True)
class EntryDraft:
    place_id: int
    level: str
    trend: str
    observations: str = ""


@dataclass(frozen=True)
class PlaceAssessment:
    place_id: int
    place: str
    level: str
    trend: str
    observations: str


@dataclass(frozen=True)
class WeeklyReport:
    id: int
    organisation_id: int
    organisation: str
    iso_year: int
    iso_week: int
    version: int
    notes: str
    entries: tuple[PlaceAssessment, ...]
    late: bool
    submitted_by: str
    updated_at: datetime  # when this version was registered
    meeting_at: datetime | None = None  # the meeting it is for (aware UTC)

    @property
    def after_meeting(self) -> bool:
        """This version was registered after its meeting began: the meeting did not see it."""
        return self.meeting_at is not None and self.updated_at > self.meeting_at

    @property
    def afterwards(self) -> bool:
        """Registered after the fact, more than a week after its meeting
        (``registered_afterwards``): kept for the record, not posted in the channel as news."""
        if self.meeting_at is None:
            return False
        return registered_afterwards(self.meeting_at, self.updated_at)


def weekly_report(uow: UnitOfWork, row: SituationReport) -> WeeklyReport:
    assert row.id is not None
    entries = uow.reports.entries(row.id)
    organisation = uow.organisations.get(row.organisation_id)
    group = uow.groups.get(row.group_id)
    assert group is not None
    meeting_at, _day, _holiday = meeting_moment(group, row.iso_year, row.iso_week)
    return WeeklyReport(
        id=row.id,
        organisation_id=row.organisation_id,
        organisation=organisation.name if organisation else "",
        iso_year=row.iso_year,
        iso_week=row.iso_week,
        version=row.version,
        notes=row.notes,
        entries=tuple(
            PlaceAssessment(e.place_id, p.name, e.level, e.trend, e.observations)
            for e, p in entries
        ),
        late=row.late,
        submitted_by=row.submitted_by,
        updated_at=row.updated_at,
        meeting_at=meeting_at,
    )
