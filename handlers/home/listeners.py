"""App Home and the first-run prompt when the bot is added to a channel."""

from __future__ import annotations

from typing import Any

from slack_bolt import App, BoltContext
from slack_sdk import WebClient

from bot.actions.results import ActionItem
from bot.actions.service import ActionFilter
from bot.activities.service import Upcoming
from bot.i18n import translator
from bot.incidents.service import is_reporter
from bot.services import Services
from handlers.commands.router import Router
from handlers.home.blocks import build_home
from handlers.replies import Message, build_text
from handlers.text import group_today, group_tz


def home_opened(
    event: dict[str, Any],
    context: BoltContext,
    client: WebClient,
    services: Services,
    router: Router,
) -> None:
    if event.get("tab") != "home":
        return
    publish_home(
        client,
        services,
        router,
        context.team_id or "",
        event["user"],
        context.get("default_language"),
    )


def publish_home(
    client: WebClient,
    services: Services,
    router: Router,
    team_id: str,
    user_id: str,
    default_language: str | None,
    notice: Message | None = None,
) -> None:
    """The App Home: "Mina åtgärder" with their buttons, "Kommande aktiviteter", then what the
    bot can do; ``notice`` (the answer to a press in the tab) on top."""
    actor = services.groups.locate(team_id, "", user_id)
    tr = translator(actor.language or default_language)
    actions: tuple[ActionItem, ...] | None = None
    upcoming: Upcoming | None = None
    now = services.clock.now()
    reporter = is_reporter(actor)  # a rapportör: no actions or activities, only their help
    if actor.is_active_member and actor.group is not None and not reporter:
        actions = services.actions.find(actor, ActionFilter(mine=True), now=now)
        upcoming = services.activities.upcoming(actor, now=now)
    view = build_home(
        tr,
        router.help_blocks(tr, actor.group.name if actor.group else None, reporter=reporter),
        tz=group_tz(actor),
        today=group_today(actor, now),
        actions=actions,
        upcoming=upcoming,
        notice=notice["blocks"] if notice else (),
    )
    client.views_publish(user_id=user_id, view=view)


def bot_joined(
    event: dict[str, Any], context: BoltContext, client: WebClient, services: Services
) -> None:
    """Added to a channel that has no group yet: say how to start one."""
    if event.get("user") != context.bot_user_id:
        return
    actor = services.groups.locate(
        context.team_id or "", event["channel"], event.get("inviter", "")
    )
    if actor.group is not None and actor.group.channel_id == event["channel"]:
        return
    tr = translator(context.get("default_language"))
    message = build_text(
        tr.gettext(
            "Hello! I am EST-bot. To make this channel an EST group, an "
            "admin types `/est inställningar` here."
        )
    )
    client.chat_postMessage(channel=event["channel"], **message)


def register(app: App, router: Router) -> None:
    app.event("app_home_opened")(home_opened)
    app.event("member_joined_channel")(bot_joined)
