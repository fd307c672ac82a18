"""The weekly summary: last ISO week in numbers, computed with SQL aggregates, stored per week.

A week is Monday 00:00 to Monday 00:00 in the group's time zone. Each place and category is
compared with the week before and with the average of the four weeks before; the chart shows the
last twelve weeks. The first computation of a week is stored (``weekly_summary``), so posting it
again — automatically or with `/est sammanfattning` — gives the same content.

Sections for data the group does not have are absent (None), never shown as zeros: actions when
the group has none, missing reports when no organisation reports, activities until they exist.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import case, func, literal_column
from sqlalchemy.exc import IntegrityError
from sqlmodel import col, select

from bot.action_views import OPEN_STATUSES
from storage.models import (
    Action,
    ActionStatus,
    Category,
    Group,
    Incident,
    Organisation,
    Place,
    SituationReport,
    WeeklySummary,
)
from storage.repositories import UnitOfWork

WEEKS = 12  # the chart's span; the last is the summary's week
AVERAGE_WEEKS = 4
CONCERN = 5  # places of most concern
CHART_PLACES = 5
RISING_MIN = 3  # a place "rises" from at least this many incidents …
LISTED_ACTIONS = 10  # done / overdue actions named; the rest are counted


@dataclass(frozen=True)
class PlaceWeek:
    place_id: int
    place: str
    district: str
    count: int
    previous: int
    average: float  # the four weeks before
    by_category: list[tuple[str, str, int]]  # (Swedish, English, count) in the week, most first
    series: list[int]  # WEEKS weeks, oldest first


@dataclass(frozen=True)
class CategoryWeek:
    label_sv: str
    label_en: str
    count: int
    previous: int
    series: list[int]


@dataclass(frozen=True)
class ActionLine:
    id: int
    title: str
    owner: str  # Slack user id
    organisation: str
    due: str  # ISO date


@dataclass(frozen=True)
class ActionsPart:
    done: int  # marked done during the week
    open: int  # open or in progress when the week ended
    overdue: int  # of those, past their due date
    done_lines: list[ActionLine]
    overdue_lines: list[ActionLine]


@dataclass(frozen=True)
class Summary:
    group_id: int
    iso_year: int
    iso_week: int
    start: str  # the week's first day (ISO date, local)
    end: str  # its last day
    weeks: list[tuple[int, int]]  # (ISO year, ISO week) of the chart's weeks, oldest first
    total: int
    previous: int
    average: float
    places: list[PlaceWeek]  # with incidents this week or the week before, most first
    categories: list[CategoryWeek]  # with incidents in the twelve weeks, most this week first
    concern: list[int]  # place ids, the five of most concern first
    rising: list[int]  # place ids at ≥ factor × their average
    chart_places: list[PlaceWeek]  # the places drawn: most incidents over the twelve weeks
    factor: float
    actions: ActionsPart | None
    missing_reports: list[str] | None
    # activities held and coming (issue 6) plug in here as one more optional part
    computed_at: str = ""
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def quiet(self) -> bool:
        return self.total == 0

    def place(self, place_id: int) -> PlaceWeek:
        return next(p for p in (*self.places, *self.chart_places) if p.place_id == place_id)

    def to_json(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Summary:
        def place(p: dict[str, Any]) -> PlaceWeek:
            return PlaceWeek(**{**p, "by_category": [tuple(c) for c in p["by_category"]]})

        actions = data.get("actions")
        return cls(
            **{
                **data,
                "weeks": [tuple(w) for w in data["weeks"]],
                "places": [place(p) for p in data["places"]],
                "chart_places": [place(p) for p in data["chart_places"]],
                "categories": [CategoryWeek(**c) for c in data["categories"]],
                "actions": None
                if actions is None
                else ActionsPart(
                    **{
                        **actions,
                        "done_lines": [ActionLine(**a) for a in actions["done_lines"]],
                        "overdue_lines": [ActionLine(**a) for a in actions["overdue_lines"]],
                    }
                ),
            }
        )


def week_start(year: int, week: int, tz: ZoneInfo) -> datetime:
    """Monday 00:00 of the ISO week, local, as an aware datetime."""
    return datetime.combine(date.fromisocalendar(year, week, 1), time(0), tzinfo=tz)


def last_week(now: datetime, tz: ZoneInfo) -> tuple[int, int]:
    """The ISO week before the one ``now`` is in, locally."""
    year, week, _ = (now.astimezone(tz).date() - timedelta(weeks=1)).isocalendar()
    return year, week


def compute(uow: UnitOfWork, group: Group, year: int, week: int, *, now: datetime) -> Summary:
    """The summary of one ISO week from the database as it is now (not stored)."""
    assert group.id is not None
    tz = ZoneInfo(group.timezone)
    first = week_start(year, week, tz).date()
    days = [first - timedelta(weeks=WEEKS - 1 - i) for i in range(WEEKS + 1)]
    bounds = [datetime.combine(d, time(0), tzinfo=tz) for d in days]  # DST-correct in UTC
    by_place = _weekly(uow, group.id, bounds, col(Incident.place_id))
    by_category = _weekly(uow, group.id, bounds, col(Incident.category_id))
    this_week = _place_categories(uow, group.id, bounds[-2], bounds[-1])
    place_rows = _places(uow, group.id)
    category_rows = _categories(uow, group.id)

    def place_week(pid: int) -> PlaceWeek:
        series = by_place[pid]
        name, district = place_rows[pid]
        return PlaceWeek(
            pid,
            name,
            district,
            series[-1],
            series[-2],
            _average(series),
            [(*category_rows[c], n) for c, n in this_week.get(pid, [])],
            series,
        )

    weeks_all = [place_week(pid) for pid in by_place]
    places = sorted(
        (p for p in weeks_all if p.count or p.previous), key=lambda p: (-p.count, p.place)
    )
    concern = sorted(
        (p for p in places if p.count),
        key=lambda p: (-p.count, -(p.count - p.average), p.place),
    )[:CONCERN]
    rising = [
        p.place_id
        for p in places
        if p.count >= RISING_MIN and p.count >= group.hotspot_factor * p.average
    ]
    chart = sorted(weeks_all, key=lambda p: (-sum(p.series), p.place))[:CHART_PLACES]
    categories = sorted(
        (CategoryWeek(*category_rows[c], s[-1], s[-2], list(s)) for c, s in by_category.items()),
        key=lambda c: (-c.count, -sum(c.series), c.label_sv),
    )
    totals = [sum(p.series[i] for p in weeks_all) for i in range(WEEKS)]
    return Summary(
        group_id=group.id,
        iso_year=year,
        iso_week=week,
        start=first.isoformat(),
        end=(first + timedelta(days=6)).isoformat(),
        weeks=[(d.isocalendar()[0], d.isocalendar()[1]) for d in days[:-1]],
        total=totals[-1],
        previous=totals[-2],
        average=_average(totals),
        places=places,
        categories=categories,
        concern=[p.place_id for p in concern],
        rising=rising,
        chart_places=[p for p in chart if sum(p.series)],
        factor=group.hotspot_factor,
        actions=_actions(uow, group.id, bounds[-2], bounds[-1]),
        missing_reports=_missing_reports(uow, group.id, year, week),
        computed_at=now.isoformat(),
    )


def stored(uow: UnitOfWork, group: Group, year: int, week: int) -> Summary | None:
    row = uow.session.exec(
        select(WeeklySummary).where(
            WeeklySummary.group_id == group.id,
            WeeklySummary.iso_year == year,
            WeeklySummary.iso_week == week,
        )
    ).first()
    return Summary.from_json(row.content) if row is not None else None


def summary_for(
    uow: UnitOfWork, group: Group, year: int, week: int, *, actor: str, now: datetime
) -> Summary:
    """The week's stored summary; computed and stored (audited) the first time it is asked for.
    Two processes asking at once store it once: the loser reads the winner's."""
    if (found := stored(uow, group, year, week)) is not None:
        return found
    summary = compute(uow, group, year, week, now=now)
    row = WeeklySummary(
        group_id=group.id or 0,
        iso_year=year,
        iso_week=week,
        content=summary.to_json(),
        created_by=actor,
        created_at=now,
    )
    try:
        with uow.session.begin_nested():
            uow.session.add(row)
    except IntegrityError:
        again = stored(uow, group, year, week)
        assert again is not None
        return again
    uow.audit.record(
        "summary.stored",
        entity="weekly_summary",
        entity_id=row.id,
        actor=actor,
        at=now,
        group_id=group.id,
        after={"iso_year": year, "iso_week": week, "incidents": summary.total},
    )
    return summary


# -- the aggregates ----------------------------------------------------------------------------


def _average(series: list[int]) -> float:
    """The mean of the AVERAGE_WEEKS weeks before the last one."""
    return round(sum(series[-1 - AVERAGE_WEEKS : -1]) / AVERAGE_WEEKS, 2)


def _live(group_id: int, start: datetime, end: datetime) -> list[Any]:
    return [
        col(Incident.group_id) == group_id,
        col(Incident.occurred_at) >= start,
        col(Incident.occurred_at) < end,
        col(Incident.deleted_at).is_(None),
    ]


def _weekly(
    uow: UnitOfWork, group_id: int, bounds: list[datetime], key: Any
) -> dict[int, list[int]]:
    """Per key (place or category): incidents in each week between ``bounds``. One pass: the
    week is a CASE over the boundaries, which are computed in the group's time zone."""
    bucket = case(
        *[
            (col(Incident.occurred_at) < b, literal_column(str(i)))
            for i, b in enumerate(bounds[1:-1])
        ],
        else_=literal_column(str(len(bounds) - 2)),  # week numbers as literals: fewer parameters
    ).label("week")
    n = func.count().label("n")
    rows = uow.session.exec(
        select(key, bucket, n).where(*_live(group_id, bounds[0], bounds[-1])).group_by(key, bucket)
    ).all()
    found: dict[int, list[int]] = {}
    for k, i, count in rows:
        found.setdefault(int(k), [0] * (len(bounds) - 1))[int(i)] = int(count)
    return found


def _place_categories(
    uow: UnitOfWork, group_id: int, start: datetime, end: datetime
) -> dict[int, list[tuple[int, int]]]:
    n = func.count().label("n")
    rows = uow.session.exec(
        select(col(Incident.place_id), col(Incident.category_id), n)
        .where(*_live(group_id, start, end))
        .group_by(col(Incident.place_id), col(Incident.category_id))
        .order_by(n.desc(), col(Incident.category_id))
    ).all()
    found: dict[int, list[tuple[int, int]]] = {}
    for pid, cid, count in rows:
        found.setdefault(int(pid), []).append((int(cid), int(count)))
    return found


def _places(uow: UnitOfWork, group_id: int) -> dict[int, tuple[str, str]]:
    """(name, district) by id, for every place of the group: plain columns, and no list of ids
    to bind (hundreds of parameters cost more than the few extra rows)."""
    query = select(Place.id, Place.name, Place.district).where(col(Place.group_id) == group_id)
    return {int(i or 0): (n, d) for i, n, d in uow.session.exec(query).all()}


def _categories(uow: UnitOfWork, group_id: int) -> dict[int, tuple[str, str]]:
    """(Swedish, English) label by id, retired categories too (old incidents keep them)."""
    query = select(Category.id, Category.label_sv, Category.label_en).where(
        col(Category.group_id) == group_id
    )
    return {int(i or 0): (sv, en) for i, sv, en in uow.session.exec(query).all()}


def _actions(uow: UnitOfWork, group_id: int, start: datetime, end: datetime) -> ActionsPart | None:
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


def _missing_reports(uow: UnitOfWork, group_id: int, year: int, week: int) -> list[str] | None:
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
