"""Maps on request: `/est lägesbild [vNN] karta` — the week's lägesbild on the map."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from bot.actors import Actor
from bot.errors import NotFound
from bot.i18n import N_, LazyText, translator
from bot.maps.points import map_points
from bot.rules import require
from bot.weekly.meetings import MeetingService
from storage.db import Database
from storage.models import Role


@dataclass(frozen=True)
class DrawnMap:
    png: bytes
    filename: str
    comment: LazyText
    tiled: bool
    unplaced: tuple[str, ...]  # places with incidents but no coordinates


class MapService:
    def __init__(self, db: Database, meetings: MeetingService) -> None:
        self.db, self.meetings = db, meetings

    def picture(self, actor: Actor, week_text: str, *, now: datetime) -> DrawnMap:
        """The lägesbild of the week on the map: its places' incidents and joint levels."""
        group = require(actor, Role.LASARE)
        picture = self.meetings.picture(actor, week_text, now=now)
        counts = {p.place_id: p.incidents for p in picture.places}
        levels = {p.place_id: p.joint_level for p in picture.places if p.joint_level}
        with self.db.unit_of_work(read_only=True) as uow:
            shown = map_points(uow, group.id, counts, levels)
        if not shown.points:
            raise NotFound(
                N_(
                    "No place of the group has coordinates yet: an admin adds them with "
                    "`/est plats koordinater Fittja centrum; 59.2475, 17.8610`."
                )
            )
        from bot.maps.render import render_map  # matplotlib loads only where maps are drawn

        tr = translator(actor.language)
        total = sum(counts.values())
        title = tr.gettext(
            "{group} — lägesbild week {week}", group=group.name, week=picture.iso_week
        )
        subtitle = tr.ngettext(
            "{n} incident, {start}–{end}",
            "{n} incidents, {start}–{end}",
            total,
            start=picture.window_start[:10],
            end=picture.window_end[:10],
        )
        drawn = render_map(shown.points, tr, title=title, subtitle=subtitle)
        comment = N_(
            "The lägesbild of week {week} on the map: the circle's size is the incidents, its "
            "colour the joint level.{unplaced}",
            week=picture.iso_week,
            unplaced=_unplaced(shown.unplaced),
        )
        name = f"lagesbild-{picture.iso_year}-v{picture.iso_week:02d}-karta.png"
        return DrawnMap(drawn.png, name, comment, drawn.tiled, shown.unplaced)


def _unplaced(names: tuple[str, ...]) -> LazyText | str:
    if not names:
        return ""
    return N_(" Not on the map (no coordinates): {names}.", names=", ".join(names))
