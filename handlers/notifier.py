"""The Slack side of the domain's ``Notifier``: turns notifications into posts and DMs."""

from __future__ import annotations

import logging
from typing import Any

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.i18n import translator
from bot.notifier import (
    GroupCreated,
    HotspotReached,
    JoinDecided,
    JoinRequested,
    MemberAdded,
    Notification,
)
from handlers.incidents.blocks import build_hotspot
from handlers.setup import blocks

log = logging.getLogger(__name__)


def render(note: Notification) -> list[tuple[str, dict[str, Any]]]:
    """(channel or user id, message) pairs for one notification."""
    tr = translator(note.group.language)
    match note:
        case GroupCreated(group=group, admin_user_id=admin):
            return [(group.channel_id, blocks.build_group_created(tr, group, admin))]
        case JoinRequested(group=group, member=member, admin_user_ids=admins):
            message = blocks.build_join_request(tr, group, member)
            return [(admin, message) for admin in admins]
        case JoinDecided(group=group, member=member, approved=approved, decided_by=by):
            message = blocks.build_join_decided(tr, group, member, approved=approved, decided_by=by)
            return [(member.user_id, message)]
        case MemberAdded(group=group, member=member, added_by=by):
            return [(member.user_id, blocks.build_member_added(tr, group, member, added_by=by))]
        case HotspotReached(group=group):
            return [(group.channel_id, build_hotspot(tr, note))]


class SlackNotifier:
    """Posts through the Web API. A failure is logged, never raised into the service."""

    def __init__(self, client: WebClient) -> None:
        self.client = client

    def notify(self, note: Notification) -> None:
        for channel, message in render(note):
            try:
                self.client.chat_postMessage(channel=channel, **message)
            except SlackApiError as error:
                log.warning(
                    "could not post %s to %s: %s",
                    type(note).__name__,
                    channel,
                    error.response.get("error"),
                )
