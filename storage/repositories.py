"""Repositories: queries and inserts inside one unit of work. They add and flush; never commit."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from datetime import datetime
from typing import Any

from sqlmodel import Session, SQLModel, col, select

from storage.actions import ActionRepository
from storage.activities import ActivityRepository
from storage.audit_chain import GENESIS_HASH, HASH_VERSION, event_hash
from storage.groups import GroupRepository, MemberRepository, OrganisationRepository
from storage.incidents import CategoryRepository, IncidentRepository
from storage.models import AuditEvent, AuditHead, Group
from storage.outbox import OutboxRepository
from storage.places import PlaceRepository
from storage.retention import RetentionRepository
from storage.weekly import MeetingRepository, PictureRepository, ReportRepository


def snapshot(row: SQLModel) -> dict[str, Any]:
    """A JSON-safe copy of a row, for the audit log's before/after."""
    return row.model_dump(mode="json")


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
        self.outbox = OutboxRepository(session)
        self.audit = AuditRepository(session)
        self.retention = RetentionRepository(session)
        self.reports = ReportRepository(session)
        self.meetings = MeetingRepository(session)
        self.pictures = PictureRepository(session)
        # what has been worked out once in this transaction for many uses (e.g. the views the
        # outbox sender prefetches for a sweep's rows); gone with the transaction
        self.memo: dict[str, Any] = {}

    def rollback(self) -> None:
        """Undo what this transaction did so far, e.g. after a failed statement (on PostgreSQL it
        spoils every later one). The next statement begins a new transaction; rows loaded before
        are read afresh when next used."""
        self.session.rollback()
