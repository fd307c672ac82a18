"""Maps on request: `/est lägesbild [vNN] karta` — the week's lägesbild on the map."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from bot.actors import Actor
from bot.analysis.ranking import PeriodService
from bot.errors import NotFound
from bot.i18n import N_, LazyText, Translator, translator
from bot.maps.labels import picture_comment, picture_filename, picture_title, unplaced_note
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
    def __init__(self, db: Database, meetings: MeetingService, periods: PeriodService) -> None:
        self.db, self.meetings, self.periods = db, meetings, periods

    def period(self, actor: Actor, text: str, *, now: datetime) -> DrawnMap:
        """The period analysis on the map: each place's incidents in the quarter (tertial), coloured
        by the most serious level a meeting agreed for it in the period."""
        group = require(actor, Role.LASARE)
        found = self.periods.analyse(actor, text, now=now)
        counts = {p.place_id: p.incidents for p in found.places}
        levels = {
            p.place_id: "allvarligt" if p.serious_weeks else "oroligt"
            for p in found.places
            if p.serious_weeks or p.worrying_weeks
        }
        tr = translator(actor.language)
        label = found.period.label
        title = tr.gettext("{group} — period {period}", group=group.name, period=label)
        subtitle = tr.ngettext(
            "{n} incident, {start}–{end}",
            "{n} incidents, {start}–{end}",
            sum(counts.values()),
            start=found.period.first.isoformat(),
            end=found.period.last.isoformat(),
        )
        comment = N_(
            "The period {period} on the map: the circle's size is the incidents, its colour the "
            "most serious level a meeting agreed.{unplaced}",
            period=label,
        )
        return self._draw(
            group.id, counts, levels, title, subtitle, comment, f"period-{label}-karta.png", tr
        )

    def picture(self, actor: Actor, week_text: str, *, now: datetime) -> DrawnMap:
        """The lägesbild of the week on the map: its places' incidents and joint levels."""
        group = require(actor, Role.LASARE)
        picture = self.meetings.picture(actor, week_text, now=now)
        counts = {p.place_id: p.incidents for p in picture.places}
        levels = {p.place_id: p.joint_level for p in picture.places if p.joint_level}
        tr = translator(actor.language)
        title, subtitle = picture_title(tr, group.name, picture)
        comment = picture_comment(picture.iso_week, ())
        name = picture_filename(picture)
        return self._draw(group.id, counts, levels, title, subtitle, comment, name, tr)

    def _draw(
        self,
        group_id: int,
        counts: dict[int, int],
        levels: dict[int, str],
        title: str,
        subtitle: str,
        comment: LazyText,
        name: str,
        tr: Translator,
    ) -> DrawnMap:
        with self.db.unit_of_work(read_only=True) as uow:
            shown = map_points(uow, group_id, counts, levels)
        if not shown.points:
            raise NotFound(
                N_(
                    "No place of the group has coordinates yet: an admin adds them with "
                    "`/est plats koordinater Fittja centrum; 59.2475, 17.8610`."
                )
            )
        from bot.maps.render import render_map  # matplotlib loads only where maps are drawn

        drawn = render_map(shown.points, tr, title=title, subtitle=subtitle)
        unplaced = unplaced_note(shown.unplaced)
        comment = LazyText(comment.msgid, {**comment.params, "unplaced": unplaced})
        return DrawnMap(drawn.png, name, comment, drawn.tiled, shown.unplaced)
