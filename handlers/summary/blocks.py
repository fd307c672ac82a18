"""The weekly summary as a Slack message: short lines that read on a phone, arrows and numbers."""

from __future__ import annotations

from typing import Any

from slack_sdk.models.blocks import (
    Block,
    ContextBlock,
    DividerBlock,
    HeaderBlock,
    MarkdownTextObject,
    SectionBlock,
)

from bot.i18n import Translator
from bot.summary.notifications import SummaryChart, SummaryFailed, SummaryMap, SummaryPosted
from bot.summary.results import ActivityEntry, decimal_text
from bot.summary.service import ActionLine, CategoryWeek, PlaceWeek, Summary
from handlers.analysis.priority_blocks import as_blocks, build_priority_head
from handlers.rendering import rendered, renderers
from handlers.replies import build_text
from handlers.text import MRKDWN_LIMIT, clip, escape, format_day_short, paragraphs, slack_reason
from handlers.weekly.blocks import weekdays

Message = dict[str, Any]
LISTED_PLACES = 10
LISTED_CATEGORIES = 8
LISTED = 10  # activities held, and coming, each


def number(tr: Translator, value: float) -> str:
    """12 → '12'; 6.25 → '6,3' in Swedish (half up, as people round), '6.3' in English."""
    return decimal_text(value, tr.language)


def change(tr: Translator, now: float, then: float) -> str:
    """'↑ +5', '↓ −2,5', '→ 0'."""
    diff = round(now - then, 1)
    if diff > 0:
        return f"↑ +{number(tr, diff)}"
    if diff < 0:
        return f"↓ −{number(tr, -diff)}"
    return "→ 0"


def _changes(tr: Translator, s: Summary, count: int, previous: int, average: float) -> str:
    """'↑ +4 mot v. 46 · ↑ +5 mot snittet 1'."""
    return tr.gettext(
        "{vs_week} against w. {week} · {vs_avg} against the average {avg}",
        vs_week=change(tr, count, previous),
        week=s.weeks[-2][1],
        vs_avg=change(tr, count, average),
        avg=number(tr, average),
    )


def _place_line(tr: Translator, s: Summary, p: PlaceWeek, *, categories: bool) -> str:
    """One line; with ``categories`` (the places of most concern) three short ones, which read
    better on a phone than one long line wrapped anywhere."""
    changes = _changes(tr, s, p.count, p.previous, p.average)
    if not categories:
        return f"*{escape(p.place)}* {p.count} · {changes}"
    line = f"*{escape(p.place)}* {p.count}\n      {changes}"
    if p.by_category:
        mix = ", ".join(
            f"{escape(sv if tr.language == 'sv' else en).lower()} {n}"
            for sv, en, n in p.by_category[:4]
        )
        line += f"\n      {mix}"
    return line


def _category_line(tr: Translator, s: Summary, c: CategoryWeek) -> str:
    label = escape(c.label_sv if tr.language == "sv" else c.label_en)
    return f"{label} {c.count} · {_changes(tr, s, c.count, c.previous, sum(c.series[-5:-1]) / 4)}"


def _action_line(tr: Translator, a: ActionLine) -> str:
    return tr.gettext(
        "• {title} — <@{owner}> ({organisation}), due {due}",
        title=escape(a.title),
        owner=a.owner,
        organisation=escape(a.organisation),
        due=format_day_short(a.due, tr.language),
    )


def _section(text: str) -> SectionBlock:
    return SectionBlock(text=MarkdownTextObject(text=clip(text)))


def _sections(lines: list[str]) -> list[Block]:
    """A heading and its lines, going on in further sections rather than being cut."""
    return [SectionBlock(text=MarkdownTextObject(text=t)) for t in paragraphs(lines)]


def _more(tr: Translator, lines: list[str], most: int) -> list[str]:
    """The first ``most`` lines, then how many more there are (never left out unsaid)."""
    hidden = len(lines) - most
    if hidden <= 0:
        return lines
    return [*lines[:most], tr.ngettext("… and {n} more", "… and {n} more", hidden)]


def _incident_blocks(tr: Translator, s: Summary) -> list[Block]:
    if s.quiet:
        return [_section(tr.gettext("No incidents reported w. {week}.", week=s.iso_week))]
    blocks: list[Block] = [
        _section(
            tr.ngettext(
                "*{n} incident* · {vs_week} against w. {week} · {vs_avg} against the 4-week "
                "average {avg}",
                "*{n} incidents* · {vs_week} against w. {week} · {vs_avg} against the 4-week "
                "average {avg}",
                s.total,
                vs_week=change(tr, s.total, s.previous),
                week=s.weeks[-2][1],
                vs_avg=change(tr, s.total, s.average),
                avg=number(tr, s.average),
            )
        )
    ]
    concern = [s.place(pid) for pid in s.concern]
    lines = [f"{i}. {_place_line(tr, s, p, categories=True)}" for i, p in enumerate(concern, 1)]
    blocks += _sections([tr.gettext("*Places of most concern*"), *lines])
    if s.rising:
        rising = [f"• {_place_line(tr, s, s.place(pid), categories=False)}" for pid in s.rising]
        head = tr.gettext(
            "*Rising* (at least {factor} × their average)", factor=number(tr, s.factor)
        )
        blocks += _sections([head, *_more(tr, rising, LISTED_PLACES)])
    others = [p for p in s.places if p.place_id not in s.concern][:LISTED_PLACES]
    if others:
        lines = [f"• {_place_line(tr, s, p, categories=False)}" for p in others]
        more = len(s.places) - len(concern) - len(others)
        if more > 0:
            lines.append(tr.ngettext("… and {n} more place", "… and {n} more places", more))
            lines.append(tr.gettext("`/est händelser v{week}` lists them all.", week=s.iso_week))
        blocks += _sections([tr.gettext("*Other places*"), *lines])
    counted = [f"• {_category_line(tr, s, c)}" for c in s.categories if c.count]
    if counted:
        blocks += _sections([tr.gettext("*By category*"), *_more(tr, counted, LISTED_CATEGORIES)])
    return blocks


def _action_blocks(tr: Translator, s: Summary) -> list[Block]:
    a = s.actions
    if a is None:
        return []
    text = tr.gettext(
        "*Actions*: done this week {done}, open {open}, overdue {overdue}",
        done=a.done,
        open=a.open,
        overdue=a.overdue,
    )
    lines = [text]
    for heading, listed in (
        (tr.gettext("Overdue:"), a.overdue_lines),
        (tr.gettext("Done:"), a.done_lines),
    ):
        if listed:
            lines += [heading, *(_action_line(tr, line) for line in listed)]
    return _sections(lines)


def _activity_line(tr: Translator, e: ActivityEntry, *, held: bool) -> str:
    where = escape(", ".join(e.places)) if e.places else tr.gettext("no place")
    day, _, clock = e.start.partition(" ")  # local "YYYY-MM-DD HH:MM"
    when = f"{format_day_short(day, tr.language)} {clock}".strip()
    line = f"• #{e.id} {escape(e.title)} ({escape(e.kind)}) — {where}, {when}"
    if held:
        line += ", " + (
            tr.gettext(
                "{n} taking part ({method})", n=e.attendance, method=e.counting_method or "?"
            )
            if e.attendance is not None
            else tr.gettext("not followed up yet")
        )
    if not e.motivated:
        line += " · " + tr.gettext(":warning: no motivation (draft)")
    return line


def _activity_blocks(tr: Translator, s: Summary) -> list[Block]:
    a = s.activities
    if a is None:
        return []
    if not a.held and not a.coming:
        text = tr.gettext(
            "*Activities*: none held w. {week} and none planned in the two weeks after.",
            week=s.iso_week,
        )
        return [_section(text)]
    lines = []
    if a.held:
        held = [_activity_line(tr, e, held=True) for e in a.held]
        lines += [tr.gettext("*Activities held w. {week}*:", week=s.iso_week)]
        lines += _more(tr, held, LISTED)
    if a.coming:
        coming = [_activity_line(tr, e, held=False) for e in a.coming]
        lines += [tr.gettext("*Coming in the next two weeks*:"), *_more(tr, coming, LISTED)]
    return _sections(lines)


def _report_blocks(tr: Translator, s: Summary) -> list[Block]:
    if s.missing_reports is None:
        return []
    if not s.missing_reports:
        everyone = tr.gettext(
            "Every organisation reported for the meeting of w. {week}.", week=s.iso_week
        )
        return [_section(everyone)]
    names = [escape(n) for n in s.missing_reports]
    lines = [", ".join(names)]
    if len(lines[0]) > MRKDWN_LIMIT - 100:  # too many for one section: one a line, none left out
        lines = [f"• {n}" for n in names]
    text = tr.gettext(
        "*No situation report for the meeting of w. {week} from*: {names}",
        week=s.iso_week,
        names=lines[0] if len(lines) == 1 else "",
    )
    return _sections([text.rstrip(), *(lines if len(lines) > 1 else [])])


def _days(tr: Translator, s: Summary) -> str:
    """'mån 30 nov. – sön 6 dec. 2026': the week's days, as every message writes a day."""
    first = format_day_short(s.start, tr.language)
    return f"{first} – {format_day_short(s.end, tr.language, year=True)}"


def build_summary(tr: Translator, s: Summary) -> Message:
    title = tr.gettext("Weekly summary w. {week}, {year}", week=s.iso_week, year=s.iso_year)
    blocks: list[Block] = [
        HeaderBlock(text=title),
        ContextBlock(elements=[MarkdownTextObject(text=_days(tr, s))]),
        *as_blocks(build_priority_head(tr, s.priorities)),
        *_incident_blocks(tr, s),
        *_action_blocks(tr, s),
        *_activity_blocks(tr, s),
        *_report_blocks(tr, s),
        DividerBlock(),
        ContextBlock(
            elements=[
                MarkdownTextObject(
                    text=tr.gettext(
                        "The chart follows in the thread. `/est sammanfattning` posts it again."
                    )
                    if s.chart_places
                    else tr.gettext("`/est sammanfattning` posts it again.")
                )
            ]
        ),
    ]
    fallback = (
        title if not s.quiet else tr.gettext("No incidents reported w. {week}.", week=s.iso_week)
    )
    return {"text": fallback, "blocks": [b.to_dict() for b in blocks]}


def build_posted(tr: Translator, note: SummaryPosted) -> Message:
    return build_summary(tr, note.summary)


def build_failed(tr: Translator, note: SummaryFailed) -> Message:
    if note.part == "chart":
        text = tr.gettext(
            "The chart of the weekly summary for w. {week} could not be posted ({reason}). "
            "The summary itself is in the channel.",
            week=note.iso_week,
            reason=slack_reason(tr, note.reason),
        )
    elif note.part == "map":
        text = tr.gettext(
            "The map of the weekly summary for w. {week} could not be posted ({reason}). "
            "The summary itself is in the channel; show the week's map with "
            "`/est lägesbild v{week} karta`.",
            week=note.iso_week,
            reason=slack_reason(tr, note.reason),
        )
    else:
        text = tr.gettext(
            "The weekly summary for w. {week} could not be posted in <#{channel}> ({reason}). "
            "Check that the bot is in the channel, then post it with "
            "`/est sammanfattning v{week}`.",
            week=note.iso_week,
            channel=note.group.channel_id,
            reason=slack_reason(tr, note.reason),
        )
    return {"text": text, "blocks": [_section(text).to_dict()]}


def build_chart_comment(tr: Translator, s: Summary) -> str:
    return tr.gettext(
        "Incidents per week, w. {first}–{last}: the places with the most, and the categories.",
        first=s.weeks[0][1],
        last=s.iso_week,
    )


def build_map_comment(tr: Translator, s: Summary) -> str:
    return tr.gettext(
        "The places on the map, w. {week}: the circle's size is the week's incidents, its "
        "colour the joint level.",
        week=s.iso_week,
    )


def build_schedule_set(tr: Translator, weekday: int, at: str) -> Message:
    day = weekdays(tr)[weekday].lower()
    text = tr.gettext("The weekly summary is now posted every {day} at {time}.", day=day, time=at)
    return {"text": text}


def build_post_queued(tr: Translator, iso_week: int) -> Message:
    text = tr.gettext("The summary of week {week} is being posted in the channel.", week=iso_week)
    return build_text(text)


# which builder renders which of the summary's notifications; the chart is uploaded as a file
# (handlers.transport), and what is rendered for it is the file's comment
RENDERERS = renderers(
    rendered(SummaryPosted, build_posted),
    rendered(SummaryChart, lambda tr, n: {"text": build_chart_comment(tr, n.summary)}),
    rendered(SummaryMap, lambda tr, n: {"text": build_map_comment(tr, n.summary)}),
    rendered(SummaryFailed, build_failed),
)
