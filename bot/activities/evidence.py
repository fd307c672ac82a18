"""The evidence an auditor asks for: one activity's pack, and a grant year's report.

Both are plain data here (``bot.activities.evidence_xlsx`` renders them as XLSX and PDF). Each
export is
itself an audit event, so the pack carries the chain's hash right after its own export.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time
from typing import Any
from zoneinfo import ZoneInfo

from bot.activities.results import (
    CostItem,
    PlannedActivity,
    cost_item,
    planned_activities,
    planned_activity,
)
from bot.actors import Actor
from bot.errors import InvalidInput, NotFound
from bot.i18n import N_
from bot.rules import require
from bot.trust.audit import AuditService, ChainReport
from storage.db import Database
from storage.models import (
    Activity,
    ActivityCost,
    ActivityDocument,
    ActivityStatus,
    AuditEvent,
    Role,
)
from storage.repositories import UnitOfWork, snapshot


@dataclass(frozen=True)
class AuditLine:
    id: int
    at: datetime
    actor: str
    action: str
    entity: str
    entity_id: int | None
    hash: str


@dataclass(frozen=True)
class Drift:
    """A record whose row no longer matches what its last audit event says it became: it was
    changed in the database, not through the bot."""

    entity: str
    entity_id: int
    fields: tuple[str, ...]


@dataclass(frozen=True)
class EvidencePack:
    group: str
    timezone: str
    language: str
    activity: PlannedActivity
    events: tuple[AuditLine, ...]
    chain_head: str  # the newest hash of the whole chain, after this export
    chain: ChainReport
    exported_at: datetime
    exported_by: str
    drift: tuple[Drift, ...] = ()


@dataclass(frozen=True)
class SourceLine:
    funding_source: str
    allocated_ore: int | None
    spent_ore: int
    diarienummer: str

    @property
    def unspent_ore(self) -> int | None:
        return None if self.allocated_ore is None else self.allocated_ore - self.spent_ore


@dataclass(frozen=True)
class Gap:
    kind: str  # unmotivated / no_follow_up / no_description / no_invoice / outside_year
    activity_id: int
    cost_id: int | None
    title: str
    detail: str


@dataclass(frozen=True)
class GrantReport:
    group: str
    timezone: str
    language: str
    year: int
    activities: tuple[PlannedActivity, ...]
    costs: tuple[CostItem, ...]
    sources: tuple[SourceLine, ...]
    by_source_and_kind: tuple[tuple[str, str, int], ...]  # (source, kind, öre)
    gaps: tuple[Gap, ...]
    exported_at: datetime
    exported_by: str


def _events(uow: UnitOfWork, activity: PlannedActivity) -> tuple[AuditLine, ...]:
    """The activity's own events, and those of its motivation links, cost lines and documents,
    including those moved to or from it (the move names both activities)."""
    owned = {("activity_cost", c.id) for c in activity.costs}
    owned |= {("activity_document", d.id) for d in activity.documents}
    own = uow.audit.for_entity("activity", activity.id)
    kinds = ("activity_motivation", "activity_cost", "activity_document")
    linked = uow.audit.of_kinds(activity.group_id, kinds)

    def about(e: AuditEvent) -> bool:
        ids = {(e.after or {}).get("activity_id"), (e.before or {}).get("activity_id")}
        return activity.id in ids or (e.entity, e.entity_id) in owned

    rows = sorted([*own, *(e for e in linked if about(e))], key=lambda e: e.id or 0)
    return tuple(
        AuditLine(e.id or 0, e.at, e.actor, e.action, e.entity, e.entity_id, e.hash) for e in rows
    )


class EvidenceService:
    def __init__(self, db: Database, audit: AuditService) -> None:
        self.db = db
        self.audit = audit

    def activity_pack(self, actor: Actor, activity_id: int, *, now: datetime) -> EvidencePack:
        group = require(actor, Role.LASARE)
        with self.db.unit_of_work() as uow:
            row = uow.activities.get(activity_id)
            if row is None or row.group_id != group.id:
                raise NotFound(N_("No activity #{id} in this group.", id=activity_id))
            view = planned_activity(uow, row, now=now, tz=ZoneInfo(group.timezone))
            uow.audit.record(
                "activity.exported",
                entity="activity",
                entity_id=activity_id,
                actor=actor.user_id,
                at=now,
                group_id=group.id,
                after={"formats": ["pdf", "xlsx"]},
            )
            events = _events(uow, view)
            head = events[-1].hash if events else ""
            drift = _drift(
                uow,
                row,
                uow.costs.of_activity(activity_id),
                uow.documents.of_activity(activity_id),
            )
        chain = self.audit.verify()
        return EvidencePack(
            group.name,
            group.timezone,
            group.language,
            view,
            events,
            head,
            chain,
            now,
            actor.user_id,
            drift,
        )

    def grant_report(self, actor: Actor, year: int, *, now: datetime) -> GrantReport:
        group = require(actor, Role.LASARE)
        if not 2000 <= year <= 2100:
            raise InvalidInput(N_("Write a year, e.g. 2026."))
        tz = ZoneInfo(group.timezone)
        start = datetime.combine(date(year, 1, 1), time(0), tzinfo=tz)
        end = datetime.combine(date(year + 1, 1, 1), time(0), tzinfo=tz)
        with self.db.unit_of_work() as uow:
            rows = uow.activities.between(group.id, start, end, statuses=None, limit=None)
            views = {v.id: v for v in planned_activities(uow, rows, now=now, tz=tz)}
            costs = _costs_of_year(uow, group.id, year, tz, views)
            allocations = {a.funding_source: a for a in uow.grants.of_year(group.id, year)}
            uow.audit.record(
                "grant.exported",
                entity="grant_report",
                entity_id=year,
                actor=actor.user_id,
                at=now,
                group_id=group.id,
                after={"year": year},
            )
        activities = tuple(views.values())
        kinds = {a.id: a.kind for a in activities}
        spent: dict[str, int] = defaultdict(int)
        matrix: dict[tuple[str, str], int] = defaultdict(int)
        for c in costs:
            spent[c.funding_source] += c.amount_ore
            matrix[(c.funding_source, kinds.get(c.activity_id, ""))] += c.amount_ore
        sources = tuple(
            SourceLine(
                s,
                allocations[s].amount_ore if s in allocations else None,
                spent.get(s, 0),
                allocations[s].diarienummer if s in allocations else "",
            )
            for s in sorted(set(spent) | set(allocations))
        )
        return GrantReport(
            group.name,
            group.timezone,
            group.language,
            year,
            activities,
            costs,
            sources,
            tuple((s, k, n) for (s, k), n in sorted(matrix.items())),
            _gaps(activities, costs, year, now),
            now,
            actor.user_id,
        )


def _costs_of_year(
    uow: UnitOfWork, group_id: int, year: int, tz: ZoneInfo, views: dict[int, PlannedActivity]
) -> tuple[CostItem, ...]:
    """Costs charged to this year's funding (grant year), or undated by grant and dated in it.
    An activity of another year with such a cost joins ``views`` (without before/after counts);
    a cost is dated by its activity's day, so those activities' rows are read, in one query."""
    rows = uow.costs.of_group(group_id)
    others = {a.id: a for a in uow.activities.many({c.activity_id for c in rows} - set(views))}
    found, wanted = [], {}
    for row in rows:
        activity = views.get(row.activity_id) or others[row.activity_id]  # its day dates it
        cost = cost_item(row, activity.start_at.astimezone(tz).date())
        if cost.grant_year == year or (cost.grant_year is None and cost.cost_date.year == year):
            if row.activity_id not in views:  # of another year: its view, without counts
                wanted[row.activity_id] = others[row.activity_id]
            found.append(cost)
    views |= {v.id: v for v in planned_activities(uow, list(wanted.values()), tz=tz)}
    return tuple(found)


def _gaps(
    activities: tuple[PlannedActivity, ...], costs: tuple[CostItem, ...], year: int, now: datetime
) -> tuple[Gap, ...]:
    found = []
    titles = {a.id: a.title for a in activities}
    for a in activities:
        if a.status == ActivityStatus.INSTALLD:
            continue
        if not a.motivated:
            found.append(Gap("unmotivated", a.id, None, a.title, ""))
        if a.end_at < now and not a.followed_up:
            found.append(Gap("no_follow_up", a.id, None, a.title, ""))
    for c in costs:
        title = titles.get(c.activity_id, "")
        if not c.description.strip():
            found.append(Gap("no_description", c.activity_id, c.id, title, c.supplier))
        if not c.invoice_number.strip():
            found.append(Gap("no_invoice", c.activity_id, c.id, title, c.supplier))
        if c.outside_year or (c.grant_year is None and c.cost_date.year != year):
            found.append(Gap("outside_year", c.activity_id, c.id, title, c.cost_date.isoformat()))
    return tuple(found)


def _same(logged: Any, current: Any) -> bool:
    """Equal as JSON values; timestamps compared as instants (drivers spell UTC differently)."""
    if isinstance(logged, str) and isinstance(current, str) and logged != current:
        try:
            return datetime.fromisoformat(logged) == datetime.fromisoformat(current)
        except ValueError:
            return False
    return bool(logged == current)


def _drift(
    uow: UnitOfWork,
    activity: Activity,
    costs: Sequence[ActivityCost],
    documents: Sequence[ActivityDocument],
) -> tuple[Drift, ...]:
    """The activity, its cost lines and documents, each compared with the snapshot its newest
    audit event (one that carries the row) recorded."""
    rows: list[tuple[str, int, dict[str, Any]]] = [
        ("activity", activity.id or 0, snapshot(activity)),
        *(("activity_cost", c.id or 0, snapshot(c)) for c in costs),
        *(("activity_document", d.id or 0, snapshot(d)) for d in documents),
    ]
    found = []
    for entity, row_id, current in rows:
        events = [e for e in uow.audit.for_entity(entity, row_id) if e.action.endswith(_ROW_EVENTS)]
        if not events:
            found.append(Drift(entity, row_id, ("(no audit event)",)))
            continue
        logged = events[-1].after or {}
        changed = tuple(k for k, v in current.items() if not _same(logged.get(k), v))
        if changed:
            found.append(Drift(entity, row_id, changed))
    return tuple(found)


# the events whose "after" is the whole row (an export or a link carries other things)
_ROW_EVENTS = (".created", ".followed_up", ".cancelled", ".moved", ".changed")
