"""What activities send through the outbox: their kinds of rows and the notifications those are
prepared into at send time."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from bot.activities.results import ObservedEffect, PlannedActivity
from bot.notifier import Notification


class ActivityOutbox(StrEnum):
    """The activities' outbox kinds (stored in ``Outbox.kind``: never change a value)."""

    ANNOUNCED = "activity.announced"
    REMINDER = "activity.reminder"
    FOLLOWUP = "activity.followup"
    EFFECT = "activity.effect"


@dataclass(frozen=True)
class ActivityAnnounced(Notification):
    """In the channel: a new activity is planned (or a planned one moved)."""

    activity: PlannedActivity
    moved: bool = False


@dataclass(frozen=True)
class ActivityReminder(Notification):
    """To the owner, the day before."""

    activity: PlannedActivity


@dataclass(frozen=True)
class ActivityFollowUpDue(Notification):
    """To the owner, the day after: a button that opens the follow-up form."""

    activity: PlannedActivity


@dataclass(frozen=True)
class ActivityEffect(Notification):
    """To the owner, one and four weeks after: incidents at the places before and after."""

    activity: PlannedActivity
    effect: ObservedEffect
