"""Records changed outside the bot: a row that no longer reads as its last audit event says."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from storage.models import Activity, ActivityCost, ActivityDocument
from storage.repositories import UnitOfWork, snapshot

NO_EVENT = "(no audit event)"


@dataclass(frozen=True)
class Drift:
    """A record whose row no longer matches what its last audit event says it became: it was
    changed in the database, not through the bot."""

    entity: str
    entity_id: int
    fields: tuple[str, ...]


def _same(logged: Any, current: Any) -> bool:
    """Equal as JSON values; timestamps compared as instants (drivers spell UTC differently)."""
    if isinstance(logged, str) and isinstance(current, str) and logged != current:
        try:
            return datetime.fromisoformat(logged) == datetime.fromisoformat(current)
        except ValueError:
            return False
    return bool(logged == current)


def drift_of(
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
            found.append(Drift(entity, row_id, (NO_EVENT,)))
            continue
        logged = events[-1].after or {}
        changed = tuple(k for k, v in current.items() if not _same(logged.get(k), v))
        if changed:
            found.append(Drift(entity, row_id, changed))
    return tuple(found)


# the events whose "after" is the whole row (an export or a link carries other things)
_ROW_EVENTS = (".created", ".followed_up", ".cancelled", ".moved", ".changed")
