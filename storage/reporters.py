"""Queries for reporters: their personal links (by the hash of the token), the links' shared
rate-limit window, and what the monthly feedback reads (their incidents, and what the group did
at those places since)."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from datetime import datetime, timedelta

from sqlalchemy import case, update
from sqlmodel import Session, col, select

from storage.models import (
    Action,
    ActionPlace,
    ActionStatus,
    Activity,
    ActivityPlace,
    ActivityStatus,
    Incident,
    JointLevel,
    ReporterLink,
)


class ReporterLinkRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def add(self, link: ReporterLink) -> ReporterLink:
        self.session.add(link)
        self.session.flush()
        return link

    def get(self, link_id: int) -> ReporterLink | None:
        return self.session.get(ReporterLink, link_id)

    def by_hash(self, token_hash: str) -> ReporterLink | None:
        query = select(ReporterLink).where(col(ReporterLink.token_hash) == token_hash)
        return self.session.exec(query).first()

    def of_group(self, group_id: int, *, live_only: bool = True) -> Sequence[ReporterLink]:
        query = select(ReporterLink).where(col(ReporterLink.group_id) == group_id)
        if live_only:
            query = query.where(col(ReporterLink.revoked_at).is_(None))
        return self.session.exec(query.order_by(col(ReporterLink.id))).all()

    def hit(self, link_id: int, *, now: datetime, window: timedelta) -> tuple[int, datetime]:
        """Count one request in the link's window (a new window when the last one is over), in
        one statement, so that every web process counts the same; (hits, window start)."""
        over = col(ReporterLink.window_start).is_(None) | (
            col(ReporterLink.window_start) <= now - window
        )
        self.session.execute(
            update(ReporterLink)
            .where(col(ReporterLink.id) == link_id)
            .values(
                window_hits=case((over, 1), else_=col(ReporterLink.window_hits) + 1),
                window_start=case((over, now), else_=col(ReporterLink.window_start)),
            )
        )
        self.session.expire_all()
        row = self.session.get(ReporterLink, link_id)
        assert row is not None and row.window_start is not None
        return row.window_hits, row.window_start

    def save(self, link: ReporterLink) -> None:
        self.session.add(link)
        self.session.flush()


class FeedbackRepository:
    """What the monthly feedback reads."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def reported(self, group_id: int, start: datetime, end: datetime) -> list[tuple[str, int, int]]:
        """(reporter, organisation id, place id) of each live incident reported in [start, end)."""
        query = select(
            col(Incident.reporter_user_id), col(Incident.organisation_id), col(Incident.place_id)
        ).where(
            col(Incident.group_id) == group_id,
            col(Incident.created_at) >= start,
            col(Incident.created_at) < end,
            col(Incident.deleted_at).is_(None),
        )
        return [(str(r), int(o), int(p)) for r, o, p in self.session.exec(query).all()]

    def actions_done(
        self, place_ids: Collection[int], since: datetime, until: datetime
    ) -> list[tuple[int, str]]:
        """(place id, title) of the actions at these places marked done in [since, until)."""
        if not place_ids:
            return []
        query = (
            select(col(ActionPlace.place_id), col(Action.title))
            .join(Action, col(Action.id) == col(ActionPlace.action_id))
            .where(
                col(ActionPlace.place_id).in_(place_ids),
                col(Action.status) == ActionStatus.DONE,
                col(Action.done_at) >= since,
                col(Action.done_at) < until,
            )
            .order_by(col(Action.done_at), col(Action.id))
        )
        return [(int(p), str(t)) for p, t in self.session.exec(query).all()]

    def activities_held(
        self, place_ids: Collection[int], since: datetime, until: datetime
    ) -> list[tuple[int, str]]:
        """(place id, title) of the activities held at these places in [since, until)."""
        if not place_ids:
            return []
        query = (
            select(col(ActivityPlace.place_id), col(Activity.title))
            .join(Activity, col(Activity.id) == col(ActivityPlace.activity_id))
            .where(
                col(ActivityPlace.place_id).in_(place_ids),
                col(Activity.status) == ActivityStatus.GENOMFORD,
                col(Activity.start_at) >= since,
                col(Activity.start_at) < until,
            )
            .order_by(col(Activity.start_at), col(Activity.id))
        )
        return [(int(p), str(t)) for p, t in self.session.exec(query).all()]

    def joint_levels(self, group_id: int, place_ids: Collection[int]) -> list[JointLevel]:
        """The agreed levels of these places, week by week (oldest first)."""
        if not place_ids:
            return []
        query = (
            select(JointLevel)
            .where(col(JointLevel.group_id) == group_id, col(JointLevel.place_id).in_(place_ids))
            .order_by(col(JointLevel.iso_year), col(JointLevel.iso_week))
        )
        return list(self.session.exec(query).all())
