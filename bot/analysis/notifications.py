"""What the period analysis sends through the outbox: its kind of row and the notification it
is prepared into at send time."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from bot.analysis.ranking import PeriodAnalysis
from bot.notifier import Notification


class PeriodOutbox(StrEnum):
    """The period analysis's outbox kinds (stored in ``Outbox.kind``: never change a value)."""

    POST = "period.post"


@dataclass(frozen=True)
class PeriodPosted(Notification):
    """The period analysis, in the group's channel."""

    analysis: PeriodAnalysis
