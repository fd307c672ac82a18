"""What the annual lägesbild says, gathered in one read: the year against the previous year
per place and category, the levels the meetings agreed week by week, the organisations'
observations, the cause analyses, the action plan and the activities — as frozen values.

A year still running is compared with the same days of the year before (1 January to the day
the file is made), so that eleven months are never set against twelve.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from bot.activities.results import activity_lines
from bot.analysis.results import AnalysisView, analysis_views
from bot.i18n import Translator
from bot.people import names_of, shown_name
from storage.models import ActivityStatus
from storage.repositories import UnitOfWork


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
class Observation:
    place_id: int
    quarter: int
    week: int
    organisation: str
    level: str
    trend: str
    text: str


@dataclass(frozen=True)
class PlanAction:
    id: int
    title: str
    organisation: str
    owner: str  # a name, never a Slack id
    due: date
    status: str
    done_at: datetime | None  # local wall time
    place_ids: tuple[int, ...]
    analysis_id: int | None


@dataclass(frozen=True)
class Held:
    id: int
    title: str
    kind: str
    places: tuple[str, ...]
    place_ids: tuple[int, ...]
    start: datetime  # local wall time
    status: str
    attendance: int | None
    counting_method: str
    motivated: bool
    effect: str
    analysis_id: int | None


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
    first, last = span.previous
    this = dict(
        uow.incidents.count_by(
            "place", group_id, _at(span.first, tz), _at(span.last + timedelta(days=1), tz), None
        )
    )
    before = dict(
        uow.incidents.count_by(
            "place", group_id, _at(first, tz), _at(last + timedelta(days=1), tz), None
        )
    )
    this_cat = dict(
        uow.incidents.count_by(
            "category", group_id, _at(span.first, tz), _at(span.last + timedelta(days=1), tz), None
        )
    )
    before_cat = dict(
        uow.incidents.count_by(
            "category", group_id, _at(first, tz), _at(last + timedelta(days=1), tz), None
        )
    )
    monthly = uow.exports.incidents_per_month(group_id, _months(year, tz), by="place")
    monthly_cat = uow.exports.incidents_per_month(group_id, _months(year, tz), by="category")
    previous_monthly = uow.exports.incidents_per_month(group_id, _months(year - 1, tz), by="place")
    labels = uow.exports.category_labels(set(this_cat) | set(before_cat))
    category_name = {k: sv if tr.language == "sv" else en for k, (sv, en) in labels.items()}
    tops = _top_categories(uow, group_id, span, tz, category_name)
    zero = (0,) * 12
    place_counts = [
        Count(
            k,
            places[k][0],
            places[k][1],
            this.get(k, 0),
            before.get(k, 0),
            tuple(monthly.get(k, zero)),
            *tops.get(k, ("", 0)),
        )
        for k in set(this) | set(before)
    ]
    category_counts = [
        Count(
            k,
            category_name[k],
            "",
            this_cat.get(k, 0),
            before_cat.get(k, 0),
            tuple(monthly_cat.get(k, zero)),
        )
        for k in set(this_cat) | set(before_cat)
    ]
    levels, agreed = _levels(uow, group_id, year, places)
    return YearFacts(
        span=span,
        places=tuple(sorted(place_counts, key=_most_first)),
        categories=tuple(sorted(category_counts, key=_most_first)),
        months_previous=tuple(sum(v[i] for v in previous_monthly.values()) for i in range(12)),
        levels=levels,
        agreed_weeks=agreed,
        place_names=places,
        observations=_observations(uow, group_id, year),
        analyses=tuple(
            analysis_views(uow, list(uow.analyses.of_group(group_id, limit=1000)), with_ties=True)
        ),
        actions=_actions(uow, group_id, year, tz, tr),
        activities=_activities(uow, group_id, year, tz),
    )


def _most_first(c: Count) -> tuple[int, int, str]:
    return (-c.this, -c.previous, c.name)


def _top_categories(
    uow: UnitOfWork, group_id: int, span: Span, tz: ZoneInfo, names: dict[int, str]
) -> dict[int, tuple[str, int]]:
    """Per place: its commonest category of the year and how many."""
    start, end = _at(span.first, tz), _at(span.last + timedelta(days=1), tz)
    found: dict[int, tuple[str, int]] = {}
    for place_id, category_id, n in uow.exports.place_categories(group_id, start, end):
        if n > found.get(place_id, ("", 0))[1]:
            found[place_id] = (names.get(category_id, ""), n)
    return found


def _levels(
    uow: UnitOfWork, group_id: int, year: int, places: dict[int, tuple[str, str]]
) -> tuple[dict[int, dict[int, str]], tuple[int, ...]]:
    """From each week's fastställd lägesbild (its latest version): the agreed level per place."""
    by_name = {name: k for k, (name, _d) in places.items()}
    levels: dict[int, dict[int, str]] = {}
    weeks = []
    for snapshot in uow.exports.pictures_of_year(group_id, year):
        weeks.append(snapshot.iso_week)
        for line in snapshot.content.get("places", []):
            place_id = line.get("place_id") or by_name.get(line.get("place", ""))
            if line.get("joint_level") and place_id:
                levels.setdefault(int(place_id), {})[snapshot.iso_week] = line["joint_level"]
    return levels, tuple(weeks)


def _observations(uow: UnitOfWork, group_id: int, year: int) -> tuple[Observation, ...]:
    found = []
    for week, organisation, place_id, level, trend, text in uow.exports.report_entries_of_year(
        group_id, year
    ):
        monday = date.fromisocalendar(year, week, 1)
        found.append(
            Observation(
                place_id,
                (monday.month - 1) // 3 + 1,
                week,
                organisation,
                level,
                trend,
                " ".join(text.split()),
            )
        )
    return tuple(found)


def _actions(
    uow: UnitOfWork, group_id: int, year: int, tz: ZoneInfo, tr: Translator
) -> tuple[PlanAction, ...]:
    """Actions created or due in the year, by due date."""
    first, last = date(year, 1, 1), date(year, 12, 31)
    rows = uow.exports.actions_created_or_due(
        group_id, created=(_at(first, tz), _at(date(year + 1, 1, 1), tz)), due=(first, last)
    )
    group = uow.groups.get(group_id)
    names = names_of(uow, group.slack_team_id if group else "", {a.owner_user_id for a, _ in rows})
    places = uow.exports.action_places([a.id for a, _ in rows if a.id is not None])
    return tuple(
        PlanAction(
            a.id or 0,
            a.title,
            organisation,
            shown_name(names, a.owner_user_id, tr),
            a.due_date,
            a.status,
            a.done_at.astimezone(tz).replace(tzinfo=None) if a.done_at else None,
            tuple(places.get(a.id or 0, ())),
            a.analysis_id,
        )
        for a, organisation in rows
    )


def _activities(uow: UnitOfWork, group_id: int, year: int, tz: ZoneInfo) -> tuple[Held, ...]:
    every = (ActivityStatus.PLANERAD, ActivityStatus.GENOMFORD, ActivityStatus.INSTALLD)
    rows = uow.activities.between(
        group_id,
        _at(date(year, 1, 1), tz),
        _at(date(year + 1, 1, 1), tz),
        statuses=every,
        limit=5000,
    )
    by_id = {r.id: r for r in rows}
    return tuple(
        Held(
            line.id,
            line.title,
            line.kind,
            line.places,
            line.place_ids,
            line.start_at.astimezone(tz).replace(tzinfo=None),
            line.status,
            line.attendance_total,
            line.counting_method or "",
            line.motivated,
            " ".join(by_id[line.id].effect.split()),
            by_id[line.id].analysis_id,
        )
        for line in activity_lines(uow, rows)
    )


def quarters(observations: tuple[Observation, ...]) -> dict[tuple[int, int], list[Observation]]:
    """The observations per (place, quarter), in week order."""
    grouped: dict[tuple[int, int], list[Observation]] = {}
    for o in observations:
        grouped.setdefault((o.place_id, o.quarter), []).append(o)
    return grouped


def level_weeks(levels: dict[int, str]) -> Counter[str]:
    return Counter(levels.values())
