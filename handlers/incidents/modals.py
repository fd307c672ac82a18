"""The incident forms: new or corrected, and the deletion with its reason."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from slack_sdk.models.blocks import (
    Block,
    CheckboxesElement,
    ContextBlock,
    ExternalDataSelectElement,
    InputBlock,
    MarkdownTextObject,
    Option,
    SectionBlock,
    TimePickerElement,
)

from bot.i18n import Translator
from bot.incidents.categories import IncidentCategory
from bot.incidents.results import LoggedIncident
from bot.places.service import RegisteredPlace
from bot.rules import MAX_TEXT
from handlers.forms import date_input, free_text_input, modal, select_input, text_input
from handlers.ids import Action, Callback
from handlers.ids import Block as B
from handlers.incidents.lines import persistence_label, place_option, plain, summary
from handlers.text import clip, shorten


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
        plain(summary(tr, incident, tz)),
        text_input(
            B.REASON,
            tr.gettext("Why? (kept in the history)"),
            action_id=Action.REASON,
            max_length=500,
        ),
    ]
    title = tr.gettext("Delete incident")
    return modal(tr, Callback.INCIDENT_DELETE, title, blocks, metadata, submit=tr.gettext("Delete"))
