"""Patterns in time: incidents per weekday × hour of day and per month, and the hot times.

Pure functions over the incidents' times, counted in the group's time zone. A hot time is the
tightest run of neighbouring cells (wrapping round: Sunday to Monday, 23 to 0, December to
January) around the peak — the cell with the most incidents and its neighbours on either side
for as long as each holds at least half the peak's count (``SHARE``) — when that run holds at
least ``LIFT`` times its even share (2/7 of the incidents for two days); else there is no hot
time of that kind. So a reader who sees bars of 3, 4, 5 and 1 reads "the months of 3, 4 and
5", not the month of 1 beside them. Of several peaks, the run that holds the most wins, then
the earliest. With fewer than ``MIN_INCIDENTS`` there is no pattern to speak of.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

from babel.dates import get_day_names, get_month_names

from bot.i18n import Translator

MIN_INCIDENTS = 10
LIFT = 1.25
SHARE = 0.5  # a neighbour of the peak belongs to the hot time with at least half its count


@dataclass(frozen=True)
class Run:
    """The cells ``first`` … ``first + length - 1`` (wrapping), with ``count`` incidents."""

    first: int
    length: int
    count: int

    def last(self, size: int) -> int:
        return (self.first + self.length - 1) % size


@dataclass(frozen=True)
class Pattern:
    grid: tuple[tuple[int, ...], ...]  # [weekday 0 = Monday][hour 0–23]
    months: tuple[tuple[int, int, int], ...]  # (year, month, count), oldest first
    total: int
    hot_days: Run | None
    hot_hours: Run | None
    hot_months: Run | None  # over the calendar months 0 = January … 11 = December

    @property
    def by_weekday(self) -> tuple[int, ...]:
        return tuple(sum(row) for row in self.grid)

    @property
    def by_hour(self) -> tuple[int, ...]:
        return tuple(sum(row[h] for row in self.grid) for h in range(24))


def months_between(start: date, end: date) -> list[tuple[int, int]]:
    """The calendar months from ``start``'s to ``end``'s, both included."""
    months, (year, month) = [], (start.year, start.month)
    while (year, month) <= (end.year, end.month):
        months.append((year, month))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return months


def count_pattern(
    times: Iterable[datetime], tz: ZoneInfo, months: Sequence[tuple[int, int]]
) -> Pattern:
    grid = [[0] * 24 for _ in range(7)]
    per_month = dict.fromkeys(months, 0)
    for at in times:
        local = at.astimezone(tz)
        grid[local.weekday()][local.hour] += 1
        if (local.year, local.month) in per_month:
            per_month[(local.year, local.month)] += 1
    total = sum(map(sum, grid))
    calendar = [0] * 12
    for (_year, month), n in per_month.items():
        calendar[month - 1] += n
    enough = total >= MIN_INCIDENTS
    return Pattern(
        grid=tuple(tuple(row) for row in grid),
        months=tuple((y, m, n) for (y, m), n in per_month.items()),
        total=total,
        hot_days=hottest([sum(r) for r in grid]) if enough else None,
        hot_hours=hottest([sum(r[h] for r in grid) for h in range(24)]) if enough else None,
        hot_months=hottest(calendar) if enough and len(months) >= 12 else None,
    )


def hottest(counts: Sequence[int]) -> Run | None:
    """The tightest run (wrapping) around a peak of ``counts``; of several peaks the run with
    the most, then the earliest. None when it does not reach LIFT times its even share."""
    size, total = len(counts), sum(counts)
    if not total:
        return None
    peak = max(counts)
    runs = {around(counts, i) for i, n in enumerate(counts) if n == peak}
    best = max(runs, key=lambda r: (r.count, -r.first))
    if best.count < LIFT * total * best.length / size:
        return None
    return best


def around(counts: Sequence[int], at: int) -> Run:
    """The cell ``at`` and its neighbours either side (wrapping) while each holds at least
    SHARE of its count; every cell, from the first, when they all do."""
    size, least = len(counts), SHARE * counts[at]
    if all(n >= least for n in counts):
        return Run(0, size, sum(counts))
    first = last = at
    while counts[(first - 1) % size] >= least:
        first -= 1
    while counts[(last + 1) % size] >= least:
        last += 1
    cells = range(first, last + 1)
    return Run(first % size, len(cells), sum(counts[i % size] for i in cells))


@dataclass(frozen=True)
class HotTimes:
    """The hot times in words, in one language: each part "" when there is none."""

    days: str
    hours: str
    season: str

    def sentence(self, tr: Translator) -> str:
        """ "fredag–lördag 20–23, mest november–februari"."""
        when = " ".join(p for p in (self.days, self.hours) if p)
        if self.season:
            most = tr.gettext("most {months}", months=self.season)
            return f"{when}, {most}" if when else most
        return when or tr.gettext("no clear pattern in time")


def hot_times(pattern: Pattern, language: str) -> HotTimes:
    locale = "en_GB" if language == "en" else "sv_SE"
    days, months = get_day_names("wide", locale=locale), get_month_names("wide", locale=locale)
    return HotTimes(
        days=_span(pattern.hot_days, 7, lambda i: str(days[i])),
        hours=_hours(pattern.hot_hours),
        season=_span(pattern.hot_months, 12, lambda i: str(months[i + 1])),
    )


def _span(run: Run | None, size: int, name: object) -> str:
    if run is None:
        return ""
    assert callable(name)
    first, last = name(run.first), name(run.last(size))
    return first if run.length == 1 else f"{first}–{last}"


def _hours(run: Run | None) -> str:
    """Three hours from 20: "20–23" (20:00 to 23:00)."""
    if run is None:
        return ""
    return f"{run.first:02d}–{(run.first + run.length) % 24:02d}"
