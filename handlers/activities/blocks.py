"""Block Kit for activities: cards, the upcoming list, the App Home section, the messages the
clock sends (announcement, reminder, follow-up, effect)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from babel.dates import format_datetime
from slack_sdk.models.blocks import (
    ActionsBlock,
    Block,
    ButtonElement,
    ContextBlock,
    DividerBlock,
    HeaderBlock,
    MarkdownTextObject,
    SectionBlock,
)

from bot.activities.results import (
    CostItem,
    FiledDocument,
    MotivatingRecord,
    ObservedEffect,
    PlannedActivity,
)
from bot.activities.service import Upcoming
from bot.i18n import Translator
from handlers.ids import Action as A
from handlers.ids import Block as B
from handlers.text import clip, escape, format_day_short

Message = dict[str, Any]


def kind_label(tr: Translator, kind: str) -> str:
    labels = {
        "aktivering av plats": tr.gettext("activating a place"),
        "evenemang": tr.gettext("event"),
        "trygghetsvandring": tr.gettext("safety walk"),
        "nattvandring": tr.gettext("night walk"),
        "gemensam utsättning": tr.gettext("joint deployment"),
        "lovaktivitet": tr.gettext("school-holiday activity"),
        "utbildning": tr.gettext("training"),
        "annat": tr.gettext("something else"),
    }
    return labels.get(kind, kind)


def status_label(tr: Translator, status: str) -> str:
    labels = {
        "planerad": tr.gettext("planned"),
        "genomförd": tr.gettext("held"),
        "inställd": tr.gettext("called off"),
    }
    return labels.get(status, status)


def attendance_label(tr: Translator, category: str) -> str:
    labels = {
        "barn och unga": tr.gettext("children and young people"),
        "vuxna": tr.gettext("adults"),
        "arrangörer och aktörer": tr.gettext("organisers and partners"),
    }
    return labels.get(category, category)


def method_label(tr: Translator, method: str | None) -> str:
    labels = {
        "räknat": tr.gettext("counted"),
        "uppskattat": tr.gettext("estimated"),
        "klickräknare": tr.gettext("click counter"),
    }
    return labels.get(method or "", method or "")


def kronor(ore: int) -> str:
    """1 740,50 kr — Swedish grouping with a non-breaking space, öre after a comma."""
    whole = f"{ore // 100:,}".replace(",", "\u00a0")
    return f"{whole},{ore % 100:02d}\u00a0kr"


def span(tr: Translator, activity: PlannedActivity, tz: ZoneInfo) -> str:
    """'lör 12 dec. 11:00–16:00'."""
    locale = "en_GB" if tr.language == "en" else "sv_SE"
    start = format_datetime(activity.start_at.astimezone(tz), "EEE d MMM HH:mm", locale=locale)
    end = format_datetime(activity.end_at.astimezone(tz), "HH:mm", locale=locale)
    return f"{start}–{end}"


def stamp(moment: datetime, tz: ZoneInfo, language: str) -> str:
    """'tors 10 dec. 2026 14:03': when something was saved, in a message."""
    locale = "en_GB" if language == "en" else "sv_SE"
    return format_datetime(moment.astimezone(tz), "EEE d MMM y HH:mm", locale=locale)


def summary(tr: Translator, activity: PlannedActivity, tz: ZoneInfo) -> str:
    """mrkdwn: what, when, where, who; unmotivated drafts say so (people typed the texts)."""
    parts = [
        f"*#{activity.id} {escape(activity.title)}*",
        kind_label(tr, activity.kind),
        span(tr, activity, tz),
        escape(", ".join(activity.places)),
        f"<@{activity.owner_user_id}> ({escape(activity.organisation)})",
    ]
    if activity.status != "planerad":
        parts.append(status_label(tr, activity.status))
    if not activity.motivated:
        parts.append(tr.gettext(":warning: unmotivated (draft)"))
    return " · ".join(parts)


def motivation_line(tr: Translator, m: MotivatingRecord, tz: ZoneInfo) -> str:
    what = (
        tr.gettext("Incident #{id}", id=m.record_id)
        if m.kind == "incident"
        else tr.gettext("Situation report {id}", id=m.record_id)
    )
    saved = tr.gettext("saved {when}", when=stamp(m.record_at, tz, tr.language))
    return f"• {what} ({saved}), {escape(m.place)}: {escape(clip(m.summary, 200))}"


def funding_label(tr: Translator, source: str) -> str:
    """A funding source as the reader says it; the stored value stays Swedish."""
    labels = {
        "statsbidrag": tr.gettext("state grant"),
        "lovbidrag": tr.gettext("school-holiday grant"),
        "föreningsbidrag": tr.gettext("association grant"),
        "egen budget": tr.gettext("own budget"),
        "annat": tr.gettext("something else"),
    }
    return labels.get(source, source)


def document_kind_label(tr: Translator, kind: str) -> str:
    labels = {
        "avtal": tr.gettext("contract"),
        "faktura": tr.gettext("invoice"),
        "tillstånd": tr.gettext("permit"),
        "kvitto": tr.gettext("receipt"),
        "beslut": tr.gettext("decision"),
        "annat": tr.gettext("something else"),
    }
    return labels.get(kind, kind)


def cost_line(tr: Translator, c: CostItem) -> str:
    line = (
        tr.gettext("• Cost #{id}: {amount}", id=c.id, amount=kronor(c.amount_ore))
        + f" · {escape(c.supplier)}"
        + (f" ({c.supplier_org_number})" if c.supplier_org_number else "")
        + f" · {escape(c.description)} · {escape(funding_label(tr, c.funding_source))}"
        + (f" {c.grant_year}" if c.grant_year else "")
    )
    if not c.invoice_number:
        line += " · " + tr.gettext(":warning: no invoice number")
    if c.outside_year:
        line += " · " + tr.gettext(
            ":warning: dated {day}, outside {year}",
            day=format_day_short(c.cost_date, tr.language, year=True),
            year=c.grant_year,
        )
    return line


def document_line(tr: Translator, d: FiledDocument, tz: ZoneInfo) -> str:
    return tr.gettext(
        "• Document #{id} ({kind}) “{title}”, dated {day}, registered {registered}",
        id=d.id,
        kind=escape(document_kind_label(tr, d.kind)),
        title=escape(d.title),
        day=format_day_short(d.document_date, tr.language, year=True),
        registered=stamp(d.created_at, tz, tr.language),
    ) + (f" · {escape(d.reference)}" if d.reference else "")


def effect_line(tr: Translator, e: ObservedEffect) -> str:
    return tr.ngettext(
        "Incidents at the places, {n} week before → after: {before} → {after}",
        "Incidents at the places, {n} weeks before → after: {before} → {after}",
        e.weeks,
        before=e.before,
        after=e.after,
    )


def details(tr: Translator, a: PlannedActivity, tz: ZoneInfo) -> list[str]:
    lines = []
    if a.purpose:
        lines.append(tr.gettext("*Purpose:* {text}", text=escape(a.purpose)))
    if a.target_group:
        lines.append(tr.gettext("*Target group:* {text}", text=escape(a.target_group)))
    if a.organisers:
        names = ", ".join(
            escape(o.name) + (f" ({o.org_number})" if o.org_number else "") for o in a.organisers
        )
        lines.append(tr.gettext("*Organisers:* {names}", names=names))
    if a.expected_participants is not None:
        lines.append(tr.gettext("*Expected participants:* {n}", n=a.expected_participants))
    if a.cancel_reason:
        lines.append(tr.gettext("*Cancelled:* {text}", text=escape(a.cancel_reason)))
    return lines


def _follow_up(tr: Translator, a: PlannedActivity) -> list[str]:
    if not a.followed_up:
        return []
    counts = ", ".join(f"{attendance_label(tr, c)} {n}" for c, n in a.attendance)
    lines = [
        tr.gettext(
            "*Attendance:* {counts} (total {total}, {method})",
            counts=counts,
            total=a.attendance_total,
            method=method_label(tr, a.counting_method),
        ),
        tr.gettext("*Incidents during the activity:* {n}", n=a.incidents_during),
    ]
    if a.effect:
        lines.append(tr.gettext("*Observed effect:* {text}", text=escape(a.effect)))
    return lines


def buttons(tr: Translator, a: PlannedActivity, channel: str) -> ActionsBlock:
    value = f"{a.id}:{channel}"
    elements = [
        ButtonElement(
            text=tr.gettext("Follow up"), action_id=A.OPEN_ACTIVITY_FOLLOW_UP, value=value
        ),
        ButtonElement(text=tr.gettext("Add a cost"), action_id=A.OPEN_ACTIVITY_COST, value=value),
        ButtonElement(
            text=tr.gettext("Add motivation"), action_id=A.OPEN_ACTIVITY_MOTIVATE, value=value
        ),
        ButtonElement(
            text=tr.gettext("Add a document"), action_id=A.OPEN_ACTIVITY_DOCUMENT, value=value
        ),
    ]
    return ActionsBlock(block_id=f"{B.ACTIVITY_BUTTONS}_{a.id}", elements=elements)


def card_blocks(tr: Translator, a: PlannedActivity, tz: ZoneInfo, channel: str) -> list[Block]:
    blocks: list[Block] = [SectionBlock(text=MarkdownTextObject(text=clip(summary(tr, a, tz))))]
    sections = [
        details(tr, a, tz),
        [tr.gettext("*Motivated by:*"), *(motivation_line(tr, m, tz) for m in a.motivations)]
        if a.motivations
        else [],
        _follow_up(tr, a),
        [effect_line(tr, e) for e in a.effects],
        [
            tr.gettext("*Costs:* {total}", total=kronor(a.total_cost_ore)),
            *(cost_line(tr, c) for c in a.costs),
        ]
        if a.costs
        else [],
        [tr.gettext("*Documents:*"), *(document_line(tr, d, tz) for d in a.documents)]
        if a.documents
        else [],
    ]
    for lines in sections:
        if lines:
            blocks.append(SectionBlock(text=MarkdownTextObject(text=clip("\n".join(lines)))))
    times = tr.gettext(
        "Created {created} by <@{by}> · changed {changed}",
        created=stamp(a.created_at, tz, tr.language),
        by=a.created_by,
        changed=stamp(a.updated_at, tz, tr.language),
    )
    if a.exported_at is not None:
        times += " · " + tr.gettext("exported {when}", when=stamp(a.exported_at, tz, tr.language))
    blocks.append(ContextBlock(elements=[MarkdownTextObject(text=times)]))
    if not a.cancelled:
        blocks.append(buttons(tr, a, channel))
    return blocks


def message(text: str, blocks: Sequence[Block]) -> Message:
    return {"text": text, "blocks": [b.to_dict() for b in blocks]}


def build_card(tr: Translator, a: PlannedActivity, tz: ZoneInfo, channel: str) -> Message:
    return message(f"#{a.id} {escape(a.title)}", card_blocks(tr, a, tz, channel))


def build_mine(
    tr: Translator, activities: Sequence[PlannedActivity], tz: ZoneInfo, channel: str
) -> Message:
    """`/est aktivitet mina`: as many whole cards as one message holds (Slack's 50 blocks), and
    how many more there are."""
    if not activities:
        text = tr.gettext("You have no coming activities or follow-ups.")
        return message(text, [SectionBlock(text=MarkdownTextObject(text=text))])
    blocks: list[Block] = []
    shown = 0
    for activity in activities:
        card = card_blocks(tr, activity, tz, channel)
        if blocks and len(blocks) + len(card) > 49:  # one block left for the note
            break
        blocks += card
        shown += 1
    if shown < len(activities):
        more = tr.ngettext("… and {n} more", "… and {n} more", len(activities) - shown)
        note = more + ". " + tr.gettext("`/est aktivitet N` shows each of them.")
        blocks.append(ContextBlock(elements=[MarkdownTextObject(text=note)]))
    first = activities[0]
    return message(f"#{first.id} {escape(first.title)}", blocks)


def upcoming_blocks(tr: Translator, upcoming: Upcoming, tz: ZoneInfo, *, limit: int) -> list[Block]:
    blocks: list[Block] = []
    for place, activities in upcoming.by_place[:limit]:
        lines = [f"*{escape(place)}*"] + [
            "• " + summary(tr, a, tz).replace(f" · {escape(', '.join(a.places))}", "")
            for a in activities[:5]
        ]
        blocks.append(SectionBlock(text=MarkdownTextObject(text=clip("\n".join(lines)))))
    return blocks


def build_upcoming(tr: Translator, upcoming: Upcoming, tz: ZoneInfo) -> Message:
    title = tr.gettext("Coming activities")
    if not upcoming.by_place:
        text = tr.gettext("No activities are planned. Plan one with `/est aktivitet ny`.")
        return message(text, [SectionBlock(text=MarkdownTextObject(text=text))])
    blocks: list[Block] = [
        HeaderBlock(text=f"{title} ({upcoming.count})"),
        *upcoming_blocks(tr, upcoming, tz, limit=40),
        ContextBlock(
            elements=[
                MarkdownTextObject(
                    text=tr.gettext(
                        "Details: `/est aktivitet {id}`. New: `/est aktivitet ny`.",
                        id=upcoming.by_place[0][1][0].id,
                    )
                )
            ]
        ),
    ]
    return message(title, blocks)


def home_blocks(tr: Translator, upcoming: Upcoming, tz: ZoneInfo) -> list[dict[str, Any]]:
    """The App Home section "Kommande aktiviteter"."""
    blocks: list[Block] = [HeaderBlock(text=tr.gettext("Coming activities"))]
    found = upcoming_blocks(tr, upcoming, tz, limit=8)
    if not found:
        none = tr.gettext("No activities are planned. Plan one with `/est aktivitet ny`.")
        found = [SectionBlock(text=MarkdownTextObject(text=none))]
    return [b.to_dict() for b in [*blocks, *found, DividerBlock()]]
