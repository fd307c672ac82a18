"""The places of most concern in the year, ranked as the period analysis ranks them
(``bot.analysis.periods``): incidents, their rise against the year before, the weeks the
meetings agreed serious or worrying, and overdue actions."""

from __future__ import annotations

from collections import Counter
from datetime import date

from bot.analysis.periods import PlaceNeed, ranked
from bot.exports.annual.facts import YearFacts
from storage.models import ActionStatus, ActivityStatus

OPEN = (ActionStatus.OPEN, ActionStatus.IN_PROGRESS)


def needs(facts: YearFacts, today: date) -> list[PlaceNeed]:
    """Every place with incidents, an agreed level or an action, most need first."""
    counts = {c.key: c for c in facts.places}
    open_ = Counter(p for a in facts.actions if a.status in OPEN for p in a.place_ids)
    late = Counter(
        p for a in facts.actions if a.status in OPEN and a.due < today for p in a.place_ids
    )
    held = Counter(
        p for h in facts.activities if h.status == ActivityStatus.GENOMFORD for p in h.place_ids
    )
    ids = set(counts) | set(facts.levels) | set(open_)
    found = []
    for place_id in ids:
        name, district = facts.place_names.get(place_id, ("", ""))
        weeks = Counter(facts.levels.get(place_id, {}).values())
        count = counts.get(place_id)
        found.append(
            PlaceNeed(
                place_id=place_id,
                place=name,
                district=district,
                incidents=count.this if count else 0,
                previous=count.previous if count else 0,
                year_before=count.previous if count else 0,
                serious_weeks=weeks["allvarligt"],
                worrying_weeks=weeks["oroligt"],
                open_actions=open_[place_id],
                overdue_actions=late[place_id],
                activities=held[place_id],
            )
        )
    return ranked(found)


def most_concern(facts: YearFacts, today: date, *, limit: int = 5) -> list[PlaceNeed]:
    return needs(facts, today)[:limit]
