"""The weekly summary: last ISO week in numbers, computed with SQL aggregates, stored per week.

A week is Monday 00:00 to Monday 00:00 in the group's time zone. Each place and category is
compared with the week before and with the average of the four weeks before; the chart shows the
last twelve weeks. The first computation of a week is stored (``weekly_summary``), so posting it
again — automatically or with `/est sammanfattning` — gives the same content.

Sections for data the group does not have are absent (None), never shown as zeros: actions when
the group has none, missing reports when no organisation reports, activities when it has none.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from bot.analysis.priority_views import week_priorities
from bot.summary.results import ActionLine, ActionsPart, CategoryWeek, PlaceWeek, Summary
from bot.summary.sections import actions_part, activities_part, missing_reports
from storage.models import Group, WeeklySummary
from storage.repositories import UnitOfWork

__all__ = ["ActionLine", "ActionsPart", "CategoryWeek", "PlaceWeek", "Summary"]

WEEKS = 12  # the chart's span; the last is the summary's week
CONCERN = 5  # places of most concern
CHART_PLACES = 5
RISING_MIN = 3  # a place "rises" from at least this many incidents …
AVERAGE_WEEKS = 4


def average(series: list[int]) -> float:
    """The mean of the AVERAGE_WEEKS weeks before the last one."""
    return round(sum(series[-1 - AVERAGE_WEEKS : -1]) / AVERAGE_WEEKS, 2)


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
    by_place = uow.summary.incidents_per_week(group.id, bounds, by="place")
    by_category = uow.summary.incidents_per_week(group.id, bounds, by="category")
    this_week = uow.summary.categories_per_place(group.id, bounds[-2], bounds[-1])
    place_rows = uow.summary.place_names(group.id)
    category_rows = uow.summary.category_names(group.id)
    category_keys = uow.summary.category_keys(group.id)

    def place_week(pid: int) -> PlaceWeek:
        series = by_place[pid]
        name, district = place_rows[pid]
        return PlaceWeek(
            pid,
            name,
            district,
            series[-1],
            series[-2],
            average(series),
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
        (
            CategoryWeek(*category_rows[c], s[-1], s[-2], list(s), category_keys.get(c, ""))
            for c, s in by_category.items()
        ),
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
        average=average(totals),
        places=places,
        categories=categories,
        concern=[p.place_id for p in concern],
        rising=rising,
        chart_places=[p for p in chart if sum(p.series)],
        factor=group.hotspot_factor,
        actions=actions_part(uow, group.id, bounds[-2], bounds[-1]),
        missing_reports=missing_reports(uow, group.id, year, week),
        computed_at=now.isoformat(),
        activities=activities_part(uow, group.id, bounds[-2], bounds[-1], tz),
        priorities=week_priorities(uow, group.id, year, week)[0],
    )


def stored(uow: UnitOfWork, group: Group, year: int, week: int) -> Summary | None:
    row = uow.summaries.of_week(group.id or 0, year, week)
    if row is None:
        return None
    decided, _proposed = week_priorities(uow, group.id or 0, year, week)  # as they are now
    return replace(Summary.from_json(row.content), priorities=decided)


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
    if not uow.summaries.store(row):
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
