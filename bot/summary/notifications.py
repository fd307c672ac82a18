"""What the weekly summary sends through the outbox: its kinds of rows and the notifications
they are prepared into at send time."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from bot.notifier import Notification
from bot.summary.service import Summary


class SummaryOutbox(StrEnum):
    """The summary's outbox kinds (stored in ``Outbox.kind``: never change a value)."""

    POST = "summary.post"
    CHART = "summary.chart"
    MAP = "summary.map"
    FAILED = "summary.failed"


@dataclass(frozen=True)
class SummaryPosted(Notification):
    """The weekly summary, in the channel."""

    summary: Summary


@dataclass(frozen=True)
class SummaryChart(Notification):
    """The summary's chart, uploaded into its thread; ``png`` is None when it could not be made
    (``error`` says why) — then the admins are told instead."""

    summary: Summary
    thread_ts: str
    filename: str
    png: bytes | None
    error: str | None


@dataclass(frozen=True)
class SummaryMap(SummaryChart):
    """The map of the summary's week, uploaded into its thread after the chart."""


@dataclass(frozen=True)
class SummaryFailed(Notification):
    """To the group's admins: the week's summary or its chart could not be posted."""

    iso_week: int
    part: str  # summary / chart
    reason: str
