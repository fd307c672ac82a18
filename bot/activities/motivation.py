"""Motivation: the dated records at a place (incidents, situation-report entries) that an
activity there can cite, with the time each was saved by the server. The picker searches the
group's whole history by what is typed; a record saved after the activity was planned is never
offered, for it cannot have motivated it."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from bot.commands import fold
from bot.errors import InvalidInput, NotFound
from bot.i18n import N_
from storage.models import Category, Incident, Organisation, Place, ReportEntry, SituationReport
from storage.motivation import RecordQuery, TypedWord
from storage.repositories import UnitOfWork

CANDIDATE_LIMIT = 100  # what Slack shows in one external select
MAX_QUERY = 200  # characters of a typed search read
MAX_WORDS = 8
UTC_ZONE = ZoneInfo("UTC")


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
    happened_at: datetime  # the incident's time, or the Monday its report's week began (UTC)
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
        happened_at=incident.occurred_at,
        summary=text,
    )


def _report_candidate(
    entry: ReportEntry,
    report: SituationReport,
    organisation: Organisation,
    place: Place,
    tz: ZoneInfo = UTC_ZONE,
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
        happened_at=_week_span((report.iso_year, report.iso_week), tz)[0],
        summary=text,
    )


def candidates(
    uow: UnitOfWork,
    group_id: int,
    place_ids: Sequence[int],
    until: datetime,
    tz: ZoneInfo,
    *,
    typed: str = "",
    limit: int = CANDIDATE_LIMIT,
) -> list[Candidate]:
    """Every earlier record of the group at the places (all places, if none) saved by
    ``until``, that matches what was typed (place, category, words, "v. 12"): those naming the
    typed place or category first, then the newest; at most ``limit``."""
    places = {p.id or 0: p for p in uow.places.of_group(group_id, active_only=False)}
    wanted = [p for p in place_ids if p in places] or list(places)
    categories = {c.id or 0: c for c in uow.categories.of_group(group_id, active_only=False)}
    words, week = _read_query(typed, until.astimezone(tz).date())
    query = RecordQuery(
        group_id,
        until,
        wanted,
        words=[_word(w, places.values(), categories.values()) for w in words],
        week=week,
        happened=_week_span(week, tz) if week else None,
        limit=limit,
    )
    found = [
        _incident_candidate(i, categories.get(i.category_id), places.get(i.place_id), tz)
        for i in uow.candidates.search_incidents(query)
    ] + [_report_candidate(*row, tz) for row in uow.candidates.search_entries(query)]
    named = {p for w in query.words for p in w.places}
    found.sort(key=lambda c: c.record_at, reverse=True)
    found.sort(key=lambda c: c.place_id not in named)  # stable: the place typed first
    return found[:limit]


_WEEK = re.compile(r"\b(?:v|v\.|vecka|week)\s*(\d{1,2})(?:\s+(\d{4}))?\b")


def _read_query(typed: str, today: date) -> tuple[list[str], tuple[int, int] | None]:
    """The words typed (lower case, two letters or more) and a week, if one was named: "v12"
    is the latest week 12 up to today, "v12 2025" that of 2025."""
    text = " ".join(typed.casefold().split())[:MAX_QUERY]
    week = None
    if match := _WEEK.search(text):
        number, year = int(match[1]), int(match[2]) if match[2] else None
        if year is None:
            year = today.isocalendar()[0]
            if number > today.isocalendar()[1]:
                year -= 1
        if 1 <= number <= 53 and _has_week(year, number):
            week = (year, number)
        text = text[: match.start()] + text[match.end() :]
    words = [w.strip(".,;:!?()\"”'") for w in text.split()]
    return [w for w in words if len(w) >= 2][:MAX_WORDS], week


def _has_week(year: int, week: int) -> bool:
    try:
        date.fromisocalendar(year, week, 1)
    except ValueError:
        return False
    return True


def _week_span(week: tuple[int, int], tz: ZoneInfo) -> tuple[datetime, datetime]:
    monday = date.fromisocalendar(week[0], week[1], 1)
    start = datetime.combine(monday, time(0), tzinfo=tz)
    end = datetime.combine(monday + timedelta(days=7), time(0), tzinfo=tz)
    return start.astimezone(UTC), end.astimezone(UTC)


def _word(text: str, places: Iterable[Place], categories: Iterable[Category]) -> TypedWord:
    """A typed word and the places and categories it names (diacritics folded: "karsby" is
    Kårsby IP)."""
    folded = fold(text)
    named_places = tuple(
        p.id or 0 for p in places if any(folded in fold(n) for n in (p.name, *p.aliases))
    )
    named_categories = tuple(
        c.id or 0
        for c in categories
        if any(folded in fold(n) for n in (c.label_sv, c.label_en, *c.aliases))
    )
    return TypedWord(text, named_places, named_categories)
