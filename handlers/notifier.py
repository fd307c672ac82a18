"""The Slack side of the domain's ``Notifier``: turns notifications into posts and DMs.

No Web API call before Slack's request is acknowledged: a post can take seconds (the client
sleeps out a 429's Retry-After), and Slack gives up on an answer after 3. So a listener whose
service notifies runs it inside ``posted_after_ack``: what the services hand the notifier in
that thread is held, and posted once the listener has acknowledged.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.i18n import translator
from bot.notifier import Notification
from handlers.actions import blocks as actions
from handlers.activities import messages as activities
from handlers.analysis import period_blocks as period_analysis
from handlers.groups import blocks as groups
from handlers.incidents import blocks as incidents
from handlers.rendering import Message, Render, merge
from handlers.reporters import blocks as reporters
from handlers.summary import blocks as summary
from handlers.weekly import blocks as weekly
from handlers.weekly import report_post

log = logging.getLogger(__name__)

# every feature's table of which builder renders which of its notifications
RENDERERS = merge(
    groups.RENDERERS,
    incidents.RENDERERS,
    actions.RENDERERS,
    weekly.RENDERERS,
    report_post.RENDERERS,
    summary.RENDERERS,
    activities.RENDERERS,
    reporters.RENDERERS,
    period_analysis.RENDERERS,
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


_held = threading.local()  # .notes: what waits in this thread for the acknowledgement


@contextmanager
def posted_after_ack(ack: Callable[..., object]) -> Iterator[Callable[..., object]]:
    """Hold what the notifiers are given in this thread until the ack this yields is called:
    it acknowledges, then posts them. Left without an ack (an error: Bolt's error handler
    answers), what was held is posted from another thread, after that answer."""
    held: list[tuple[SlackNotifier, Notification]] = []
    outer = getattr(_held, "notes", None)
    _held.notes = held

    def release() -> None:
        _held.notes = outer
        while held:
            notifier, note = held.pop(0)
            notifier.post(note)

    def acknowledge(*args: object, **kwargs: object) -> object:
        try:
            return ack(*args, **kwargs)
        finally:
            release()

    try:
        yield acknowledge
    except BaseException:
        _held.notes = outer
        if held:
            threading.Thread(target=release, name="notify-after-error", daemon=True).start()
        raise
    release()


class SlackNotifier:
    """Posts through the Web API. A failure is logged, never raised into the service."""

    def __init__(
        self, client: WebClient, clients: Callable[[str], WebClient] | None = None
    ) -> None:
        self.client = client
        self.clients = clients  # several workspaces (OAuth): the client of a team

    def notify(self, note: Notification) -> None:
        """Post ``note`` now, or once the request is acknowledged (``posted_after_ack``)."""
        held = getattr(_held, "notes", None)
        if held is not None:
            held.append((self, note))
            return
        self.post(note)

    def post(self, note: Notification) -> None:
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
