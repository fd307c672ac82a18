"""The Messages tab: what someone types to the bot in its direct messages.

The bot does not hold conversations; its commands are `/est …`. So that nothing typed there
goes nowhere, each message gets one short answer saying so, in the person's language (the
manifest subscribes `message.im` for it). The bot's own messages, edits and other subtypes are
left alone.
"""

from __future__ import annotations

from typing import Any

from slack_bolt import App, BoltContext, Say
from slack_sdk import WebClient

from bot.i18n import translator
from bot.services import Services
from handlers.incidents.file_import import file_shared
from handlers.replies import build_text


def direct_message(
    event: dict[str, Any], say: Say, context: BoltContext, services: Services, client: WebClient
) -> None:
    if event.get("channel_type") == "im" and event.get("files") and not event.get("bot_id"):
        file_shared(event, say, client, context, services)  # a spreadsheet to import
        return
    if event.get("channel_type") != "im" or event.get("subtype") or event.get("bot_id"):
        return
    actor = services.groups.locate(context.team_id or "", "", str(event.get("user", "")))
    tr = translator(actor.language or context.get("default_language"))
    say(
        **build_text(
            tr.gettext(
                "I don't read what is written here. Use the command `/est`: `/est hjälp` "
                "shows what I can do, `/est åtgärd` your actions."
            )
        )
    )


def register(app: App) -> None:
    app.event("message")(direct_message)
