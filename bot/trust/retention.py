"""Gallring: free text is kept only as long as a group needs it (domain.md §5).

Per group, ``retention_months`` (default 24). Past it, the free text of incidents (description,
deletion reason, every earlier version) and of situation reports (notes, observations, every
saved version, and the observations frozen into lägesbild snapshots) is cleared. Kept: the
incident itself with its place, category, time and organisation — so every count stays — the
reports' levels and trends, and the audit log, whose copies of the cleared strings are replaced
by their SHA-256 digests (hash version 2), so the chain still verifies. Events written before
migration 0008 hash the text itself and cannot be cleared without breaking the chain; they are
counted and left.

An incident counts from when it happened, a report from when it was last saved, a snapshot
from when it was frozen. Applying twice clears nothing twice.
"""

from __future__ import annotations

import calendar
import logging
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from bot.actors import Actor
from bot.errors import InvalidInput
from bot.groups.changes import change_group
from bot.i18n import N_
from bot.rules import require
from storage.audit_chain import REDACTED, redacted
from storage.db import Database
from storage.models import Group, Role
from storage.repositories import UnitOfWork

log = logging.getLogger(__name__)

ACTOR = "gallring"  # the audit log's actor for what the retention job does
MIN_MONTHS, MAX_MONTHS = 1, 120
INCIDENT_TEXT = frozenset({"description", "delete_reason", "reason"})
REPORT_TEXT = frozenset({"notes", "observations"})


@dataclass(frozen=True)
class Sweep:
    """What retention clears (or, in a dry run, would clear) in one group."""

    group_id: int
    group: str
    months: int
    cutoff: datetime
    incidents: tuple[int, ...]
    reports: tuple[int, ...]
    snapshots: tuple[int, ...]
    audit_events: int = 0  # events whose copies of the text were replaced by digests
    audit_kept: int = 0  # events from before hash version 2: left as they are

    @property
    def empty(self) -> bool:
        return not (self.incidents or self.reports or self.snapshots)


def months_before(moment: datetime, months: int) -> datetime:
    """The same day and time ``months`` calendar months earlier (31 March → 28/29 February)."""
    year, month = divmod(moment.year * 12 + moment.month - 1 - months, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return moment.replace(year=year, month=month + 1, day=min(moment.day, last))


def scrub(data: Any, keys: frozenset[str], *, audit: bool = False) -> tuple[Any, bool]:
    """``data`` with the non-empty strings under ``keys`` cleared ("" in tables, a digest in
    audit events), and whether anything changed. Nested dicts and lists are followed."""
    if isinstance(data, list):
        parts = [scrub(item, keys, audit=audit) for item in data]
        return [p for p, _c in parts], any(c for _p, c in parts)
    if not isinstance(data, dict) or set(data) == {REDACTED}:
        return data, False
    out, changed = {}, False
    for key, value in data.items():
        if key in keys and isinstance(value, str) and value:
            out[key], changed = (redacted(value) if audit else ""), True
        else:
            out[key], inner = scrub(value, keys, audit=audit)
            changed = changed or inner
    return out, changed


class RetentionService:
    def __init__(self, db: Database) -> None:
        self.db = db

    def set_months(self, actor: Actor, months: int, *, now: datetime) -> int:
        """An admin chooses how long the group keeps free text."""
        group = require(actor, Role.ADMIN)
        if not MIN_MONTHS <= months <= MAX_MONTHS:
            raise InvalidInput(
                N_("Choose between {low} and {high} months.", low=MIN_MONTHS, high=MAX_MONTHS),
                field="retention_months",
            )

        def keep(row: Group) -> None:
            row.retention_months = months

        change_group(self.db, actor, group.id, keep, now=now)
        return months

    def months(self, actor: Actor) -> int:
        group = require(actor, Role.LASARE)
        with self.db.unit_of_work(read_only=True) as uow:
            row = uow.groups.get(group.id)
            assert row is not None
            return row.retention_months

    def plan(self, *, now: datetime) -> tuple[Sweep, ...]:
        """What would be cleared now, per group (the dry run): nothing is written."""
        with self.db.unit_of_work(read_only=True) as uow:
            return tuple(_due(uow, g, now) for g in uow.retention.groups())

    def apply(self, *, now: datetime) -> tuple[Sweep, ...]:
        """Clear what is due, one transaction per group, each audited."""
        with self.db.unit_of_work(read_only=True) as uow:
            ids = [g.id for g in uow.retention.groups()]
        return tuple(self._apply_group(group_id, now) for group_id in ids if group_id)

    def _apply_group(self, group_id: int, now: datetime) -> Sweep:
        with self.db.unit_of_work() as uow:
            group = uow.retention.lock_group(group_id)
            due = _due(uow, group, now)
            if due.empty:
                return due
            _clear_incidents(uow, due.incidents, now)
            _clear_reports(uow, due.reports, now)
            _clear_snapshots(uow, due.snapshots)
            cleared, kept = _redact_events(uow, group_id, due)
            done = Sweep(**{**due.__dict__, "audit_events": cleared, "audit_kept": kept})
            uow.audit.record(
                "retention.applied",
                entity="group",
                entity_id=group_id,
                actor=ACTOR,
                at=now,
                group_id=group_id,
                after=_summary(done),
            )
        log.info(
            "gallring %s: %d incidents, %d reports, %d snapshots, %d audit events",
            done.group,
            len(done.incidents),
            len(done.reports),
            len(done.snapshots),
            done.audit_events,
        )
        return done


def _due(uow: UnitOfWork, group: Group, now: datetime) -> Sweep:
    assert group.id is not None
    cutoff = months_before(now, group.retention_months)
    frozen = uow.retention.snapshots_before(group.id, cutoff)
    return Sweep(
        group.id,
        group.name,
        group.retention_months,
        cutoff,
        tuple(uow.retention.incidents_due(group.id, cutoff)),
        tuple(uow.retention.reports_due(group.id, cutoff)),
        tuple(sorted(s.id for s in frozen if s.id and scrub(s.content, REPORT_TEXT)[1])),
    )


def _clear_incidents(uow: UnitOfWork, ids: Sequence[int], now: datetime) -> None:
    for row, versions in uow.retention.incidents(ids):
        row.description, row.text_cleared_at = "", now
        row.delete_reason = "" if row.delete_reason else row.delete_reason
        for version in versions:
            version.content = scrub(version.content, INCIDENT_TEXT)[0]
            version.reason = None


def _clear_reports(uow: UnitOfWork, ids: Sequence[int], now: datetime) -> None:
    for row, entries, versions in uow.retention.reports(ids):
        row.notes, row.text_cleared_at = "", now
        for entry in entries:
            entry.observations = ""
        for version in versions:
            version.content = scrub(version.content, REPORT_TEXT)[0]


def _clear_snapshots(uow: UnitOfWork, ids: Sequence[int]) -> None:
    for row in uow.retention.snapshots(ids):
        row.content = scrub(row.content, REPORT_TEXT)[0]


def _redact_events(uow: UnitOfWork, group_id: int, due: Sweep) -> tuple[int, int]:
    """Replace the cleared strings in the audit events about these rows by their digests."""
    cleared = kept = 0
    targets = (
        ("incident", due.incidents, INCIDENT_TEXT),
        ("situation_report", due.reports, REPORT_TEXT),
        ("picture_snapshot", due.snapshots, REPORT_TEXT),
    )
    for entity, ids, keys in targets:
        for event in uow.retention.audit_events(group_id, entity, ids):
            before, changed_before = scrub(event.before, keys, audit=True)
            after, changed_after = scrub(event.after, keys, audit=True)
            if not (changed_before or changed_after):
                continue
            if event.hash_version < 2:
                kept += 1
                continue
            event.before, event.after = before, after
            cleared += 1
    return cleared, kept


def _summary(sweep: Sweep) -> dict[str, Any]:
    return {
        "months": sweep.months,
        "cutoff": sweep.cutoff.isoformat(),
        "incidents": list(sweep.incidents),
        "reports": list(sweep.reports),
        "snapshots": list(sweep.snapshots),
        "audit_events": sweep.audit_events,
        "audit_kept": sweep.audit_kept,
    }
