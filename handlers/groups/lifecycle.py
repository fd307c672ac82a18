"""Slack's lifecycle events: people leave, channels are archived or renamed, the app is removed.

Payloads as Slack sends them (https://docs.slack.dev/reference/events): ``user_change`` carries
the whole user with ``deleted`` and the names; ``channel_archive`` the channel's id and who
archived it; ``channel_rename`` a channel object with the new name; ``app_uninstalled``
nothing but the envelope's team; ``tokens_revoked`` the user ids whose ``oauth`` and ``bot``
tokens went.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from slack_bolt import App, BoltContext
from slack_bolt.listener.builtins import TokenRevocationListeners
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from slack_sdk.oauth.installation_store import InstallationStore

from bot.services import Services

Event = dict[str, Any]
logger = logging.getLogger(__name__)


def _team(context: BoltContext, event: Event) -> str:
    return context.team_id or str((event.get("user") or {}).get("team_id") or "")


def display_name(user: dict[str, Any]) -> str:
    """The name a file shows for a Slack user object: the full name, else the display name."""
    profile = user.get("profile") or {}
    for name in (profile.get("real_name"), user.get("real_name"), profile.get("display_name")):
        if isinstance(name, str) and name.strip():
            return name
    return ""


def user_changed(event: Event, context: BoltContext, services: Services) -> None:
    user = event.get("user") or {}
    if not user.get("id"):
        return
    if user.get("deleted"):
        services.lifecycle.user_left(_team(context, event), user["id"], now=services.clock.now())
    else:
        services.lifecycle.name_seen(
            _team(context, event), user["id"], display_name(user), now=services.clock.now()
        )


def learn_name(client: WebClient, services: Services, team_id: str, user_id: str) -> None:
    """Look a member up (``users.info``) and keep their name: after the acknowledgement, as a
    member joins or is added. A failed look-up leaves the name unknown, nothing else."""
    try:
        user = client.users_info(user=user_id).get("user") or {}
    except SlackApiError:
        logger.warning("users.info failed for %s: their name stays unknown", user_id)
        return
    services.lifecycle.name_seen(
        team_id, user_id, display_name(user), now=services.clock.now(), joining=True
    )


def _archived(archived: bool) -> Callable[[Event, BoltContext, Services], None]:
    def listener(event: Event, context: BoltContext, services: Services) -> None:
        channel = event.get("channel")
        if isinstance(channel, str):
            services.lifecycle.channel_archived(
                _team(context, event), channel, archived=archived, now=services.clock.now()
            )

    return listener


def channel_renamed(event: Event, context: BoltContext, services: Services) -> None:
    channel = event.get("channel") or {}
    if isinstance(channel, dict) and channel.get("id"):
        services.lifecycle.channel_renamed(
            _team(context, event),
            channel["id"],
            str(channel.get("name", "")),
            now=services.clock.now(),
        )


def register(app: App, installation_store: InstallationStore | None = None) -> None:
    """``installation_store`` (OAuth mode): removed installations are deleted from it too."""
    revocation = TokenRevocationListeners(installation_store) if installation_store else None

    def app_uninstalled(context: BoltContext, services: Services) -> None:
        if revocation is not None:
            revocation.handle_app_uninstalled_events(context)
        services.lifecycle.uninstalled(
            context.team_id or "", reason="app_uninstalled", now=services.clock.now()
        )

    def tokens_revoked(event: Event, context: BoltContext, services: Services) -> None:
        if revocation is not None:
            revocation.handle_tokens_revoked_events(event, context)
        if (event.get("tokens") or {}).get("bot"):
            services.lifecycle.uninstalled(
                context.team_id or "", reason="tokens_revoked", now=services.clock.now()
            )

    app.event("user_change")(user_changed)
    for name in ("channel_archive", "group_archive"):
        app.event(name)(_archived(True))
    for name in ("channel_unarchive", "group_unarchive"):
        app.event(name)(_archived(False))
    for name in ("channel_rename", "group_rename"):
        app.event(name)(channel_renamed)
    app.event("app_uninstalled")(app_uninstalled)
    app.event("tokens_revoked")(tokens_revoked)
