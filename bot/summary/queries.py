"""The weekly summary's SQL aggregates: one pass per question, week buckets as a CASE over the
boundaries (computed in the group's time zone, so summer time is right)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import Row, Select, case, func, literal_column
from sqlmodel import col, select

from bot.actions.results import OPEN_STATUSES
from bot.activities.results import ActivityLine, activity_lines
from bot.summary.results import ActionLine, ActionsPart, ActivitiesPart, ActivityEntry
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
)
from storage.repositories import UnitOfWork

AVERAGE_WEEKS = 4
LISTED_ACTIONS = 10  # done / overdue actions named; the rest are counted


def average(series: list[int]) -> float:
    """The mean of the AVERAGE_WEEKS weeks before the last one."""
    return round(sum(series[-1 - AVERAGE_WEEKS : -1]) / AVERAGE_WEEKS, 2)


def _rows(uow: UnitOfWork, query: Select[Any]) -> Sequence[Row[Any]]:
    """An aggregate's rows as plain tuples, on the transaction's connection: thousands of rows
    of numbers need none of the ORM's row handling."""
    return uow.session.connection().execute(query).all()


def live(group_id: int, start: datetime, end: datetime) -> list[Any]:
    return [
        col(Incident.group_id) == group_id,
        col(Incident.occurred_at) >= start,
        col(Incident.occurred_at) < end,
        col(Incident.deleted_at).is_(None),
    ]


def weekly(uow: UnitOfWork, group_id: int, bounds: list[datetime], by: str) -> dict[int, list[int]]:
    """Per key (place or category): incidents in each week between ``bounds``. One pass: the
    week is a CASE over the boundaries, which are computed in the group's time zone."""
    key = col(Incident.place_id) if by == "place" else col(Incident.category_id)
    bucket = case(
        *[
            (col(Incident.occurred_at) < b, literal_column(str(i)))
            for i, b in enumerate(bounds[1:-1])
        ],
        else_=literal_column(str(len(bounds) - 2)),  # week numbers as literals: fewer parameters
    ).label("week")
    n = func.count().label("n")
    rows = _rows(
        uow,
        select(key, bucket, n).where(*live(group_id, bounds[0], bounds[-1])).group_by(key, bucket),
    )
    found: dict[int, list[int]] = {}
    for k, i, count in rows:
        found.setdefault(int(k), [0] * (len(bounds) - 1))[int(i)] = int(count)
    return found


def place_categories(
    uow: UnitOfWork, group_id: int, start: datetime, end: datetime
) -> dict[int, list[tuple[int, int]]]:
    n = func.count().label("n")
    rows = _rows(
        uow,
        select(col(Incident.place_id), col(Incident.category_id), n)
        .where(*live(group_id, start, end))
        .group_by(col(Incident.place_id), col(Incident.category_id))
        .order_by(n.desc(), col(Incident.category_id)),
    )
    found: dict[int, list[tuple[int, int]]] = {}
    for pid, cid, count in rows:
        found.setdefault(int(pid), []).append((int(cid), int(count)))
    return found


def place_names(uow: UnitOfWork, group_id: int) -> dict[int, tuple[str, str]]:
    """(name, district) by id, for every place of the group: plain columns, and no list of ids
    to bind (hundreds of parameters cost more than the few extra rows)."""
    query = select(Place.id, Place.name, Place.district).where(col(Place.group_id) == group_id)
    return {int(i or 0): (n, d) for i, n, d in uow.session.exec(query).all()}


def category_names(uow: UnitOfWork, group_id: int) -> dict[int, tuple[str, str]]:
    """(Swedish, English) label by id, retired categories too (old incidents keep them)."""
    query = select(Category.id, Category.label_sv, Category.label_en).where(
        col(Category.group_id) == group_id
    )
    return {int(i or 0): (sv, en) for i, sv, en in uow.session.exec(query).all()}


def actions_part(
    uow: UnitOfWork, group_id: int, start: datetime, end: datetime
) -> ActionsPart | None:
    """Done in the week, open at its end, and of those the overdue; None if the group has none."""
    today = end.date()  # the Monday after: an action due on Sunday is overdue then
    open_ = col(Action.status).in_(OPEN_STATUSES)
    done_in_week = (
        (col(Action.status) == ActionStatus.DONE)
        & (col(Action.done_at) >= start)
        & (col(Action.done_at) < end)
    )
    overdue = open_ & (col(Action.due_date) < today)
    counts = uow.session.exec(
        select(
            func.count(),
            func.sum(case((done_in_week, 1), else_=0)),
            func.sum(case((open_, 1), else_=0)),
            func.sum(case((overdue, 1), else_=0)),
        ).where(col(Action.group_id) == group_id)
    ).one()
    if not counts[0]:
        return None

    def lines(condition: Any, order: Any) -> list[ActionLine]:
        rows = uow.session.exec(
            select(Action, Organisation.name)
            .join(Organisation, col(Organisation.id) == col(Action.organisation_id))
            .where(col(Action.group_id) == group_id, condition)
            .order_by(order, col(Action.id))
            .limit(LISTED_ACTIONS)
        ).all()
        return [
            ActionLine(a.id or 0, a.title, a.owner_user_id, org, a.due_date.isoformat())
            for a, org in rows
        ]

    return ActionsPart(
        done=int(counts[1] or 0),
        open=int(counts[2] or 0),
        overdue=int(counts[3] or 0),
        done_lines=lines(done_in_week, col(Action.done_at)),
        overdue_lines=lines(overdue, col(Action.due_date)),
    )


def missing_reports(uow: UnitOfWork, group_id: int, year: int, week: int) -> list[str] | None:
    """Reporting organisations without a lägesrapport for the week; None if none reports."""
    rows = uow.session.exec(
        select(Organisation.name, SituationReport.id)
        .outerjoin(
            SituationReport,
            (col(SituationReport.organisation_id) == col(Organisation.id))
            & (col(SituationReport.iso_year) == year)
            & (col(SituationReport.iso_week) == week),
        )
        .where(Organisation.group_id == group_id, col(Organisation.reports).is_(True))
    ).all()
    if not rows:
        return None
    return sorted(name for name, report in rows if report is None)


COMING_DAYS = 14


def activities_part(
    uow: UnitOfWork, group_id: int, start: datetime, end: datetime, tz: ZoneInfo
) -> ActivitiesPart | None:
    """Activities held in [start, end) (with attendance once followed up) and planned in the
    two weeks after; None if the group has never had an activity. Four queries in all."""
    anyone = select(Activity.id).where(Activity.group_id == group_id).limit(1)
    if uow.session.exec(anyone).first() is None:
        return None
    held_statuses = (ActivityStatus.PLANERAD, ActivityStatus.GENOMFORD)
    in_week = (col(Activity.start_at) < end) & col(Activity.status).in_(held_statuses)
    coming = (col(Activity.start_at) >= end) & (col(Activity.status) == ActivityStatus.PLANERAD)
    rows = uow.session.exec(
        select(Activity)
        .where(
            col(Activity.group_id) == group_id,
            col(Activity.start_at) >= start,
            col(Activity.start_at) < end + timedelta(days=COMING_DAYS),
            in_week | coming,
        )
        .order_by(col(Activity.start_at), col(Activity.id))
    ).all()

    def entry(line: ActivityLine) -> ActivityEntry:
        return ActivityEntry(
            id=line.id,
            title=line.title,
            kind=line.kind,
            places=list(line.places),
            start=line.start_at.astimezone(tz).strftime("%Y-%m-%d %H:%M"),
            motivated=line.motivated,
            attendance=line.attendance_total,
            counting_method=line.counting_method,
        )

    lines = activity_lines(uow, rows)
    return ActivitiesPart(
        held=[entry(line) for line in lines if line.start_at < end],
        coming=[entry(line) for line in lines if line.start_at >= end],
    )
