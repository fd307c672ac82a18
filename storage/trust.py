"""Queries of the trust features: the audit log's hash chain, retention (gallring), and the
registrar's export of everything a group holds.

What retention clears, and how, is bot/trust/retention.py's; this module only finds and loads the
rows, in chunks, so a group with years of history is never loaded in one statement. The
registrar's export reads every table through the metadata, so a table added later is exported
without a change here.
"""

from __future__ import annotations

from collections.abc import Collection, Iterator, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, Table
from sqlalchemy import select as core_select
from sqlmodel import Session, SQLModel, col, select

from storage.audit_chain import GENESIS_HASH, HASH_VERSION, event_hash
from storage.models import (
    AuditEvent,
    AuditHead,
    Group,
    Incident,
    IncidentVersion,
    PictureSnapshot,
    ReportEntry,
    ReportVersion,
    SituationReport,
)


def snapshot(row: SQLModel) -> dict[str, Any]:
    """A JSON-safe copy of a row, for the audit log's before/after."""
    return row.model_dump(mode="json")


def row_event(
    action: str,
    row: SQLModel,
    actor: str,
    at: datetime,
    before: dict[str, Any] | None = None,
    group_id: int | None = None,
    extra: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """The fields of an event about ``row``: its table names the entity, its group the chain's."""
    if group_id is None:
        group_id = row.id if isinstance(row, Group) else getattr(row, "group_id", None)
    return {
        "group_id": group_id,
        "at": at,
        "actor": actor,
        "action": action,
        "entity": str(getattr(row, "__tablename__", type(row).__name__)).removeprefix("est_"),
        "entity_id": getattr(row, "id", None),
        "before": before,
        "after": snapshot(row) | (extra or {}),
    }


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
        return self.append([fields])[0]

    def append(self, events: Sequence[dict[str, Any]]) -> list[AuditEvent]:
        """Append events (the fields ``record`` takes) in order: one insert, the head moved once."""
        head = self._locked_head()
        made, prev = [], head.last_hash
        for fields in events:
            digest = event_hash(prev_hash=prev, version=HASH_VERSION, **fields)
            event = AuditEvent(prev_hash=prev, hash=digest, hash_version=HASH_VERSION, **fields)
            made.append(event)
            prev = digest
        self.session.add_all(made)
        self.session.flush()
        head.last_hash, head.last_event_id = prev, made[-1].id
        self.session.add(head)
        self.session.flush()
        return made

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
        return self.append([row_event(action, row, actor, at, before, group_id, extra)])[0]

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


CHUNK = 500


def _chunks(ids: Sequence[int]) -> Iterator[Sequence[int]]:
    for start in range(0, len(ids), CHUNK):
        yield ids[start : start + CHUNK]


class RetentionRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def groups(self) -> Sequence[Group]:
        """Every group, archived ones too: their free text ages like any other."""
        return self.session.exec(select(Group).order_by(col(Group.id))).all()

    def lock_group(self, group_id: int) -> Group:
        """The group, locked to the end of the transaction: a second clock by mistake waits,
        then finds nothing left to clear."""
        query = select(Group).where(Group.id == group_id).with_for_update()
        return self.session.exec(query).one()

    def incidents_due(self, group_id: int, cutoff: datetime) -> list[int]:
        """Incidents that happened before ``cutoff`` and still hold their text."""
        query = select(Incident.id).where(
            Incident.group_id == group_id,
            col(Incident.occurred_at) < cutoff,
            col(Incident.text_cleared_at).is_(None),
        )
        return sorted(i for i in self.session.exec(query) if i)

    def reports_due(self, group_id: int, cutoff: datetime) -> list[int]:
        """Situation reports last saved before ``cutoff`` that still hold their text."""
        query = select(SituationReport.id).where(
            SituationReport.group_id == group_id,
            col(SituationReport.updated_at) < cutoff,
            col(SituationReport.text_cleared_at).is_(None),
        )
        return sorted(r for r in self.session.exec(query) if r)

    def snapshots_before(self, group_id: int, cutoff: datetime) -> Sequence[PictureSnapshot]:
        query = select(PictureSnapshot).where(
            PictureSnapshot.group_id == group_id, col(PictureSnapshot.created_at) < cutoff
        )
        return self.session.exec(query).all()

    def incidents(self, ids: Sequence[int]) -> Iterator[tuple[Incident, list[IncidentVersion]]]:
        """Each incident with its versions."""
        for chunk in _chunks(ids):
            versions: dict[int, list[IncidentVersion]] = {i: [] for i in chunk}
            query = select(IncidentVersion).where(col(IncidentVersion.incident_id).in_(chunk))
            for version in self.session.exec(query):
                versions[version.incident_id].append(version)
            for row in self.session.exec(select(Incident).where(col(Incident.id).in_(chunk))):
                yield row, versions[row.id or 0]

    def reports(
        self, ids: Sequence[int]
    ) -> Iterator[tuple[SituationReport, list[ReportEntry], list[ReportVersion]]]:
        """Each situation report with its entries and versions."""
        for chunk in _chunks(ids):
            entries: dict[int, list[ReportEntry]] = {i: [] for i in chunk}
            versions: dict[int, list[ReportVersion]] = {i: [] for i in chunk}
            for entry in self.session.exec(
                select(ReportEntry).where(col(ReportEntry.report_id).in_(chunk))
            ):
                entries[entry.report_id].append(entry)
            for version in self.session.exec(
                select(ReportVersion).where(col(ReportVersion.report_id).in_(chunk))
            ):
                versions[version.report_id].append(version)
            query = select(SituationReport).where(col(SituationReport.id).in_(chunk))
            for row in self.session.exec(query):
                yield row, entries[row.id or 0], versions[row.id or 0]

    def snapshots(self, ids: Sequence[int]) -> Iterator[PictureSnapshot]:
        for chunk in _chunks(ids):
            query = select(PictureSnapshot).where(col(PictureSnapshot.id).in_(chunk))
            yield from self.session.exec(query)

    def audit_events(self, group_id: int, entity: str, ids: Sequence[int]) -> Iterator[AuditEvent]:
        """The group's audit events about these rows of ``entity``."""
        for chunk in _chunks(ids):
            query = select(AuditEvent).where(
                AuditEvent.group_id == group_id,
                AuditEvent.entity == entity,
                col(AuditEvent.entity_id).in_(chunk),
            )
            yield from self.session.exec(query)


# Slack's installation tokens and the chain's head are not the group's data, nor the charts
# drawn ahead of their send (PNG bytes in flight for a few minutes, drawn again when missing)
NOT_GROUP_DATA = frozenset(
    {"slack_installations", "slack_bots", "slack_oauth_states", "audit_head", "chart_image"}
)


def table_columns(table: str) -> list[str]:
    """The column names of ``table``, in the schema's order."""
    return [c.name for c in SQLModel.metadata.tables[table].columns]


class RegistrarRepository:
    """What the registrar (diarium, arkiv) and an access request read."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def groups(self) -> Sequence[Group]:
        """Every group, archived ones too, in id order."""
        return self.session.exec(select(Group).order_by(col(Group.id))).all()

    def rows_of_group(self, group_id: int) -> dict[str, list[dict[str, Any]]]:
        """Every row the group holds, table by table (parents before children): rows with the
        group's ``group_id``, and the rows that hang off those (versions, links, notes,
        entries, decisions), found through the foreign keys. One statement per table."""
        conn = self.session.connection()
        ids: dict[str, set[Any]] = {}
        out: dict[str, list[dict[str, Any]]] = {}
        for table in SQLModel.metadata.sorted_tables:
            if table.name in NOT_GROUP_DATA:
                continue
            where = _belongs(table, group_id, ids)
            if where is None:
                continue
            query = core_select(table).where(where).order_by(*table.primary_key.columns)
            rows = [dict(r._mapping) for r in conn.execute(query)]
            out[table.name] = rows
            if "id" in table.c:
                ids[table.name] = {r["id"] for r in rows}
        return out


def _belongs(table: Table, group_id: int, ids: dict[str, set[Any]]) -> ColumnElement[bool] | None:
    """The condition that picks the group's rows from ``table``, or None if it has none."""
    if table.name == "est_group":
        return table.c.id == group_id
    if "group_id" in table.c:
        return table.c.group_id == group_id
    for fk in sorted(table.foreign_keys, key=lambda f: f.parent.name):
        parent = fk.column.table.name
        if parent in ids and fk.column.name == "id":
            return fk.parent.in_(sorted(ids[parent]))
    return None
