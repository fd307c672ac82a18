"""People by name: what a file or the console shows where a Slack message would mention them.

A member's display name is kept when they join or are added and refreshed when Slack says it
changed (``users.info``, ``user_change``). A name that is not known is shown as "unknown
member", never as the Slack id: an auditor reading a file cannot look an id up.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping

from bot.i18n import N_, LazyText, Translator
from storage.repositories import UnitOfWork

MAX_NAME = 200

# the audit log's actors that are the bot itself, not a person
_MACHINE_ACTORS: dict[str, LazyText] = {
    "slack": N_("Slack (automatically)"),
    "gallring": N_("the bot (retention)"),
    "export": N_("the bot (export)"),
    "bot": N_("the bot"),
}


def clean_display_name(name: str) -> str:
    return " ".join(name.split())[:MAX_NAME]


def names_of(uow: UnitOfWork, team_id: str, user_ids: Collection[str]) -> dict[str, str]:
    """The known names of these people in the workspace, by Slack user id."""
    return uow.people.names(team_id, {u for u in user_ids if u and u not in _MACHINE_ACTORS})


def shown_name(names: Mapping[str, str], user_id: str | None, tr: Translator) -> str:
    """The person's name for a file; the bot's own actors in words; else "unknown member"."""
    if not user_id:
        return ""
    if user_id in _MACHINE_ACTORS:
        return tr.render(_MACHINE_ACTORS[user_id])
    return names.get(user_id) or tr.gettext("unknown member")
