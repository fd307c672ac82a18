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

from bot import recording
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


def asked_meeting(
    settings: Group, week_text: str, now: datetime, started_on: date | None = None
) -> MeetingWeek:
    """The meeting a report is for. '' → the meeting meant now; a week typed (``read_week``) is
    that week's meeting: an earlier one within the recording window (a report registered
    afterwards, ``bot.recording``: never before the group's ``started_on``), never one after the
    meeting meant now. A week refused says what was understood and what is allowed."""
    meeting = meeting_week(settings, now)
    if not week_text.strip():
        return meeting
    year, week = read_week(week_text, now=now, tz=ZoneInfo(settings.timezone))
    if (year, week) > (meeting.iso_year, meeting.iso_week):
        raise InvalidInput(
            N_(
                "Reports for the meeting of week {week}, {year} open after the meeting on {day}, "
                "week {current}: `/est rapport` now reports for that one.",
                week=week,
                year=year,
                day=format_day(meeting.day),
                current=meeting.iso_week,
            )
        )
    if (year, week) == (meeting.iso_year, meeting.iso_week):
        return meeting
    return _past_meeting(settings, (year, week), now, started_on, typed=week_text)


def _past_meeting(
    settings: Group,
    week: tuple[int, int],
    now: datetime,
    started_on: date | None,
    *,
    typed: str = "",
) -> MeetingWeek:
    """An earlier week's meeting, when the recording window still takes its report."""
    past = meeting_week(settings, now, week)
    win = recording.window(now, ZoneInfo(settings.timezone), started_on)
    if past.day >= win.first:
        return past
    params = {"week": week[1], "year": week[0], "day": format_day(past.day)}
    allowed = win.allowed(recording.Kind.REPORT)
    if typed.strip():
        text = " ".join(typed.split())
        message = N_(
            "You wrote “{text}”: the meeting of week {week}, {year} on {day}. {allowed}",
            text=text,
            allowed=allowed,
            **params,
        )
    else:
        message = N_(
            "This form was for the meeting of week {week}, {year} on {day}. {allowed} Open the "
            "form again with `/est rapport`.",
            allowed=allowed,
            **params,
        )
    raise InvalidInput(message, field="week")


def saved_week(
    settings: Group,
    week: tuple[int, int] | None,
    now: datetime,
    started_on: date | None = None,
) -> tuple[int, int]:
    """The week a report form saves to: the week it was opened for — the meeting meant now, or
    an earlier one the recording window still takes (a form opened before its meeting was over,
    or for a past week: ``asked_meeting``). A later week, or one the window no longer takes, is
    refused."""
    current = report_week(settings, now)
    if week is None or week == current:
        return current
    if week > current:
        raise InvalidInput(
            N_(
                "This form was for the meeting of week {week}, {year}, which no longer takes "
                "reports. Open the form again with `/est rapport`.",
                week=week[1],
                year=week[0],
            )
        )
    _past_meeting(settings, week, now, started_on)
    return week


def registered_afterwards(meeting_at: datetime, saved_at: datetime) -> bool:
    """A report saved more than a week after its meeting: registered after the fact, for the
    record (the lägesbild of its week, the exports), not posted in the channel as news."""
    return recording.registered_late(meeting_at, saved_at)
