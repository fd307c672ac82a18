"""Repositories: queries and inserts inside one unit of work. They add and flush; never commit."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from datetime import datetime
from functools import cache
from typing import Any

from sqlalchemy import Select, and_, bindparam, func
from sqlalchemy import select as core_select
from sqlmodel import Session, SQLModel, col, select

from storage.actions import ActionRepository
from storage.activities import ActivityRepository, CalendarFeedRepository, CandidateRepository
from storage.activity_costs import CostRepository, DocumentRepository, GrantRepository
from storage.audit_chain import GENESIS_HASH, HASH_VERSION, event_hash
from storage.incidents import IncidentRepository
from storage.models import (
    AuditEvent,
    AuditHead,
    Category,
    Group,
    Member,
    MemberStatus,
    Organisation,
    Place,
)
from storage.outbox import OutboxRepository
from storage.retention import RetentionRepository


def snapshot(row: SQLModel) -> dict[str, Any]:
    """A JSON-safe copy of a row, for the audit log's before/after."""
    return row.model_dump(mode="json")


class GroupRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def add(self, group: Group) -> Group:
        self.session.add(group)
        self.session.flush()
        return group

    def get(self, group_id: int) -> Group | None:
        return self.session.get(Group, group_id)

    def by_channel(self, team_id: str, channel_id: str) -> Group | None:
        query = select(Group).where(
            Group.slack_team_id == team_id, Group.slack_channel_id == channel_id
        )
        return self.session.exec(query).first()

    def by_name(self, name: str) -> Group | None:
        return self.session.exec(select(Group).where(Group.name == name)).first()

    def of_team(self, team_id: str) -> Sequence[Group]:
        """Every group of a workspace, archived ones too."""
        return self.session.exec(select(Group).where(Group.slack_team_id == team_id)).all()

    def live(self, ids: Collection[int] | None = None) -> Sequence[Group]:
        """Groups not archived (channel archived, app removed), in id order; with ``ids``, only
        those among them. The clock plans nothing (rhythm, reminders, summaries, activity
        messages) for the others."""
        if ids is not None and not ids:
            return []
        query = select(Group).where(col(Group.archived_at).is_(None))
        if ids is not None:
            query = query.where(col(Group.id).in_(ids))
        return self.session.exec(query.order_by(col(Group.id))).all()

    def of_user(self, team_id: str, user_id: str) -> Sequence[Group]:
        """Groups in which the user is an active member."""
        query = (
            select(Group)
            .join(Member, col(Member.group_id) == col(Group.id))
            .where(
                Group.slack_team_id == team_id,
                Member.slack_user_id == user_id,
                Member.status == MemberStatus.ACTIVE,
            )
            .order_by(col(Group.id))
        )
        return self.session.exec(query).all()


@cache
def membership_query() -> Select[Any]:
    """A channel's group and a user's membership in it, as plain columns (parameters: team,
    channel, user). Every Slack request starts here, so it is built once and skips the ORM."""
    g, m, o = Group.__table__.c, Member.__table__.c, Organisation.__table__.c  # type: ignore[attr-defined]
    return (
        core_select(
            g.id,
            g.name,
            g.slack_team_id,
            g.slack_channel_id,
            g.language,
            g.timezone,
            g.hotspot_count,
            g.hotspot_days,
            g.hotspot_factor,
            m.id.label("member_id"),
            m.role,
            m.status,
            m.language.label("member_language"),
            o.id.label("organisation_id"),
            o.name.label("organisation_name"),
            o.kind.label("organisation_kind"),
        )
        .select_from(Group.__table__)  # type: ignore[attr-defined]
        .outerjoin(
            Member.__table__,  # type: ignore[attr-defined]
            and_(m.group_id == g.id, m.slack_user_id == bindparam("user")),
        )
        .outerjoin(Organisation.__table__, o.id == m.organisation_id)  # type: ignore[attr-defined]
        .where(g.slack_team_id == bindparam("team"), g.slack_channel_id == bindparam("channel"))
    )


class OrganisationRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def add(self, organisation: Organisation) -> Organisation:
        self.session.add(organisation)
        self.session.flush()
        return organisation

    def get(self, organisation_id: int) -> Organisation | None:
        return self.session.get(Organisation, organisation_id)

    def of_group(self, group_id: int) -> Sequence[Organisation]:
        query = (
            select(Organisation)
            .where(Organisation.group_id == group_id)
            .order_by(col(Organisation.name))
        )
        return self.session.exec(query).all()


class MemberRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def in_team(self, team_id: str, user_id: str) -> Sequence[tuple[Member, Group]]:
        """The person's memberships, active or asked for, in every group of a workspace."""
        query = (
            select(Member, Group)
            .join(Group, col(Group.id) == col(Member.group_id))
            .where(
                Group.slack_team_id == team_id,
                Member.slack_user_id == user_id,
                Member.status != MemberStatus.INACTIVE,
            )
        )
        return self.session.exec(query).all()

    def add(self, member: Member) -> Member:
        self.session.add(member)
        self.session.flush()
        return member

    def get(self, member_id: int) -> Member | None:
        return self.session.get(Member, member_id)

    def find(self, group_id: int, user_id: str) -> Member | None:
        query = select(Member).where(Member.group_id == group_id, Member.slack_user_id == user_id)
        return self.session.exec(query).first()

    def of_group(self, group_id: int, *, status: str | None = None) -> Sequence[Member]:
        query = select(Member).where(Member.group_id == group_id)
        if status is not None:
            query = query.where(Member.status == status)
        return self.session.exec(query.order_by(col(Member.id))).all()

    def count_admins(self, group_id: int) -> int:
        query = (
            select(func.count())
            .select_from(Member)
            .where(
                Member.group_id == group_id,
                Member.role == "admin",
                Member.status == MemberStatus.ACTIVE,
            )
        )
        return int(self.session.exec(query).one())


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
        query = select(Place).where(Place.group_id == group_id)
        if active_only:
            query = query.where(col(Place.active).is_(True))
        return self.session.exec(query.order_by(col(Place.district), col(Place.name))).all()


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
        query = select(Category).where(Category.group_id == group_id)
        if active_only:
            query = query.where(col(Category.active).is_(True))
        return self.session.exec(query.order_by(col(Category.label_sv))).all()


class AuditRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def record(
        self,
        action: str,
        *,
        entity: str,
        entity_id: int | None,
        actor: str,
        at: datetime,
        group_id: int | None,
        before: dict[str, Any] | None = None,
        after: dict[str, Any] | None = None,
    ) -> AuditEvent:
        """Append one event to the chain. The head row is locked until the transaction ends."""
        head = self._locked_head()
        fields: dict[str, Any] = {
            "group_id": group_id,
            "at": at,
            "actor": actor,
            "action": action,
            "entity": entity,
            "entity_id": entity_id,
            "before": before,
            "after": after,
        }
        digest = event_hash(prev_hash=head.last_hash, version=HASH_VERSION, **fields)
        event = AuditEvent(
            prev_hash=head.last_hash, hash=digest, hash_version=HASH_VERSION, **fields
        )
        self.session.add(event)
        self.session.flush()
        head.last_hash, head.last_event_id = digest, event.id
        self.session.add(head)
        self.session.flush()
        return event

    def record_row(
        self,
        action: str,
        row: SQLModel,
        *,
        actor: str,
        at: datetime,
        before: dict[str, Any] | None = None,
        group_id: int | None = None,
        extra: dict[str, Any] | None = None,
    ) -> AuditEvent:
        """Record a change of ``row``: its table names the entity, its group the chain's group."""
        entity = str(getattr(row, "__tablename__", type(row).__name__)).removeprefix("est_")
        if group_id is None:
            group_id = row.id if isinstance(row, Group) else getattr(row, "group_id", None)
        return self.record(
            action,
            entity=entity,
            entity_id=getattr(row, "id", None),
            actor=actor,
            at=at,
            group_id=group_id,
            before=before,
            after=snapshot(row) | (extra or {}),
        )

    def _locked_head(self) -> AuditHead:
        head = self.session.exec(
            select(AuditHead).where(AuditHead.id == 1).with_for_update()
        ).first()
        if head is None:
            head = AuditHead(id=1, last_hash=GENESIS_HASH)
            self.session.add(head)
            self.session.flush()
        return head

    def in_order(self, *, after_id: int = 0, limit: int = 1000) -> Sequence[AuditEvent]:
        query = (
            select(AuditEvent)
            .where(col(AuditEvent.id) > after_id)
            .order_by(col(AuditEvent.id))
            .limit(limit)
        )
        return self.session.exec(query).all()

    def for_entity(self, entity: str, entity_id: int) -> Sequence[AuditEvent]:
        query = (
            select(AuditEvent)
            .where(AuditEvent.entity == entity, AuditEvent.entity_id == entity_id)
            .order_by(col(AuditEvent.id))
        )
        return self.session.exec(query).all()

    def of_kinds(self, group_id: int, entities: Collection[str]) -> Sequence[AuditEvent]:
        """The group's events about any row of these kinds of entity."""
        query = select(AuditEvent).where(
            AuditEvent.group_id == group_id, col(AuditEvent.entity).in_(entities)
        )
        return self.session.exec(query).all()


class UnitOfWork:
    """The repositories of one transaction."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self.groups = GroupRepository(session)
        self.organisations = OrganisationRepository(session)
        self.members = MemberRepository(session)
        self.places = PlaceRepository(session)
        self.categories = CategoryRepository(session)
        self.incidents = IncidentRepository(session)
        self.actions = ActionRepository(session)
        self.activities = ActivityRepository(session)
        self.candidates = CandidateRepository(session)
        self.costs = CostRepository(session)
        self.documents = DocumentRepository(session)
        self.grants = GrantRepository(session)
        self.calendar_feeds = CalendarFeedRepository(session)
        self.outbox = OutboxRepository(session)
        self.audit = AuditRepository(session)
        self.retention = RetentionRepository(session)
        # what has been worked out once in this transaction for many uses (e.g. the views the
        # outbox sender prefetches for a sweep's rows); gone with the transaction
        self.memo: dict[str, Any] = {}
