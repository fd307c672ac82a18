"""The evidence an auditor asks for: one activity's pack, and a grant year's report.

Both are plain data here (``bot.activities.evidence_xlsx`` and ``evidence_pdf`` render them).
Each export is itself an audit event, so the pack carries the chain's hash right after its own
export. People are named (``people``: Slack id → display name) for the files; the weaknesses
come from ``bot.activities.weaknesses``, the same list in both.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from bot.activities.cited import CitedRecord, cited_records
from bot.activities.drift import Drift, drift_of
from bot.activities.results import (
    CostItem,
    PlannedActivity,
    cost_item,
    planned_activities,
    planned_activity,
)
from bot.activities.weaknesses import Gap, Move, all_gaps, moves_of
from bot.actors import Actor
from bot.analysis.priority_views import priorities_views, prioritised_labels
from bot.errors import InvalidInput, NotFound
from bot.i18n import N_
from bot.people import names_of
from bot.rules import require
from bot.trust.audit import AuditService, ChainReport
from storage.db import Database
from storage.models import AuditEvent, GrantAllocation, Role
from storage.repositories import UnitOfWork


@dataclass(frozen=True)
class AuditLine:
    id: int
    at: datetime
    actor: str
    action: str
    entity: str
    entity_id: int | None
    hash: str
    before: dict[str, object] = field(default_factory=dict)
    after: dict[str, object] = field(default_factory=dict)


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
    people: dict[str, str] = field(default_factory=dict)  # Slack id → display name
    records: tuple[CitedRecord, ...] = ()
    moves: tuple[Move, ...] = ()  # costs and documents moved to or from the activity
    gaps: tuple[Gap, ...] = ()


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
    people: dict[str, str] = field(default_factory=dict)  # Slack id → display name
    moves: tuple[Move, ...] = ()
    prioritised: dict[int, tuple[str, ...]] = field(default_factory=dict)  # activity → periods


def _prioritised(
    uow: UnitOfWork, group_id: int, year: int, activities: tuple[PlannedActivity, ...], tz: ZoneInfo
) -> dict[int, tuple[str, ...]]:
    """Per activity: the periods ("2026-T3") whose decided priorities name one of its places,
    on the day it was held."""
    decided = priorities_views(
        uow, list(uow.priorities.covering(group_id, date(year - 1, 1, 1), date(year + 1, 12, 31)))
    )
    found = {}
    for a in activities:
        labels = prioritised_labels(decided, a.start_at.astimezone(tz).date(), a.place_ids)
        if labels:
            found[a.id] = labels
    return found


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
    return tuple(_line(e) for e in rows)


def _line(e: AuditEvent) -> AuditLine:
    return AuditLine(
        e.id or 0,
        e.at,
        e.actor,
        e.action,
        e.entity,
        e.entity_id,
        e.hash,
        dict(e.before or {}),
        dict(e.after or {}),
    )


def _moves_about(uow: UnitOfWork, group_id: int, activity_id: int) -> tuple[Move, ...]:
    """The costs and documents moved to the activity or away from it, with the reasons."""
    kinds = ("activity_cost", "activity_document")
    moves = moves_of(uow.audit.of_kinds(group_id, kinds))
    return tuple(m for m in moves if activity_id in (m.from_activity, m.to_activity))


def _people(uow: UnitOfWork, team_id: str, a: PlannedActivity, *more: str) -> dict[str, str]:
    ids = {a.owner_user_id, a.created_by, a.followed_up_by or "", *more}
    ids |= {c.created_by for c in a.costs} | {d.created_by for d in a.documents}
    return names_of(uow, team_id, ids)


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
            moves = _moves_about(uow, group.id, activity_id)
            costs, documents = uow.costs.of_activity(view.id), uow.documents.of_activity(view.id)
            drift = drift_of(uow, row, costs, documents)
            records = cited_records(uow, group.id, view)
            people = _people(uow, group.team_id, view, actor.user_id, *(e.actor for e in events))
        arrived = [m for m in moves if m.to_activity == activity_id]
        return EvidencePack(
            group.name,
            group.timezone,
            group.language,
            view,
            events,
            events[-1].hash if events else "",
            self.audit.verify(),
            now,
            actor.user_id,
            drift,
            people,
            records,
            moves,
            all_gaps([view], view.costs, arrived, now),
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
            moves = moves_of(uow.audit.of_kinds(group.id, ("activity_cost",)))
            people = names_of(
                uow, group.team_id, {actor.user_id, *(v.owner_user_id for v in views.values())}
            )
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
            prioritised = _prioritised(uow, group.id, year, activities, tz)
        sources, matrix = _totals(activities, costs, allocations)
        return GrantReport(
            group.name,
            group.timezone,
            group.language,
            year,
            activities,
            costs,
            sources,
            matrix,
            all_gaps(activities, costs, _moves_of_costs(moves, costs), now, year=year),
            now,
            actor.user_id,
            people,
            moves,
            prioritised,
        )


def _totals(
    activities: tuple[PlannedActivity, ...],
    costs: tuple[CostItem, ...],
    allocations: dict[str, GrantAllocation],
) -> tuple[tuple[SourceLine, ...], tuple[tuple[str, str, int], ...]]:
    """Spent against allocated per funding source, and spent per source and kind of activity."""
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
    return sources, tuple((s, k, n) for (s, k), n in sorted(matrix.items()))


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


def _moves_of_costs(moves: tuple[Move, ...], costs: tuple[CostItem, ...]) -> list[Move]:
    """The moves of the report's costs."""
    ids = {c.id for c in costs}
    return [m for m in moves if m.record_id in ids]
