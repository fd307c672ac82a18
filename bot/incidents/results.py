"""What incident services return: frozen values, never live rows."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime

from bot.incidents.categories import IncidentCategory
from bot.timeparse import Period
from storage.models import Category, Incident, Organisation, Place
from storage.repositories import UnitOfWork


@dataclass(frozen=True)
class LoggedIncident:
    id: int
    place_id: int
    place: str
    district: str
    category: IncidentCategory
    occurred_at: datetime
    description: str
    persistence: str | None
    reporter_user_id: str
    organisation: str
    version: int
    source_link: str | None
    created_at: datetime
    updated_at: datetime
    deleted_at: datetime | None
    restricted: bool = False  # begränsad: only the reporter's organisation sees the text
    text_cleared: bool = False  # gallrad: the free text was cleared after the retention period

    @property
    def edited(self) -> bool:
        return self.version > 1 and self.deleted_at is None


@dataclass(frozen=True)
class IncidentList:
    period: Period
    place: str | None
    total: int
    by_category: tuple[tuple[IncidentCategory, int], ...]
    by_place: tuple[tuple[str, int], ...]
    entries: tuple[LoggedIncident, ...]
    offset: int
    has_more: bool
    district: bool = False  # ``place`` names a district (stadsdel): all its places


def logged_incident(
    uow: UnitOfWork,
    row: Incident,
    *,
    places: Mapping[int | None, Place] | None = None,
    categories: Mapping[int | None, Category] | None = None,
    organisations: Mapping[int | None, Organisation] | None = None,
) -> LoggedIncident:
    """The view of one row; pass the group's places and categories when listing many."""
    place = places[row.place_id] if places else uow.places.get(row.place_id)
    category = categories[row.category_id] if categories else uow.categories.get(row.category_id)
    if organisations is not None:
        organisation = organisations.get(row.organisation_id)
    else:
        organisation = uow.organisations.get(row.organisation_id)
    assert row.id is not None and place is not None and category is not None
    return LoggedIncident(
        id=row.id,
        place_id=row.place_id,
        place=place.name,
        district=place.district,
        category=IncidentCategory.of(category),
        occurred_at=row.occurred_at,
        description=row.description,
        persistence=row.persistence,
        reporter_user_id=row.reporter_user_id,
        organisation=organisation.name if organisation else "",
        version=row.version,
        source_link=row.source_link,
        created_at=row.created_at,
        updated_at=row.updated_at,
        deleted_at=row.deleted_at,
        restricted=row.restricted,
        text_cleared=row.text_cleared_at is not None,
    )
