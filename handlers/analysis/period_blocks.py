"""The period analysis as a message: the places ranked by need, each with its reasons."""

from __future__ import annotations

from typing import Any

from bot.analysis.notifications import PeriodPosted
from bot.analysis.period_files import place_label
from bot.analysis.periods import PlaceNeed, period_words
from bot.analysis.ranking import PeriodAnalysis
from bot.i18n import Translator
from handlers import blockkit as kit
from handlers.analysis.priority_blocks import priorities_text
from handlers.ids import Action as A
from handlers.ids import Block as B
from handlers.rendering import rendered, renderers
from handlers.replies import build_text
from handlers.text import clip, escape

RANK_LIMIT = 20  # header, context, priorities, places, "more", buttons: within Slack's 50


def reasons(tr: Translator, place: PlaceNeed) -> list[str]:
    """Why the place ranks where it does, in words."""
    said = [
        tr.ngettext(
            "{n} incident ({before} the period before, {year} a year before)",
            "{n} incidents ({before} the period before, {year} a year before)",
            place.incidents,
            before=place.previous,
            year=place.year_before,
        )
    ]
    if place.serious_weeks:
        said.append(tr.ngettext("serious {n} week", "serious {n} weeks", place.serious_weeks))
    if place.worrying_weeks:
        said.append(tr.ngettext("worrying {n} week", "worrying {n} weeks", place.worrying_weeks))
    if place.open_actions:
        said.append(
            tr.gettext(
                "open actions {open}, overdue {late}",
                open=place.open_actions,
                late=place.overdue_actions,
            )
        )
    if place.activities:
        said.append(tr.ngettext("{n} activity held", "{n} activities held", place.activities))
    elif place.incidents:
        said.append(tr.gettext("no activities held"))
    return said


def build_period(tr: Translator, analysis: PeriodAnalysis) -> dict[str, Any]:
    period = analysis.period
    head = tr.gettext("Period analysis {period}", period=period_words(tr, period))
    blocks = [
        kit.header(clip(head, 150)),
        kit.context(
            tr.gettext(
                "Places ranked by need: incidents, their rise over the period before, "
                "3 for every serious week, 1 for every worrying week, 2 for every overdue action."
            )
        ),
    ]
    if not analysis.places:
        blocks.append(kit.section(tr.gettext("Nothing happened at the group's places then.")))
    for rank, place in enumerate(analysis.places[:RANK_LIMIT], start=1):
        title = f"*{rank}. {escape(place_label(tr, place))}* ({escape(place.district)})"
        need = tr.gettext("need {n}", n=place.need)
        text = f"{title} · {need}\n" + " · ".join(reasons(tr, place))
        blocks.append(kit.section(clip(text)))
    if len(analysis.places) > RANK_LIMIT:
        more = len(analysis.places) - RANK_LIMIT
        blocks.append(
            kit.context(
                tr.ngettext(
                    "{n} more place with less need.", "{n} more places with less need.", more
                )
            )
        )
    if (chosen := analysis.next_priorities) is not None:
        blocks += [kit.divider(), kit.section(priorities_text(tr, chosen))]
    blocks.append(_buttons(tr, period.label, analysis.next_priorities is not None))
    return {"text": head, "blocks": blocks}


def build_period_queued(tr: Translator, analysis: PeriodAnalysis) -> dict[str, Any]:
    """To the one who asked: the analysis is on its way to the channel."""
    return build_text(
        tr.gettext(
            "The period analysis of {period} is being posted in the channel.",
            period=period_words(tr, analysis.period),
        )
    )


def build_posted(tr: Translator, note: PeriodPosted) -> dict[str, Any]:
    return build_period(tr, note.analysis)


def _buttons(tr: Translator, label: str, has_priorities: bool) -> dict[str, Any]:
    """ "Sätt prioriteringar" (the form decides or proposes, as the server says) and the files."""
    return kit.actions(
        block_id=B.PERIOD_BUTTONS,
        elements=[
            kit.button(
                tr.gettext("Change the priorities")
                if has_priorities
                else tr.gettext("Set priorities"),
                action_id=A.OPEN_PRIORITIES,
                value=label,
                style=None if has_priorities else "primary",
            ),
            kit.button(tr.gettext("PDF and XLSX"), action_id=A.PERIOD_FILES, value=label),
        ],
    )


# which builder renders the period analysis's notifications
RENDERERS = renderers(rendered(PeriodPosted, build_posted))
