"""What the action plan sends, all through the outbox: its kinds of rows and the notifications
they are prepared into at send time."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from bot.actions.results import ActionItem
from bot.notifier import Notification


class ActionOutbox(StrEnum):
    """The action plan's outbox kinds (stored in ``Outbox.kind``: never change a value)."""

    ASSIGNED = "action.assigned"
    HANDED_OVER = "action.handed_over"
    REMINDER = "action.reminder"
    ESCALATED = "action.escalated"
    UNDELIVERABLE = "undeliverable"


@dataclass(frozen=True)
class ActionAssigned(Notification):
    """A DM to the (new) owner with the action and its buttons."""

    action: ActionItem
    by: str
    today: date  # the group's date when it is sent, for "due in 3 days"
    previous_owner: str | None = None


@dataclass(frozen=True)
class ActionHandedOver(Notification):
    """A DM to the previous owner: the action went to someone else."""

    action: ActionItem
    by: str


@dataclass(frozen=True)
class ActionReminder(Notification):
    action: ActionItem
    stage: str  # before / due / overdue
    today: date


@dataclass(frozen=True)
class ActionEscalated(Notification):
    """One notice in the channel: an action overdue for more than two weeks."""

    action: ActionItem
    days_overdue: int


@dataclass(frozen=True)
class Undeliverable(Notification):
    """To the group's admins: a message could not reach its person (e.g. they left)."""

    recipient: str
    reason: str
    action: ActionItem | None = None
