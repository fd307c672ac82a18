"""One place across many weeks' lägesbild (`/est lägesbild plats X`), without compiling them.

A frozen week is what its newest snapshot says. Any other week is computed for the one place,
by the rules of ``bot.weekly.picture``: the level the meeting agreed, else the most serious
reported;
the incidents in the seven days before the week's meeting. However many weeks: four queries.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from bot.weekly.picture import Picture, most_serious
from bot.weekly.weeks import meeting_moment, window
from storage.models import Group, PictureSnapshot
from storage.repositories import UnitOfWork
from storage.weekly import Week


@dataclass(frozen=True)
class PlaceWeek:
    """The place in one week's lägesbild (level None and no incidents: not in it)."""

    joint_level: str | None
    incidents: int
    frozen: bool


def place_weeks(
    uow: UnitOfWork, settings: Group, place_id: int, weeks: Sequence[Week], *, now: datetime
) -> dict[Week, PlaceWeek]:
    """The place in each of ``weeks``' lägesbild: frozen, or as ``compile_picture`` has it."""
    assert settings.id is not None
    frozen = {
        week: _frozen(snapshot, place_id)
        for week, snapshot in uow.pictures.newest_of(settings.id, weeks).items()
    }
    computed = [week for week in weeks if week not in frozen]
    if not computed:
        return frozen
    agreed = uow.meetings.levels_at(settings.id, place_id, computed)
    reported = uow.reports.levels_at(settings.id, place_id, computed)
    windows = {w: window(meeting_moment(settings, *w)[0], now) for w in computed}
    counts = uow.pictures.incidents_in_windows(settings.id, place_id, windows)
    return frozen | {
        w: PlaceWeek(agreed.get(w, most_serious(reported.get(w, ()))), counts[w], False)
        for w in computed
    }


def _frozen(snapshot: PictureSnapshot, place_id: int) -> PlaceWeek:
    places = Picture.from_json(snapshot.content).places
    line = next((p for p in places if p.place_id == place_id), None)
    return PlaceWeek(line.joint_level, line.incidents, True) if line else PlaceWeek(None, 0, True)
