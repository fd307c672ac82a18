"""The weekly rhythm, planned into the outbox by the clock.

For the coming meeting of each group:
- the call for reports, `call_lead_hours` before the deadline, in the channel and by DM to the
  members of every reporting organisation that has not reported yet (a button opens the report
  form); when working hours would move it to the deadline or past it (a deadline on annandag
  påsk), it goes at 08:00 on the last working day before the deadline instead;
- one nudge, `nudge_lead_hours` before the deadline, to organisations that have not reported —
  never in quiet hours, at weekends or on holidays (then it goes earlier or not at all);
- the compiled lägesbild in the channel at meeting time, its map in the post's thread. A clock
  that was down then and is back within 12 hours posts it late, saying so; later than that the
  post (and its map) is skipped and the next week's post says so. A meeting on a public
  holiday moves to the next working day.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from bot.actors import EstGroup
from bot.delivery import FailureHook, Prefetch, Preparer, Scheduled
from bot.notifier import Notification
from bot.weekly.notifications import (
    PicturePosted,
    ReportNudge,
    ReportsCalled,
    WeeklyOutbox,
)
from bot.weekly.notifications import cycle_key as _key
from bot.weekly.picture_map import (
    STALE_AFTER,
    picture_as_it_stands,
    prepare_map_failed,
    prepare_picture_map,
    tell_admins_of_map,
)
from bot.weekly.report_posts import prepare_report_post
from bot.weekly.weeks import deadline, meeting_moment, report_week
from bot.workdays import WorkingHours, allowed_at, at_local, working_days_before
from storage.db import Database
from storage.models import Group, Member, MemberStatus, Outbox, OutboxStatus, Role
from storage.repositories import UnitOfWork

LOOKAHEAD = timedelta(hours=6)
LATE_AFTER = timedelta(minutes=15)
PLAN_LOCK = 1902  # the advisory lock a clock holds on a group while it plans its rhythm


def _reporters(uow: UnitOfWork, group_id: int) -> list[Member]:
    reporting = {o.id for o in uow.reports.reporting_organisations(group_id)}
    return [
        m
        for m in uow.members.of_group(group_id, status=MemberStatus.ACTIVE)
        if m.organisation_id in reporting and m.role not in (Role.LASARE, Role.RAPPORTOR)
    ]


def _row(
    group: Group,
    recipient: str,
    kind: WeeklyOutbox,
    key: str,
    at: datetime,
    now: datetime,
    **payload: object,
) -> Outbox:
    return Outbox(
        group_id=group.id,
        recipient=recipient,
        kind=kind,
        payload=payload,
        dedupe_key=key,
        next_attempt_at=at,
        created_at=now,
    )


def call_moment(due: datetime, lead_hours: int, hours: WorkingHours) -> datetime:
    """When the call for reports due at ``due`` goes: ``lead_hours`` before, at the next working
    moment — or, if that is not before the deadline, at the start of the last working day
    before it (a call that could only come after the deadline would never come)."""
    call_at = allowed_at(due - timedelta(hours=lead_hours), hours)
    if call_at < due:
        return call_at
    last_day = working_days_before(due.astimezone(hours.tz).date(), 1)
    return at_local(last_day, hours.morning, hours.tz)


def plan_group(uow: UnitOfWork, group: Group, *, now: datetime) -> int:
    """Queue what of the coming week's rhythm is due within the look-ahead (in one statement:
    the planner asks every minute, and what it queued before is skipped by its key)."""
    assert group.id is not None
    year, week = report_week(group, now)
    due, moment = deadline(group, year, week), meeting_moment(group, year, week)[0]
    hours = WorkingHours(ZoneInfo(group.timezone))
    call_at = call_moment(due, group.call_lead_hours, hours)
    nudge_at = allowed_at(due - timedelta(hours=group.nudge_lead_hours), hours)
    rows: list[Outbox] = []
    horizon = now + LOOKAHEAD
    week_payload: dict[str, object] = {"year": year, "week": week}

    def add(recipient: str, kind: WeeklyOutbox, what: str, at: datetime, **extra: object) -> None:
        key = _key(group.id or 0, year, week, what)
        rows.append(_row(group, recipient, kind, key, at, now, **week_payload, **extra))

    if call_at <= horizon and now < due:
        add(group.slack_channel_id, WeeklyOutbox.CALL, "call", call_at)
        for member in _reporters(uow, group.id):
            add(member.slack_user_id, WeeklyOutbox.CALL, f"call:{member.slack_user_id}", call_at)
    if nudge_at < due and nudge_at <= horizon and now < due:
        for member in _reporters(uow, group.id):
            who = member.slack_user_id
            add(
                who,
                WeeklyOutbox.NUDGE,
                f"nudge:{who}",
                nudge_at,
                organisation_id=member.organisation_id,
            )
    if moment <= horizon:
        skipped = _skipped_before(uow, group.id, year, week)
        add(group.slack_channel_id, WeeklyOutbox.PICTURE, "picture", moment, skipped_week=skipped)
        # its map, into the post's thread: queued after it, so sent after it
        picture_key = _key(group.id, year, week, "picture")
        add(group.slack_channel_id, WeeklyOutbox.PICTURE_MAP, "picture:map", moment,
            post_key=picture_key)  # fmt: skip
    return uow.outbox.enqueue_many(rows)


def _skipped_before(uow: UnitOfWork, group_id: int, year: int, week: int) -> int | None:
    """The previous week, if its lägesbild post was skipped because the clock was down."""
    previous = datetime.fromisocalendar(year, week, 1) - timedelta(weeks=1)
    p_year, p_week, _ = previous.isocalendar()
    row = uow.outbox.by_key(_key(group_id, p_year, p_week, "picture"))
    return p_week if row is not None and row.status == OutboxStatus.CANCELLED else None


def plan_cycle(db: Database, *, now: datetime) -> int:
    """The clock's job: every group's weekly rhythm. Safe to run often and from two clocks, which
    share the groups between them: each skips the group the other is planning (so, walking the
    same list, they leapfrog each other)."""
    with db.unit_of_work(read_only=True) as uow:
        ids = [g.id for g in uow.groups.live()]  # archived: no rhythm
    queued = 0
    for group_id in ids:
        with db.unit_of_work() as uow:
            if not uow.groups.try_lock(group_id or 0, job=PLAN_LOCK):
                continue  # another clock is planning this group now: it goes on to the next
            group = uow.groups.get(group_id or 0)
            assert group is not None
            queued += plan_group(uow, group, now=now)
    return queued


# -- at send time ------------------------------------------------------------------------------


_GROUPS, _ORGANISATION, _REPORTED = "weekly.groups", "weekly.organisation", "weekly.reported"


def prefetch_weekly(uow: UnitOfWork, rows: Sequence[Outbox]) -> None:
    """What a sweep's calls and nudges read, a few queries per group instead of three per row:
    the live groups, each member's organisation, and who has reported for the row's week. Kept
    in the memo: the session's identity map holds rows only as long as someone else does."""
    groups = {g.id: g for g in uow.groups.live({r.group_id for r in rows if r.group_id})}
    organisation: dict[tuple[int, str], int] = {}
    reported: dict[tuple[int, int, int], set[int]] = {}
    for group_id in groups:
        for member in uow.members.of_group(group_id or 0):
            organisation[(group_id or 0, member.slack_user_id)] = member.organisation_id
    for row in rows:
        year, week = int(row.payload.get("year", 0)), int(row.payload.get("week", 0))
        key = (row.group_id or 0, year, week)
        if row.group_id in groups and key not in reported:
            found = uow.reports.of_week(row.group_id or 0, year, week)
            reported[key] = {r.organisation_id for r in found}
    uow.memo.update({_GROUPS: groups, _ORGANISATION: organisation, _REPORTED: reported})


def _group(uow: UnitOfWork, row: Outbox) -> Group | None:
    """The row's group, or None (the row is dropped) if it is gone or archived meanwhile."""
    if (known := uow.memo.get(_GROUPS)) is not None and row.group_id in known:
        return known[row.group_id]  # type: ignore[no-any-return]
    group = uow.groups.get(row.group_id or 0)
    return group if group is not None and group.archived_at is None else None


def prepare_call(uow: UnitOfWork, row: Outbox, now: datetime) -> Notification | None:
    group = _group(uow, row)
    if group is None:
        return None
    year, week = int(row.payload["year"]), int(row.payload["week"])
    due = deadline(group, year, week)
    if now >= due:
        return None  # too late to call for reports
    if _has_reported(uow, group, row.recipient, year, week):
        return None  # the person's organisation has reported already: no call to them
    _moment, day, holiday = meeting_moment(group, year, week)
    return ReportsCalled(EstGroup.of(group), week, due, day, holiday)


def _has_reported(uow: UnitOfWork, group: Group, recipient: str, year: int, week: int) -> bool:
    """The call's DM goes to a person whose organisation has reported for the week's meeting
    (the channel's call is never held back: the organisations' reports are posted under it)."""
    if recipient == group.slack_channel_id or group.id is None:
        return False
    reported = uow.memo.get(_REPORTED, {}).get((group.id, year, week))
    organisation = uow.memo.get(_ORGANISATION, {}).get((group.id, recipient))
    if reported is not None and organisation is not None:
        return organisation in reported
    member = uow.members.find(group.id, recipient)
    return member is not None and _reported(uow, group.id, member.organisation_id, year, week)


def _reported(uow: UnitOfWork, group_id: int, organisation_id: int, year: int, week: int) -> bool:
    """The organisation has a report for the week's meeting: no call or nudge to it."""
    return uow.reports.find(group_id, organisation_id, year, week) is not None


def prepare_nudge(uow: UnitOfWork, row: Outbox, now: datetime) -> Notification | None:
    group = _group(uow, row)
    if group is None or group.id is None:
        return None
    year, week = int(row.payload["year"]), int(row.payload["week"])
    organisation = uow.organisations.get(int(row.payload["organisation_id"]))
    due = deadline(group, year, week)
    if organisation is None or organisation.id is None or now >= due:
        return None
    if _reported(uow, group.id, organisation.id, year, week):
        return None  # they have reported: no nudge
    return ReportNudge(EstGroup.of(group), week, due, organisation.name)


def prepare_picture(uow: UnitOfWork, row: Outbox, now: datetime) -> Notification | None:
    group = _group(uow, row)
    if group is None:
        return None
    lateness = now - row.next_attempt_at
    if lateness > STALE_AFTER:
        return None  # cancelled: the next week's post says it was skipped
    year, week = int(row.payload["year"]), int(row.payload["week"])
    picture, meeting = picture_as_it_stands(uow, group, year, week, now)
    skipped = row.payload.get("skipped_week")
    return PicturePosted(
        EstGroup.of(group),
        picture,
        lateness > LATE_AFTER,
        int(skipped) if skipped else None,
        meeting,
    )


PREPARERS: dict[str, Preparer] = {
    WeeklyOutbox.CALL: prepare_call,
    WeeklyOutbox.NUDGE: prepare_nudge,
    WeeklyOutbox.PICTURE: prepare_picture,
    WeeklyOutbox.PICTURE_MAP: prepare_picture_map,
    WeeklyOutbox.PICTURE_MAP_FAILED: prepare_map_failed,
    WeeklyOutbox.REPORT: prepare_report_post,
}

# what the weekly rhythm sends through the outbox, for the clock
PREFETCH: dict[str, Prefetch] = dict.fromkeys((WeeklyOutbox.CALL,), prefetch_weekly)

# a map that fails for good is told to the admins (a notice that fails is not told again); the
# other kinds keep the clock's default, the admins told of an undeliverable DM
ON_FAILURE: dict[str, FailureHook] = {
    WeeklyOutbox.PICTURE_MAP: tell_admins_of_map,
    WeeklyOutbox.PICTURE_MAP_FAILED: lambda uow, row, error, now: None,
}

SCHEDULED = Scheduled(WeeklyOutbox, plan_cycle, PREPARERS, prefetch=PREFETCH, on_failure=ON_FAILURE)
