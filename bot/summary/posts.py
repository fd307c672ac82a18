"""Posting the weekly summary: automatically at the group's time, or now with `/est sammanfattning`.

Both go through the outbox as two rows to the channel: the summary, then its chart (the outbox
sends a recipient's rows in order, so the chart row is claimed only after the summary is
posted, and uploads into its thread). The clock stores the week's summary in the same
transaction as it queues the rows, under one dedupe key per group and week: two clocks post it
once. It does so a quarter of an hour before the post's time, so that the chart is drawn
ahead of its send (``charts``). What cannot be rendered or uploaded is reported to the group's
admins.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from bot.actors import Actor, EstGroup
from bot.commands import fold
from bot.delivery import FailureHook, Preparer, Rejected, Scheduled
from bot.errors import InvalidInput
from bot.i18n import N_
from bot.notifier import Notification
from bot.rules import require
from bot.summary.charts import DRAW_AHEAD, prepare_chart, summary_of
from bot.summary.maps import prepare_map
from bot.summary.notifications import SummaryFailed, SummaryOutbox, SummaryPosted
from bot.summary.service import Summary, last_week, summary_for, week_start
from bot.timeparse import read_week, week_span
from bot.workdays import WorkingHours, allowed_at, at_local
from storage.db import Database
from storage.models import Group, MemberStatus, Outbox, Role
from storage.repositories import UnitOfWork, snapshot

log = logging.getLogger(__name__)

STALE_AFTER = timedelta(hours=12)  # a clock back later than this skips the week's post
PLAN_LOCK = 1901  # the advisory lock a clock holds on a group while it plans its summary
WEEKDAYS = {
    "mandag": 0,
    "monday": 0,
    "tisdag": 1,
    "tuesday": 1,
    "onsdag": 2,
    "wednesday": 2,
    "torsdag": 3,
    "thursday": 3,
    "fredag": 4,
    "friday": 4,
}
_HHMM = re.compile(r"^([01]?\d|2[0-3])[:.]([0-5]\d)$")


@dataclass(frozen=True)
class Queued:
    iso_year: int
    iso_week: int
    quiet: bool


@dataclass(frozen=True)
class Schedule:
    weekday: int  # 0 = Monday
    time: str  # HH:MM, local


def parse_week(text: str, now: datetime, tz: ZoneInfo) -> tuple[int, int]:
    """'' → last week; 'v47', 'vecka 47', '47', 'v47 2026', '2026-v47', 'förra veckan' → that
    week by ``timeparse.read_week``'s rule (without a year: the nearest week 47), if it has
    ended; what is not one week, or not over, is refused saying what was understood."""
    if not text.strip():
        return last_week(now, tz)
    year, week = read_week(text, now=now, tz=tz)
    if (year, week) >= tuple(now.astimezone(tz).isocalendar())[:2]:
        message = N_(
            "Week {week}, {year} ({days}) is not over yet: its summary can be posted from the "
            "Monday after.",
            week=week,
            year=year,
            days=week_span(year, week),
        )
        raise InvalidInput(message)
    return year, week


def parse_schedule(text: str) -> Schedule:
    """'måndag 08:00', 'tisdag 7.30', 'monday 8:00' → a schedule; else InvalidInput."""
    words = fold(text).split()
    if len(words) != 2 or words[0] not in WEEKDAYS or not (clock := _HHMM.match(words[1])):
        raise InvalidInput(
            N_("Write a weekday and a time, e.g. `måndag 08:00` (“{text}”).", text=text)
        )
    return Schedule(WEEKDAYS[words[0]], f"{int(clock.group(1)):02d}:{clock.group(2)}")


def _rows(
    group: Group, year: int, week: int, key: str, at: datetime, now: datetime
) -> list[Outbox]:
    payload = {"year": year, "week": week, "post_key": key}
    return [
        Outbox(
            group_id=group.id,
            recipient=group.slack_channel_id,
            kind=kind,
            payload=payload,
            dedupe_key=key + suffix,
            next_attempt_at=at,
            created_at=now,
        )
        for kind, suffix in (
            (SummaryOutbox.POST, ""),
            (SummaryOutbox.CHART, ":chart"),
            (SummaryOutbox.MAP, ":map"),
        )
    ]


class SummaryService:
    def __init__(self, db: Database) -> None:
        self.db = db

    def post_now(self, actor: Actor, week_text: str, *, now: datetime) -> Queued:
        """`/est sammanfattning [vecka]`: the week's stored summary, posted to the channel now."""
        group = require(actor, Role.MEDLEM)
        year, week = parse_week(week_text, now, ZoneInfo(group.timezone))
        with self.db.unit_of_work() as uow:
            row = uow.groups.get(group.id)
            assert row is not None
            summary = summary_for(uow, row, year, week, actor=actor.user_id, now=now)
            key = f"summary:{group.id}:{year}-W{week:02d}:asked:{actor.user_id}:{now.isoformat()}"
            for outbox in _rows(row, year, week, key, now, now):
                uow.outbox.enqueue(outbox)
        return Queued(year, week, summary.quiet)

    def show(self, actor: Actor, week_text: str, *, now: datetime) -> Summary:
        """The week's summary as stored (or computed and stored), for the console and tests."""
        group = require(actor, Role.LASARE)
        year, week = parse_week(week_text, now, ZoneInfo(group.timezone))
        with self.db.unit_of_work() as uow:
            row = uow.groups.get(group.id)
            assert row is not None
            return summary_for(uow, row, year, week, actor=actor.user_id, now=now)

    def set_schedule(self, actor: Actor, text: str, *, now: datetime) -> Schedule:
        """`/est sammanfattning tid måndag 08:00` (admins): when the summary is posted."""
        group = require(actor, Role.ADMIN)
        schedule = parse_schedule(text)
        with self.db.unit_of_work() as uow:
            row = uow.groups.get(group.id)
            assert row is not None
            before = snapshot(row)
            row.summary_weekday, row.summary_time = schedule.weekday, schedule.time
            row.updated_at = now
            uow.groups.add(row)
            uow.audit.record_row("group.changed", row, actor=actor.user_id, at=now, before=before)
        return schedule


def summary_moment(group: Group, now: datetime) -> datetime:
    """This week's posting time (aware UTC), moved out of quiet hours, weekends and holidays."""
    tz = ZoneInfo(group.timezone)
    year, week, _ = now.astimezone(tz).isocalendar()
    day = datetime.fromisocalendar(year, week, group.summary_weekday + 1).date()
    planned = at_local(day, time.fromisoformat(group.summary_time), tz)
    return allowed_at(planned, WorkingHours(tz))


def _due(group: Group, now: datetime) -> tuple[datetime, str, int, int] | None:
    """When this week's post is due and its key, from DRAW_AHEAD before its time (for its chart
    to be drawn ahead), never before the week it sums up has ended, to 12 hours after."""
    moment = summary_moment(group, now)
    year, week = last_week(moment, tz := ZoneInfo(group.timezone))
    ended = week_start(year, week, tz) + timedelta(weeks=1)
    if not max(moment - DRAW_AHEAD, ended) <= now < moment + STALE_AFTER:
        return None
    return moment, f"summary:{group.id}:{year}-W{week:02d}:weekly", year, week


def plan_summaries(db: Database, *, now: datetime) -> int:
    """The clock's job: each group's summary DRAW_AHEAD before its time (up to 12 hours after),
    stored and queued in one transaction, its rows due at the time. Safe to run every minute
    and from two clocks; it writes only when a group's post is due and not yet queued. Two
    clocks share the work: each skips the group the other is computing, and one the other has
    queued since."""
    with db.unit_of_work(read_only=True) as uow:
        due = []
        for row in uow.groups.live():  # archived: no summary
            found = _due(row, now)
            if found and uow.outbox.by_key(found[1]) is None:
                due.append(row.id or 0)
    queued = 0
    for group_id in due:
        with db.unit_of_work() as uow:
            if not uow.groups.try_lock(group_id, job=PLAN_LOCK):
                continue  # another clock is planning this group's summary right now
            group = uow.groups.get(group_id)
            assert group is not None
            if (found := _due(group, now)) is None or uow.outbox.by_key(found[1]) is not None:
                continue  # not due, or queued by another clock since the first look
            moment, key, year, week = found
            summary_for(uow, group, year, week, actor="bot", now=now)
            queued += sum(uow.outbox.enqueue(r) for r in _rows(group, year, week, key, moment, now))
    return queued


# -- at send time ------------------------------------------------------------------------------


def prepare_post(uow: UnitOfWork, row: Outbox, now: datetime) -> Notification | None:
    found = summary_of(uow, row)
    return SummaryPosted(*found) if found is not None else None


def prepare_failed(uow: UnitOfWork, row: Outbox, now: datetime) -> Notification | None:
    group = uow.groups.get(row.group_id or 0)
    if group is None:
        return None
    return SummaryFailed(
        EstGroup.of(group),
        int(row.payload["week"]),
        str(row.payload["part"]),
        str(row.payload["reason"]),
    )


PARTS: dict[str, str] = {
    SummaryOutbox.CHART: "chart",
    SummaryOutbox.MAP: "map",
}  # what the admins are told of
PREPARERS: dict[str, Preparer] = {
    SummaryOutbox.POST: prepare_post,
    SummaryOutbox.CHART: prepare_chart,
    SummaryOutbox.MAP: prepare_map,
    SummaryOutbox.FAILED: prepare_failed,
}


def tell_admins(uow: UnitOfWork, row: Outbox, error: Rejected, now: datetime) -> None:
    """A summary or chart that could not be rendered or posted: every admin gets a DM."""
    assert row.group_id is not None
    for member in uow.members.of_group(row.group_id, status=MemberStatus.ACTIVE):
        if member.role != Role.ADMIN:
            continue
        uow.outbox.enqueue(
            Outbox(
                group_id=row.group_id,
                recipient=member.slack_user_id,
                kind=SummaryOutbox.FAILED,
                payload={
                    "week": row.payload.get("week"),
                    "part": PARTS.get(row.kind, "summary"),
                    "reason": error.error,
                },
                dedupe_key=f"summary-failed:{row.id}:{member.slack_user_id}",
                next_attempt_at=now,
                created_at=now,
            )
        )


# what the sender does when a row of these kinds fails for good (a failure notice that itself
# fails is not reported again)
ON_FAILURE: dict[str, FailureHook] = {
    SummaryOutbox.POST: tell_admins,
    SummaryOutbox.CHART: tell_admins,
    SummaryOutbox.MAP: tell_admins,
    SummaryOutbox.FAILED: lambda uow, row, error, now: None,
}

# what the summary sends through the outbox, for the clock
SCHEDULED = Scheduled(SummaryOutbox, plan_summaries, PREPARERS, on_failure=ON_FAILURE)
