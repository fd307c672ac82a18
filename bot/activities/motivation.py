"""Motivation: the dated records at a place (incidents, situation-report entries) that an
activity there can cite, with the time each was saved by the server."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from bot.errors import InvalidInput, NotFound
from bot.i18n import N_
from storage.models import Category, Incident, Organisation, Place, ReportEntry, SituationReport
from storage.repositories import UnitOfWork

CANDIDATE_WEEKS = 12  # records this old or newer are offered as motivation
CANDIDATE_LIMIT = 50  # the newest of each kind (incidents, report entries)


@dataclass(frozen=True)
class Candidate:
    """A dated record that may motivate an activity at its place."""

    key: str
    kind: str
    record_id: int
    place_id: int
    place: str
    record_at: datetime
    happened: str  # the incident's time, or the report's week ("v. 46")
    summary: str


def record(uow: UnitOfWork, group_id: int, key: str) -> Candidate:
    """The record behind a key: "i:12" (incident #12, also "#12" or "12"), "r:5" (an entry
    of a situation report)."""
    typed = key.strip().lstrip("#")
    kind, _, raw = ("i", ":", typed) if typed.isdigit() else typed.partition(":")
    if not raw.isdigit() or kind not in ("i", "r"):
        raise InvalidInput(
            N_(
                "Unknown record “{key}”: choose one from the list (i:12 is incident #12, r:5 "
                "a situation report's entry).",
                key=key,
            ),
            field="motivation",
        )
    if kind == "i":
        incident = uow.incidents.get(int(raw))
        if incident is None or incident.group_id != group_id or incident.deleted_at is not None:
            raise NotFound(N_("No incident #{id} in this group.", id=int(raw)))
        category = uow.categories.get(incident.category_id)
        place = uow.places.get(incident.place_id)
        return _incident_candidate(incident, category, place, ZoneInfo("UTC"))
    found = uow.candidates.report_entry(group_id, int(raw))
    if found is None:
        raise NotFound(N_("No situation report {key} in this group.", key=key))
    return _report_candidate(*found)


def _incident_candidate(
    incident: Incident, category: Category | None, place: Place | None, tz: ZoneInfo
) -> Candidate:
    assert incident.id is not None
    label = category.label_sv if category else ""
    # begränsad: the link is seen by the whole group, so it carries the category, not the text
    shown = incident.description if not incident.restricted else ""
    text = f"{label}: {shown}".strip(": ") if shown else label
    return Candidate(
        key=f"i:{incident.id}",
        kind="incident",
        record_id=incident.id,
        place_id=incident.place_id,
        place=place.name if place else "",
        record_at=incident.created_at,
        happened=incident.occurred_at.astimezone(tz).strftime("%Y-%m-%d %H:%M"),
        summary=text,
    )


def _report_candidate(
    entry: ReportEntry, report: SituationReport, organisation: Organisation, place: Place
) -> Candidate:
    assert entry.id is not None
    text = f"{organisation.name}: {entry.level}, {entry.trend}"
    if entry.observations:
        text += f": {entry.observations}"
    return Candidate(
        key=f"r:{entry.id}",
        kind="report",
        record_id=entry.id,
        place_id=entry.place_id,
        place=place.name,
        record_at=report.updated_at,
        happened=f"{report.iso_year}-W{report.iso_week:02d}",
        summary=text,
    )


def candidates(
    uow: UnitOfWork, group_id: int, place_ids: Sequence[int], now: datetime, tz: ZoneInfo
) -> list[Candidate]:
    since = now - timedelta(weeks=CANDIDATE_WEEKS)
    places = {p.id or 0: p for p in uow.places.of_group(group_id, active_only=False)}
    wanted = [p for p in place_ids if p in places] or list(places)
    categories = {c.id: c for c in uow.categories.of_group(group_id, active_only=False)}
    incidents = uow.candidates.incidents_at(
        group_id, wanted, since=since, until=now, limit=CANDIDATE_LIMIT
    )
    entries = uow.candidates.report_entries_at(
        group_id, wanted, since=since, until=now, limit=CANDIDATE_LIMIT
    )
    found = [
        _incident_candidate(i, categories.get(i.category_id), places.get(i.place_id), tz)
        for i in incidents
    ] + [_report_candidate(*row) for row in entries]
    return sorted(found, key=lambda c: c.record_at, reverse=True)
