"""Queries over the place register."""

from __future__ import annotations

from collections.abc import Sequence

from sqlmodel import Session, col, select

from storage.models import Place


class PlaceRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def add(self, place: Place) -> Place:
        self.session.add(place)
        self.session.flush()
        return place

    def get(self, place_id: int) -> Place | None:
        return self.session.get(Place, place_id)

    def of_group(self, group_id: int, *, active_only: bool = True) -> Sequence[Place]:
        """The group's places by district and name; with ``active_only``, not the archived."""
        query = select(Place).where(Place.group_id == group_id)
        if active_only:
            query = query.where(col(Place.active).is_(True))
        return self.session.exec(query.order_by(col(Place.district), col(Place.name))).all()
