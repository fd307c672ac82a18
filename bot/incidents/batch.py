"""Many incidents logged in one transaction: the same checks, versions and audit events as
``IncidentService.log``, one commit for all of them (the demo's history; an import).

Each entry keeps its own reporter and its own ``now`` (when it was logged), so a history reads in
the audit log as it happened. No hotspot alert is sent: what is logged after the fact is not
news. The group's places and categories are read once for the whole batch.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from bot.actors import Actor, EstGroup
from bot.incidents.categories import IncidentCategory, match_category, seed_defaults
from bot.incidents.service import (
    IncidentDraft,
    _place,
    check_description,
    occurred,
    parse_persistence,
    version_of,
)
from bot.rules import require
from storage.db import Database
from storage.models import Incident, Role
from storage.repositories import UnitOfWork
from storage.trust import row_event


@dataclass(frozen=True)
class Logging:
    """One incident of a batch: who logged it, what they wrote, and when they logged it."""

    actor: Actor
    draft: IncidentDraft
    now: datetime


def log_many(db: Database, entries: Sequence[Logging]) -> list[int]:
    """Log every entry, all or none; returns the new incidents' ids in the entries' order."""
    if not entries:
        return []
    group = require(entries[0].actor, Role.MEDLEM)
    with db.unit_of_work() as uow:
        if not uow.categories.of_group(group.id):
            seed_defaults(uow, group.id, actor=entries[0].actor.user_id, now=entries[0].now)
        categories = [IncidentCategory.of(r) for r in uow.categories.of_group(group.id)]
        rows = [_row(uow, group, categories, entry) for entry in entries]
        by = {id(row): entry for row, entry in zip(rows, entries, strict=True)}
        uow.incidents.add_all(rows, lambda r: version_of(r, r.reporter_user_id, r.created_at))
        events = [
            row_event("incident.created", r, by[id(r)].actor.user_id, r.created_at) for r in rows
        ]
        uow.audit.append(events)  # last: the chain's head stays locked from here to the commit
        return [row.id or 0 for row in rows]


def _row(
    uow: UnitOfWork, group: EstGroup, categories: Sequence[IncidentCategory], entry: Logging
) -> Incident:
    """The incident an entry asks for, after the checks ``IncidentService.log`` makes."""
    actor, draft, now = entry.actor, entry.draft, entry.now
    if require(actor, Role.MEDLEM).id != group.id or actor.member is None:
        raise ValueError("a batch is one group's")
    return Incident(
        group_id=group.id,
        place_id=_place(uow, actor, group.id, draft).id or 0,
        category_id=match_category(draft.category, categories).id,
        occurred_at=occurred(draft, now=now, group=group),
        description=check_description(draft.description),
        restricted=draft.restricted,
        persistence=parse_persistence(draft.persistence),
        reporter_user_id=actor.user_id,
        organisation_id=actor.member.organisation.id,
        created_at=now,
        updated_at=now,
    )
