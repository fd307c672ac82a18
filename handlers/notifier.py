"""The Slack side of the domain's ``Notifier``: turns notifications into posts and DMs."""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.i18n import translator
from bot.notifier import (
    ActionAssigned,
    ActionEscalated,
    ActionHandedOver,
    ActionReminder,
    ActivityAnnounced,
    ActivityEffect,
    ActivityFollowUpDue,
    ActivityReminder,
    ChannelArchived,
    GroupCreated,
    HotspotReached,
    JoinDecided,
    JoinRequested,
    MemberAdded,
    MemberLeft,
    Notification,
    PicturePosted,
    ReportNudge,
    ReportsCalled,
    SummaryChart,
    SummaryFailed,
    SummaryPosted,
    Undeliverable,
)
from handlers.actions import blocks as action_blocks
from handlers.activities import messages as activity_messages
from handlers.groups import blocks
from handlers.incidents.blocks import build_hotspot
from handlers.summary import blocks as summary_blocks
from handlers.weekly import blocks as weekly_blocks

log = logging.getLogger(__name__)


def messages_for(
    note: Notification, recipient: str, language: str | None = None
) -> list[dict[str, Any]]:
    """What ``recipient`` (a channel or a person) gets for ``note``, in ``language`` (the
    person's own; None: the group's): usually one message; a large lägesbild is several."""
    match note:
        case PicturePosted():
            return weekly_blocks.build_posted(translator(language or note.group.language), note)
    return [message_for(note, recipient, language)]


def message_for(note: Notification, recipient: str, language: str | None = None) -> dict[str, Any]:
    """The (single) message ``recipient`` (a channel or a person) gets for ``note``, in
    ``language`` (None: the group's)."""
    tr = translator(language or note.group.language)
    today = datetime.now(UTC).astimezone(ZoneInfo(note.group.timezone)).date()
    match note:
        case GroupCreated(group=group, admin_user_id=admin):
            return blocks.build_group_created(tr, group, admin)
        case JoinRequested(group=group, member=member):
            return blocks.build_join_request(tr, group, member)
        case JoinDecided(group=group, member=member, approved=approved, decided_by=by):
            return blocks.build_join_decided(tr, group, member, approved=approved, decided_by=by)
        case MemberAdded(group=group, member=member, added_by=by):
            return blocks.build_member_added(tr, group, member, added_by=by)
        case MemberLeft():
            return blocks.build_member_left(tr, note)
        case ChannelArchived():
            return blocks.build_channel_archived(tr, note)
        case HotspotReached():
            return build_hotspot(tr, note)
        case ActionAssigned():
            return action_blocks.build_assigned(tr, note, today)
        case ActionHandedOver():
            return action_blocks.build_handed_over(tr, note)
        case ActionReminder():
            return action_blocks.build_reminder(tr, note)
        case ActionEscalated():
            return action_blocks.build_escalated(tr, note)
        case Undeliverable():
            return action_blocks.build_undeliverable(tr, note)
        case ReportsCalled():
            return weekly_blocks.build_call(tr, note, direct=recipient.startswith(("U", "W")))
        case ReportNudge():
            return weekly_blocks.build_nudge(tr, note)
        case PicturePosted():
            return weekly_blocks.build_posted(tr, note)[0]
        case SummaryPosted():
            return summary_blocks.build_posted(tr, note)
        case SummaryChart():  # uploaded as a file (handlers.transport); this is its comment
            text = summary_blocks.build_chart_comment(tr, note.summary)
            return {"text": text}
        case SummaryFailed():
            return summary_blocks.build_failed(tr, note)
        case ActivityAnnounced():
            return activity_messages.build_announced(tr, note)
        case ActivityReminder():
            return activity_messages.build_reminder(tr, note)
        case ActivityFollowUpDue():
            return activity_messages.build_follow_up_due(tr, note)
        case ActivityEffect():
            return activity_messages.build_effect(tr, note)


def recipients(note: Notification) -> list[str]:
    """Who gets a notification that is sent at once (not through the outbox)."""
    match note:
        case JoinRequested(admin_user_ids=admins) | ChannelArchived(admin_user_ids=admins):
            return list(admins)
        case MemberLeft(admin_user_ids=admins, promoted=promoted):
            return list(dict.fromkeys([*admins, *([promoted] if promoted else [])]))
        case JoinDecided(member=member) | MemberAdded(member=member):
            return [member.user_id]
        case GroupCreated(group=group) | HotspotReached(group=group):
            return [group.channel_id]
    return []


class SlackNotifier:
    """Posts through the Web API. A failure is logged, never raised into the service."""

    def __init__(
        self, client: WebClient, clients: Callable[[str], WebClient] | None = None
    ) -> None:
        self.client = client
        self.clients = clients  # several workspaces (OAuth): the client of a team

    def notify(self, note: Notification) -> None:
        try:
            client = self.clients(note.group.team_id) if self.clients else self.client
        except LookupError:
            log.warning("not installed in %s: %s not posted", note.group.team_id, type(note))
            return
        for channel in recipients(note):
            try:
                for message in messages_for(note, channel):
                    client.chat_postMessage(channel=channel, **message)
            except SlackApiError as error:
                log.warning(
                    "could not post %s to %s: %s",
                    type(note).__name__,
                    channel,
                    error.response.get("error"),
                )
