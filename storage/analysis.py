"""Queries over the cause analyses (orsaksanalyser), their versions and what is tied to them."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from datetime import date, datetime

from sqlalchemy import case, func, literal, union_all
from sqlmodel import Session, col, select

from storage.models import (
    Action,
    ActionPlace,
    ActionStatus,
    Activity,
    ActivityPlace,
    ActivityStatus,
    AnalysisStatus,
    CauseAnalysis,
    CauseAnalysisVersion,
    Incident,
    JointLevel,
    Place,
    SituationReport,
)

OPEN_ACTIONS = (ActionStatus.OPEN, ActionStatus.IN_PROGRESS)


class AnalysisRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def add(self, analysis: CauseAnalysis) -> CauseAnalysis:
        self.session.add(analysis)
        self.session.flush()
        return analysis

    def get(self, analysis_id: int) -> CauseAnalysis | None:
        return self.session.get(CauseAnalysis, analysis_id)

    def add_version(self, version: CauseAnalysisVersion) -> None:
        self.session.add(version)
        self.session.flush()

    def versions(self, analysis_id: int) -> Sequence[CauseAnalysisVersion]:
        query = (
            select(CauseAnalysisVersion)
            .where(col(CauseAnalysisVersion.analysis_id) == analysis_id)
            .order_by(col(CauseAnalysisVersion.version))
        )
        return self.session.exec(query).all()

    def of_group(self, group_id: int, *, limit: int = 200) -> Sequence[CauseAnalysis]:
        """The group's analyses: open first, then the most recently changed."""
        closed = case((col(CauseAnalysis.status) == AnalysisStatus.OPEN, 0), else_=1)
        query = (
            select(CauseAnalysis)
            .where(col(CauseAnalysis.group_id) == group_id)
            .order_by(closed, col(CauseAnalysis.updated_at).desc(), col(CauseAnalysis.id).desc())
            .limit(limit)
        )
        return self.session.exec(query).all()

    def latest_by_place(
        self, group_id: int, place_ids: Collection[int]
    ) -> dict[int, tuple[int, datetime]]:
        """For each place that has one: its most recently changed analysis (id, changed at)."""
        if not place_ids:
            return {}
        query = (
            select(CauseAnalysis.place_id, CauseAnalysis.id, CauseAnalysis.updated_at)
            .where(
                col(CauseAnalysis.group_id) == group_id,
                col(CauseAnalysis.place_id).in_(list(place_ids)),
            )
            .order_by(col(CauseAnalysis.updated_at), col(CauseAnalysis.id))
        )
        latest: dict[int, tuple[int, datetime]] = {}
        for place_id, analysis_id, at in self.session.exec(query):
            latest[int(place_id)] = (int(analysis_id or 0), at)
        return latest

    def actions(self, analysis_id: int) -> Sequence[Action]:
        query = (
            select(Action).where(col(Action.analysis_id) == analysis_id).order_by(col(Action.id))
        )
        return self.session.exec(query).all()

    def activities(self, analysis_id: int) -> Sequence[Activity]:
        query = (
            select(Activity)
            .where(col(Activity.analysis_id) == analysis_id)
            .order_by(col(Activity.start_at), col(Activity.id))
        )
        return self.session.exec(query).all()

    def known_incidents(self, group_id: int, ids: Collection[int]) -> set[int]:
        """Which of these incidents are live records of the group."""
        if not ids:
            return set()
        query = select(Incident.id).where(
            col(Incident.group_id) == group_id,
            col(Incident.id).in_(list(ids)),
            col(Incident.deleted_at).is_(None),
        )
        return {int(i) for i in self.session.exec(query) if i is not None}

    def known_reports(self, group_id: int, ids: Collection[int]) -> set[int]:
        if not ids:
            return set()
        query = select(SituationReport.id).where(
            col(SituationReport.group_id) == group_id, col(SituationReport.id).in_(list(ids))
        )
        return {int(i) for i in self.session.exec(query) if i is not None}

    def count_open(self, group_id: int) -> int:
        query = (
            select(func.count())
            .select_from(CauseAnalysis)
            .where(
                col(CauseAnalysis.group_id) == group_id,
                col(CauseAnalysis.status) == AnalysisStatus.OPEN,
            )
        )
        return int(self.session.exec(query).one())


class PeriodRepository:
    """What the period analysis counts, per place, in one query each."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def joint_levels(
        self, group_id: int, years: Collection[int]
    ) -> list[tuple[int, int, int, str]]:
        """(iso_year, iso_week, place_id, level) the meetings agreed in these ISO years."""
        query = select(
            JointLevel.iso_year, JointLevel.iso_week, JointLevel.place_id, JointLevel.level
        ).where(col(JointLevel.group_id) == group_id, col(JointLevel.iso_year).in_(list(years)))
        return [(int(y), int(w), int(p), str(lv)) for y, w, p, lv in self.session.exec(query)]

    def open_actions(self, group_id: int) -> list[tuple[int, date]]:
        """(place_id, due date) of the group's open actions, once per place they are at."""
        query = (
            select(col(ActionPlace.place_id), col(Action.due_date))
            .join(Action, col(Action.id) == col(ActionPlace.action_id))
            .where(col(Action.group_id) == group_id, col(Action.status).in_(OPEN_ACTIONS))
        )
        return [(int(p), due) for p, due in self.session.exec(query)]

    def activities_held(self, group_id: int, start: datetime, end: datetime) -> dict[int, int]:
        """Activities per place that began in [start, end) and were not cancelled."""
        n = func.count().label("n")
        query = (
            select(ActivityPlace.place_id, n)
            .join(Activity, col(Activity.id) == col(ActivityPlace.activity_id))
            .where(
                col(Activity.group_id) == group_id,
                col(Activity.start_at) >= start,
                col(Activity.start_at) < end,
                col(Activity.status) != ActivityStatus.INSTALLD,
            )
            .group_by(col(ActivityPlace.place_id))
        )
        return {int(p): int(k) for p, k in self.session.exec(query)}

    def counts_in_spans(
        self, group_id: int, spans: Sequence[tuple[datetime, datetime]]
    ) -> list[dict[int, int]]:
        """Live incidents per place in each [start, end): one round trip, each span read
        through the group's time index."""
        if not spans:
            return []
        n = func.count().label("n")
        parts = [
            select(literal(i).label("k"), col(Incident.place_id), n)
            .where(
                col(Incident.group_id) == group_id,
                col(Incident.occurred_at) >= start,
                col(Incident.occurred_at) < end,
                col(Incident.deleted_at).is_(None),
            )
            .group_by(col(Incident.place_id))
            for i, (start, end) in enumerate(spans)
        ]
        found: list[dict[int, int]] = [{} for _ in spans]
        for k, place_id, count in self.session.exec(union_all(*parts)):  # type: ignore[call-overload]
            found[int(k)][int(place_id)] = int(count)
        return found

    def places(self, group_id: int) -> list[tuple[int, str, str, bool]]:
        """(id, name, district, archived) of every place of the group, archived ones too."""
        query = select(Place.id, Place.name, Place.district, Place.active).where(
            col(Place.group_id) == group_id
        )
        return [
            (int(i or 0), str(name), str(d), not active)
            for i, name, d, active in self.session.exec(query)
        ]
