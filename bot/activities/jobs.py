"""What activities send later, through the outbox: planned by the clock, prepared at send time.

- the announcement in the channel, queued when the activity is saved;
- the reminder to the owner at 09:00 the day before (if it was planned before then);
- the follow-up form to the owner the day after, at the first working morning;
- the before/after incident counts one and four weeks after it ended.
Only what has come due is queued (a future row would hold up the person's other messages), and
the dedupe keys make the planner safe to run twice or from two clocks.
"""

from __future__ import annotations

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from bot.activities.notifications import (
    ActivityAnnounced,
    ActivityEffect,
    ActivityFollowUpDue,
    ActivityOutbox,
    ActivityReminder,
)
from bot.activities.results import EFFECT_WEEKS, planned_activity
from bot.activities.service import key_of
from bot.actors import EstGroup
from bot.delivery import Preparer, Scheduled
from bot.notifier import Notification
from bot.workdays import WorkingHours, allowed_at, at_local
from storage.db import Database
from storage.models import Activity, ActivityStatus, Outbox
from storage.repositories import UnitOfWork

REMIND_AT = time(9, 0)
FOLLOW_UP_AT = time(9, 0)
HORIZON_BACK = timedelta(weeks=max(EFFECT_WEEKS) + 1)
HORIZON_AHEAD = timedelta(days=3)
# the kind of row of each stage of ``moments`` ("effect-1" and "effect-4" are both effects)
KINDS = {
    "reminder": ActivityOutbox.REMINDER,
    "followup": ActivityOutbox.FOLLOWUP,
    "effect": ActivityOutbox.EFFECT,
}


def moments(activity: Activity, tz: ZoneInfo) -> list[tuple[str, datetime]]:
    """Each message of an activity and when it is due (aware UTC), in time order."""
    hours = WorkingHours(tz)
    start_day = activity.start_at.astimezone(tz).date()
    end_day = activity.end_at.astimezone(tz).date()
    planned = []
    remind = at_local(start_day - timedelta(days=1), REMIND_AT, tz)
    if activity.created_at < remind:  # planned the same day: no reminder needed
        planned.append(("reminder", remind))
    follow = allowed_at(at_local(end_day + timedelta(days=1), FOLLOW_UP_AT, tz), hours)
    planned.append(("followup", follow))
    for weeks in EFFECT_WEEKS:
        at = allowed_at(activity.end_at + timedelta(weeks=weeks), hours)
        planned.append((f"effect-{weeks}", at))
    return planned


def plan_activity(uow: UnitOfWork, activity: Activity, tz: ZoneInfo, *, now: datetime) -> int:
    queued = 0
    for stage, at in moments(activity, tz):
        if at > now:
            continue
        if stage == "reminder" and (now >= activity.start_at or activity.status != "planerad"):
            continue
        if stage == "followup" and activity.followed_up_at is not None:
            continue
        queued += uow.outbox.enqueue(
            Outbox(
                group_id=activity.group_id,
                recipient=activity.owner_user_id,
                kind=KINDS[stage.split("-")[0]],
                payload={
                    "activity_id": activity.id,
                    "start": activity.start_at.isoformat(),
                    "weeks": int(stage.split("-")[1]) if "-" in stage else None,
                },
                dedupe_key=key_of(activity) + activity.start_at.isoformat() + ":" + stage,
                next_attempt_at=at,
                created_at=now,
            )
        )
    return queued


def plan_activities(db: Database, *, now: datetime, batch: int = 500) -> int:
    """The clock's job: queue each activity message that has come due. Safe to run twice."""
    queued, last_id = 0, 0
    while True:
        with db.unit_of_work() as uow:
            rows = uow.activities.ending_between(
                now - HORIZON_BACK, now + HORIZON_AHEAD, after_id=last_id, limit=batch
            )
            live = uow.groups.live({r.group_id for r in rows})  # archived: nothing planned
            zones = {g.id: ZoneInfo(g.timezone) for g in live}
            for row in rows:
                if (tz := zones.get(row.group_id)) is not None:
                    queued += plan_activity(uow, row, tz, now=now)
        if len(rows) < batch:
            return queued
        last_id = rows[-1].id or last_id


# -- at send time ------------------------------------------------------------------------------


def _current(uow: UnitOfWork, row: Outbox) -> tuple[EstGroup, Activity] | None:
    activity = uow.activities.get(int(row.payload["activity_id"]))
    group = uow.groups.get(row.group_id or 0)
    if activity is None or group is None or activity.status == ActivityStatus.INSTALLD:
        return None
    if row.payload.get("start") not in (None, activity.start_at.isoformat()):
        return None  # moved since it was planned
    return EstGroup.of(group), activity


def prepare_announced(uow: UnitOfWork, row: Outbox, now: datetime) -> Notification | None:
    found = _current(uow, row)
    if found is None or found[1].end_at <= now:
        return None  # registered afterwards: nothing to announce
    group, activity = found
    moved = "start" in row.payload
    return ActivityAnnounced(group, planned_activity(uow, activity), moved=moved)


def prepare_reminder(uow: UnitOfWork, row: Outbox, now: datetime) -> Notification | None:
    found = _current(uow, row)
    if found is None or found[1].owner_user_id != row.recipient or now >= found[1].start_at:
        return None
    group, activity = found
    return ActivityReminder(group, planned_activity(uow, activity))


def prepare_followup(uow: UnitOfWork, row: Outbox, now: datetime) -> Notification | None:
    found = _current(uow, row)
    if found is None or found[1].followed_up_at is not None:
        return None
    group, activity = found
    return ActivityFollowUpDue(group, planned_activity(uow, activity))


def prepare_effect(uow: UnitOfWork, row: Outbox, now: datetime) -> Notification | None:
    found = _current(uow, row)
    if found is None:
        return None
    group, activity = found
    view = planned_activity(uow, activity, now=now)  # with the counts that are due by now
    weeks = int(row.payload.get("weeks") or 1)
    computed = [e for e in view.effects if e.weeks == weeks]
    if not computed:
        return None
    return ActivityEffect(group, view, computed[0])


PREPARERS: dict[str, Preparer] = {
    ActivityOutbox.ANNOUNCED: prepare_announced,
    ActivityOutbox.REMINDER: prepare_reminder,
    ActivityOutbox.FOLLOWUP: prepare_followup,
    ActivityOutbox.EFFECT: prepare_effect,
}

# what activities send through the outbox, for the clock
SCHEDULED = Scheduled(ActivityOutbox, plan_activities, PREPARERS)
