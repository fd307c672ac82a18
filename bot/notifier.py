"""How the domain speaks outward. Slack, the console and the tests each implement ``Notifier``."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Protocol

from bot.actions.results import ActionItem
from bot.activities.results import ObservedEffect, PlannedActivity
from bot.actors import EstGroup, Membership
from bot.summary.service import Summary
from bot.weekly.picture import Picture


@dataclass(frozen=True)
class GroupCreated:
    group: EstGroup
    admin_user_id: str


@dataclass(frozen=True)
class JoinRequested:
    group: EstGroup
    member: Membership
    admin_user_ids: tuple[str, ...]


@dataclass(frozen=True)
class JoinDecided:
    group: EstGroup
    member: Membership
    approved: bool
    decided_by: str


@dataclass(frozen=True)
class MemberAdded:
    group: EstGroup
    member: Membership
    added_by: str


@dataclass(frozen=True)
class MemberLeft:
    """A member left the workspace; ``promoted`` became admin so the group keeps one."""

    group: EstGroup
    user_id: str
    admin_user_ids: tuple[str, ...]
    promoted: str | None


@dataclass(frozen=True)
class ChannelArchived:
    group: EstGroup
    admin_user_ids: tuple[str, ...]
    archived: bool  # False: unarchived again


@dataclass(frozen=True)
class HotspotReached:
    group: EstGroup
    place: str
    category_sv: str
    category_en: str
    count: int
    rule: str  # "count": n within `days`; "average": n this week against the 4-week average
    iso_year: int
    iso_week: int
    days: int


@dataclass(frozen=True)
class ActionAssigned:
    """A DM to the (new) owner with the action and its buttons."""

    group: EstGroup
    action: ActionItem
    by: str
    previous_owner: str | None = None


@dataclass(frozen=True)
class ActionHandedOver:
    """A DM to the previous owner: the action went to someone else."""

    group: EstGroup
    action: ActionItem
    by: str


@dataclass(frozen=True)
class ActionReminder:
    group: EstGroup
    action: ActionItem
    stage: str  # before / due / overdue
    today: date


@dataclass(frozen=True)
class ActionEscalated:
    """One notice in the channel: an action overdue for more than two weeks."""

    group: EstGroup
    action: ActionItem
    days_overdue: int


@dataclass(frozen=True)
class Undeliverable:
    """To the group's admins: a message could not reach its person (e.g. they left)."""

    group: EstGroup
    recipient: str
    reason: str
    action: ActionItem | None = None


@dataclass(frozen=True)
class ReportsCalled:
    """The weekly call for situation reports: in the channel and to each reporter by DM."""

    group: EstGroup
    iso_week: int
    deadline: datetime
    meeting_day: date
    holiday: str | None  # the meeting moved off this holiday


@dataclass(frozen=True)
class ReportNudge:
    """One reminder before the deadline, to people whose organisation has not reported."""

    group: EstGroup
    iso_week: int
    deadline: datetime
    organisation: str


@dataclass(frozen=True)
class PicturePosted:
    """The week's lägesbild, posted in the channel at meeting time."""

    group: EstGroup
    picture: Picture
    late: bool  # the clock was down at meeting time and came back within 12 hours
    skipped_week: int | None  # an earlier week's post that was skipped (the clock was down)


@dataclass(frozen=True)
class SummaryPosted:
    """The weekly summary, in the channel."""

    group: EstGroup
    summary: Summary


@dataclass(frozen=True)
class SummaryChart:
    """The summary's chart, uploaded into its thread; ``png`` is None when it could not be made
    (``error`` says why) — then the admins are told instead."""

    group: EstGroup
    summary: Summary
    thread_ts: str
    filename: str
    png: bytes | None
    error: str | None


@dataclass(frozen=True)
class SummaryFailed:
    """To the group's admins: the week's summary or its chart could not be posted."""

    group: EstGroup
    iso_week: int
    part: str  # summary / chart
    reason: str


@dataclass(frozen=True)
class ActivityAnnounced:
    """In the channel: a new activity is planned (or a planned one moved)."""

    group: EstGroup
    activity: PlannedActivity
    moved: bool = False


@dataclass(frozen=True)
class ActivityReminder:
    """To the owner, the day before."""

    group: EstGroup
    activity: PlannedActivity


@dataclass(frozen=True)
class ActivityFollowUpDue:
    """To the owner, the day after: a button that opens the follow-up form."""

    group: EstGroup
    activity: PlannedActivity


@dataclass(frozen=True)
class ActivityEffect:
    """To the owner, one and four weeks after: incidents at the places before and after."""

    group: EstGroup
    activity: PlannedActivity
    effect: ObservedEffect


Notification = (
    GroupCreated
    | JoinRequested
    | JoinDecided
    | MemberAdded
    | MemberLeft
    | ChannelArchived
    | HotspotReached
    | ActionAssigned
    | ActionHandedOver
    | ActionReminder
    | ActionEscalated
    | Undeliverable
    | ReportsCalled
    | ReportNudge
    | PicturePosted
    | SummaryPosted
    | SummaryChart
    | SummaryFailed
    | ActivityAnnounced
    | ActivityReminder
    | ActivityFollowUpDue
    | ActivityEffect
)


class Notifier(Protocol):
    def notify(self, note: Notification) -> None: ...


@dataclass
class RecordingNotifier:
    """Keeps every notification, for tests."""

    notes: list[Notification] = field(default_factory=list)

    def notify(self, note: Notification) -> None:
        self.notes.append(note)


class NullNotifier:
    def notify(self, note: Notification) -> None:
        return None
