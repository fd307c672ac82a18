"""Queries over activities, their places and motivating records. Costs, documents and grant
allocations are in ``storage.activity_costs``."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from datetime import datetime

from sqlalchemy import delete
from sqlmodel import Session, col, select

from storage.models import (
    Activity,
    ActivityMotivation,
    ActivityPlace,
    ActivityStatus,
    CalendarFeed,
    Place,
)


class ActivityRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def add(self, activity: Activity) -> Activity:
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

    # -- calendar -----------------------------------------------------------------------------

    def feed(self, group_id: int) -> CalendarFeed | None:
        return self.session.get(CalendarFeed, group_id)

    def feed_by_token(self, token: str) -> CalendarFeed | None:
        return self.session.exec(select(CalendarFeed).where(CalendarFeed.token == token)).first()
