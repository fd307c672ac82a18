"""Queries over activities: the activities with their places and motivating links, the records
that can motivate one, and the group's calendar feed. Costs, documents and grant allocations
are in ``storage.activity_costs``."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Sequence
from datetime import datetime

from sqlalchemy import delete, func
from sqlmodel import Session, col, select

from storage.models import (
    Activity,
    ActivityMotivation,
    ActivityPlace,
    ActivityStatus,
    AuditEvent,
    CalendarFeed,
    Organisation,
    Place,
)


class ActivityRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def add(self, activity: Activity) -> Activity:
        self.session.add(activity)
        self.session.flush()
        return activity

    def save(self, activity: Activity) -> Activity:
        """Write the changes made to a loaded activity (followed up, cancelled, moved)."""
        self.session.add(activity)
        self.session.flush()
        return activity

    def get(self, activity_id: int) -> Activity | None:
        return self.session.get(Activity, activity_id)

    def many(self, activity_ids: Collection[int]) -> Sequence[Activity]:
        """The activities with these ids (those that exist), loaded in one query."""
        if not activity_ids:
            return []
        query = select(Activity).where(col(Activity.id).in_(list(activity_ids)))
        return self.session.exec(query.order_by(col(Activity.id))).all()

    def any_in_group(self, group_id: int) -> bool:
        """Whether the group has an activity at all, whatever its status."""
        query = select(Activity.id).where(Activity.group_id == group_id).limit(1)
        return self.session.exec(query).first() is not None

    def between(
        self,
        group_id: int,
        start: datetime,
        end: datetime,
        *,
        statuses: Sequence[str] | None = (ActivityStatus.PLANERAD, ActivityStatus.GENOMFORD),
        place_id: int | None = None,
        limit: int | None = 500,
    ) -> Sequence[Activity]:
        """Activities that start in [start, end), in time order; ``statuses=None``: whatever
        their status, ``limit=None``: all of them."""
        query = select(Activity).where(
            col(Activity.group_id) == group_id,
            col(Activity.start_at) >= start,
            col(Activity.start_at) < end,
        )
        if statuses is not None:
            query = query.where(col(Activity.status).in_(statuses))
        if place_id is not None:
            query = query.join(
                ActivityPlace, col(ActivityPlace.activity_id) == col(Activity.id)
            ).where(col(ActivityPlace.place_id) == place_id)
        query = query.order_by(col(Activity.start_at), col(Activity.id))
        if limit is not None:
            query = query.limit(limit)
        return self.session.exec(query).all()

    def ending_between(
        self, start: datetime, end: datetime, *, after_id: int = 0, limit: int = 500
    ) -> Sequence[Activity]:
        """Activities not cancelled, of every group, that end in [start, end), in id order:
        what the planner walks through (reminders, follow-up, effect)."""
        query = (
            select(Activity)
            .where(
                col(Activity.status) != ActivityStatus.INSTALLD,
                col(Activity.end_at) >= start,
                col(Activity.end_at) < end,
                col(Activity.id) > after_id,
            )
            .order_by(col(Activity.id))
            .limit(limit)
        )
        return self.session.exec(query).all()

    # -- places -------------------------------------------------------------------------------

    def set_places(self, activity_id: int, place_ids: Sequence[int]) -> None:
        self.session.execute(
            delete(ActivityPlace).where(col(ActivityPlace.activity_id) == activity_id)
        )
        self.session.add_all(
            ActivityPlace(activity_id=activity_id, place_id=p) for p in sorted(set(place_ids))
        )
        self.session.flush()

    def places(self, activity_id: int) -> Sequence[Place]:
        query = (
            select(Place)
            .join(ActivityPlace, col(ActivityPlace.place_id) == col(Place.id))
            .where(ActivityPlace.activity_id == activity_id)
            .order_by(col(Place.name))
        )
        return self.session.exec(query).all()

    def places_of(self, activity_ids: Collection[int]) -> dict[int, list[tuple[int, str]]]:
        """(place id, name) of each activity's places, by name, in one query; an activity
        without places is not in the answer."""
        query = (
            select(ActivityPlace.activity_id, Place.id, Place.name)
            .join(Place, col(Place.id) == col(ActivityPlace.place_id))
            .where(col(ActivityPlace.activity_id).in_(list(activity_ids)))
            .order_by(col(Place.name))
        )
        places: dict[int, list[tuple[int, str]]] = defaultdict(list)
        for activity_id, place_id, name in self.session.exec(query):
            places[activity_id].append((place_id or 0, name))
        return dict(places)

    # -- what motivated them ------------------------------------------------------------------

    def add_motivation(self, motivation: ActivityMotivation) -> ActivityMotivation:
        self.session.add(motivation)
        self.session.flush()
        return motivation

    def motivations(self, activity_id: int) -> Sequence[ActivityMotivation]:
        query = (
            select(ActivityMotivation)
            .where(ActivityMotivation.activity_id == activity_id)
            .order_by(col(ActivityMotivation.record_at), col(ActivityMotivation.id))
        )
        return self.session.exec(query).all()

    def motivations_of(
        self, activity_ids: Collection[int]
    ) -> Sequence[tuple[ActivityMotivation, str | None]]:
        """Every link of these activities with the name of its record's place (None if the
        place is gone), oldest record first, in one query."""
        query = (
            select(ActivityMotivation, Place.name)
            .outerjoin(Place, col(Place.id) == col(ActivityMotivation.place_id))
            .where(col(ActivityMotivation.activity_id).in_(list(activity_ids)))
            .order_by(col(ActivityMotivation.record_at), col(ActivityMotivation.id))
        )
        return self.session.exec(query).all()

    def motivated_among(self, activity_ids: Collection[int]) -> set[int]:
        """Those of these activities that have at least one motivating record."""
        query = (
            select(ActivityMotivation.activity_id)
            .where(col(ActivityMotivation.activity_id).in_(list(activity_ids)))
            .distinct()
        )
        return set(self.session.exec(query))

    # -- around them --------------------------------------------------------------------------

    def organisation_names(self, organisation_ids: Collection[int]) -> dict[int, str]:
        """The names of the organisations that own activities, by id."""
        query = select(Organisation.id, Organisation.name).where(
            col(Organisation.id).in_(list(organisation_ids))
        )
        return {org_id or 0: name for org_id, name in self.session.exec(query)}

    def last_exported(self, activity_ids: Collection[int]) -> dict[int, datetime]:
        """When each activity's evidence pack was last exported (its newest export event in
        the audit log); an activity never exported is not in the answer."""
        newest = (
            select(func.max(AuditEvent.id))
            .where(
                AuditEvent.entity == "activity",
                col(AuditEvent.entity_id).in_(list(activity_ids)),
                AuditEvent.action == "activity.exported",
            )
            .group_by(col(AuditEvent.entity_id))
        )
        query = select(AuditEvent.entity_id, AuditEvent.at).where(col(AuditEvent.id).in_(newest))
        return {int(activity_id or 0): at for activity_id, at in self.session.exec(query)}


class CalendarFeedRepository:
    """A group's calendar feed: the secret token of its URL."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def of_group(self, group_id: int) -> CalendarFeed | None:
        return self.session.get(CalendarFeed, group_id)

    def by_token(self, token: str) -> CalendarFeed | None:
        return self.session.exec(select(CalendarFeed).where(CalendarFeed.token == token)).first()

    def save(self, feed: CalendarFeed) -> CalendarFeed:
        self.session.add(feed)
        self.session.flush()
        return feed
