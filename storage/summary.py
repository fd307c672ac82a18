"""Queries of the weekly summary: its aggregates, built in SQL with one pass per question, and
the summaries stored per week.

The week buckets are a CASE over boundaries the caller computes in the group's time zone, so
summer time is right; this module only counts between them.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from typing import Any, Literal, NamedTuple

from sqlalchemy import ColumnElement, case, func, literal_column
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from storage.actions import OPEN
from storage.models import (
    Action,
    ActionStatus,
    Activity,
    ActivityStatus,
    Category,
    Incident,
    Organisation,
    Place,
    SituationReport,
    WeeklySummary,
)

Key = Literal["place", "category"]


def live_incidents(group_id: int, start: datetime, end: datetime) -> list[ColumnElement[bool]]:
    """The group's incidents that happened in [start, end) and are not deleted."""
    return [
        col(Incident.group_id) == group_id,
        col(Incident.occurred_at) >= start,
        col(Incident.occurred_at) < end,
        col(Incident.deleted_at).is_(None),
    ]


def counts_between(
    session: Session, group_id: int, bounds: Sequence[datetime], *, by: Key
) -> dict[int, list[int]]:
    """Per place (or category) that has any: its live incidents in each interval between
    consecutive ``bounds``. One pass: the interval is a CASE over the boundaries."""
    key = col(Incident.place_id) if by == "place" else col(Incident.category_id)
    bucket = case(  # the intervals' numbers as literals: fewer parameters
        *[
            (col(Incident.occurred_at) < b, literal_column(str(i)))
            for i, b in enumerate(bounds[1:-1])
        ],
        else_=literal_column(str(len(bounds) - 2)),
    ).label("bucket")
    n = func.count().label("n")
    query = (
        select(key, bucket, n)
        .where(*live_incidents(group_id, bounds[0], bounds[-1]))
        .group_by(key, bucket)
    )
    found: dict[int, list[int]] = {}
    # on the transaction's connection: thousands of rows of numbers need none of the ORM
    for k, i, count in session.connection().execute(query).all():
        found.setdefault(int(k), [0] * (len(bounds) - 1))[int(i)] = int(count)
    return found


class ActionCounts(NamedTuple):
    total: int  # every action of the group, whenever created
    done: int  # done in the week
    open: int  # open at the week's end
    overdue: int  # of those, due before ``today``


def _done_between(start: datetime, end: datetime) -> ColumnElement[bool]:
    return (
        (col(Action.status) == ActionStatus.DONE)
        & (col(Action.done_at) >= start)
        & (col(Action.done_at) < end)
    )


def _overdue_on(today: date) -> ColumnElement[bool]:
    return col(Action.status).in_(OPEN) & (col(Action.due_date) < today)


class SummaryRepository:
    """The aggregates one week's summary is computed from."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def incidents_per_week(
        self, group_id: int, bounds: Sequence[datetime], *, by: Key
    ) -> dict[int, list[int]]:
        """Per place (or category): incidents in each week between ``bounds``."""
        return counts_between(self.session, group_id, bounds, by=by)

    def categories_per_place(
        self, group_id: int, start: datetime, end: datetime
    ) -> dict[int, list[tuple[int, int]]]:
        """Per place: (category id, incidents) in [start, end), the most first."""
        n = func.count().label("n")
        query = (
            select(col(Incident.place_id), col(Incident.category_id), n)
            .where(*live_incidents(group_id, start, end))
            .group_by(col(Incident.place_id), col(Incident.category_id))
            .order_by(n.desc(), col(Incident.category_id))
        )
        found: dict[int, list[tuple[int, int]]] = {}
        for pid, cid, count in self.session.connection().execute(query).all():
            found.setdefault(int(pid), []).append((int(cid), int(count)))
        return found

    def place_names(self, group_id: int) -> dict[int, tuple[str, str]]:
        """(name, district) by id, for every place of the group: plain columns, and no list of
        ids to bind (hundreds of parameters cost more than the few extra rows)."""
        query = select(Place.id, Place.name, Place.district).where(col(Place.group_id) == group_id)
        return {int(i or 0): (n, d) for i, n, d in self.session.exec(query).all()}

    def category_names(self, group_id: int) -> dict[int, tuple[str, str]]:
        """(Swedish, English) label by id, retired categories too (old incidents keep them)."""
        query = select(Category.id, Category.label_sv, Category.label_en).where(
            col(Category.group_id) == group_id
        )
        return {int(i or 0): (sv, en) for i, sv, en in self.session.exec(query).all()}

    def category_keys(self, group_id: int) -> dict[int, str]:
        """Each category's key ("narkotikaforsaljning") by id, retired categories too."""
        query = select(Category.id, Category.key).where(col(Category.group_id) == group_id)
        return {int(i or 0): key for i, key in self.session.exec(query).all()}

    def action_counts(
        self, group_id: int, start: datetime, end: datetime, *, today: date
    ) -> ActionCounts:
        """The group's actions: all of them, done in [start, end), open, and overdue on
        ``today``, in one pass."""
        open_ = col(Action.status).in_(OPEN)
        total, done, still_open, overdue = self.session.exec(
            select(
                func.count(),
                func.sum(case((_done_between(start, end), 1), else_=0)),
                func.sum(case((open_, 1), else_=0)),
                func.sum(case((_overdue_on(today), 1), else_=0)),
            ).where(col(Action.group_id) == group_id)
        ).one()
        return ActionCounts(int(total), int(done or 0), int(still_open or 0), int(overdue or 0))

    def actions_done(
        self, group_id: int, start: datetime, end: datetime, *, limit: int
    ) -> Sequence[tuple[Action, str]]:
        """The first ``limit`` actions done in [start, end), with their organisation's name."""
        return self._actions(group_id, _done_between(start, end), col(Action.done_at), limit)

    def actions_overdue(
        self, group_id: int, today: date, *, limit: int
    ) -> Sequence[tuple[Action, str]]:
        """The ``limit`` open actions longest overdue on ``today``, with their organisation."""
        return self._actions(group_id, _overdue_on(today), col(Action.due_date), limit)

    def _actions(
        self, group_id: int, condition: ColumnElement[bool], order: Any, limit: int
    ) -> Sequence[tuple[Action, str]]:
        query = (
            select(Action, Organisation.name)
            .join(Organisation, col(Organisation.id) == col(Action.organisation_id))
            .where(col(Action.group_id) == group_id, condition)
            .order_by(order, col(Action.id))
            .limit(limit)
        )
        return self.session.exec(query).all()

    def reporting_organisations(
        self, group_id: int, year: int, week: int
    ) -> list[tuple[str, bool]]:
        """(name, whether it has a lägesrapport for the week) of each organisation that reports."""
        query = (
            select(Organisation.name, SituationReport.id)
            .outerjoin(
                SituationReport,
                (col(SituationReport.organisation_id) == col(Organisation.id))
                & (col(SituationReport.iso_year) == year)
                & (col(SituationReport.iso_week) == week),
            )
            .where(Organisation.group_id == group_id, col(Organisation.reports).is_(True))
        )
        return [(name, report is not None) for name, report in self.session.exec(query).all()]

    def has_activities(self, group_id: int) -> bool:
        """Whether the group has ever had an activity."""
        query = select(Activity.id).where(Activity.group_id == group_id).limit(1)
        return self.session.exec(query).first() is not None

    def activities_held_or_coming(
        self, group_id: int, start: datetime, end: datetime, *, until: datetime
    ) -> Sequence[Activity]:
        """Activities held (planned or done) in [start, end), and still planned in [end,
        until), by start."""
        held_statuses = (ActivityStatus.PLANERAD, ActivityStatus.GENOMFORD)
        held = (col(Activity.start_at) < end) & col(Activity.status).in_(held_statuses)
        coming = (col(Activity.start_at) >= end) & (col(Activity.status) == ActivityStatus.PLANERAD)
        query = (
            select(Activity)
            .where(
                col(Activity.group_id) == group_id,
                col(Activity.start_at) >= start,
                col(Activity.start_at) < until,
                held | coming,
            )
            .order_by(col(Activity.start_at), col(Activity.id))
        )
        return self.session.exec(query).all()


class WeeklySummaryRepository:
    """The summaries as first computed, one per group and ISO week."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def of_week(self, group_id: int, year: int, week: int) -> WeeklySummary | None:
        query = select(WeeklySummary).where(
            WeeklySummary.group_id == group_id,
            WeeklySummary.iso_year == year,
            WeeklySummary.iso_week == week,
        )
        return self.session.exec(query).first()

    def store(self, summary: WeeklySummary) -> bool:
        """Insert the week's summary, unless one is stored already (another process stored it
        first, and the unique key refused this one): then False, and the transaction goes on."""
        try:
            with self.session.begin_nested():
                self.session.add(summary)
        except IntegrityError:
            return False
        return True
