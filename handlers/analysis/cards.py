"""The cause analysis as a message: its card (the triangle, the sources, what grew out of it)
and the group's list of analyses."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from babel.dates import format_date

from bot.analysis.results import AnalysisView, Tie
from bot.i18n import Translator
from handlers import blockkit as kit
from handlers.actions.blocks import status_label
from handlers.analysis.blocks import source_line
from handlers.blockkit import Json
from handlers.ids import Action as A
from handlers.ids import Block as B
from handlers.text import clip, escape

Message = dict[str, Any]
LIST_LIMIT = 20  # two blocks each, a header and a "more" line: within Slack's 50


def day(tr: Translator, at: datetime, tz: ZoneInfo) -> str:
    """'tis 8 dec.': a day in a message."""
    locale = "en_GB" if tr.language == "en" else "sv_SE"
    return format_date(at.astimezone(tz).date(), "EEE d MMM", locale=locale)


def persistence_label(tr: Translator, value: str) -> str:
    labels = {
        "ny": tr.gettext("new"),
        "återkommande": tr.gettext("recurring"),
        "befäst": tr.gettext("entrenched"),
    }
    return labels.get(value, value)


def title(tr: Translator, analysis: AnalysisView) -> str:
    return tr.gettext(
        "Cause analysis #{id}: {category} at {place}",
        id=analysis.id,
        category=analysis.category(tr.language),
        place=analysis.place,
    )


def _facts(tr: Translator, analysis: AnalysisView, tz: ZoneInfo) -> str:
    state = tr.gettext("open") if analysis.is_open else tr.gettext("closed")
    return " · ".join(
        [
            persistence_label(tr, analysis.persistence),
            tr.gettext("version {n}", n=analysis.version),
            tr.gettext(
                "changed {day} by <@{user}>",
                day=day(tr, analysis.updated_at, tz),
                user=analysis.updated_by,
            ),
            state,
        ]
    )


def _parts(tr: Translator, analysis: AnalysisView) -> list[tuple[str, str]]:
    when = " · ".join(p for p in (analysis.days, analysis.hours, analysis.season) if p)
    return [
        (tr.gettext("The problem"), analysis.description),
        (tr.gettext("When"), when),
        (tr.gettext("The place"), analysis.place_side),
        (tr.gettext("Who or what is affected"), analysis.target_side),
        (tr.gettext("Who offends"), analysis.offender_side),
        (tr.gettext("Platsansvarig"), analysis.place_manager),
        (tr.gettext("Kapabla väktare"), analysis.guardians),
        (tr.gettext("Handledare"), analysis.handlers),
        (tr.gettext("Why here, why now"), analysis.why_here_now),
    ]


def tie_line(tr: Translator, tie: Tie) -> str:
    word = tr.gettext("Action") if tie.kind == "action" else tr.gettext("Activity")
    status = status_label(tr, tie.status) if tie.kind == "action" else tie.status
    line = f"{word} #{tie.id} {escape(tie.title)} — {escape(status)}"
    return line + (f": {escape(clip(tie.outcome, 200))}" if tie.outcome else "")


def _buttons(tr: Translator, analysis: AnalysisView) -> Json:
    value = str(analysis.id)
    elements = [
        kit.button(tr.gettext("Revise"), action_id=A.OPEN_ANALYSIS_REVISE, value=value),
        kit.button(tr.gettext("New action"), action_id=A.ANALYSIS_NEW_ACTION, value=value),
        kit.button(tr.gettext("New activity"), action_id=A.ANALYSIS_NEW_ACTIVITY, value=value),
    ]
    if analysis.is_open:
        elements.append(kit.button(tr.gettext("Close"), action_id=A.ANALYSIS_CLOSE, value=value))
    else:
        elements.append(
            kit.button(tr.gettext("Open again"), action_id=A.ANALYSIS_REOPEN, value=value)
        )
    return kit.actions(block_id=f"{B.ANALYSIS_BUTTONS}_{value}", elements=elements)


def build_card(tr: Translator, analysis: AnalysisView, tz: ZoneInfo) -> Message:
    head = title(tr, analysis)
    blocks = [kit.header(clip(head, 150)), kit.context(clip(_facts(tr, analysis, tz), 2000))]
    for label, text in _parts(tr, analysis):
        if text:
            blocks.append(kit.section(clip(f"*{label}*\n{escape(text)}")))
    if analysis.sources:
        lines = [f"• {source_line(tr, s)}" for s in analysis.sources]
        blocks.append(kit.section(clip(f"*{tr.gettext('Sources')}*\n" + "\n".join(lines))))
    ties = [tie_line(tr, t) for t in analysis.ties]
    grown = "\n".join(ties) if ties else tr.gettext("No actions or activities yet.")
    blocks.append(kit.section(clip(f"*{tr.gettext('Actions and activities')}*\n{grown}")))
    blocks.append(_buttons(tr, analysis))
    return {"text": escape(head), "blocks": blocks}


def build_list(tr: Translator, analyses: Sequence[AnalysisView], tz: ZoneInfo) -> Message:
    if not analyses:
        text = tr.gettext("No cause analyses yet. Start one with `/est analys ny <place>`.")
        return {"text": text, "blocks": [kit.section(text)]}
    head = tr.gettext("Cause analyses ({n})", n=len(analyses))
    blocks = [kit.header(head)]
    for analysis in analyses[:LIST_LIMIT]:
        blocks.append(kit.section(clip(f"*{escape(title(tr, analysis))}*")))
        blocks.append(kit.context(clip(_facts(tr, analysis, tz), 2000)))
    if len(analyses) > LIST_LIMIT:
        more = tr.gettext("{n} more: `/est analys N` shows one.", n=len(analyses) - LIST_LIMIT)
        blocks.append(kit.context(more))
    return {"text": head, "blocks": blocks}
