"""What the priorities of an EST period look like outside the database: frozen values, and the
look-ups that put them at the top of a week's lägesbild and summary and into the grant report."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date

from storage.models import PeriodPriority, PriorityStatus
from storage.repositories import UnitOfWork


@dataclass(frozen=True)
class PriorityItem:
    place_id: int | None
    place: str  # "" when the priority is a problem anywhere
    category_key: str  # "" when it is a place, whatever the problem
    category_sv: str
    category_en: str
    motivation: str

    def category(self, language: str) -> str:
        return self.category_en if language == "en" else self.category_sv


@dataclass(frozen=True)
class Priorities:
    """One period's priorities: decided (by an administrator or at a meeting) or a proposal."""

    id: int
    period: str  # "2026-T3"
    first_day: date
    last_day: date
    based_on: str  # the period analysed
    status: str
    items: tuple[PriorityItem, ...]
    version: int
    created_by: str
    meeting_week: tuple[int, int] | None  # (ISO year, week) of the meeting it was decided at

    @property
    def decided(self) -> bool:
        return self.status == PriorityStatus.DECIDED

    def place_ids(self) -> set[int]:
        return {i.place_id for i in self.items if i.place_id is not None}


def priorities_views(uow: UnitOfWork, rows: Sequence[PeriodPriority]) -> list[Priorities]:
    """The rows as values, with their places', categories' and meetings' names."""
    if not rows:
        return []
    place_ids = {int(i["place_id"]) for r in rows for i in r.items if i.get("place_id")}
    places = uow.pictures.places(place_ids)
    categories = {c.key: c for c in uow.categories.of_group(rows[0].group_id, active_only=False)}
    found = []
    for row in rows:
        items = []
        for item in row.items:
            place = places.get(int(item["place_id"])) if item.get("place_id") else None
            key = item.get("category") or ""
            category = categories.get(key)
            items.append(
                PriorityItem(
                    place.id if place else None,
                    place.name if place else "",
                    key,
                    category.label_sv if category else key,
                    category.label_en if category else key,
                    str(item.get("motivation", "")),
                )
            )
        meeting = uow.priorities.meeting(row.meeting_id) if row.meeting_id else None
        found.append(
            Priorities(
                row.id or 0,
                row.period,
                row.first_day,
                row.last_day,
                row.based_on,
                row.status,
                tuple(items),
                row.version,
                row.created_by,
                (meeting.iso_year, meeting.iso_week) if meeting else None,
            )
        )
    return found


def week_priorities(
    uow: UnitOfWork, group_id: int, year: int, week: int
) -> tuple[tuple[Priorities, ...], tuple[Priorities, ...]]:
    """The decided priorities of the period(s) the ISO week belongs to (by its Monday, as the
    period analysis counts it), and the proposals still waiting for a meeting."""
    monday = date.fromisocalendar(year, week, 1)
    rows = uow.priorities.covering(
        group_id, monday, monday, (PriorityStatus.DECIDED, PriorityStatus.PROPOSED)
    )
    views = priorities_views(uow, rows)
    return (
        tuple(v for v in views if v.decided),
        tuple(v for v in views if v.status == PriorityStatus.PROPOSED),
    )


def prioritised_labels(
    priorities: Iterable[Priorities], day: date, place_ids: Iterable[int]
) -> tuple[str, ...]:
    """The periods ("2026-T3") in which any of the places was prioritised on that day."""
    wanted = set(place_ids)
    return tuple(
        p.period
        for p in priorities
        if p.decided and p.first_day <= day <= p.last_day and p.place_ids() & wanted
    )
