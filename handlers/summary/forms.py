"""What follows `/est sammanfattning`, read into what to do (pure)."""

from __future__ import annotations

from dataclasses import dataclass

from bot.commands import fold


@dataclass(frozen=True)
class PostSummary:
    """`[v46]`: post that week's summary now (last week's without a week)."""

    week: str  # as typed: the service reads the week


@dataclass(frozen=True)
class SetSchedule:
    """`tid måndag 08:00`: when the summary is posted each week (admins)."""

    when: str  # as typed: the service reads the weekday and the time


SummaryCommand = PostSummary | SetSchedule


def summary_command(text: str) -> SummaryCommand:
    """`[vNN | tid <veckodag> HH:MM]`."""
    args = text.strip()
    if fold(args).startswith(("tid ", "time ")):
        return SetSchedule(args.split(maxsplit=1)[1])
    return PostSummary(args)
