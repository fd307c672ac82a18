"""Block Kit for incidents: the confirmation, the list, the hotspot notice. The forms are in
``modals``, the questions of a quick incident in ``choices``, the shared parts in ``lines``."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from slack_sdk.models.blocks import (
    ActionsBlock,
    Block,
    ButtonElement,
    ContextBlock,
    HeaderBlock,
    MarkdownTextObject,
    PlainTextObject,
    SectionBlock,
)

from bot.i18n import LazyText, Translator
from bot.incidents.notifications import HotspotReached
from bot.incidents.results import IncidentList, LoggedIncident
from handlers.ids import Action
from handlers.ids import Block as B
from handlers.incidents.lines import Message, message, plain, registered, summary
from handlers.rendering import rendered, renderers
from handlers.text import clip, escape, format_short, quoted


def build_logged(
    tr: Translator,
    incident: LoggedIncident,
    tz: ZoneInfo,
    *,
    created: bool,
    reading: LazyText | None = None,
    plans: bool = True,
) -> Message:
    """Exactly what was saved, with buttons to correct or delete it (and, for those who plan
    actions, to create one: not a reporter's); ``reading`` says what a part of the day
    ("i natt") was read as."""
    head = (
        tr.gettext("Saved as incident #{id}:", id=incident.id)
        if created
        else tr.gettext("Already saved as incident #{id}:", id=incident.id)
    )
    context = tr.gettext(
        "Reported by <@{user}> for {org}.",
        user=incident.reporter_user_id,
        org=escape(incident.organisation),
    )
    if incident.source_link:
        context += " " + tr.gettext("<{link}|The message>", link=incident.source_link)
    if reading is not None:
        context += "\n" + tr.render(reading, quote=escape)
    blocks: list[Block] = [
        SectionBlock(text=MarkdownTextObject(text=head)),
        plain(summary(tr, incident, tz)),
        ContextBlock(elements=[MarkdownTextObject(text=context)]),
        ActionsBlock(
            block_id=B.INCIDENT_ACTIONS,
            elements=[
                ButtonElement(
                    text=tr.gettext("Correct"),
                    action_id=Action.EDIT_INCIDENT,
                    value=str(incident.id),
                ),
                *(
                    [
                        ButtonElement(
                            text=tr.gettext("Create an action"),
                            action_id=Action.CREATE_ACTION,
                            value=str(incident.id),
                        )
                    ]
                    if plans
                    else []
                ),
                ButtonElement(
                    text=tr.gettext("Delete"),
                    action_id=Action.DELETE_INCIDENT,
                    value=str(incident.id),
                    style="danger",
                ),
            ],
        ),
    ]
    return message(blocks, f"{head} {escape(incident.place)}")


def build_incident_list(
    tr: Translator, listing: IncidentList, tz: ZoneInfo, more_value: str | None
) -> Message:
    """Counts per category and place, then the newest entries; "Visa fler" pages on."""
    period = tr.render(listing.period.label, quote=escape)
    place = listing.place or ""
    if place and listing.district:
        place = tr.gettext("district {name}", name=place)
    where = f" · {escape(place)}" if place else ""
    if listing.total == 0:
        text = tr.gettext("No incidents reported: {period}{where}.", period=period, where=where)
        return message([SectionBlock(text=MarkdownTextObject(text=text))], text)
    title = tr.ngettext(
        "{n} incident, {period}", "{n} incidents, {period}", listing.total, period=period
    )
    blocks: list[Block] = [HeaderBlock(text=clip(title + (f" · {place}" if place else ""), 150))]
    if listing.offset == 0:
        categories = "\n".join(f"{n}  {c.label(tr.language)}" for c, n in listing.by_category)
        places = "\n".join(f"{n}  {name}" for name, n in listing.by_place[:15])
        if len(listing.by_place) > 15:  # said, not left out: `/est händelser <plats>` per place
            hidden = len(listing.by_place) - 15
            places += "\n" + tr.ngettext("… and {n} more", "… and {n} more", hidden)
        blocks.append(
            SectionBlock(
                fields=[
                    PlainTextObject(
                        text=clip(tr.gettext("Per category") + "\n" + categories, 2000)
                    ),
                    PlainTextObject(text=clip(tr.gettext("Per place") + "\n" + places, 2000)),
                ]
            )
        )
    corrected = tr.gettext("corrected")
    for incident in listing.entries:
        mark = f" ({corrected})" if incident.edited else ""
        mark += f" ({late})" if (late := registered(tr, incident, tz)) else ""
        mark += " 🔒" if incident.restricted else ""
        line = (
            f"#{incident.id} {format_short(incident.occurred_at, tz, tr.language)} · "
            f"{incident.place} · {incident.category.label(tr.language)}{mark}"
        )
        if incident.description:
            line += "\n" + quoted(clip(incident.description, 300), tr.language)
        blocks.append(plain(line))
    if more_value is not None:
        blocks.append(
            ActionsBlock(
                elements=[
                    ButtonElement(
                        text=tr.gettext("Show more"),
                        action_id=Action.MORE_INCIDENTS,
                        value=more_value,
                    )
                ]
            )
        )
    return message(blocks, title)


def build_hotspot(tr: Translator, note: HotspotReached) -> Message:
    """One notice in the channel when a place gathers incidents of one category."""
    category = note.category_en if tr.language == "en" else note.category_sv
    if note.rule == "count":
        text = tr.gettext(
            ":warning: *{place}*: {n} incidents of {category} within {days} days (week {week}).",
            place=escape(note.place),
            n=note.count,
            category=escape(category),
            days=note.days,
            week=note.iso_week,
        )
    else:
        text = tr.gettext(
            ":warning: *{place}*: {n} incidents of {category} this week (week {week}), at least "
            "twice the average of the four weeks before.",
            place=escape(note.place),
            n=note.count,
            category=escape(category),
            week=note.iso_week,
        )
    return message([SectionBlock(text=MarkdownTextObject(text=text))], text)


# which builder renders which of the incidents' notifications
RENDERERS = renderers(rendered(HotspotReached, build_hotspot))
