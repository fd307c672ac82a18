"""Block Kit for incidents: the form, the confirmation, place suggestions, lists, refusals."""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from slack_sdk.models.blocks import (
    ActionsBlock,
    Block,
    ButtonElement,
    CheckboxesElement,
    ContextBlock,
    ExternalDataSelectElement,
    HeaderBlock,
    InputBlock,
    MarkdownTextObject,
    Option,
    PlainTextObject,
    SectionBlock,
    TimePickerElement,
)

from bot.i18n import Translator
from bot.incidents.categories import IncidentCategory
from bot.incidents.notifications import HotspotReached
from bot.incidents.results import IncidentList, LoggedIncident
from bot.places.service import RegisteredPlace, UnknownPlace
from bot.recording import registered_late
from bot.rules import MAX_TEXT
from handlers.forms import date_input, free_text_input, modal, select_input, text_input
from handlers.ids import Action, Callback
from handlers.ids import Block as B
from handlers.rendering import rendered, renderers
from handlers.text import clip, escape, format_day_only, format_short, format_when, shorten

Message = dict[str, Any]
BUTTON_VALUE_LIMIT = 2000


def persistence_label(tr: Translator, value: str | None) -> str:
    labels = {
        "ny": tr.gettext("new"),
        "återkommande": tr.gettext("recurring"),
        "befäst": tr.gettext("entrenched"),
    }
    return labels.get(value or "", "")


def place_option(place: RegisteredPlace) -> Option:
    return Option(
        value=str(place.id), label=clip(place.name, 75), description=clip(place.district, 75)
    )


def _message(blocks: Sequence[Block], text: str) -> Message:
    return {"text": text, "blocks": [b.to_dict() for b in blocks]}


def _line(tr: Translator, incident: LoggedIncident, tz: ZoneInfo, language: str) -> str:
    """Place · category · time · persistence, as plain text (names are typed by people)."""
    parts = [
        incident.place,
        incident.category.label(language),
        format_when(incident.occurred_at, tz, language),
    ]
    if incident.persistence:
        parts.append(persistence_label(tr, incident.persistence))
    if late := _registered(tr, incident, tz):
        parts.append(late)
    if incident.restricted:
        parts.append("🔒 " + tr.gettext("restricted"))
    if incident.text_cleared:
        parts.append(tr.gettext("text cleared (retention)"))
    return " · ".join(parts)


def _registered(tr: Translator, incident: LoggedIncident, tz: ZoneInfo) -> str:
    """ "registrerad 12 mars 2026" when it was registered more than a week after it happened:
    an auditor sees the record was made afterwards."""
    if not registered_late(incident.occurred_at, incident.created_at):
        return ""
    day = format_day_only(incident.created_at, tz, tr.language)
    return tr.gettext("registered {day}", day=day)


def _plain(text: str, limit: int = 3000) -> SectionBlock:
    """A section shown exactly as typed: plain_text is never formatted, linked or mentioned."""
    return SectionBlock(text=PlainTextObject(text=clip(text, limit), emoji=False))


def _summary(tr: Translator, incident: LoggedIncident, tz: ZoneInfo) -> str:
    line = _line(tr, incident, tz, tr.language)
    return f"{line}\n“{incident.description}”" if incident.description else line


def build_logged(
    tr: Translator, incident: LoggedIncident, tz: ZoneInfo, *, created: bool, plans: bool = True
) -> Message:
    """Exactly what was saved, with buttons to correct or delete it (and, for those who plan
    actions, to create one: not a reporter's)."""
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
    blocks: list[Block] = [
        SectionBlock(text=MarkdownTextObject(text=head)),
        _plain(_summary(tr, incident, tz)),
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
    return _message(blocks, f"{head} {escape(incident.place)}")


def build_place_choices(tr: Translator, error: UnknownPlace, quick_text: str) -> Message:
    """Which place? The nearest three as buttons; admins may add the typed one."""
    text = tr.render(error.message, quote=escape)
    if error.places:
        text += " " + tr.gettext("Did you mean one of these?")
    buttons: list[ButtonElement] = []
    for i, place in enumerate(error.places[:3]):
        value = json.dumps({"p": place.id, "t": quick_text}, ensure_ascii=False)
        if len(value) <= BUTTON_VALUE_LIMIT:
            buttons.append(
                ButtonElement(
                    text=clip(place.name, 75), value=value, action_id=f"{Action.PICK_PLACE}_{i}"
                )
            )
    form_value = quick_text if len(quick_text) <= BUTTON_VALUE_LIMIT else quick_text[:1900]
    buttons.append(
        ButtonElement(
            text=tr.gettext("Open the form"), value=form_value, action_id=Action.OPEN_INCIDENT_FORM
        )
    )
    if error.can_add:
        buttons.append(
            ButtonElement(
                text=tr.gettext("Add “{name}” as a place", name=clip(error.text, 40)),
                value=error.text[:150],
                action_id=Action.OPEN_ADD_PLACE,
            )
        )
    blocks: list[Block] = [
        SectionBlock(text=MarkdownTextObject(text=text)),
        ActionsBlock(block_id=B.PLACE_CHOICES, elements=buttons),
    ]
    if len(quick_text) > BUTTON_VALUE_LIMIT:  # too long to carry in a button: give it back
        blocks.append(
            SectionBlock(text=MarkdownTextObject(text=clip(f"```{escape(quick_text)}```")))
        )
    return _message(blocks, text)


def build_incident_modal(
    tr: Translator,
    categories: Sequence[IncidentCategory],
    *,
    now: datetime,
    tz: ZoneInfo,
    metadata: dict[str, Any],
    initial: LoggedIncident | None = None,
    place: RegisteredPlace | None = None,
    description: str = "",
    duplicate_of: int | None = None,
) -> dict[str, Any]:
    """New (or corrected) incident: place typeahead, category, date and time, description."""
    at = (initial.occurred_at if initial else now).astimezone(tz)
    chosen_place = place_option(place) if place else None
    category_options = [
        Option(value=str(c.id), label=clip(c.label(tr.language), 75))
        for c in categories
        if c.active
    ][:100]
    persistence = [
        Option(value=v, label=persistence_label(tr, v)) for v in ("ny", "återkommande", "befäst")
    ]
    blocks: list[Block] = [
        InputBlock(
            block_id=B.PLACE,
            label=tr.gettext("Place"),
            element=ExternalDataSelectElement(
                action_id=Action.PLACE,
                placeholder=tr.gettext("Type a place"),
                min_query_length=0,
                initial_option=chosen_place,
            ),
        ),
        select_input(
            B.CATEGORY,
            tr.gettext("Category"),
            category_options,
            action_id=Action.CATEGORY,
            initial=str(initial.category.id) if initial else None,
            placeholder=tr.gettext("Choose"),
        ),
        date_input(B.DATE, tr.gettext("Date"), action_id=Action.DATE, initial=f"{at:%Y-%m-%d}"),
        InputBlock(
            block_id=B.WHEN,
            label=tr.gettext("Time"),
            element=TimePickerElement(action_id=Action.TIME, initial_time=at.strftime("%H:%M")),
        ),
        free_text_input(
            B.DESCRIPTION,
            tr.gettext("What happened (no names)"),
            action_id=Action.DESCRIPTION,
            optional=True,
            initial=initial.description if initial else shorten(description, MAX_TEXT),
        ),
        *_too_long(tr, "" if initial else description),
        select_input(
            B.PERSISTENCE,
            tr.gettext("The problem is"),
            persistence,
            action_id=Action.PERSISTENCE,
            optional=True,
            initial=initial.persistence if initial else None,
            placeholder=tr.gettext("Choose"),
        ),
    ]
    restricted = Option(
        value="yes", label=tr.gettext("Only my organisation sees the text (restricted)")
    )
    blocks.append(
        InputBlock(
            block_id=B.RESTRICTED,
            optional=True,
            label=tr.gettext("Restricted"),
            hint=tr.gettext(
                "The others see the incident only in the counts per place and category."
            ),
            element=CheckboxesElement(
                action_id=Action.RESTRICTED,
                options=[restricted],
                initial_options=[restricted] if initial and initial.restricted else None,
            ),
        )
    )
    if duplicate_of is not None:
        blocks.append(
            InputBlock(
                block_id=B.DUPLICATE,
                optional=True,
                label=tr.gettext("Already logged as incident #{id}", id=duplicate_of),
                element=CheckboxesElement(
                    action_id=Action.DUPLICATE,
                    options=[Option(value="yes", label=tr.gettext("Log it again"))],
                ),
            )
        )
    if metadata.get("link"):
        blocks.append(
            ContextBlock(
                elements=[
                    MarkdownTextObject(
                        text=tr.gettext("From <{link}|a message>.", link=metadata["link"])
                    )
                ]
            )
        )
    title = tr.gettext("Correct incident") if initial else tr.gettext("New incident")
    callback = Callback.INCIDENT_EDIT if initial else Callback.INCIDENT
    return modal(tr, callback, title, blocks, metadata)


def _too_long(tr: Translator, description: str) -> list[Block]:
    """A message longer than a description holds fills the form with its beginning; the form
    says so (the whole message stays in the channel, and the incident links to it)."""
    if len(description) <= MAX_TEXT:
        return []
    notice = tr.gettext(
        ":warning: The message is {n} characters long and a description holds {most}: the form "
        "has its beginning. Keep what matters; the whole message stays in the channel, and "
        "the incident links to it.",
        n=f"{len(description):,}".replace(",", "\u00a0"),
        most=f"{MAX_TEXT:,}".replace(",", "\u00a0"),
    )
    return [ContextBlock(elements=[MarkdownTextObject(text=notice)])]


def build_delete_modal(
    tr: Translator, incident: LoggedIncident, tz: ZoneInfo, metadata: dict[str, Any]
) -> dict[str, Any]:
    question = tr.gettext("Delete incident #{id}?", id=incident.id)
    blocks: list[Block] = [
        SectionBlock(text=MarkdownTextObject(text=question)),
        _plain(_summary(tr, incident, tz)),
        text_input(
            B.REASON,
            tr.gettext("Why? (kept in the history)"),
            action_id=Action.REASON,
            max_length=500,
        ),
    ]
    title = tr.gettext("Delete incident")
    return modal(tr, Callback.INCIDENT_DELETE, title, blocks, metadata, submit=tr.gettext("Delete"))


def build_incident_list(
    tr: Translator, listing: IncidentList, tz: ZoneInfo, more_value: str | None
) -> Message:
    """Counts per category and place, then the newest entries; "Visa fler" pages on."""
    period = tr.render(listing.period.label, quote=escape)
    where = f" · {escape(listing.place)}" if listing.place else ""
    if listing.total == 0:
        text = tr.gettext("No incidents reported {period}{where}.", period=period, where=where)
        return _message([SectionBlock(text=MarkdownTextObject(text=text))], text)
    title = tr.ngettext(
        "{n} incident, {period}", "{n} incidents, {period}", listing.total, period=period
    )
    blocks: list[Block] = [
        HeaderBlock(text=clip(title + (f" · {listing.place}" if listing.place else ""), 150))
    ]
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
        mark += f" ({late})" if (late := _registered(tr, incident, tz)) else ""
        mark += " 🔒" if incident.restricted else ""
        line = (
            f"#{incident.id} {format_short(incident.occurred_at, tz, tr.language)} · "
            f"{incident.place} · {incident.category.label(tr.language)}{mark}"
        )
        if incident.description:
            line += f"\n“{clip(incident.description, 300)}”"
        blocks.append(_plain(line))
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
    return _message(blocks, title)


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
    return _message([SectionBlock(text=MarkdownTextObject(text=text))], text)


# which builder renders which of the incidents' notifications
RENDERERS = renderers(rendered(HotspotReached, build_hotspot))
