"""What the monthly feedback (återkoppling) sends through the outbox: its kinds of rows and the
notifications they are prepared into at send time."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from bot.i18n import LazyText
from bot.notifier import Notification


class FeedbackOutbox(StrEnum):
    """Outbox kinds (stored in ``Outbox.kind``: never change a value)."""

    DM = "feedback.dm"
    CHANNEL = "feedback.channel"


@dataclass(frozen=True)
class PlaceFeedback:
    name: str
    count: int
    actions: tuple[str, ...]
    activities: tuple[str, ...]
    level_change: tuple[str, str] | None  # (from, to)


@dataclass(frozen=True)
class Feedback:
    month_label: LazyText  # "november 2026", in the reader's language
    total: int
    places: tuple[PlaceFeedback, ...]


@dataclass(frozen=True)
class ReporterFeedback(Notification):
    """To one person: their (or their organisation's) month; ``organisation`` names it when
    it is the organisation's."""

    feedback: Feedback
    organisation: str | None


@dataclass(frozen=True)
class ChannelFeedback(Notification):
    """To the channel: the month per reporting organisation."""

    month_label: LazyText
    organisations: tuple[tuple[str, Feedback], ...]
