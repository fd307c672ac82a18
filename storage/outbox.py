"""The outbox: rows to send, claimed atomically so that two clocks never send the same one.

PostgreSQL claims with ``FOR UPDATE SKIP LOCKED``; SQLite's write transactions are serialised
(``BEGIN IMMEDIATE``), so the same conditional UPDATE is atomic there too. A row is never claimed
while an earlier row to the same recipient is unsent: messages to one person stay in order.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import Integer, and_, any_, bindparam, case, func, literal, or_, update
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.orm import aliased
from sqlalchemy.sql.elements import ColumnElement
from sqlalchemy.types import ARRAY
from sqlmodel import Session, col, select

from storage.models import OPEN_STATUSES, Member, Outbox, OutboxStatus

# Closes claimed rows (sent, failed or cancelled) — only those this worker still holds. Built once:
# the sender records every message it sends with it, on a bare connection (see finish_params).
FINISH = (
    update(Outbox)
    .where(
        col(Outbox.id).in_(bindparam("ids", expanding=True)),
        col(Outbox.status) == OutboxStatus.SENDING,
        col(Outbox.claimed_by) == bindparam("worker"),
    )
    .values(
        status=bindparam("new_status"),
        sent_at=bindparam("now"),
        slack_ts=bindparam("ts"),
        last_error=bindparam("error"),
    )
)


def finish_params(
    row_ids: Sequence[int],
    *,
    worker: str,
    status: OutboxStatus,
    now: datetime,
    ts: str | None = None,
    error: str | None = None,
) -> dict[str, Any]:
    """The parameters of FINISH."""
    return {
        "ids": list(row_ids),
        "worker": worker,
        "new_status": status,
        "now": now,
        "ts": ts,
        "error": error,
    }


# What /healthz says of the outbox: how many rows are due and unsent, and since when the oldest.
DUE_BACKLOG = select(
    func.count().label("due"), func.min(Outbox.next_attempt_at).label("oldest")
).where(col(Outbox.status) == OutboxStatus.PENDING, col(Outbox.next_attempt_at) <= bindparam("now"))


class OutboxRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def enqueue(self, row: Outbox) -> bool:
        """Add a row; False (and nothing added) when its dedupe_key was enqueued before."""
        try:
            with self.session.begin_nested():
                self.session.add(row)
        except IntegrityError:
            return False
        return True

    def enqueue_many(self, rows: Sequence[Outbox]) -> int:
        """Add rows in one statement, skipping those whose dedupe_key was enqueued before;
        returns how many were added. A planner that runs every minute asks again for rows it
        queued long ago: one statement per group, not a savepoint and a refused insert per row."""
        if not rows:
            return 0
        values = [row.model_dump(exclude={"id"}) for row in rows]
        dialect = self.session.get_bind().dialect.name
        insert = postgresql_insert if dialect == "postgresql" else sqlite_insert
        statement = insert(Outbox).values(values).on_conflict_do_nothing().returning(col(Outbox.id))
        return len(self.session.execute(statement).all())

    def cancel(self, key_prefix: str, *, now: datetime) -> int:
        """Cancel pending rows whose dedupe_key starts with ``key_prefix``."""
        result = self.session.execute(
            update(Outbox)
            .where(
                col(Outbox.status) == OutboxStatus.PENDING,
                col(Outbox.dedupe_key).startswith(key_prefix, autoescape=True),
            )
            .values(status=OutboxStatus.CANCELLED, last_error="cancelled", sent_at=now)
        )
        return int(result.rowcount)  # type: ignore[attr-defined]

    def cancel_created_before(self, group_id: int, before: datetime, *, now: datetime) -> int:
        """Cancel the group's rows not yet sent that were written before ``before`` (the demo's
        history: what it would have told people then is not news now)."""
        result = self.session.execute(
            update(Outbox)
            .where(
                col(Outbox.group_id) == group_id,
                col(Outbox.status) == OutboxStatus.PENDING,
                col(Outbox.created_at) < before,
            )
            .values(status=OutboxStatus.CANCELLED, last_error="history", sent_at=now)
        )
        return int(getattr(result, "rowcount", 0) or 0)

    def cancel_groups(self, group_ids: Collection[int]) -> int:
        """Cancel every row of these groups not yet sent (their app was removed)."""
        result = self.session.execute(
            update(Outbox)
            .where(col(Outbox.group_id).in_(group_ids), col(Outbox.status).in_(OPEN_STATUSES))
            .values(status=OutboxStatus.CANCELLED)
        )
        return int(getattr(result, "rowcount", 0) or 0)

    def claim(self, *, worker: str, now: datetime, limit: int) -> list[int]:
        """Mark up to ``limit`` due rows as sending by ``worker``; returns their ids, in order."""
        earlier = aliased(Outbox)
        blocked = (
            select(earlier.id)
            .where(
                col(earlier.recipient) == col(Outbox.recipient),
                col(earlier.id) < col(Outbox.id),
                # as literals, so that both databases see it matches ix_outbox_open
                col(earlier.status).in_(
                    [literal(s.value, literal_execute=True) for s in OPEN_STATUSES]
                ),
                # an earlier row planned for later (never tried) does not hold back a row due
                # now: the lägesbild queued at 03:00 for 09:00 must not delay 08:00's summary
                or_(
                    col(earlier.status) == OutboxStatus.SENDING,
                    col(earlier.next_attempt_at) <= now,
                    col(earlier.attempts) > 0,
                ),
            )
            .exists()
        )
        due = (
            select(Outbox.id)
            .where(
                col(Outbox.status) == OutboxStatus.PENDING,
                col(Outbox.next_attempt_at) <= now,
                ~blocked,
            )
            .order_by(col(Outbox.id))
            .limit(limit)
            .with_for_update(skip_locked=True)
        )
        if self.session.get_bind().dialect.name == "postgresql":
            # = ANY(ARRAY(…)): the due ids first, then each row by its key. As ``IN (…)`` the
            # planner may join them to a scan of the whole outbox, history and all, per claim
            chosen = col(Outbox.id) == any_(_ArrayOf(due.scalar_subquery()))
        else:
            chosen = col(Outbox.id).in_(due.scalar_subquery())
        claimed = self.session.execute(
            update(Outbox)
            .where(chosen)
            .values(
                status=OutboxStatus.SENDING,
                claimed_by=worker,
                claimed_at=now,
                attempts=col(Outbox.attempts) + 1,
            )
            .returning(col(Outbox.id))
        )
        return sorted(int(row[0]) for row in claimed)

    def by_key(self, dedupe_key: str) -> Outbox | None:
        """The row queued under this key, whatever became of it."""
        return self.session.exec(select(Outbox).where(Outbox.dedupe_key == dedupe_key)).first()

    def last_sent(self, key_prefix: str) -> Outbox | None:
        """The newest row sent under a dedupe_key starting with ``key_prefix`` that Slack gave
        a ts (the post a later version edits)."""
        query = (
            select(Outbox)
            .where(
                col(Outbox.dedupe_key).startswith(key_prefix, autoescape=True),
                col(Outbox.status) == OutboxStatus.SENT,
                col(Outbox.slack_ts).is_not(None),
                col(Outbox.slack_ts) != "",
            )
            .order_by(col(Outbox.id).desc())
        )
        return self.session.exec(query).first()

    def get(self, row_id: int) -> Outbox | None:
        return self.session.get(Outbox, row_id)

    def rows_with_language(self, ids: Sequence[int]) -> list[tuple[Outbox, str | None]]:
        """The rows, each with the language its recipient chose as a member of the row's group
        (None for a channel, or a member who has not chosen), in the same statement."""
        reader = and_(
            col(Member.group_id) == col(Outbox.group_id),
            col(Member.slack_user_id) == col(Outbox.recipient),
        )
        query = (
            select(Outbox, Member.language)
            .outerjoin(Member, reader)
            .where(col(Outbox.id).in_(ids))
            .order_by(col(Outbox.id))
        )
        return [(row, language) for row, language in self.session.exec(query).all()]

    def finish(
        self,
        row_id: int,
        *,
        worker: str,
        status: OutboxStatus,
        now: datetime,
        ts: str | None = None,
        error: str | None = None,
    ) -> bool:
        """Close a claimed row (sent, failed or cancelled) — only if this worker still holds it."""
        params = finish_params([row_id], worker=worker, status=status, now=now, ts=ts, error=error)
        result = self.session.execute(
            FINISH, params, execution_options={"synchronize_session": False}
        )
        return bool(result.rowcount)  # type: ignore[attr-defined]

    def release(
        self,
        row_id: int,
        *,
        worker: str,
        retry_at: datetime,
        error: str,
        failed: bool = False,
        uncount: bool = False,
    ) -> None:
        """Give a claimed row back, to be tried again at ``retry_at``; ``failed``: Slack could
        not take it (5xx, a timeout), which the backoff counts (a 429 is not a failure).
        ``uncount``: the claim is not counted as an attempt (a 429, or a row put back for its
        workspace's pause), though a row once claimed stays one that holds back later ones."""
        counted = col(Outbox.attempts)
        attempts: Any = case((counted > 1, counted - 1), else_=counted) if uncount else counted
        self.session.execute(
            update(Outbox)
            .where(
                col(Outbox.id) == row_id,
                col(Outbox.status) == OutboxStatus.SENDING,
                col(Outbox.claimed_by) == worker,
            )
            .values(
                status=OutboxStatus.PENDING,
                next_attempt_at=retry_at,
                claimed_by=None,
                claimed_at=None,
                last_error=error[:500],
                failures=col(Outbox.failures) + (1 if failed else 0),
                attempts=attempts,
            )
        )

    def wake(self, *, now: datetime) -> int:
        """Slack is back after an outage: rows that failed during it are due now (not at the
        end of a backoff the outage grew), their backoff starting again from the first step.
        Returns how many."""
        result = self.session.execute(
            update(Outbox)
            .where(col(Outbox.status) == OutboxStatus.PENDING, col(Outbox.failures) > 0)
            .values(next_attempt_at=now, failures=0)
        )
        return int(result.rowcount)  # type: ignore[attr-defined]

    def recover(self, *, claimed_before: datetime) -> int:
        """Rows whose sender died mid-send go back to pending (their lease ran out)."""
        result = self.session.execute(
            update(Outbox)
            .where(
                col(Outbox.status) == OutboxStatus.SENDING,
                col(Outbox.claimed_at) < claimed_before,
            )
            .values(status=OutboxStatus.PENDING, claimed_by=None, claimed_at=None)
        )
        return int(result.rowcount)  # type: ignore[attr-defined]

    def count(self, status: OutboxStatus) -> int:
        query = select(func.count()).select_from(Outbox).where(col(Outbox.status) == status)
        return int(self.session.exec(query).one())


class _ArrayOf(ColumnElement[Sequence[int]]):
    """PostgreSQL's ``ARRAY(SELECT …)``: a subquery's rows as one array, computed once."""

    inherit_cache = True
    type = ARRAY(Integer)

    def __init__(self, rows: Any) -> None:
        self.rows = rows


@compiles(_ArrayOf, "postgresql")
def _array_of(element: _ArrayOf, compiler: Any, **kw: Any) -> str:
    return "ARRAY" + str(compiler.process(element.rows, **kw))
