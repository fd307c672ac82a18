"""The words on and beside a lägesbild's map: the same on request and at meeting time."""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot.i18n import N_, LazyText, Translator

if TYPE_CHECKING:
    from bot.weekly.picture import Picture


def picture_title(tr: Translator, group_name: str, picture: Picture) -> tuple[str, str]:
    """The map's title and subtitle: the group and week, the incidents and the window."""
    title = tr.gettext("{group} — lägesbild week {week}", group=group_name, week=picture.iso_week)
    subtitle = tr.ngettext(
        "{n} incident, {start}–{end}",
        "{n} incidents, {start}–{end}",
        sum(p.incidents for p in picture.places),
        start=picture.window_start[:10],
        end=picture.window_end[:10],
    )
    return title, subtitle


def picture_comment(iso_week: int, unplaced: tuple[str, ...]) -> LazyText:
    """What the map's upload says, naming the places left off it."""
    return N_(
        "The lägesbild of week {week} on the map: the circle's size is the incidents, its "
        "colour the joint level.{unplaced}",
        week=iso_week,
        unplaced=unplaced_note(unplaced),
    )


def picture_filename(picture: Picture) -> str:
    return f"lagesbild-{picture.iso_year}-v{picture.iso_week:02d}-karta.png"


def unplaced_note(names: tuple[str, ...]) -> LazyText | str:
    if not names:
        return ""
    return N_(" Not on the map (no coordinates): {names}.", names=", ".join(names))
