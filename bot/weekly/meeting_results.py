"""What the meeting services return: frozen values, never live rows."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from bot.actions.results import ActionItem
from bot.weekly.picture import Picture


@dataclass(frozen=True)
class MeetingDecision:
    id: int
    text: str
    place: str | None
    owner_user_id: str | None
    due_date: date | None
    action_id: int | None


@dataclass(frozen=True)
class Minutes:
    """What the meeting decided, and the lägesbild it froze."""

    meeting_id: int
    iso_year: int
    iso_week: int
    decisions: tuple[MeetingDecision, ...]
    picture: Picture
    actions: tuple[ActionItem, ...] = ()  # made from the agenda's "Ny åtgärd" buttons


@dataclass(frozen=True)
class WeekLine:
    iso_year: int
    iso_week: int
    joint_level: str | None
    incidents: int
    frozen: bool
