"""What the weekly rhythm sends through the outbox: its kinds of rows and the notifications they
are prepared into at send time."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum
from typing import TYPE_CHECKING

from bot.i18n import LazyText
from bot.notifier import Notification, ThreadedPost
from bot.weekly import weeks  # not its MeetingState by name: a StrEnum here is an outbox kind

if TYPE_CHECKING:  # the reports' module queues these rows: it imports this one, not back
    from bot.weekly.picture import Picture
    from bot.weekly.reports import WeeklyReport


class WeeklyOutbox(StrEnum):
    """The weekly rhythm's outbox kinds (stored in ``Outbox.kind``: never change a value)."""

    CALL = "cycle.call"
    NUDGE = "cycle.nudge"
    PICTURE = "cycle.picture"
    PICTURE_MAP = "cycle.picture.map"  # the lägesbild's map, in its thread
    PICTURE_MAP_FAILED = "cycle.picture.map.failed"  # to the admins: the map could not be posted
    REPORT = "report.posted"  # an organisation's saved lägesrapport, in the channel


def cycle_key(group_id: int, year: int, week: int, what: str) -> str:
    """The dedupe key of one of the weekly rhythm's rows ("call" is the channel's call)."""
    return f"cycle:{group_id}:{year}-W{week:02d}:{what}"


def report_key(report_id: int, version: int | None = None) -> str:
    """The dedupe key of a report's channel post, one row per version (without: its prefix)."""
    return f"report:{report_id}:" + ("" if version is None else f"v{version}")


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


@dataclass(frozen=True)
class PicturePosted(Notification):
    """The week's lägesbild, posted in the channel at meeting time."""

    picture: Picture
    late: bool  # the clock was down at meeting time and came back within 12 hours
    skipped_week: int | None  # an earlier week's post that was skipped (the clock was down)
    meeting: weeks.MeetingState = weeks.MeetingState.NOT_STARTED


@dataclass(frozen=True)
class PictureMap(Notification):
    """The lägesbild's map, uploaded into the thread of the post made at meeting time; ``png``
    is None when it could not be drawn (``error`` says why)."""

    iso_week: int
    thread_ts: str
    filename: str
    png: bytes | None
    error: str | None
    comment: LazyText


@dataclass(frozen=True)
class PictureMapFailed(Notification):
    """To each of the group's admins: the lägesbild's map of ``iso_week`` could not be posted in
    its thread (``reason`` is Slack's or the bot's word for why)."""

    iso_week: int
    reason: str


@dataclass(frozen=True)
class ReportPosted(ThreadedPost):
    """An organisation's lägesrapport in the channel, under the week's call for reports; a new
    version edits the post it made (and says it was revised)."""

    report: WeeklyReport
    meeting_day: date
    holiday: str | None  # the meeting moved off this holiday
