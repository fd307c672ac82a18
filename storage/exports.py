"""Queries of the exports: the incidents of a period with what they refer to, and the annual
lägesbild's counts, levels and actions."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from datetime import date, datetime

from sqlmodel import Session, col, func, select

from storage.models import (
    Action,
    ActionPlace,
    Category,
    Incident,
    Organisation,
    PictureSnapshot,
    Place,
    ReportEntry,
    SituationReport,
)
from storage.summary import Key, counts_between, live_incidents


class ExportRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def incidents(
        self, group_id: int, start: datetime, end: datetime, *, place_id: int | None = None
    ) -> Sequence[tuple[Incident, Place, Category, str]]:
        """The live incidents of [start, end), at one place if given, in the order they
        happened: each with its place, category and the name of the reporting organisation."""
        query = (
            select(Incident, Place, Category, Organisation.name)
            .join(Place, col(Place.id) == col(Incident.place_id))
            .join(Category, col(Category.id) == col(Incident.category_id))
            .join(Organisation, col(Organisation.id) == col(Incident.organisation_id))
            .where(*live_incidents(group_id, start, end))
            .order_by(col(Incident.occurred_at), col(Incident.id))
        )
        if place_id is not None:
            query = query.where(col(Incident.place_id) == place_id)
        return self.session.exec(query).all()

    def incidents_per_month(
        self, group_id: int, bounds: Sequence[datetime], *, by: Key
    ) -> dict[int, list[int]]:
        """Per place (or category): incidents in each month between ``bounds``."""
        return counts_between(self.session, group_id, bounds, by=by)

    def place_names(self, place_ids: Collection[int]) -> dict[int, str]:
        query = select(Place.id, Place.name).where(col(Place.id).in_(list(place_ids)))
        return {int(i or 0): name for i, name in self.session.exec(query).all()}

    def category_labels(self, category_ids: Collection[int]) -> dict[int, tuple[str, str]]:
        """(Swedish, English) label by id."""
        query = select(Category.id, Category.label_sv, Category.label_en).where(
            col(Category.id).in_(list(category_ids))
        )
        return {int(i or 0): (sv, en) for i, sv, en in self.session.exec(query).all()}

    def pictures_of_year(self, group_id: int, year: int) -> list[PictureSnapshot]:
        """The lägesbild frozen at the meetings of each ISO week of ``year``: the latest
        version of each week, by week."""
        query = (
            select(PictureSnapshot)
            .where(PictureSnapshot.group_id == group_id, PictureSnapshot.iso_year == year)
            .order_by(col(PictureSnapshot.iso_week), col(PictureSnapshot.version))
        )
        latest = {s.iso_week: s for s in self.session.exec(query).all()}  # the last one wins
        return list(latest.values())

    def actions_created_or_due(
        self,
        group_id: int,
        *,
        created: tuple[datetime, datetime],
        due: tuple[date, date],
    ) -> Sequence[tuple[Action, str]]:
        """Actions created in [created) or due within [due] (both days included), by due date:
        each with its organisation's name."""
        (start, end), (first, last) = created, due
        query = (
            select(Action, Organisation.name)
            .join(Organisation, col(Organisation.id) == col(Action.organisation_id))
            .where(
                col(Action.group_id) == group_id,
                ((col(Action.created_at) >= start) & (col(Action.created_at) < end))
                | ((col(Action.due_date) >= first) & (col(Action.due_date) <= last)),
            )
            .order_by(col(Action.due_date), col(Action.id))
        )
        return self.session.exec(query).all()

    def report_entries_of_year(
        self, group_id: int, year: int
    ) -> Sequence[tuple[int, str, int, str, str, str]]:
        """The lägesrapporter's entries of the ISO weeks of ``year`` (each report's saved
        version): (week, organisation, place id, level, trend, observations), by place and week."""
        query = (
            select(SituationReport.iso_week, Organisation.name, ReportEntry)
            .join(SituationReport, col(SituationReport.id) == col(ReportEntry.report_id))
            .join(Organisation, col(Organisation.id) == col(SituationReport.organisation_id))
            .where(col(SituationReport.group_id) == group_id, SituationReport.iso_year == year)
            .order_by(
                col(ReportEntry.place_id), col(SituationReport.iso_week), col(Organisation.name)
            )
        )
        return [
            (int(week), name, e.place_id, e.level, e.trend, e.observations)
            for week, name, e in self.session.exec(query).all()
        ]

    def action_places(self, action_ids: Collection[int]) -> dict[int, list[int]]:
        """The places each action is about, by action id."""
        if not action_ids:
            return {}
        query = (
            select(ActionPlace.action_id, ActionPlace.place_id)
            .where(col(ActionPlace.action_id).in_(list(action_ids)))
            .order_by(col(ActionPlace.action_id), col(ActionPlace.place_id))
        )
        found: dict[int, list[int]] = {}
        for action_id, place_id in self.session.exec(query).all():
            found.setdefault(int(action_id), []).append(int(place_id))
        return found

    def place_categories(
        self, group_id: int, start: datetime, end: datetime
    ) -> Sequence[tuple[int, int, int]]:
        """(place id, category id, incidents) of [start, end): what was reported where."""
        n = func.count().label("n")
        query = (
            select(col(Incident.place_id), col(Incident.category_id), n)
            .where(*live_incidents(group_id, start, end))
            .group_by(col(Incident.place_id), col(Incident.category_id))
            .order_by(col(Incident.place_id), n.desc(), col(Incident.category_id))
        )
        return [(int(p), int(c), int(k)) for p, c, k in self.session.exec(query).all()]
