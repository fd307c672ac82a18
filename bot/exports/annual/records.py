"""The records behind the annual lägesbild, read for it: the levels each week's fastställd
lägesbild holds, the lägesrapporter's observations, the actions and the activities of the year,
each as a frozen value (people by name, times as local wall time)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from bot.activities.results import activity_lines
from bot.i18n import Translator
from bot.people import names_of, shown_name
from storage.models import ActivityStatus
from storage.repositories import UnitOfWork


def _at(day: date, tz: ZoneInfo) -> datetime:
    return datetime.combine(day, time(0), tzinfo=tz)


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


def top_categories(
    uow: UnitOfWork, group_id: int, bounds: tuple[datetime, datetime], names: dict[int, str]
) -> dict[int, tuple[str, int]]:
    """Per place: its commonest category between ``bounds`` and how many."""
    start, end = bounds
    found: dict[int, tuple[str, int]] = {}
    for place_id, category_id, n in uow.exports.place_categories(group_id, start, end):
        if n > found.get(place_id, ("", 0))[1]:
            found[place_id] = (names.get(category_id, ""), n)
    return found


def levels(
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


def observations(uow: UnitOfWork, group_id: int, year: int) -> tuple[Observation, ...]:
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


def actions(
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


def activities(uow: UnitOfWork, group_id: int, year: int, tz: ZoneInfo) -> tuple[Held, ...]:
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
