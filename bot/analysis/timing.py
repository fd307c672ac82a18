"""`/est mönster`: the incidents of a place, a district (stadsdel) or the whole group over a
period (by default the last twelve months), counted by weekday × hour and by month."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from bot.actors import Actor
from bot.analysis.patterns import Pattern, count_pattern, months_between
from bot.commands import fold
from bot.errors import InvalidInput
from bot.i18n import N_, Translator, format_days
from bot.places.service import place_in, resolve
from bot.rules import require
from bot.timeparse import Period, split_period
from storage.db import Database
from storage.models import Role
from storage.repositories import UnitOfWork


@dataclass(frozen=True)
class PatternReport:
    target: str  # the place's or district's name; "" for the whole group
    first_day: str  # ISO dates, local, both included (for file names)
    last_day: str
    timezone: str
    pattern: Pattern

    def days(self, tr: Translator) -> str:
        """The period as a reader says it: '1 nov. 2025 – 7 okt. 2026'."""
        first, last = date.fromisoformat(self.first_day), date.fromisoformat(self.last_day)
        return format_days(tr, first, last)


def last_year(now: datetime, tz: ZoneInfo) -> tuple[datetime, datetime]:
    """From the first of the month eleven months back (local midnight) to ``now``: twelve
    calendar months, this one so far."""
    local = now.astimezone(tz)
    year, month = (
        (local.year, local.month - 11)
        if local.month == 12
        else (
            local.year - 1,
            local.month + 1,
        )
    )
    return datetime(year, month, 1, tzinfo=tz), now


class PatternService:
    def __init__(self, db: Database) -> None:
        self.db = db

    def find(self, actor: Actor, text: str, *, now: datetime) -> PatternReport:
        """`[plats | stadsdel] [period]`: nothing typed means the whole group, the last year."""
        group = require(actor, Role.LASARE)
        tz = ZoneInfo(group.timezone)
        target, period = split_period(text.strip(), now=now, tz=tz)
        start, end = _span(period, now, tz)
        with self.db.unit_of_work(read_only=True) as uow:
            name, place_ids = _target(uow, actor, group.id, target)
            times = [at for _p, at in uow.incidents.times_at_places(place_ids, start, end)]
        return _report(name, start, end, tz, times)

    def of_place(self, actor: Actor, place_id: int, *, now: datetime) -> PatternReport:
        """The last year at one place: what the cause-analysis form is filled in with."""
        group = require(actor, Role.LASARE)
        tz = ZoneInfo(group.timezone)
        start, end = last_year(now, tz)
        with self.db.unit_of_work(read_only=True) as uow:
            place = place_in(uow, group.id, place_id)
            times = [at for _p, at in uow.incidents.times_at_places([place_id], start, end)]
        return _report(place.name, start, end, tz, times)


def _report(
    name: str, start: datetime, end: datetime, tz: ZoneInfo, times: list[datetime]
) -> PatternReport:
    first = start.astimezone(tz).date()
    last = (end - timedelta(microseconds=1)).astimezone(tz).date()
    pattern = count_pattern(times, tz, months_between(first, last))
    return PatternReport(name, first.isoformat(), last.isoformat(), str(tz), pattern)


def _span(period: Period | None, now: datetime, tz: ZoneInfo) -> tuple[datetime, datetime]:
    if period is None:
        return last_year(now, tz)
    if period.start >= now:
        raise InvalidInput(N_("That period has not begun yet."), field="period")
    return period.start, min(period.end, now)


def _target(uow: UnitOfWork, actor: Actor, group_id: int, text: str) -> tuple[str, list[int]]:
    """A district's places, one place, or (nothing typed) every place of the group."""
    places = uow.places.of_group(group_id, active_only=False)
    if not text:
        return "", [p.id or 0 for p in places]
    district = [p for p in places if fold(p.district) == fold(text.strip())]
    if district:
        return district[0].district, [p.id or 0 for p in district]
    place = resolve(uow, actor, group_id, text)
    return place.name, [place.id or 0]
