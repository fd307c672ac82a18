"""The Slack side of the domain's ``Notifier``: turns notifications into posts and DMs."""

from __future__ import annotations

import logging
from collections.abc import Callable

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.i18n import translator
from bot.notifier import Notification
from handlers.actions import blocks as actions
from handlers.activities import messages as activities
from handlers.groups import blocks as groups
from handlers.incidents import blocks as incidents
from handlers.rendering import Message, Render, merge
from handlers.summary import blocks as summary
from handlers.weekly import blocks as weekly

log = logging.getLogger(__name__)

# every feature's table of which builder renders which of its notifications
RENDERERS = merge(
    groups.RENDERERS,
    incidents.RENDERERS,
    actions.RENDERERS,
    weekly.RENDERERS,
    summary.RENDERERS,
    activities.RENDERERS,
)


def renderer(note: Notification) -> Render:
    """The builder of ``note``'s type (or of the nearest base type that has one)."""
    for kind in type(note).__mro__:
        if (build := RENDERERS.get(kind)) is not None:
            return build
    raise LookupError(f"no builder renders {type(note).__name__}")


def messages_for(note: Notification, recipient: str, language: str | None = None) -> list[Message]:
    """What ``recipient`` (a channel or a person) gets for ``note``, in ``language`` (the
    person's own; None: the group's): usually one message; a large lägesbild is several."""
    made = renderer(note)(translator(language or note.group.language), note, recipient)
    return made if isinstance(made, list) else [made]


def message_for(note: Notification, recipient: str, language: str | None = None) -> Message:
    """The (first) message ``recipient`` (a channel or a person) gets for ``note``, in
    ``language`` (None: the group's)."""
    return messages_for(note, recipient, language)[0]


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
        for channel in note.recipients():
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
