"""The recording window: how far back a record may be dated when it is registered.

A grant year is re-reported in the spring, so the previous calendar year stays open until its
re-reporting is done: while today (in the group's time zone) is on or before 30 June, records may
be dated from 1 January of the previous year; from 1 July, from 1 January of this year. Never
before the group's start date (its creation, or what an admin set), and never in the future
beyond a small tolerance for clocks that differ. When it happened and when it was registered are
kept apart: the record's own time is checked here, the server's time is stored beside it.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, time, timedelta
from enum import StrEnum
from zoneinfo import ZoneInfo

from bot.errors import InvalidInput
from bot.i18n import N_, LazyText
from bot.timeparse import format_day, format_local

TOLERANCE = timedelta(minutes=1)  # clocks differ: a minute "in the future" is now
REREPORT_UNTIL = (6, 30)  # the previous grant year stays open through 30 June
LATE_AFTER = timedelta(days=7)  # registered this much later than it happened: shown as such


class Kind(StrEnum):
    """What is being recorded; each says its own refusal."""

    INCIDENT = "incident"
    REPORT = "report"
    ACTIVITY = "activity"
    FOLLOW_UP = "follow_up"
    COST = "cost"


_ALLOWED = {
    Kind.INCIDENT: N_("Incidents can be recorded from {first} until now."),
    Kind.REPORT: N_("Situation reports can be recorded from {first} until now."),
    Kind.ACTIVITY: N_("Past activities can be recorded from {first}."),
    Kind.FOLLOW_UP: N_("Follow-ups can be recorded for activities from {first}."),
    Kind.COST: N_("Costs can be recorded with invoice dates from {first}."),
}


@dataclass(frozen=True)
class Window:
    """[first, now + tolerance]: the days a record may be dated, in the group's time zone."""

    first: date  # local, inclusive
    now: datetime  # aware UTC
    tz: ZoneInfo

    @property
    def start(self) -> datetime:
        """The first instant allowed, aware UTC."""
        return datetime.combine(self.first, time(0), tzinfo=self.tz).astimezone(UTC)

    @property
    def end(self) -> datetime:
        return self.now + TOLERANCE

    def allows(self, when: datetime) -> bool:
        return self.start <= when <= self.end

    def allows_day(self, day: date) -> bool:
        return self.first <= day <= self.now.astimezone(self.tz).date()

    def allowed(self, kind: Kind) -> LazyText:
        """What may be recorded: "Händelser kan registreras från 1 januari 2025 till nu"."""
        first = format_day(self.first).split(" ", 1)[1]  # "1 januari 2025", without the weekday
        return replace(_ALLOWED[kind], params={"first": first})


def window(now: datetime, tz: ZoneInfo, started_on: date | None = None) -> Window:
    """The recording window at ``now`` for a group that started on ``started_on``."""
    today = now.astimezone(tz).date()
    open_year = today.year - 1 if (today.month, today.day) <= REREPORT_UNTIL else today.year
    first = date(open_year, 1, 1)
    if started_on is not None and started_on > first:
        first = started_on
    return Window(first=first, now=now.astimezone(UTC), tz=tz)


def check_time(
    when: datetime, win: Window, kind: Kind, *, typed: str = "", field: str = "when"
) -> datetime:
    """``when`` if the window allows it; else a refusal that says what was understood (the
    typed text and the day it means) and what is allowed."""
    if win.allows(when):
        return when
    understood = format_local(when, win.tz)
    raise InvalidInput(_refusal(typed, understood, when > win.end, win.allowed(kind)), field=field)


def check_day(day: date, win: Window, kind: Kind, *, typed: str = "", field: str = "date") -> date:
    """A day (an activity's, a cost's) if the window allows it, else the same refusal."""
    if win.allows_day(day):
        return day
    future = day > win.now.astimezone(win.tz).date()
    raise InvalidInput(_refusal(typed, format_day(day), future, win.allowed(kind)), field=field)


def check_since(day: date, win: Window, kind: Kind, *, field: str = "date") -> date:
    """A day that may be in the future (a planned activity), but not before the window."""
    if day >= win.first:
        return day
    raise InvalidInput(_refusal("", format_day(day), False, win.allowed(kind)), field=field)


def _refusal(typed: str, understood: str, future: bool, allowed: LazyText) -> LazyText:
    shown = " ".join(typed.split())
    if future:  # nothing is recorded ahead of time: the window need not be said
        if shown:
            return N_(
                "“{text}” is {understood}, which is in the future.",
                text=shown,
                understood=understood,
            )
        return N_("The time {understood} is in the future.", understood=understood)
    params = {"understood": understood, "allowed": allowed}
    if shown:
        return N_("You wrote “{text}”, that is {understood}. {allowed}", text=shown, **params)
    return N_("{understood} is outside the recording window. {allowed}", **params)


def registered_late(occurred_at: datetime, created_at: datetime) -> bool:
    """Registered notably later than it happened: the card and the files say when."""
    return created_at - occurred_at > LATE_AFTER
