"""The situation report form: per place level, trend and observations, then the notes; a form
longer than one modal goes on over pages, and one opened from a message (the shortcut) comes
filled with what the message says."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from slack_sdk.models.blocks import (
    Block,
    ContextBlock,
    HeaderBlock,
    MarkdownTextObject,
    SectionBlock,
)

from bot.i18n import Translator
from bot.places.service import RegisteredPlace
from bot.weekly.reports import PlaceAssessment, ReportForm, WeeklyReport
from handlers.forms import free_text_input, modal, select_input
from handlers.ids import Action as A
from handlers.ids import Block as B
from handlers.ids import Callback
from handlers.text import clip
from handlers.weekly.blocks import LEVELS, TRENDS, level_label, options, trend_label
from handlers.weekly.weeks import meeting_line

PLACES_PER_PAGE = 24  # a header and 3 inputs each, 2 blocks of intro and the notes: 99 of 100


def build_report_modal(
    tr: Translator,
    form: ReportForm,
    *,
    channel: str,
    page: int = 1,
    pages: int | None = None,
    saves_to: tuple[int, int] | None = None,
    filled: Filled | None = None,
) -> dict[str, Any]:
    """Per place: level, trend against last week, observations; then general notes. It says
    which meeting the report is for, and why; saving goes to that meeting's week (or to
    ``saves_to``, the week the first page was opened for). More places than one modal holds
    are asked on further pages: "Spara och fortsätt" saves the page and shows the next (the
    form's places are this page's and the following pages'). ``filled``: what a message
    (the shortcut) puts in the fields instead of what was saved, and what to say about it."""
    places, current = form.places, form.current
    pages = pages or max(1, -(-len(places) // PLACES_PER_PAGE))
    shown, following = places[:PLACES_PER_PAGE], places[PLACES_PER_PAGE:]
    earlier = {e.place_id: e for e in (current.entries if current else ())}
    intro = tr.gettext(
        "Your organisation's situation report for week {week}. No names — places, "
        "times, what happened.",
        week=form.iso_week,
    )
    if pages > 1:
        intro += " " + tr.gettext(
            "Page {page} of {pages}: the form saves each page as you go on.",
            page=page,
            pages=pages,
        )
    if filled is not None and filled.notice:
        intro += "\n" + filled.notice
    blocks: list[Block] = [
        SectionBlock(text=MarkdownTextObject(text=intro)),
    ]
    meeting = meeting_line(tr, form.meeting)
    if form.afterwards:  # said beside the meeting: the modal has no block to spare
        meeting += " " + tr.gettext(
            "That meeting is over: the report is registered afterwards, for the record. The "
            "lägesbild of week {week}, {year} shows it with the day it was registered; it is not "
            "posted in the channel.",
            week=form.iso_week,
            year=form.iso_year,
        )
    blocks.append(ContextBlock(elements=[MarkdownTextObject(text=meeting)]))
    observed = {e.place_id: e.observations for e in earlier.values()}
    observed.update(filled.observations if filled else {})
    for place in shown:
        blocks += _report_place(tr, place, earlier.get(place.id), observed.get(place.id))
    if not following:
        notes = filled.notes if filled and filled.notes else (current.notes if current else None)
        blocks.append(
            free_text_input(
                B.NOTES,
                tr.gettext("General notes"),
                action_id=A.NOTES,
                optional=True,
                initial=notes,
            )
        )
    meta: dict[str, Any] = {"c": channel, "places": [p.id for p in shown]}
    meta.update(w=list(saves_to or (form.iso_year, form.iso_week)))
    meta.update(rest=[p.id for p in following], p=page, n=pages)
    submit = tr.gettext("Save and go on") if following else None
    title = tr.gettext("Situation report")
    return modal(tr, Callback.REPORT, title, blocks, meta, submit=submit)


@dataclass(frozen=True)
class Filled:
    """What a report form opened from a message shows in its fields: per place id the
    observations, the notes, and a notice at the top (e.g. that the text was shortened)."""

    observations: Mapping[int, str]
    notes: str = ""
    notice: str = ""


def _report_place(
    tr: Translator, place: RegisteredPlace, before: PlaceAssessment | None, observed: str | None
) -> list[Block]:
    return [
        HeaderBlock(text=clip(place.name, 150)),
        select_input(
            f"level_{place.id}",
            tr.gettext("Level"),
            options(tr, LEVELS, level_label),
            action_id=A.LEVEL,
            initial=before.level if before else None,
        ),
        select_input(
            f"trend_{place.id}",
            tr.gettext("Against last week"),
            options(tr, TRENDS, trend_label),
            action_id=A.TREND,
            initial=before.trend if before and before.trend in TRENDS else "oförändrat",
        ),
        free_text_input(
            f"obs_{place.id}",
            tr.gettext("Observations"),
            action_id=A.OBSERVATIONS,
            optional=True,
            initial=observed or None,
        ),
    ]


def report_saved_text(tr: Translator, saved: WeeklyReport) -> str:
    """The receipt by DM: the week and version; registered afterwards (and not posted), or
    late."""
    message = tr.gettext(
        "Situation report for week {week} saved (version {v}).",
        week=saved.iso_week,
        v=saved.version,
    )
    if saved.afterwards:
        message += " " + tr.gettext(
            "It is registered afterwards, for the meeting of week {week}, {year}: "
            "`/est lägesbild v{week} {year}` shows it with today's date. It is not posted in the "
            "channel.",
            week=saved.iso_week,
            year=saved.iso_year,
        )
    elif saved.late:
        message += " " + tr.gettext("It came after the deadline and is marked late.")
    return message
