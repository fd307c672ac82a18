"""What the annual lägesbild says, gathered in one read: the year against the previous year
per place and category, the levels the meetings agreed week by week, the organisations'
observations, the cause analyses, the action plan and the activities — as frozen values.

A year still running is compared with the same days of the year before (1 January to the day
the file is made), so that eleven months are never set against twelve.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from bot.analysis.results import AnalysisView, analysis_views
from bot.exports.annual import records
from bot.exports.annual.records import Held, Observation, PlanAction
from bot.i18n import Translator
from storage.repositories import UnitOfWork

__all__ = ["Count", "Held", "Observation", "PlanAction", "Span", "YearFacts", "gather", "span_of"]


@dataclass(frozen=True)
class Span:
    """The days compared: [first, last] of the year and the same days of the year before."""

    year: int
    first: date
    last: date
    complete: bool  # the whole year (it has ended)

    @property
    def previous(self) -> tuple[date, date]:
        """The same days a year before (29 February is the 28th then)."""
        try:
            last = self.last.replace(year=self.year - 1)
        except ValueError:
            last = date(self.year - 1, 2, 28)
        return self.first.replace(year=self.year - 1), last


def span_of(year: int, today: date) -> Span:
    if today.year > year:
        return Span(year, date(year, 1, 1), date(year, 12, 31), True)
    return Span(year, date(year, 1, 1), today, False)


@dataclass(frozen=True)
class Count:
    """One place (or category) in the year and in the same days of the year before."""

    key: int
    name: str
    district: str
    this: int
    previous: int
    months: tuple[int, ...]  # the twelve months of this year
    top: str = ""  # the commonest category this year
    top_count: int = 0

    @property
    def change(self) -> int:
        return self.this - self.previous


@dataclass(frozen=True)
class YearFacts:
    span: Span
    places: tuple[Count, ...]  # every place with incidents in either year, most first
    categories: tuple[Count, ...]
    months_previous: tuple[int, ...]  # the twelve months of the year before, all places
    levels: dict[int, dict[int, str]]  # place id → ISO week → the agreed level
    agreed_weeks: tuple[int, ...]  # the weeks with a fastställd lägesbild
    place_names: dict[int, tuple[str, str]]  # place id → (name, district)
    observations: tuple[Observation, ...]
    analyses: tuple[AnalysisView, ...]
    actions: tuple[PlanAction, ...]
    activities: tuple[Held, ...]


def _at(day: date, tz: ZoneInfo) -> datetime:
    return datetime.combine(day, time(0), tzinfo=tz)


def _months(year: int, tz: ZoneInfo) -> list[datetime]:
    return [_at(date(year + m // 12, m % 12 + 1, 1), tz) for m in range(13)]


def gather(uow: UnitOfWork, group_id: int, span: Span, tz: ZoneInfo, tr: Translator) -> YearFacts:
    year = span.year
    places = {
        p.id or 0: (p.name, p.district) for p in uow.places.of_group(group_id, active_only=False)
    }
    place_counts, category_counts = _counts(uow, group_id, span, tz, tr, places)
    previous_monthly = uow.exports.incidents_per_month(group_id, _months(year - 1, tz), by="place")
    levels, agreed = records.levels(uow, group_id, year, places)
    analyses = list(uow.analyses.of_group(group_id, limit=1000))
    return YearFacts(
        span=span,
        places=place_counts,
        categories=category_counts,
        months_previous=tuple(sum(v[i] for v in previous_monthly.values()) for i in range(12)),
        levels=levels,
        agreed_weeks=agreed,
        place_names=places,
        observations=records.observations(uow, group_id, year),
        analyses=tuple(analysis_views(uow, analyses, with_ties=True)),
        actions=records.actions(uow, group_id, year, tz, tr),
        activities=records.activities(uow, group_id, year, tz),
    )


def _counts(
    uow: UnitOfWork,
    group_id: int,
    span: Span,
    tz: ZoneInfo,
    tr: Translator,
    places: dict[int, tuple[str, str]],
) -> tuple[tuple[Count, ...], tuple[Count, ...]]:
    """Per place and per category: the year, the same days of the year before, the months."""
    first, last = span.previous
    now_span = (_at(span.first, tz), _at(span.last + timedelta(days=1), tz))
    then_span = (_at(first, tz), _at(last + timedelta(days=1), tz))
    counted = {
        (key, when): dict(uow.incidents.count_by(key, group_id, *bounds, None))
        for key in ("place", "category")
        for when, bounds in (("now", now_span), ("then", then_span))
    }
    monthly = {
        key: uow.exports.incidents_per_month(group_id, _months(span.year, tz), by=key)
        for key in ("place", "category")
    }
    labels = uow.exports.category_labels(
        set(counted["category", "now"]) | set(counted["category", "then"])
    )
    names = {k: sv if tr.language == "sv" else en for k, (sv, en) in labels.items()}
    tops = records.top_categories(uow, group_id, now_span, names)
    found: dict[str, list[Count]] = {}
    for key in ("place", "category"):
        now, then = counted[key, "now"], counted[key, "then"]
        found[key] = [
            Count(
                k,
                places[k][0] if key == "place" else names[k],
                places[k][1] if key == "place" else "",
                now.get(k, 0),
                then.get(k, 0),
                tuple(monthly[key].get(k, (0,) * 12)),
                *(tops.get(k, ("", 0)) if key == "place" else ("", 0)),
            )
            for k in set(now) | set(then)
        ]
    by_most = lambda c: (-c.this, -c.previous, c.name)  # noqa: E731
    return tuple(sorted(found["place"], key=by_most)), tuple(sorted(found["category"], key=by_most))


def quarters(observations: tuple[Observation, ...]) -> dict[tuple[int, int], list[Observation]]:
    """The observations per (place, quarter), in week order."""
    grouped: dict[tuple[int, int], list[Observation]] = {}
    for o in observations:
        grouped.setdefault((o.place_id, o.quarter), []).append(o)
    return grouped
