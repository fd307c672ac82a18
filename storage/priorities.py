"""Queries over the group's priorities per EST period, and the meetings they are decided at."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from datetime import date

from sqlmodel import Session, col, select

from storage.models import (
    CauseAnalysis,
    Meeting,
    PeriodPriority,
    PeriodPriorityVersion,
    PictureSnapshot,
    PriorityStatus,
    ReportEntry,
    SituationReport,
)


class PriorityRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def add(self, row: PeriodPriority) -> PeriodPriority:
        self.session.add(row)
        self.session.flush()
        return row

    def add_version(self, version: PeriodPriorityVersion) -> None:
        self.session.add(version)
        self.session.flush()

    def versions(self, priority_id: int) -> Sequence[PeriodPriorityVersion]:
        query = (
            select(PeriodPriorityVersion)
            .where(col(PeriodPriorityVersion.priority_id) == priority_id)
            .order_by(col(PeriodPriorityVersion.version))
        )
        return self.session.exec(query).all()

    def of_period(self, group_id: int, period: str, status: str) -> Sequence[PeriodPriority]:
        """The group's rows for the period with this status, oldest first."""
        query = (
            select(PeriodPriority)
            .where(
                col(PeriodPriority.group_id) == group_id,
                col(PeriodPriority.period) == period,
                col(PeriodPriority.status) == status,
            )
            .order_by(col(PeriodPriority.id))
        )
        return self.session.exec(query).all()

    def covering(
        self, group_id: int, first: date, last: date, statuses: Collection[str] = ()
    ) -> Sequence[PeriodPriority]:
        """The rows whose period overlaps [first, last] (decided ones unless told)."""
        wanted = list(statuses) or [PriorityStatus.DECIDED]
        query = (
            select(PeriodPriority)
            .where(
                col(PeriodPriority.group_id) == group_id,
                col(PeriodPriority.first_day) <= last,
                col(PeriodPriority.last_day) >= first,
                col(PeriodPriority.status).in_(wanted),
            )
            .order_by(col(PeriodPriority.first_day), col(PeriodPriority.id))
        )
        return self.session.exec(query).all()

    def open_meeting(self, group_id: int) -> Meeting | None:
        """The group's meeting that is open now, the newest if (by mistake) more are."""
        query = (
            select(Meeting)
            .where(col(Meeting.group_id) == group_id, col(Meeting.status) == "open")
            .order_by(col(Meeting.iso_year).desc(), col(Meeting.iso_week).desc())
        )
        return self.session.exec(query).first()

    def meetings(self, group_id: int, *, limit: int = 12) -> Sequence[Meeting]:
        """The group's latest meetings, newest first: what a decision can be tied to."""
        query = (
            select(Meeting)
            .where(col(Meeting.group_id) == group_id)
            .order_by(col(Meeting.iso_year).desc(), col(Meeting.iso_week).desc())
            .limit(limit)
        )
        return self.session.exec(query).all()

    def meeting(self, meeting_id: int) -> Meeting | None:
        return self.session.get(Meeting, meeting_id)

    def trends(self, group_id: int, years: Collection[int]) -> list[tuple[int, int, int, str]]:
        """(iso_year, iso_week, place_id, trend) of every situation report entry in these ISO
        years: what the organisations said about where each place was heading."""
        query = (
            select(
                SituationReport.iso_year,
                SituationReport.iso_week,
                ReportEntry.place_id,
                ReportEntry.trend,
            )
            .join(SituationReport, col(SituationReport.id) == col(ReportEntry.report_id))
            .where(
                col(SituationReport.group_id) == group_id,
                col(SituationReport.iso_year).in_(list(years)),
            )
        )
        return [(int(y), int(w), int(p), str(t)) for y, w, p, t in self.session.exec(query)]

    def snapshots(self, group_id: int, *, limit: int = 12) -> Sequence[PictureSnapshot]:
        """The group's frozen lägesbilder, the newest week (and version) first."""
        query = (
            select(PictureSnapshot)
            .where(col(PictureSnapshot.group_id) == group_id)
            .order_by(
                col(PictureSnapshot.iso_year).desc(),
                col(PictureSnapshot.iso_week).desc(),
                col(PictureSnapshot.version).desc(),
            )
            .limit(limit)
        )
        return self.session.exec(query).all()

    def analyses_of_place(self, group_id: int, place_id: int) -> Sequence[CauseAnalysis]:
        """The place's cause analyses, the most recently changed first."""
        query = (
            select(CauseAnalysis)
            .where(
                col(CauseAnalysis.group_id) == group_id,
                col(CauseAnalysis.place_id) == place_id,
            )
            .order_by(col(CauseAnalysis.updated_at).desc(), col(CauseAnalysis.id).desc())
        )
        return self.session.exec(query).all()
