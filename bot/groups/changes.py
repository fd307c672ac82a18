"""An administrator's change of one of the group's own settings, as one audited unit of work."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from bot.actors import Actor
from storage.db import Database
from storage.models import Group
from storage.repositories import snapshot


def change_group(
    db: Database, actor: Actor, group_id: int, change: Callable[[Group], None], *, now: datetime
) -> None:
    """Apply ``change`` to the group's row and audit it ("group.changed", with the row before);
    the caller has checked the actor's role and the new value."""
    with db.unit_of_work() as uow:
        row = uow.groups.get(group_id)
        assert row is not None
        before = snapshot(row)
        change(row)
        row.updated_at = now
        uow.groups.add(row)
        uow.audit.record_row("group.changed", row, actor=actor.user_id, at=now, before=before)
