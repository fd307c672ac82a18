"""How the domain speaks outward. Slack, the console and the tests each implement ``Notifier``.

Each feature owns its notifications (``bot/<feature>/notifications.py``), as subclasses of
``Notification``; the Slack edge renders each by its type (``handlers/notifier.py``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Protocol

from bot.actors import EstGroup


@dataclass(frozen=True)
class Notification:
    """Something the group or one of its people is told."""

    group: EstGroup

    def recipients(self) -> tuple[str, ...]:
        """Who gets it when it is sent at once through ``Notifier.notify``: channels or people.
        None by default: what goes through the outbox names its recipient in its row."""
        return ()


@dataclass(frozen=True)
class ThreadedPost(Notification):
    """A channel post in the thread of ``thread_ts`` (None: at the top level) that a later
    version edits in place: ``edits_ts`` is the ts of the post to update (None: a new post)."""

    thread_ts: str | None
    edits_ts: str | None


class Notifier(Protocol):
    def notify(self, note: Notification) -> None: ...


@dataclass
class RecordingNotifier:
    """Keeps every notification, for tests."""

    notes: list[Notification] = field(default_factory=list)

    def notify(self, note: Notification) -> None:
        self.notes.append(note)


class NullNotifier:
    def notify(self, note: Notification) -> None:
        return None
