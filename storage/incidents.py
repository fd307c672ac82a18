"""Queries over incidents and their categories: adds, versions, and the aggregates lists and
notices need."""

from __future__ import annotations

from collections.abc import Callable, Collection, Sequence
from datetime import datetime

from sqlalchemy import ColumnElement, func, or_, update
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from storage.models import Category, HotspotNotice, Incident, IncidentVersion


class IncidentRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def add(self, incident: Incident) -> Incident:
        self.session.add(incident)
        self.session.flush()
        return incident

    def add_all(
        self, incidents: Sequence[Incident], versions: Callable[[Incident], IncidentVersion]
    ) -> None:
        """Add many incidents with one insert, then their first versions with another."""
        self.session.add_all(incidents)
        self.session.flush()
        self.session.add_all([versions(row) for row in incidents])
        self.session.flush()

    def get(self, incident_id: int) -> Incident | None:
        return self.session.get(Incident, incident_id)

    def by_idempotency_key(self, group_id: int, key: str) -> Incident | None:
        query = select(Incident).where(
            Incident.group_id == group_id, Incident.idempotency_key == key
        )
        return self.session.exec(query).first()

    def from_message(self, group_id: int, channel: str, ts: str) -> Sequence[Incident]:
        """Live incidents logged from one Slack message (through the message shortcut)."""
        query = select(Incident).where(
            Incident.group_id == group_id,
            Incident.source_channel == channel,
            Incident.source_ts == ts,
            col(Incident.deleted_at).is_(None),
        )
        return self.session.exec(query.order_by(col(Incident.id))).all()

    def add_version(self, version: IncidentVersion) -> None:
        self.session.add(version)
        self.session.flush()

    def versions(self, incident_id: int) -> Sequence[IncidentVersion]:
        query = select(IncidentVersion).where(IncidentVersion.incident_id == incident_id)
        return self.session.exec(query.order_by(col(IncidentVersion.version))).all()

    @staticmethod
    def _live_in(start: datetime, end: datetime) -> list[ColumnElement[bool]]:
        """Not deleted, happened in [start, end)."""
        return [
            col(Incident.occurred_at) >= start,
            col(Incident.occurred_at) < end,
            col(Incident.deleted_at).is_(None),
        ]

    def _live(
        self, group_id: int, start: datetime, end: datetime, place_id: int | None
    ) -> list[ColumnElement[bool]]:
        """Not deleted, in [start, end), at the place if given (a place is in one group, and
        its index is far narrower than the group's), else in the group."""
        conditions = self._live_in(start, end)
        if place_id is not None:
            conditions.append(col(Incident.place_id) == place_id)
        else:
            conditions.append(col(Incident.group_id) == group_id)
        return conditions

    def counts(
        self,
        start: datetime,
        end: datetime,
        *,
        place_ids: Sequence[int],
        category_ids: Sequence[int],
        reporter: str | None = None,
    ) -> list[tuple[int, int, int]]:
        """(place_id, category_id, count) in [start, end): one pass over the
        (place, category, time) index, for both the per-place and the per-category totals;
        ``reporter``: only what that person reported."""
        n = func.count().label("n")
        mine = [col(Incident.reporter_user_id) == reporter] if reporter is not None else []
        query = (
            select(col(Incident.place_id), col(Incident.category_id), n)
            .where(
                col(Incident.place_id).in_(place_ids),
                col(Incident.category_id).in_(category_ids),
                *self._live_in(start, end),
                *mine,
            )
            .group_by(col(Incident.place_id), col(Incident.category_id))
        )
        return [(int(p), int(c), int(k)) for p, c, k in self.session.exec(query).all()]

    def count_by(
        self, column: str, group_id: int, start: datetime, end: datetime, place_id: int | None
    ) -> list[tuple[int, int]]:
        """(category_id or place_id, count) in [start, end), most first."""
        key = col(Incident.category_id) if column == "category" else col(Incident.place_id)
        n = func.count().label("n")
        query = (
            select(key, n)
            .where(*self._live(group_id, start, end, place_id))
            .group_by(key)
            .order_by(n.desc(), key)
        )
        return [(int(k), int(c)) for k, c in self.session.exec(query).all()]

    def newest(
        self,
        group_id: int,
        start: datetime,
        end: datetime,
        place_ids: Collection[int] | None,
        *,
        offset: int,
        limit: int,
        organisation_id: int | None = None,
        reporter: str | None = None,
    ) -> Sequence[Incident]:
        """The newest first, at these places (all the group's when None); restricted incidents
        only when reported by ``organisation_id``; ``reporter``: only what that person reported."""
        visible = or_(
            col(Incident.restricted).is_(False), col(Incident.organisation_id) == organisation_id
        )
        mine = [col(Incident.reporter_user_id) == reporter] if reporter is not None else []
        where = self._live(group_id, start, end, None)
        if place_ids is not None:
            where.append(col(Incident.place_id).in_(list(place_ids)))
        query = (
            select(Incident)
            .where(*where, visible, *mine)
            .order_by(col(Incident.occurred_at).desc(), col(Incident.id).desc())
            .offset(offset)
            .limit(limit)
        )
        return self.session.exec(query).all()

    def count(
        self, group_id: int, place_id: int, category_id: int, start: datetime, end: datetime
    ) -> int:
        query = (
            select(func.count())
            .select_from(Incident)
            .where(
                *self._live(group_id, start, end, place_id),
                col(Incident.category_id) == category_id,
            )
        )
        return int(self.session.exec(query).one())

    def times_at_places(
        self, place_ids: Collection[int], start: datetime, end: datetime
    ) -> list[tuple[int, datetime]]:
        """(place id, when) of the live incidents at these places in [start, end): what the
        before/after counts of many activities are counted from, read in one query."""
        if not place_ids:
            return []
        query = select(Incident.place_id, Incident.occurred_at).where(
            col(Incident.place_id).in_(list(place_ids)), *self._live_in(start, end)
        )
        return [(int(place_id), at) for place_id, at in self.session.exec(query).all()]

    def move_place(self, from_place: int, to_place: int) -> int:
        """Move every incident of one place to another (merging places); returns how many."""
        result = self.session.execute(
            update(Incident).where(col(Incident.place_id) == from_place).values(place_id=to_place)
        )
        return int(result.rowcount)  # type: ignore[attr-defined]

    def claim_hotspot_notice(self, notice: HotspotNotice) -> bool:
        """Insert the notice unless one exists for that place, category and week."""
        try:
            with self.session.begin_nested():
                self.session.add(notice)
        except IntegrityError:
            return False
        return True


class CategoryRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def add(self, category: Category) -> Category:
        self.session.add(category)
        self.session.flush()
        return category

    def get(self, category_id: int) -> Category | None:
        return self.session.get(Category, category_id)

    def of_group(self, group_id: int, *, active_only: bool = True) -> Sequence[Category]:
        """The group's categories by Swedish label; with ``active_only``, not the retired."""
        query = select(Category).where(Category.group_id == group_id)
        if active_only:
            query = query.where(col(Category.active).is_(True))
        return self.session.exec(query.order_by(col(Category.label_sv))).all()
