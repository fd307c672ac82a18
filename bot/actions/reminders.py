"""Reminders for the action plan: planned into the outbox, prepared from the database at send time.

Stages for an open action with due date D, each at the next allowed working moment:
- "before": 08:00 two working days before D;
- "due": 08:00 on D, when D is a working day (on a day off the first "overdue" one, the next
  working morning, is the reminder: two at once would say the same thing twice);
- "overdue-N": 08:00 on the working day after D, then every seven days (N = 0, 1, 2 …).
Never in quiet hours (18–07), at weekends or on Swedish public holidays in the group's time
zone (``bot.workdays``). Only the latest stage that has come (and those due within the
look-ahead) is queued: a clock that was down does not send a burst of stale reminders, nor a
stale one just before the one that has come due.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from bot.actions.notifications import (
    ActionAssigned,
    ActionEscalated,
    ActionHandedOver,
    ActionOutbox,
    ActionReminder,
    Undeliverable,
)
from bot.actions.results import ActionItem, action_item, action_items
from bot.actions.service import reminder_key
from bot.actors import EstGroup
from bot.delivery import Prefetch, Preparer, Rejected, Scheduled
from bot.notifier import Notification
from bot.workdays import (
    WorkingHours,
    allowed_at,
    at_local,
    is_working_day,
    next_working_day,
    working_days_before,
)
from storage.db import Database
from storage.models import Action, ActionStatus, Outbox
from storage.repositories import UnitOfWork

MORNING = time(8, 0)
LOOKAHEAD = timedelta(hours=6)
ESCALATE_AFTER_DAYS = 14
OPEN = (ActionStatus.OPEN, ActionStatus.IN_PROGRESS)


def stages(action: Action, tz: ZoneInfo, *, until: datetime) -> list[tuple[str, datetime]]:
    """Every reminder stage of ``action`` up to ``until``, in time order (aware UTC)."""
    hours = WorkingHours(tz)

    def morning(day: date) -> datetime:
        return allowed_at(at_local(day, MORNING, tz), hours)

    due = action.due_date
    planned = [("before", morning(working_days_before(due, 2)))]
    if is_working_day(due):
        planned.append(("due", morning(due)))
    first_overdue = next_working_day(due)
    week = 0
    while (at := morning(first_overdue + timedelta(weeks=week))) <= until:
        planned.append((f"overdue-{week}", at))
        week += 1
    return [(name, at) for name, at in planned if at <= until]


def plan_action(uow: UnitOfWork, action: Action, tz: ZoneInfo, *, now: datetime) -> int:
    """Queue the reminders of one action that are due by now + look-ahead; returns how many new."""
    upcoming = [s for s in stages(action, tz, until=now + LOOKAHEAD) if s[1] >= action.created_at]
    past = [s for s in upcoming if s[1] <= now]
    coming = [s for s in upcoming if s[1] > now]
    # the latest stage that has come, unless a newer one comes within the look-ahead: a clock
    # back at 07:59 sends 08:00's reminder only, not last week's a minute before it
    keep = ([past[-1]] if past and not coming else []) + coming
    queued = 0
    for stage, at in keep:
        queued += uow.outbox.enqueue(
            Outbox(
                group_id=action.group_id,
                recipient=action.owner_user_id,
                kind=ActionOutbox.REMINDER,
                payload={
                    "action_id": action.id,
                    "stage": stage.split("-")[0],
                    "due": action.due_date.isoformat(),
                    "owner": action.owner_user_id,
                },
                dedupe_key=reminder_key(action) + stage,
                next_attempt_at=at,
                created_at=now,
            )
        )
    return queued


def escalate(uow: UnitOfWork, action: Action, group: EstGroup, *, now: datetime) -> bool:
    """One notice in the channel for an action overdue more than two weeks."""
    today = now.astimezone(ZoneInfo(group.timezone)).date()
    if action.escalated_at is not None or (today - action.due_date).days <= ESCALATE_AFTER_DAYS:
        return False
    action.escalated_at = now
    post_at = allowed_at(now, WorkingHours(ZoneInfo(group.timezone)))  # not at weekends either
    return uow.outbox.enqueue(
        Outbox(
            group_id=action.group_id,
            recipient=group.channel_id,
            kind=ActionOutbox.ESCALATED,
            payload={"action_id": action.id, "due": action.due_date.isoformat()},
            dedupe_key=reminder_key(action) + "escalated",
            next_attempt_at=post_at,
            created_at=now,
        )
    )


def plan_reminders(db: Database, *, now: datetime, batch: int = 500) -> int:
    """The clock's job: walk every open action, queue what has come due. Safe to run twice."""
    queued, last_id = 0, 0
    while True:
        with db.unit_of_work() as uow:
            actions = uow.actions.open_everywhere(after_id=last_id, limit=batch)
            live = uow.groups.live({a.group_id for a in actions})  # archived: nothing planned
            groups = {g.id: EstGroup.of(g) for g in live}
            for action in actions:
                if (group := groups.get(action.group_id)) is None:
                    continue
                queued += plan_action(uow, action, ZoneInfo(group.timezone), now=now)
                queued += escalate(uow, action, group, now=now)
        if len(actions) < batch:
            return queued
        last_id = actions[-1].id or last_id


# -- at send time ------------------------------------------------------------------------------


def _current(uow: UnitOfWork, row: Outbox) -> tuple[EstGroup, Action] | None:
    action = _action(uow, int(row.payload["action_id"]))
    group = _group(uow, row.group_id or 0)
    if action is None or group is None:
        return None
    return group, action


def _action(uow: UnitOfWork, action_id: int) -> Action | None:
    """The action, from the sweep's prefetch when it was loaded there."""
    prefetched: dict[int, Action] = uow.memo.get(_ACTIONS, {})
    return prefetched.get(action_id) or uow.actions.get(action_id)


def _group(uow: UnitOfWork, group_id: int) -> EstGroup | None:
    """The group's view, looked up once in a transaction however many rows are for it."""
    known: dict[int, EstGroup] = uow.memo.setdefault("reminders.groups", {})
    if group_id not in known and (row := uow.groups.get(group_id)) is not None:
        known[group_id] = EstGroup.of(row)
    return known.get(group_id)


_ACTIONS, _VIEWS = "reminders.actions", "reminders.action_items"


def prefetch_actions(uow: UnitOfWork, rows: Sequence[Outbox]) -> None:
    """Load the actions of a sweep's rows and their views in a few queries, not a few each."""
    ids = {int(row.payload["action_id"]) for row in rows if row.payload.get("action_id")}
    actions = uow.actions.many(ids)
    # kept here: the session's identity map holds rows only as long as someone else does
    uow.memo[_ACTIONS] = {action.id: action for action in actions}
    uow.memo[_VIEWS] = {view.id: view for view in action_items(uow, actions)}


def _view(uow: UnitOfWork, action: Action) -> ActionItem:
    prefetched: dict[int, ActionItem] = uow.memo.get(_VIEWS, {})
    return prefetched.get(action.id or 0) or action_item(uow, action)


def prepare_reminder(uow: UnitOfWork, row: Outbox, now: datetime) -> Notification | None:
    found = _current(uow, row)
    if found is None:
        return None
    group, action = found
    still = (
        action.status in OPEN
        and action.due_date.isoformat() == row.payload.get("due")
        and action.owner_user_id == row.recipient
    )
    if not still:
        return None  # done, postponed or handed over since it was planned
    today = row.next_attempt_at.astimezone(ZoneInfo(group.timezone)).date()
    return ActionReminder(group, _view(uow, action), str(row.payload["stage"]), today)


def prepare_assigned(uow: UnitOfWork, row: Outbox, now: datetime) -> Notification | None:
    found = _current(uow, row)
    if found is None or found[1].status not in OPEN or found[1].owner_user_id != row.recipient:
        return None
    group, action = found
    previous = row.payload.get("previous")
    return ActionAssigned(
        group,
        _view(uow, action),
        str(row.payload.get("by", "")),
        now.astimezone(ZoneInfo(group.timezone)).date(),
        str(previous) if previous else None,
    )


def prepare_handed_over(uow: UnitOfWork, row: Outbox, now: datetime) -> Notification | None:
    found = _current(uow, row)
    if found is None:
        return None
    group, action = found
    return ActionHandedOver(group, _view(uow, action), str(row.payload.get("by", "")))


def prepare_escalated(uow: UnitOfWork, row: Outbox, now: datetime) -> Notification | None:
    found = _current(uow, row)
    if found is None or found[1].status not in OPEN:
        return None
    group, action = found
    today = row.created_at.astimezone(ZoneInfo(group.timezone)).date()
    return ActionEscalated(group, _view(uow, action), (today - action.due_date).days)


def prepare_undeliverable(uow: UnitOfWork, row: Outbox, now: datetime) -> Notification | None:
    group = _group(uow, row.group_id or 0)
    if group is None:
        return None
    action_id = row.payload.get("action_id")
    action = _action(uow, int(action_id)) if action_id else None
    view = _view(uow, action) if action is not None else None
    return Undeliverable(group, str(row.payload["recipient"]), str(row.payload["reason"]), view)


# every kind here names an action in its payload
PREFETCH: dict[str, Prefetch] = dict.fromkeys(ActionOutbox, prefetch_actions)

PREPARERS: dict[str, Preparer] = {
    ActionOutbox.REMINDER: prepare_reminder,
    ActionOutbox.ASSIGNED: prepare_assigned,
    ActionOutbox.HANDED_OVER: prepare_handed_over,
    ActionOutbox.ESCALATED: prepare_escalated,
    ActionOutbox.UNDELIVERABLE: prepare_undeliverable,
}


def tell_admins(uow: UnitOfWork, row: Outbox, error: Rejected, now: datetime) -> None:
    """A DM that can never arrive (the person left, the channel is gone): the admins are told."""
    if row.kind == ActionOutbox.UNDELIVERABLE or row.group_id is None:
        return
    admins = [admin for admin in uow.members.admins(row.group_id) if admin != row.recipient]
    for admin in admins:
        uow.outbox.enqueue(
            Outbox(
                group_id=row.group_id,
                recipient=admin,
                kind=ActionOutbox.UNDELIVERABLE,
                payload={
                    "recipient": row.recipient,
                    "reason": error.error,
                    "action_id": row.payload.get("action_id"),
                },
                dedupe_key=f"undeliverable:{row.id}:{admin}",
                next_attempt_at=now,
                created_at=now,
            )
        )


# what the action plan sends through the outbox, for the clock
SCHEDULED = Scheduled(ActionOutbox, plan_reminders, PREPARERS, prefetch=PREFETCH)
