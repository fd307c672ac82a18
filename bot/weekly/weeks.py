"""Which meeting a week is: the week's meeting, its report deadline, and the meeting people mean.

A week number names one ISO week everywhere (``bot.timeparse``). The weekly cycle's week is the
week of its *meeting*: "the lägesbild of week 50" is the meeting in week 50 and the seven days
before it; "the report for week 50" is the report for that meeting. Without a week the meeting
meant is this week's until 12 hours after it began, then next week's — and ``MeetingWeek`` says
so, with the reason, so that `/est möte` and `/est rapport` can tell people which meeting they
are working on and why.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from enum import StrEnum
from zoneinfo import ZoneInfo

from bot.errors import Conflict, InvalidInput
from bot.i18n import N_
from bot.timeparse import format_day, format_local, read_week
from bot.workdays import at_local, meeting_day
from storage.models import Group

MEETING_LASTS = timedelta(hours=12)  # until then, this week's meeting is still "the" meeting
WINDOW = timedelta(days=7)  # a week's lägesbild counts the seven days before its meeting


class MeetingState(StrEnum):
    """Where the week's meeting is when its lägesbild is posted."""

    NOT_STARTED = "not_started"
    OPEN = "open"
    CLOSED = "closed"  # the lägesbild posted is the fastställd one


@dataclass(frozen=True)
class MeetingWeek:
    """The meeting of one ISO week, and why it is the one meant now."""

    iso_year: int
    iso_week: int
    at: datetime  # aware UTC, moved off a holiday
    day: date  # local
    planned: date  # the day it would have been without the holiday
    holiday: str | None
    held: date | None  # this week's meeting, when it is over and this is the next one
    begun: bool  # the meeting's time has come (it is under way, or over within 12 hours)
    by_time: bool  # chosen by the time it is now, not typed
    timezone: str  # the group's


def deadline(settings: Group, year: int, week: int) -> datetime:
    """When reports for the week are due: the group's deadline weekday and time, local."""
    day = datetime.fromisocalendar(year, week, settings.deadline_weekday + 1).date()
    return at_local(day, time.fromisoformat(settings.deadline_time), ZoneInfo(settings.timezone))


def meeting_moment(settings: Group, year: int, week: int) -> tuple[datetime, date, str | None]:
    """When the week's meeting is (moved off a holiday), as aware UTC, its day and the holiday."""
    planned = datetime.fromisocalendar(year, week, settings.meeting_weekday + 1).date()
    day, holiday = meeting_day(planned)
    moment = at_local(day, time.fromisoformat(settings.meeting_time), ZoneInfo(settings.timezone))
    return moment, day, holiday


def report_week(settings: Group, now: datetime) -> tuple[int, int]:
    """The ISO week of the meeting a report written now is for: this week's, until the meeting
    is over, then next week's (a report written on Sunday is for Tuesday's meeting)."""
    meeting = meeting_week(settings, now)
    return meeting.iso_year, meeting.iso_week


def meeting_week(
    settings: Group, now: datetime, week: tuple[int, int] | None = None
) -> MeetingWeek:
    """The meeting of ``week``, or without one the meeting meant now (see the module)."""
    year, number, _ = now.astimezone(ZoneInfo(settings.timezone)).isocalendar()
    this_week = (year, number)
    this_moment, this_day, _holiday = meeting_moment(settings, year, number)
    held, by_time = None, week is None
    if week is None:
        week = this_week
        if now > this_moment + MEETING_LASTS:
            iso = (this_day + timedelta(weeks=1)).isocalendar()
            week, held = (iso.year, iso.week), this_day
    moment, day, holiday = meeting_moment(settings, *week)
    planned = datetime.fromisocalendar(*week, settings.meeting_weekday + 1).date()
    return MeetingWeek(
        *week, moment, day, planned, holiday, held, now >= moment, by_time, settings.timezone
    )


def window(meeting: datetime, now: datetime) -> tuple[datetime, datetime]:
    """The incidents of a week's lägesbild: the seven days before its meeting at ``meeting``;
    before the meeting, the part of them that has passed (empty before they begin)."""
    start = meeting - WINDOW
    return start, max(start, min(meeting, now))


def asked_week(settings: Group, week_text: str, now: datetime) -> MeetingWeek:
    """'' → the meeting meant now; 'v46', 'vecka 46', '46', 'v46 2025', '2025-v46' → that
    week's meeting, by ``timeparse``'s rule (without a year: the nearest week 46)."""
    if not week_text.strip():
        return meeting_week(settings, now)
    return meeting_week(
        settings, now, read_week(week_text, now=now, tz=ZoneInfo(settings.timezone))
    )


def closed_meeting(meeting: MeetingWeek) -> Conflict:
    """`/est möte` when the meeting meant is closed: what it agreed, and when the next opens."""
    return Conflict(
        N_(
            "The meeting on {day}, week {week}, is closed: `/est lägesbild v{week} {year}` shows "
            "what it agreed. `/est möte` opens the next meeting from {next}.",
            day=format_day(meeting.day),
            week=meeting.iso_week,
            year=meeting.iso_year,
            next=format_local(meeting.at + MEETING_LASTS, ZoneInfo(meeting.timezone)),
        )
    )


def asked_meeting(settings: Group, week_text: str, now: datetime) -> MeetingWeek:
    """The meeting a report is for. '' → the meeting meant now; a week typed (``read_week``)
    must be that same meeting: a report for another meeting is refused, saying which one is
    open for reports and why."""
    meeting = meeting_week(settings, now)
    if not week_text.strip():
        return meeting
    year, week = read_week(week_text, now=now, tz=ZoneInfo(settings.timezone))
    params = {
        "week": week,
        "year": year,
        "day": format_day(meeting.day),
        "current": meeting.iso_week,
    }
    if (year, week) < (meeting.iso_year, meeting.iso_week):
        raise InvalidInput(
            N_(
                "The meeting of week {week}, {year} is over: `/est rapport` now reports for the "
                "meeting on {day}, week {current}.",
                **params,
            )
        )
    if (year, week) > (meeting.iso_year, meeting.iso_week):
        raise InvalidInput(
            N_(
                "Reports for the meeting of week {week}, {year} open after the meeting on {day}, "
                "week {current}: `/est rapport` now reports for that one.",
                **params,
            )
        )
    return meeting


def saved_week(settings: Group, week: tuple[int, int] | None, now: datetime) -> tuple[int, int]:
    """The week a report form saves to: the week it was opened for — the meeting meant now, or
    the one before it when the form was opened before that meeting was over (then the report is
    late, and said so). Any other week is refused."""
    current = report_week(settings, now)
    if week is None:
        return current
    before = date.fromisocalendar(*current, 1) - timedelta(weeks=1)
    if week not in (current, tuple(before.isocalendar())[:2]):
        raise InvalidInput(
            N_(
                "This form was for the meeting of week {week}, {year}, which no longer takes "
                "reports. Open the form again with `/est rapport`.",
                week=week[1],
                year=week[0],
            )
        )
    return week
