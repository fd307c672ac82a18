"""What the weekly rhythm sends through the outbox: its kinds of rows and the notifications they
are prepared into at send time."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum

from bot.notifier import Notification
from bot.weekly.picture import Picture


class WeeklyOutbox(StrEnum):
    """The weekly rhythm's outbox kinds (stored in ``Outbox.kind``: never change a value)."""

    CALL = "cycle.call"
    NUDGE = "cycle.nudge"
    PICTURE = "cycle.picture"


@dataclass(frozen=True)
class ReportsCalled(Notification):
    """The weekly call for situation reports: in the channel and to each reporter by DM."""

    iso_week: int
    deadline: datetime
    meeting_day: date
    holiday: str | None  # the meeting moved off this holiday


@dataclass(frozen=True)
class ReportNudge(Notification):
    """One reminder before the deadline, to people whose organisation has not reported."""

    iso_week: int
    deadline: datetime
    organisation: str


class MeetingState(StrEnum):
    """Where the week's meeting is when its lägesbild is posted."""

    NOT_STARTED = "not_started"
    OPEN = "open"
    CLOSED = "closed"  # the lägesbild posted is the fastställd one


@dataclass(frozen=True)
class PicturePosted(Notification):
    """The week's lägesbild, posted in the channel at meeting time."""

    picture: Picture
    late: bool  # the clock was down at meeting time and came back within 12 hours
    skipped_week: int | None  # an earlier week's post that was skipped (the clock was down)
    meeting: MeetingState = MeetingState.NOT_STARTED
