"""The annual lägesbild's tables: incidents per place and per category and month, the levels the
meetings agreed over the year, the actions with their outcome, and the activities held."""

from __future__ import annotations

from collections import Counter, defaultdict
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from babel.dates import get_month_names

from bot.activities.results import activity_lines
from bot.exports.formats import Cell, Table, local_moment
from bot.i18n import Translator
from bot.people import names_of, shown_name
from bot.weekly.reports import LEVEL_RANK
from storage.models import ActivityStatus
from storage.repositories import UnitOfWork


def _months(year: int, tz: ZoneInfo) -> list[datetime]:
    return [
        datetime.combine(date(year + m // 12, m % 12 + 1, 1), time(0), tzinfo=tz) for m in range(13)
    ]


def yearly_tables(
    uow: UnitOfWork, group_id: int, year: int, tz: ZoneInfo, tr: Translator
) -> list[Table]:
    bounds = _months(year, tz)
    months = [
        str(m).rstrip(".")[:3] for m in get_month_names("abbreviated", locale=tr.language).values()
    ]
    sv = tr.language == "sv"
    # the summary's grouped count, with the months' boundaries for its buckets
    by_place = uow.exports.incidents_per_month(group_id, bounds, by="place")
    by_category = uow.exports.incidents_per_month(group_id, bounds, by="category")
    place_names = uow.exports.place_names(by_place)
    labels = uow.exports.category_labels(by_category)
    category_names = {k: swedish if sv else english for k, (swedish, english) in labels.items()}
    month_widths = [1.0] * 12 + [1.3]
    place_rows = _pivot(place_names, by_place)
    category_rows = _pivot(category_names, by_category)
    if by_place:
        totals = [sum(v[i] for v in by_place.values()) for i in range(12)]
        place_rows.append([tr.gettext("Total"), *totals, sum(totals)])
    total = tr.gettext("Total")
    return [
        Table(
            tr.gettext("Incidents per place and month"),
            [tr.gettext("Place"), *months, total],
            place_rows,
            [4.0, *month_widths],
            sheet=tr.gettext("Per place and month"),
        ),
        Table(
            tr.gettext("Incidents per category and month"),
            [tr.gettext("Category"), *months, total],
            category_rows,
            [4.0, *month_widths],
            sheet=tr.gettext("Per category and month"),
        ),
        _levels(uow, group_id, year, tr),
        _actions(uow, group_id, year, tz, tr),
        _activities(uow, group_id, year, tz, tr),
    ]


def _pivot(names: dict[int, str], counts: dict[int, list[int]]) -> list[list[Cell]]:
    """Rows of name, twelve months and the total: the most first."""
    ordered = sorted(counts.items(), key=lambda kv: (-sum(kv[1]), names[kv[0]]))
    return [[names[k], *months, sum(months)] for k, months in ordered]


def _levels(uow: UnitOfWork, group_id: int, year: int, tr: Translator) -> Table:
    """From each week's frozen lägesbild (its latest version): weeks per level and place."""
    weeks: dict[str, Counter[str]] = defaultdict(Counter)
    worst: dict[str, tuple[int, int]] = {}
    for snapshot in uow.exports.pictures_of_year(group_id, year):
        week = snapshot.iso_week
        for line in snapshot.content.get("places", []):
            level = line.get("joint_level")
            if level:
                weeks[line["place"]][level] += 1
                rank = LEVEL_RANK.get(level, -1)
                if rank >= worst.get(line["place"], (-1, 0))[0]:
                    worst[line["place"]] = (rank, week)
    rows: list[list[Cell]] = [
        [place, c["allvarligt"], c["oroligt"], c["lugnt"], worst[place][1]]
        for place, c in sorted(
            weeks.items(), key=lambda kv: (-kv[1]["allvarligt"], -kv[1]["oroligt"], kv[0])
        )
    ]
    headers = [
        tr.gettext("Place"),
        tr.gettext("Weeks serious"),
        tr.gettext("Weeks worrying"),
        tr.gettext("Weeks calm"),
        tr.gettext("Last week at its worst"),
    ]
    return Table(
        tr.gettext("Levels over the year (agreed lägesbild)"),
        headers,
        rows,
        [4, 1.5, 1.5, 1.5, 2],
        tr.gettext("No lägesbild was adopted at a meeting in {year}.", year=year),
        sheet=tr.gettext("Levels over the year"),
    )


def _actions(uow: UnitOfWork, group_id: int, year: int, tz: ZoneInfo, tr: Translator) -> Table:
    """Actions created or due in the year, with their outcome."""
    first, last = date(year, 1, 1), date(year, 12, 31)
    start = datetime.combine(first, time(0), tzinfo=tz)
    end = datetime.combine(date(year + 1, 1, 1), time(0), tzinfo=tz)
    rows = uow.exports.actions_created_or_due(group_id, created=(start, end), due=(first, last))
    group = uow.groups.get(group_id)
    names = names_of(uow, group.slack_team_id if group else "", {a.owner_user_id for a, _ in rows})
    table_rows: list[list[Cell]] = [
        [
            a.id,
            a.title,
            organisation,
            shown_name(names, a.owner_user_id, tr),  # a file names people: no Slack ids
            a.due_date,
            a.status,
            local_moment(a.done_at, tz) if a.done_at else "",
        ]
        for a, organisation in rows
    ]
    headers = [
        tr.gettext("No."),
        tr.gettext("Action"),
        tr.gettext("Organisation"),
        tr.gettext("Owner"),
        tr.gettext("Due"),
        tr.gettext("Status"),
        tr.gettext("Done"),
    ]
    return Table(
        tr.gettext("Actions and their outcome"),
        headers,
        table_rows,
        [0.8, 5, 3, 1.6, 1.6, 1.4, 2.2],
        tr.gettext("No actions were created or due in {year}.", year=year),
        sheet=tr.gettext("Actions"),
    )


def _activities(uow: UnitOfWork, group_id: int, year: int, tz: ZoneInfo, tr: Translator) -> Table:
    """Activities that started in the year: where, what, how many took part, and whether each
    was motivated by a dated record (the question a grant auditor asks first)."""
    start = datetime.combine(date(year, 1, 1), time(0), tzinfo=tz)
    end = datetime.combine(date(year + 1, 1, 1), time(0), tzinfo=tz)
    every = (ActivityStatus.PLANERAD, ActivityStatus.GENOMFORD, ActivityStatus.INSTALLD)
    rows = uow.activities.between(group_id, start, end, statuses=every, limit=5000)
    lines = activity_lines(uow, rows)
    table_rows: list[list[Cell]] = [
        [
            line.id,
            line.title,
            line.kind,
            ", ".join(line.places),
            local_moment(line.start_at, tz),
            line.status,
            line.attendance_total if line.attendance_total is not None else "",
            line.counting_method or "",
            tr.gettext("yes") if line.motivated else tr.gettext("no"),
        ]
        for line in lines
    ]
    headers = [
        tr.gettext("No."),
        tr.gettext("Activity"),
        tr.gettext("Kind"),
        tr.gettext("Places"),
        tr.gettext("Start"),
        tr.gettext("Status"),
        tr.gettext("Taking part"),
        tr.gettext("Counted how"),
        tr.gettext("Motivated"),
    ]
    return Table(
        tr.gettext("Activities at the places"),
        headers,
        table_rows,
        [0.8, 4, 2.2, 3, 2.2, 1.6, 1.4, 1.8, 1.4],
        tr.gettext("No activities were held or planned in {year}.", year=year),
        sheet=tr.gettext("Activities"),
    )
