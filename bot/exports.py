"""Exports people take to their meetings: incidents as CSV and XLSX, the annual lägesbild as PDF
and XLSX. The files are made here (no Slack); the edge sends them to the requester by DM.

Each export is recorded in the audit log (who took which data out, and when).
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter, defaultdict
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from babel.dates import get_month_names
from sqlalchemy import case, func, literal_column
from sqlmodel import col, select

from bot.errors import InvalidInput
from bot.export_formats import Cell, ExportFile, Table, to_csv, to_pdf, to_xlsx
from bot.i18n import N_, Translator, translator
from bot.places import resolve
from bot.reports import LEVEL_RANK
from bot.rules import require
from bot.timeparse import Period, parse_period, split_period
from bot.views import Actor
from storage.db import Database
from storage.models import (
    Action,
    Category,
    Incident,
    Organisation,
    PictureSnapshot,
    Place,
    Role,
)
from storage.repositories import UnitOfWork

MIN_YEAR = 2000


def slug(text: str) -> str:
    """'Fittja centrum v. 47' → 'fittja-centrum-v-47': safe in any file name."""
    plain = unicodedata.normalize("NFKD", text.casefold()).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", plain).strip("-")


def split_leading_period(text: str, *, now: datetime, tz: ZoneInfo) -> tuple[Period | None, str]:
    """'v47 Fittja centrum' → (v47, 'Fittja centrum'); a period last is understood too."""
    words = text.split()
    for count in range(min(4, len(words)), 0, -1):
        try:
            leading = parse_period(" ".join(words[:count]), now=now, tz=tz)
        except InvalidInput:
            continue
        return leading, " ".join(words[count:])
    place, trailing = split_period(text, now=now, tz=tz)
    return trailing, place


def _local(at: datetime, tz: ZoneInfo) -> str:
    return at.astimezone(tz).strftime("%Y-%m-%d %H:%M")


class ExportService:
    def __init__(self, db: Database) -> None:
        self.db = db

    def incidents(self, actor: Actor, args: str, *, now: datetime) -> list[ExportFile]:
        """`/est export händelser [period] [plats]`: every incident, this year by default."""
        group = require(actor, Role.LASARE)
        tz, tr = ZoneInfo(group.timezone), translator(actor.language)
        asked, place_text = split_leading_period(args.strip(), now=now, tz=tz)
        period = asked or parse_period("i år", now=now, tz=tz)
        with self.db.unit_of_work() as uow:
            place = resolve(uow, actor, group.id, place_text) if place_text.strip() else None
            query = (
                select(Incident, Place, Category, Organisation.name)
                .join(Place, col(Place.id) == col(Incident.place_id))
                .join(Category, col(Category.id) == col(Incident.category_id))
                .join(Organisation, col(Organisation.id) == col(Incident.organisation_id))
                .where(
                    col(Incident.group_id) == group.id,
                    col(Incident.occurred_at) >= period.start,
                    col(Incident.occurred_at) < period.end,
                    col(Incident.deleted_at).is_(None),
                )
                .order_by(col(Incident.occurred_at), col(Incident.id))
            )
            if place is not None:
                query = query.where(col(Incident.place_id) == place.id)
            rows = [
                [
                    i.id,
                    _local(i.occurred_at, tz),
                    i.occurred_at.astimezone(tz).isocalendar()[1],
                    p.district,
                    p.name,
                    c.label_sv if tr.language == "sv" else c.label_en,
                    i.description,
                    i.persistence or "",
                    organisation,
                    _local(i.created_at, tz),
                    i.version,
                ]
                for i, p, c, organisation in uow.session.exec(query).all()
            ]
            first = period.start.astimezone(tz).date()
            last = (period.end - timedelta(microseconds=1)).astimezone(tz).date()
            _audit(uow, actor, group.id, now, "händelser", first, last, len(rows), place)
        headers = [
            tr.gettext("No."),
            tr.gettext("When"),
            tr.gettext("Week"),
            tr.gettext("District"),
            tr.gettext("Place"),
            tr.gettext("Category"),
            tr.gettext("Description"),
            tr.gettext("Persistence"),
            tr.gettext("Reported by"),
            tr.gettext("Registered"),
            tr.gettext("Version"),
        ]
        title = tr.gettext("Incidents") + f" {tr.render(period.label)}"
        if place is not None:
            title += f", {place.name}"
        table = Table(title, headers, rows)
        name = slug(f"handelser {first.isoformat()} {last.isoformat()} {place_text}")
        return [
            ExportFile(f"{name}.csv", title, to_csv(table)),
            ExportFile(f"{name}.xlsx", title, to_xlsx([table])),
        ]

    def yearly_picture(self, actor: Actor, args: str, *, now: datetime) -> list[ExportFile]:
        """`/est export lägesbild 2026`: the annual report (PDF and XLSX)."""
        group = require(actor, Role.LASARE)
        tz, tr = ZoneInfo(group.timezone), translator(actor.language)
        this_year = now.astimezone(tz).year
        text = args.strip() or str(this_year)
        if not text.isdigit() or not MIN_YEAR <= int(text) <= this_year:
            raise InvalidInput(
                N_("Write the year, e.g. `/est export lägesbild {year}`.", year=this_year)
            )
        year = int(text)
        with self.db.unit_of_work() as uow:
            tables = _yearly_tables(uow, group.id, year, tz, tr)
            _audit(uow, actor, group.id, now, "lägesbild", date(year, 1, 1), date(year, 12, 31), 0)
        title = tr.gettext("Lägesbild {year}: {group}", year=year, group=group.name)
        subtitle = tr.gettext(
            "The annual situation picture for the municipality's crime-prevention work "
            "(SFS 2023:196). Made {made} from the EST group's records.",
            made=_local(now, tz),
        )
        return [
            ExportFile(
                f"lagesbild-{year}.pdf", title, to_pdf(title, subtitle, tables, footer=title)
            ),
            ExportFile(f"lagesbild-{year}.xlsx", title, to_xlsx(tables)),
        ]


def _audit(
    uow: UnitOfWork,
    actor: Actor,
    group_id: int,
    now: datetime,
    kind: str,
    first: date,
    last: date,
    rows: int,
    place: Place | None = None,
) -> None:
    uow.audit.record(
        "export.created",
        entity="export",
        entity_id=None,
        actor=actor.user_id,
        at=now,
        group_id=group_id,
        after={
            "kind": kind,
            "from": first.isoformat(),
            "to": last.isoformat(),
            "place": place.name if place else None,
            "rows": rows,
        },
    )


def _months(year: int, tz: ZoneInfo) -> list[datetime]:
    return [
        datetime.combine(date(year + m // 12, m % 12 + 1, 1), time(0), tzinfo=tz) for m in range(13)
    ]


def _per_month(
    uow: UnitOfWork, group_id: int, bounds: list[datetime], key: Any
) -> dict[int, list[int]]:
    """Per key: incidents in each month (a CASE over the month boundaries), one pass."""
    month = case(
        *[
            (col(Incident.occurred_at) < b, literal_column(str(i)))
            for i, b in enumerate(bounds[1:-1])
        ],
        else_=literal_column("11"),
    )
    rows = uow.session.exec(
        select(key, month, func.count())
        .where(
            col(Incident.group_id) == group_id,
            col(Incident.occurred_at) >= bounds[0],
            col(Incident.occurred_at) < bounds[-1],
            col(Incident.deleted_at).is_(None),
        )
        .group_by(key, month)
    ).all()
    found: dict[int, list[int]] = {}
    for k, m, n in rows:
        found.setdefault(int(k), [0] * 12)[int(m)] = int(n)
    return found


def _yearly_tables(
    uow: UnitOfWork, group_id: int, year: int, tz: ZoneInfo, tr: Translator
) -> list[Table]:
    bounds = _months(year, tz)
    months = [
        str(m).rstrip(".")[:3] for m in get_month_names("abbreviated", locale=tr.language).values()
    ]
    sv = tr.language == "sv"
    by_place = _per_month(uow, group_id, bounds, col(Incident.place_id))
    by_category = _per_month(uow, group_id, bounds, col(Incident.category_id))
    places = {
        p.id: p for p in uow.session.exec(select(Place).where(col(Place.id).in_(by_place))).all()
    }
    categories = {
        c.id: c
        for c in uow.session.exec(select(Category).where(col(Category.id).in_(by_category))).all()
    }
    month_widths = [1.0] * 12 + [1.3]
    place_rows = _pivot({k: p.name for k, p in places.items() if k is not None}, by_place)
    category_rows = _pivot(
        {k: c.label_sv if sv else c.label_en for k, c in categories.items() if k is not None},
        by_category,
    )
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
        ),
        Table(
            tr.gettext("Incidents per category and month"),
            [tr.gettext("Category"), *months, total],
            category_rows,
            [4.0, *month_widths],
        ),
        _levels(uow, group_id, year, tr),
        _actions(uow, group_id, year, tz, tr),
        # activities of the year (issue 6) plug in here as one more table
    ]


def _pivot(names: dict[int, str], counts: dict[int, list[int]]) -> list[list[Cell]]:
    """Rows of name, twelve months and the total: the most first."""
    ordered = sorted(counts.items(), key=lambda kv: (-sum(kv[1]), names[kv[0]]))
    return [[names[k], *months, sum(months)] for k, months in ordered]


def _levels(uow: UnitOfWork, group_id: int, year: int, tr: Translator) -> Table:
    """From each week's frozen lägesbild (its latest version): weeks per level and place."""
    snapshots = uow.session.exec(
        select(PictureSnapshot)
        .where(PictureSnapshot.group_id == group_id, PictureSnapshot.iso_year == year)
        .order_by(col(PictureSnapshot.iso_week), col(PictureSnapshot.version))
    ).all()
    latest = {s.iso_week: s for s in snapshots}  # the last version of each week wins
    weeks: dict[str, Counter[str]] = defaultdict(Counter)
    worst: dict[str, tuple[int, int]] = {}
    for week, snapshot in latest.items():
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
        tr.gettext("No lägesbild was frozen at a meeting in {year}.", year=year),
    )


def _actions(uow: UnitOfWork, group_id: int, year: int, tz: ZoneInfo, tr: Translator) -> Table:
    """Actions created or due in the year, with their outcome."""
    first, last = date(year, 1, 1), date(year, 12, 31)
    start = datetime.combine(first, time(0), tzinfo=tz)
    end = datetime.combine(date(year + 1, 1, 1), time(0), tzinfo=tz)
    rows = uow.session.exec(
        select(Action, Organisation.name)
        .join(Organisation, col(Organisation.id) == col(Action.organisation_id))
        .where(
            col(Action.group_id) == group_id,
            ((col(Action.created_at) >= start) & (col(Action.created_at) < end))
            | ((col(Action.due_date) >= first) & (col(Action.due_date) <= last)),
        )
        .order_by(col(Action.due_date), col(Action.id))
    ).all()
    table_rows = [
        [
            a.id,
            a.title,
            organisation,
            a.owner_user_id,
            a.due_date.isoformat(),
            a.status,
            _local(a.done_at, tz) if a.done_at else "",
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
    )
