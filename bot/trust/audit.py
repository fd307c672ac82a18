"""Verifying the audit log's hash chain."""

from __future__ import annotations

from dataclasses import dataclass

from storage.audit_chain import GENESIS_HASH, event_hash
from storage.db import Database


@dataclass(frozen=True)
class ChainReport:
    events: int
    broken_at: int | None  # id of the first event whose link does not hold
    reason: str | None

    @property
    def ok(self) -> bool:
        return self.broken_at is None


class AuditService:
    def __init__(self, db: Database) -> None:
        self.db = db

    def verify(self, *, batch: int = 5000) -> ChainReport:
        """Recompute every hash in order and name the first link that does not hold."""
        expected_prev, count, last_id = GENESIS_HASH, 0, 0
        while True:
            with self.db.unit_of_work(read_only=True) as uow:
                events = uow.audit.in_order(after_id=last_id, limit=batch)
            if not events:
                return ChainReport(count, None, None)
            for ev in events:
                assert ev.id is not None
                if ev.prev_hash != expected_prev:
                    return ChainReport(count, ev.id, "prev_hash does not match the event before")
                recomputed = event_hash(
                    prev_hash=ev.prev_hash,
                    group_id=ev.group_id,
                    at=ev.at,
                    actor=ev.actor,
                    action=ev.action,
                    entity=ev.entity,
                    entity_id=ev.entity_id,
                    before=ev.before,
                    after=ev.after,
                    version=ev.hash_version,
                )
                if recomputed != ev.hash:
                    return ChainReport(count, ev.id, "content does not match its hash")
                expected_prev, count, last_id = ev.hash, count + 1, ev.id
