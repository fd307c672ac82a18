"""What every incident message is made of: one incident as a line, the place option, the
persistence label; shared by the confirmation, the list, the choices and the forms."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any
from zoneinfo import ZoneInfo

from slack_sdk.models.blocks import Block, Option, PlainTextObject, SectionBlock

from bot.i18n import Translator
from bot.incidents.results import LoggedIncident
from bot.places.service import RegisteredPlace
from bot.recording import registered_late
from handlers.text import clip, format_day_only, format_when, quoted

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


def message(blocks: Sequence[Block], text: str) -> Message:
    return {"text": text, "blocks": [b.to_dict() for b in blocks]}


def line(tr: Translator, incident: LoggedIncident, tz: ZoneInfo, language: str) -> str:
    """Place · category · time · persistence, as plain text (names are typed by people)."""
    parts = [
        incident.place,
        incident.category.label(language),
        format_when(incident.occurred_at, tz, language),
    ]
    if incident.persistence:
        parts.append(persistence_label(tr, incident.persistence))
    if late := registered(tr, incident, tz):
        parts.append(late)
    if incident.restricted:
        parts.append("🔒 " + tr.gettext("restricted"))
    if incident.text_cleared:
        parts.append(tr.gettext("text cleared (retention)"))
    return " · ".join(parts)


def registered(tr: Translator, incident: LoggedIncident, tz: ZoneInfo) -> str:
    """ "registrerad 12 mars 2026" when it was registered more than a week after it happened:
    an auditor sees the record was made afterwards."""
    if not registered_late(incident.occurred_at, incident.created_at):
        return ""
    day = format_day_only(incident.created_at, tz, tr.language)
    return tr.gettext("registered {day}", day=day)


def plain(text: str, limit: int = 3000) -> SectionBlock:
    """A section shown exactly as typed: plain_text is never formatted, linked or mentioned."""
    return SectionBlock(text=PlainTextObject(text=clip(text, limit), emoji=False))


def summary(tr: Translator, incident: LoggedIncident, tz: ZoneInfo) -> str:
    shown = line(tr, incident, tz, tr.language)
    if not incident.description:
        return shown
    return f"{shown}\n{quoted(incident.description, tr.language)}"
