"""A saved lägesrapport as the channel sees it: who reported, for which meeting, each place's
level, trend and observations; marked late, and revised when a later version edited it.

Only what the organisation wrote in its report is shown: never an incident's text (a begränsad
incident's text stays within its own organisation), so nothing restricted can reach the channel.
"""

from __future__ import annotations

from zoneinfo import ZoneInfo

from slack_sdk.models.blocks import Block, ContextBlock, MarkdownTextObject, SectionBlock

from bot.i18n import Translator
from bot.weekly.notifications import ReportPosted
from bot.weekly.reports import PlaceAssessment
from handlers.rendering import Message, rendered, renderers
from handlers.text import escape, format_short, paragraphs
from handlers.weekly.blocks import level_label, trend_label
from handlers.weekly.weeks import day_text

BLOCKS_PER_POST = 45  # Slack allows 50: the head, the notes and the signature besides


def build_report_post(tr: Translator, note: ReportPosted) -> Message:
    report, tz = note.report, ZoneInfo(note.group.timezone)
    day = day_text(tr, note.meeting_day, report.iso_year)
    title = tr.gettext(
        "Situation report from {org} for the meeting on {day}, week {week}",
        org=report.organisation,
        day=day,
        week=report.iso_week,
    )
    head = "*" + escape(title) + "*"
    if report.late:
        head += " · :hourglass: " + tr.gettext("Late: saved after the deadline")
    if note.holiday:
        head += "\n" + tr.gettext("The meeting moved because of {holiday}.", holiday=note.holiday)
    sections = paragraphs([_place_line(tr, e) for e in report.entries])
    blocks: list[Block] = [SectionBlock(text=MarkdownTextObject(text=head))]
    blocks += [SectionBlock(text=MarkdownTextObject(text=t)) for t in sections[:BLOCKS_PER_POST]]
    if len(sections) > BLOCKS_PER_POST:
        more = tr.gettext(
            "The rest of the report is in `/est lägesbild v{week}`.", week=report.iso_week
        )
        blocks.append(_context(more))
    if not report.entries:
        blocks.append(_context(tr.gettext("No places assessed.")))
    if report.notes:
        notes = tr.gettext("Notes: {notes}", notes=escape(report.notes))
        blocks += [_context(t) for t in paragraphs([notes])]
    signed = tr.gettext("Reported by <@{user}>.", user=report.submitted_by)
    if report.version > 1:
        signed += " " + tr.gettext(
            "Revised {when} (version {v}).",
            when=format_short(report.updated_at, tz, tr.language),
            v=report.version,
        )
    blocks.append(_context(signed))
    return {"text": title, "blocks": [b.to_dict() for b in blocks]}


def _place_line(tr: Translator, entry: PlaceAssessment) -> str:
    line = (
        f"*{escape(entry.place)}* · {level_label(tr, entry.level)} · {trend_label(tr, entry.trend)}"
    )
    return line + (f"\n{escape(entry.observations)}" if entry.observations else "")


def _context(text: str) -> ContextBlock:
    return ContextBlock(elements=[MarkdownTextObject(text=text)])


RENDERERS = renderers(rendered(ReportPosted, build_report_post))
