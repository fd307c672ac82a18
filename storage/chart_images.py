"""Charts drawn ahead of their outbox row's send: claimed, stored, read at send, removed.

A claim is an insert of the row's key with no image yet: two clocks inserting the same key get
it once (PostgreSQL: ``ON CONFLICT DO NOTHING``, and the due rows read ``FOR UPDATE SKIP
LOCKED`` so the second clock takes the next ones instead of waiting for the first's; SQLite's
write transactions are serialised). A claim whose drawer died is taken again after its lease.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete, exists, literal, update
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlmodel import Session, col, select

from storage.models import OPEN_STATUSES, ChartImage, Outbox, OutboxStatus
from storage.types import UTCDateTime


class ChartImageRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def claim(
        self,
        *,
        kind: str,
        worker: str,
        now: datetime,
        until: datetime,
        stale_before: datetime,
        limit: int,
    ) -> list[int]:
        """Claim up to ``limit`` pending rows of ``kind`` due by ``until`` that have no image
        (nor a live claim), soonest due first; returns their outbox ids."""
        self.session.execute(
            delete(ChartImage).where(
                col(ChartImage.png).is_(None), col(ChartImage.claimed_at) < stale_before
            )
        )
        drawn = exists().where(col(ChartImage.outbox_id) == col(Outbox.id))
        due = (
            select(col(Outbox.id), literal(worker), literal(now, UTCDateTime()).label("claimed_at"))
            .where(
                col(Outbox.kind) == kind,
                col(Outbox.status) == OutboxStatus.PENDING,
                col(Outbox.next_attempt_at) <= until,
                ~drawn,
            )
            .order_by(col(Outbox.next_attempt_at), col(Outbox.id))
            .limit(limit)
            .with_for_update(skip_locked=True)
        )
        dialect = self.session.get_bind().dialect.name
        insert = postgresql_insert if dialect == "postgresql" else sqlite_insert
        statement = (
            insert(ChartImage)
            .from_select(["outbox_id", "drawn_by", "claimed_at"], due)
            .on_conflict_do_nothing()
            .returning(col(ChartImage.outbox_id))
        )
        return sorted(int(row[0]) for row in self.session.execute(statement))

    def anything_to_do(self, *, kind: str, until: datetime) -> bool:
        """Whether a draw sweep has work: an image or claim to look at, or a pending row of
        ``kind`` due by ``until`` (a cheap read, so that an idle sweep writes nothing)."""
        held = select(col(ChartImage.outbox_id)).limit(1)
        due = select(col(Outbox.id)).where(
            col(Outbox.kind) == kind,
            col(Outbox.status) == OutboxStatus.PENDING,
            col(Outbox.next_attempt_at) <= until,
        )
        return bool(self.session.exec(held).first() or self.session.exec(due.limit(1)).first())

    def store(self, outbox_id: int, *, worker: str, png: bytes) -> bool:
        """The image of a row this worker claimed (empty: nothing to draw); False if the claim
        was lost (its lease ran out and another clock took it)."""
        result = self.session.execute(
            update(ChartImage)
            .where(col(ChartImage.outbox_id) == outbox_id, col(ChartImage.drawn_by) == worker)
            .values(png=png)
        )
        return bool(getattr(result, "rowcount", 0))

    def image(self, outbox_id: int) -> bytes | None:
        """The row's image drawn ahead; None when there is none (not drawn, not yet, or empty)."""
        query = select(ChartImage.png).where(col(ChartImage.outbox_id) == outbox_id)
        png = self.session.exec(query).first()
        return png or None

    def remove_closed(self) -> int:
        """Remove the images of rows that are sent, failed or cancelled; returns how many."""
        still_open = exists().where(
            col(Outbox.id) == col(ChartImage.outbox_id), col(Outbox.status).in_(OPEN_STATUSES)
        )
        result = self.session.execute(delete(ChartImage).where(~still_open))
        return int(getattr(result, "rowcount", 0) or 0)
