"""App Home and the first-run prompt when the bot is added to a channel."""

from __future__ import annotations

from typing import Any

from slack_bolt import App, BoltContext
from slack_sdk import WebClient

from bot.i18n import translator
from bot.services import Services
from handlers.commands.blocks import build_text
from handlers.commands.router import Router


def home_opened(
    event: dict[str, Any],
    context: BoltContext,
    client: WebClient,
    services: Services,
    router: Router,
) -> None:
    if event.get("tab") != "home":
        return
    actor = services.groups.locate(context.team_id or "", "", event["user"])
    tr = translator(actor.language or context.get("default_language"))
    group = actor.group.name if actor.group else None
    view = {"type": "home", "blocks": router.help_blocks(tr, group)}
    client.views_publish(user_id=event["user"], view=view)


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
    def with_router(context: BoltContext, next: Any) -> Any:
        context["router"] = router
        return next()

    app.event("app_home_opened", middleware=[with_router])(home_opened)
    app.event("member_joined_channel")(bot_joined)
