"""The period analysis in full, for its PDF and XLSX: beside the ranking (``ranking``), per
place the levels the meetings agreed and the trends the situation reports gave, the open and
overdue actions and the activities held — and the priorities set for the period and the next."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

from bot.activities.results import activity_lines
from bot.analysis.periods import EstPeriod
from bot.analysis.priority_views import Priorities, priorities_views
from storage.models import PriorityStatus
from storage.repositories import UnitOfWork


@dataclass(frozen=True)
class ActionRow:
    id: int
    title: str
    place: str
    owner: str
    due: date
    overdue: bool
    archived: bool = False  # the place is archived (its open action still is the group's)


@dataclass(frozen=True)
class ActivityRow:
    id: int
    title: str
    kind: str
    start: datetime  # local wall time, no zone: a spreadsheet's date cell
    places: str
    attendance: int | None


@dataclass(frozen=True)
class PeriodDetails:
    levels: dict[int, Counter[str]]  # place → {lugnt: n, oroligt: n, allvarligt: n} weeks
    trends: dict[int, Counter[str]]  # place → {bättre: n, oförändrat: n, sämre: n} entries
    actions: tuple[ActionRow, ...]  # open now, by due date
    activities: tuple[ActivityRow, ...]  # held in the period
    priorities: tuple[Priorities, ...]  # decided for the period itself and for the next


def period_details(
    uow: UnitOfWork,
    group_id: int,
    period: EstPeriod,
    weeks: set[tuple[int, int]],
    span: tuple[datetime, datetime],
    today: date,
    tz: ZoneInfo,
) -> PeriodDetails:
    years = {y for y, _w in weeks}
    levels: dict[int, Counter[str]] = {}
    for y, w, place, level in uow.periods.joint_levels(group_id, years):
        if (y, w) in weeks:
            levels.setdefault(place, Counter())[level] += 1
    trends: dict[int, Counter[str]] = {}
    for y, w, place, trend in uow.priorities.trends(group_id, years):
        if (y, w) in weeks:
            trends.setdefault(place, Counter())[trend] += 1
    places = {p.id: p for p in uow.places.of_group(group_id, active_only=False)}
    actions = tuple(
        ActionRow(
            a.id or 0,
            a.title,
            places[p].name if p in places else "",
            a.owner_user_id,
            a.due_date,
            a.due_date < today,
            archived=p in places and not places[p].active,
        )
        for a, p in uow.pictures.open_actions(group_id)
    )
    held = activity_lines(uow, uow.activities.between(group_id, *span, limit=None))
    activities = tuple(
        ActivityRow(
            line.id,
            line.title,
            line.kind,
            line.start_at.astimezone(tz).replace(tzinfo=None),
            ", ".join(line.places),
            line.attendance_total,
        )
        for line in held
    )
    rows = [
        r
        for label in (period.label, period.after().label)
        for r in uow.priorities.of_period(group_id, label, PriorityStatus.DECIDED)[-1:]
    ]
    return PeriodDetails(levels, trends, actions, activities, tuple(priorities_views(uow, rows)))


def next_priorities(uow: UnitOfWork, group_id: int, period: EstPeriod) -> list[Priorities]:
    """The priorities decided for the period after ``period``, if any."""
    rows = uow.priorities.of_period(group_id, period.after().label, PriorityStatus.DECIDED)
    return priorities_views(uow, rows[-1:])
