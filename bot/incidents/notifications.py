"""What incidents tell the channel at once: a place has become a hotspot."""

from __future__ import annotations

from dataclasses import dataclass

from bot.notifier import Notification


@dataclass(frozen=True)
class HotspotReached(Notification):
    place: str
    category_sv: str
    category_en: str
    count: int
    rule: str  # "count": n within `days`; "average": n this week against the 4-week average
    iso_year: int
    iso_week: int
    days: int

    def recipients(self) -> tuple[str, ...]:
        return (self.group.channel_id,)
