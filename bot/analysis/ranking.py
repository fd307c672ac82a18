"""`/est analys period`: per place, the incidents against the period before and the same period
a year before, the joint levels the meetings agreed, open and overdue actions and activities
held — and the places ranked by need (``periods.PlaceNeed``)."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from bot.actors import Actor
from bot.analysis.period_report import PeriodDetails, next_priorities, period_details
from bot.analysis.periods import EstPeriod, PlaceNeed, parse_est_period, ranked
from bot.analysis.priority_views import Priorities
from bot.rules import require
from storage.db import Database
from storage.models import Role
from storage.repositories import UnitOfWork


@dataclass(frozen=True)
class PeriodAnalysis:
    period: EstPeriod
    places: tuple[PlaceNeed, ...]  # most need first
    group: str = ""
    details: PeriodDetails | None = None  # for the files: see ``PeriodService.report``

    @property
    def next_priorities(self) -> Priorities | None:
        """What the group decided for the period after this one, if it has."""
        found = [
            p
            for p in (self.details.priorities if self.details else ())
            if p.period == self.period.after().label
        ]
        return found[0] if found else None


def _span(period: EstPeriod, tz: ZoneInfo) -> tuple[datetime, datetime]:
    start = datetime.combine(period.first, time(), tzinfo=tz)
    end = datetime.combine(period.last + timedelta(days=1), time(), tzinfo=tz)
    return start, end


def _weeks(period: EstPeriod) -> set[tuple[int, int]]:
    """The ISO weeks whose Monday falls in the period (each week belongs to one period)."""
    day, weeks = period.first, set()
    while day <= period.last:
        if day.weekday() == 0:
            year, week, _ = day.isocalendar()
            weeks.add((year, week))
        day += timedelta(days=1)
    return weeks


class PeriodService:
    def __init__(self, db: Database) -> None:
        self.db = db

    def analyse(self, actor: Actor, text: str, *, now: datetime) -> PeriodAnalysis:
        """The places ranked by need in the period (default: the quarter just ended)."""
        return self._analyse(actor, text, now=now, full=False)

    def report(self, actor: Actor, text: str, *, now: datetime) -> PeriodAnalysis:
        """The same with the details its PDF and XLSX show (``period_report``)."""
        return self._analyse(actor, text, now=now, full=True)

    def _analyse(self, actor: Actor, text: str, *, now: datetime, full: bool) -> PeriodAnalysis:
        group = require(actor, Role.LASARE)
        tz = ZoneInfo(group.timezone)
        today = now.astimezone(tz).date()
        period = parse_est_period(text, today=today)
        with self.db.unit_of_work(read_only=True) as uow:
            needs = place_needs(uow, group.id, period, tz, today)
            if full:
                span = _span(period, tz)
                details = period_details(uow, group.id, period, _weeks(period), span, today, tz)
            else:
                details = PeriodDetails(
                    {}, {}, (), (), tuple(next_priorities(uow, group.id, period))
                )
        return PeriodAnalysis(period, tuple(ranked(needs)), group.name, details)


def place_needs(
    uow: UnitOfWork, group_id: int, period: EstPeriod, tz: ZoneInfo, today: date
) -> list[PlaceNeed]:
    spans = [_span(p, tz) for p in (period, period.before(), period.year_before())]
    now_counts, before, year_before = uow.periods.counts_in_spans(group_id, spans)
    weeks = _weeks(period)
    levels = [
        (p, lv)
        for y, w, p, lv in uow.periods.joint_levels(group_id, {y for y, _w in weeks})
        if (y, w) in weeks
    ]
    serious = Counter(p for p, lv in levels if lv == "allvarligt")
    worrying = Counter(p for p, lv in levels if lv == "oroligt")
    actions = uow.periods.open_actions(group_id)
    open_ = Counter(p for p, _due in actions)
    overdue = Counter(p for p, due in actions if due < today)
    held = uow.periods.activities_held(group_id, *_span(period, tz))
    return [
        PlaceNeed(
            place_id=pid,
            place=name,
            district=district,
            incidents=now_counts.get(pid, 0),
            previous=before.get(pid, 0),
            year_before=year_before.get(pid, 0),
            serious_weeks=serious[pid],
            worrying_weeks=worrying[pid],
            open_actions=open_[pid],
            overdue_actions=overdue[pid],
            activities=held.get(pid, 0),
            archived=archived,
        )
        for pid, name, district, archived in uow.periods.places(group_id)
        if not archived or now_counts.get(pid, 0)  # archived: only with incidents in the period
    ]
