"""Queries of the weekly cycle: situation reports, meetings with their decisions and agreed
levels, and the lägesbild (its frozen versions and the aggregates it is compiled from)."""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping, Sequence
from datetime import datetime

from sqlalchemy import and_, case, delete, func, tuple_
from sqlalchemy import select as core_select
from sqlmodel import Session, col, select

from storage.models import (
    Action,
    ActionPlace,
    ActionStatus,
    Category,
    Decision,
    Incident,
    JointLevel,
    Meeting,
    Organisation,
    PictureSnapshot,
    Place,
    ReportEntry,
    ReportVersion,
    SituationReport,
)

Week = tuple[int, int]  # ISO year, ISO week


class ReportRepository:
    """Situation reports: one per organisation and ISO week, with an entry per place."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def save(self, report: SituationReport) -> SituationReport:
        """Store a new report, or the new version of one."""
        self.session.add(report)
        self.session.flush()
        return report

    def get(self, report_id: int) -> SituationReport | None:
        return self.session.get(SituationReport, report_id)

    def find(
        self, group_id: int, organisation_id: int, year: int, week: int
    ) -> SituationReport | None:
        """The organisation's report for the week, if it has sent one."""
        query = select(SituationReport).where(
            SituationReport.group_id == group_id,
            SituationReport.organisation_id == organisation_id,
            SituationReport.iso_year == year,
            SituationReport.iso_week == week,
        )
        return self.session.exec(query).first()

    def of_week(self, group_id: int, year: int, week: int) -> Sequence[SituationReport]:
        """Every organisation's report for the week."""
        query = select(SituationReport).where(
            SituationReport.group_id == group_id,
            SituationReport.iso_year == year,
            SituationReport.iso_week == week,
        )
        return self.session.exec(query).all()

    def any_in_group(self, group_id: int) -> bool:
        query = select(SituationReport.id).where(SituationReport.group_id == group_id).limit(1)
        return self.session.exec(query).first() is not None

    def entries(self, report_id: int) -> Sequence[tuple[ReportEntry, Place]]:
        """The report's assessments with their places, by place name."""
        query = (
            select(ReportEntry, Place)
            .join(Place, col(Place.id) == col(ReportEntry.place_id))
            .where(ReportEntry.report_id == report_id)
            .order_by(col(Place.name))
        )
        return self.session.exec(query).all()

    def replace_entries(self, report_id: int, entries: Iterable[ReportEntry]) -> None:
        """The report's assessments are now ``entries``, and only those."""
        self.session.execute(delete(ReportEntry).where(col(ReportEntry.report_id) == report_id))
        self.session.add_all(entries)
        self.session.flush()

    def add_version(self, version: ReportVersion) -> None:
        self.session.add(version)
        self.session.flush()

    def levels_at(
        self, group_id: int, place_id: int, weeks: Collection[Week]
    ) -> dict[Week, list[str]]:
        """The levels the organisations reported for the place, in each of ``weeks`` that has
        any."""
        query = (
            select(SituationReport.iso_year, SituationReport.iso_week, ReportEntry.level)
            .join(ReportEntry, col(ReportEntry.report_id) == col(SituationReport.id))
            .where(
                SituationReport.group_id == group_id,
                ReportEntry.place_id == place_id,
                tuple_(col(SituationReport.iso_year), col(SituationReport.iso_week)).in_(weeks),
            )
        )
        found: dict[Week, list[str]] = {}
        for year, week, level in self.session.exec(query).all():
            found.setdefault((year, week), []).append(level)
        return found

    def reporting_organisations(self, group_id: int) -> Sequence[Organisation]:
        """The group's organisations that send a weekly report."""
        query = select(Organisation).where(
            Organisation.group_id == group_id, col(Organisation.reports).is_(True)
        )
        return self.session.exec(query).all()


class MeetingRepository:
    """The weekly meetings, their decisions and the levels they agree per place."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def add(self, meeting: Meeting) -> Meeting:
        self.session.add(meeting)
        self.session.flush()
        return meeting

    def get(self, meeting_id: int) -> Meeting | None:
        return self.session.get(Meeting, meeting_id)

    def of_week(self, group_id: int, year: int, week: int) -> Meeting | None:
        """The group's meeting of the week, if it has been opened."""
        query = select(Meeting).where(
            Meeting.group_id == group_id, Meeting.iso_year == year, Meeting.iso_week == week
        )
        return self.session.exec(query).first()

    def add_decision(self, decision: Decision) -> Decision:
        self.session.add(decision)
        self.session.flush()
        return decision

    def decision(self, decision_id: int) -> Decision | None:
        return self.session.get(Decision, decision_id)

    def decisions(self, meeting_id: int) -> Sequence[Decision]:
        """The meeting's decisions, in the order they were taken."""
        query = select(Decision).where(Decision.meeting_id == meeting_id)
        return self.session.exec(query.order_by(col(Decision.id))).all()

    def actions_made(self, decision_ref: str) -> Sequence[Action]:
        """The actions that point back to the meeting (or a decision) by ``decision_ref``."""
        query = select(Action).where(Action.decision_ref == decision_ref)
        return self.session.exec(query.order_by(col(Action.id))).all()

    def set_level(self, level: JointLevel) -> JointLevel:
        """Store the level agreed for a place in a week (new, or changed)."""
        self.session.add(level)
        self.session.flush()
        return level

    def level(self, group_id: int, year: int, week: int, place_id: int) -> JointLevel | None:
        """The level agreed for the place in the week, if any."""
        query = select(JointLevel).where(
            JointLevel.group_id == group_id,
            JointLevel.iso_year == year,
            JointLevel.iso_week == week,
            JointLevel.place_id == place_id,
        )
        return self.session.exec(query).first()

    def levels(self, group_id: int, year: int, week: int) -> dict[int, str]:
        """The levels agreed in the week, by place id."""
        query = select(JointLevel.place_id, JointLevel.level).where(
            JointLevel.group_id == group_id,
            JointLevel.iso_year == year,
            JointLevel.iso_week == week,
        )
        return dict(self.session.exec(query).all())

    def levels_at(self, group_id: int, place_id: int, weeks: Collection[Week]) -> dict[Week, str]:
        """The level agreed for the place, in each of ``weeks`` that has one."""
        query = select(JointLevel.iso_year, JointLevel.iso_week, JointLevel.level).where(
            JointLevel.group_id == group_id,
            JointLevel.place_id == place_id,
            tuple_(col(JointLevel.iso_year), col(JointLevel.iso_week)).in_(weeks),
        )
        return {(year, week): level for year, week, level in self.session.exec(query).all()}


class PictureRepository:
    """The lägesbild: its frozen versions, and the aggregates a week's picture is compiled from."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def add_snapshot(self, snapshot: PictureSnapshot) -> PictureSnapshot:
        self.session.add(snapshot)
        self.session.flush()
        return snapshot

    def newest(self, group_id: int, year: int, week: int) -> PictureSnapshot | None:
        """The week's newest frozen version, if it has been frozen."""
        query = (
            select(PictureSnapshot)
            .where(
                PictureSnapshot.group_id == group_id,
                PictureSnapshot.iso_year == year,
                PictureSnapshot.iso_week == week,
            )
            .order_by(col(PictureSnapshot.version).desc())
        )
        return self.session.exec(query).first()

    def newest_of(self, group_id: int, weeks: Collection[Week]) -> dict[Week, PictureSnapshot]:
        """The newest frozen version of each of ``weeks`` that has been frozen."""
        query = (
            select(PictureSnapshot)
            .where(
                PictureSnapshot.group_id == group_id,
                tuple_(col(PictureSnapshot.iso_year), col(PictureSnapshot.iso_week)).in_(weeks),
            )
            .order_by(col(PictureSnapshot.version))
        )
        rows = self.session.exec(query).all()
        return {(row.iso_year, row.iso_week): row for row in rows}  # a later version replaces

    def incidents_by_category(
        self, group_id: int, start: datetime, end: datetime
    ) -> dict[int, list[tuple[str, str, int]]]:
        """Per place: (category sv, category en, count) of the live incidents in [start, end),
        most first."""
        n = func.count().label("n")
        query = (
            select(Incident.place_id, Category.label_sv, Category.label_en, n)
            .join(Category, col(Category.id) == col(Incident.category_id))
            .where(
                col(Incident.group_id) == group_id,
                col(Incident.occurred_at) >= start,
                col(Incident.occurred_at) < end,
                col(Incident.deleted_at).is_(None),
            )
            .group_by(col(Incident.place_id), col(Category.label_sv), col(Category.label_en))
            .order_by(n.desc())
        )
        found: dict[int, list[tuple[str, str, int]]] = {}
        for place_id, sv, en, count in self.session.exec(query).all():
            found.setdefault(int(place_id), []).append((str(sv), str(en), int(count)))
        return found

    def incidents_in_windows(
        self, group_id: int, place_id: int, windows: Mapping[Week, tuple[datetime, datetime]]
    ) -> dict[Week, int]:
        """Live incidents at the place in each week's window [start, end), in one statement.
        Windows may overlap: a meeting moved off a holiday ends its week's window after the next
        week's has begun."""
        at = col(Incident.occurred_at)
        sums = [
            func.coalesce(func.sum(case((and_(at >= start, at < end), 1), else_=0)), 0)
            for start, end in windows.values()
        ]
        query = core_select(*sums).where(
            col(Incident.group_id) == group_id,
            col(Incident.place_id) == place_id,
            col(Incident.deleted_at).is_(None),
            at >= min(start for start, _end in windows.values()),
            at < max(end for _start, end in windows.values()),
        )
        row = self.session.execute(query).one()
        return {week: int(n) for week, n in zip(windows, row, strict=True)}

    def open_actions(self, group_id: int) -> Sequence[tuple[Action, int]]:
        """The group's open actions, once per place they are linked to, by due date."""
        query = (
            select(Action, ActionPlace.place_id)
            .join(ActionPlace, col(ActionPlace.action_id) == col(Action.id))
            .where(
                col(Action.group_id) == group_id,
                col(Action.status).in_((ActionStatus.OPEN, ActionStatus.IN_PROGRESS)),
            )
            .order_by(col(Action.due_date))
        )
        return self.session.exec(query).all()

    def places(self, place_ids: Collection[int]) -> dict[int, Place]:
        """The places in the picture, by id."""
        query = select(Place).where(col(Place.id).in_(place_ids))
        return {place.id or 0: place for place in self.session.exec(query).all()}
