"""The columns of an incident in the exports (CSV, XLSX): a new incident field gets its column
here, beside the incident's other result values, and every export of incidents has it."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from bot.exports.formats import Cell, local_moment
from bot.i18n import N_, LazyText, Translator
from storage.models import Category, Incident, Place


@dataclass(frozen=True)
class IncidentRecord:
    """One incident as it is exported: the row, its place and category, and the name of the
    organisation that reported it."""

    incident: Incident
    place: Place
    category: Category
    organisation: str


@dataclass(frozen=True)
class Reader:
    """Who takes the export: the group's time zone, the reader's language and organisation."""

    tz: ZoneInfo
    tr: Translator
    organisation_id: int | None

    def description(self, incident: Incident) -> str:
        """Begränsad: counted for everyone, its text only for its own organisation."""
        if incident.restricted and incident.organisation_id != self.organisation_id:
            return self.tr.gettext("(restricted: only the reporting organisation sees the text)")
        return incident.description

    def label(self, category: Category) -> str:
        return category.label_sv if self.tr.language == "sv" else category.label_en


Column = tuple[LazyText, Callable[[IncidentRecord, Reader], Cell]]

INCIDENT_COLUMNS: tuple[Column, ...] = (
    (N_("No."), lambda r, _reader: r.incident.id),
    (N_("When"), lambda r, reader: local_moment(r.incident.occurred_at, reader.tz)),
    (N_("Week"), lambda r, reader: r.incident.occurred_at.astimezone(reader.tz).isocalendar()[1]),
    (N_("District"), lambda r, _reader: r.place.district),
    (N_("Place"), lambda r, _reader: r.place.name),
    (N_("Category"), lambda r, reader: reader.label(r.category)),
    (N_("Description"), lambda r, reader: reader.description(r.incident)),
    (N_("Persistence"), lambda r, _reader: r.incident.persistence or ""),
    (N_("Reported by"), lambda r, _reader: r.organisation),
    (N_("Registered"), lambda r, reader: local_moment(r.incident.created_at, reader.tz)),
    (N_("Version"), lambda r, _reader: r.incident.version),
)


def incident_table(
    records: Sequence[IncidentRecord], reader: Reader
) -> tuple[list[str], list[list[Cell]]]:
    """The headers in the reader's language, and one row per incident."""
    headers = [reader.tr.render(header) for header, _get in INCIDENT_COLUMNS]
    rows = [[get(record, reader) for _header, get in INCIDENT_COLUMNS] for record in records]
    return headers, rows
