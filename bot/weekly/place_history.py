"""One place across many weeks' lägesbild (`/est lägesbild plats X`), without compiling them.

A frozen week is what its newest snapshot says. Any other week is computed for the one place,
by the rules of ``bot.weekly.picture``: the level the meeting agreed, else the most serious
reported;
the incidents in the seven days before the week's meeting. However many weeks: four queries.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import and_, case, func, tuple_
from sqlalchemy import select as sql_select
from sqlmodel import col, select

from bot.weekly.picture import Picture, most_serious, window
from bot.weekly.reports import meeting_moment
from storage.models import (
    Group,
    Incident,
    JointLevel,
    PictureSnapshot,
    ReportEntry,
    SituationReport,
)
from storage.repositories import UnitOfWork

Week = tuple[int, int]  # ISO year, ISO week


@dataclass(frozen=True)
class PlaceWeek:
    """The place in one week's lägesbild (level None and no incidents: not in it)."""

    joint_level: str | None
    incidents: int
    frozen: bool


def place_weeks(
    uow: UnitOfWork, settings: Group, place_id: int, weeks: Sequence[Week], *, now: datetime
) -> dict[Week, PlaceWeek]:
    """The place in each of ``weeks``' lägesbild: frozen, or as ``compile_picture`` has it."""
    assert settings.id is not None
    frozen = {
        week: _frozen(snapshot, place_id)
        for week, snapshot in _newest_snapshots(uow, settings.id, weeks).items()
    }
    computed = [week for week in weeks if week not in frozen]
    if not computed:
        return frozen
    agreed = _agreed(uow, settings.id, place_id, computed)
    reported = _reported(uow, settings.id, place_id, computed)
    windows = {w: window(meeting_moment(settings, *w)[0], now) for w in computed}
    counts = _counts(uow, settings.id, place_id, windows)
    return frozen | {
        w: PlaceWeek(agreed.get(w, most_serious(reported.get(w, ()))), counts[w], False)
        for w in computed
    }


def _newest_snapshots(
    uow: UnitOfWork, group_id: int, weeks: Sequence[Week]
) -> dict[Week, PictureSnapshot]:
    rows = uow.session.exec(
        select(PictureSnapshot)
        .where(
            PictureSnapshot.group_id == group_id,
            tuple_(col(PictureSnapshot.iso_year), col(PictureSnapshot.iso_week)).in_(weeks),
        )
        .order_by(col(PictureSnapshot.version))
    ).all()
    return {(row.iso_year, row.iso_week): row for row in rows}  # a later version replaces


def _frozen(snapshot: PictureSnapshot, place_id: int) -> PlaceWeek:
    places = Picture.from_json(snapshot.content).places
    line = next((p for p in places if p.place_id == place_id), None)
    return PlaceWeek(line.joint_level, line.incidents, True) if line else PlaceWeek(None, 0, True)


def _agreed(uow: UnitOfWork, group_id: int, place_id: int, weeks: list[Week]) -> dict[Week, str]:
    rows = uow.session.exec(
        select(JointLevel.iso_year, JointLevel.iso_week, JointLevel.level).where(
            JointLevel.group_id == group_id,
            JointLevel.place_id == place_id,
            tuple_(col(JointLevel.iso_year), col(JointLevel.iso_week)).in_(weeks),
        )
    ).all()
    return {(year, week): level for year, week, level in rows}


def _reported(
    uow: UnitOfWork, group_id: int, place_id: int, weeks: list[Week]
) -> dict[Week, list[str]]:
    rows = uow.session.exec(
        select(SituationReport.iso_year, SituationReport.iso_week, ReportEntry.level)
        .join(ReportEntry, col(ReportEntry.report_id) == col(SituationReport.id))
        .where(
            SituationReport.group_id == group_id,
            ReportEntry.place_id == place_id,
            tuple_(col(SituationReport.iso_year), col(SituationReport.iso_week)).in_(weeks),
        )
    ).all()
    found: dict[Week, list[str]] = {}
    for year, week, level in rows:
        found.setdefault((year, week), []).append(level)
    return found


def _counts(
    uow: UnitOfWork,
    group_id: int,
    place_id: int,
    windows: Mapping[Week, tuple[datetime, datetime]],
) -> dict[Week, int]:
    """Incidents at the place in each window, in one statement. Windows may overlap: a meeting
    moved off a holiday ends its week's window after the next week's has begun."""
    at = col(Incident.occurred_at)
    sums = [
        func.coalesce(func.sum(case((and_(at >= start, at < end), 1), else_=0)), 0)
        for start, end in windows.values()
    ]
    row = uow.session.execute(
        sql_select(*sums).where(
            col(Incident.group_id) == group_id,
            col(Incident.place_id) == place_id,
            col(Incident.deleted_at).is_(None),
            at >= min(start for start, _end in windows.values()),
            at < max(end for _start, end in windows.values()),
        )
    ).one()
    return {week: int(n) for week, n in zip(windows, row, strict=True)}
