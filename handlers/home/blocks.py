"""Block Kit for App Home: a member's actions and the coming activities, then what the bot does."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any
from zoneinfo import ZoneInfo

from bot.actions.results import ActionItem
from bot.activities.service import Upcoming
from bot.i18n import Translator
from handlers.actions import blocks as action_blocks
from handlers.activities import blocks as activity_blocks

HOME_ACTIONS = 12  # actions shown; with their buttons they leave room for the rest


def build_home(
    tr: Translator,
    help_blocks: Sequence[dict[str, Any]],
    *,
    tz: ZoneInfo,
    today: date,
    actions: Sequence[ActionItem] | None = None,
    upcoming: Upcoming | None = None,
    notice: Sequence[dict[str, Any]] = (),
) -> dict[str, Any]:
    """The home tab: "Mina åtgärder" with their buttons and "Kommande aktiviteter" (for a member:
    ``actions`` and ``upcoming`` are None for anyone else), then the help; 100 blocks at most.
    ``notice``: what the person's last press in the tab was told (a refusal, an error), on top.
    """
    top = [*notice, {"type": "divider"}] if notice else []
    mine = []
    if actions is not None:
        title = tr.gettext("My actions")
        mine = action_blocks.build_list(tr, title, actions[:HOME_ACTIONS], today)["blocks"]
    coming = [] if upcoming is None else activity_blocks.home_blocks(tr, upcoming, tz)
    return {"type": "home", "blocks": [*top, *mine, *coming, *help_blocks][:100]}
