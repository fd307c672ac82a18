"""What ``/metrics`` reads from the database: the outbox's backlog and the sends by result.

Both are shared by every process: any web process answers the same, and the counts survive a
restart of the clock. The sender adds to the counts once per sweep (one short statement per
result it saw), not once per message.
"""

from __future__ import annotations

from collections.abc import Mapping

from sqlalchemy import bindparam, func, insert, update
from sqlalchemy.exc import IntegrityError
from sqlmodel import col, select

from storage.db import Database
from storage.models import OPEN_STATUSES, DeliveryCount, Outbox

RESULTS = ("ok", "429", "error")

_ADD = (
    update(DeliveryCount)
    .where(col(DeliveryCount.result) == bindparam("which"))
    .values(total=col(DeliveryCount.total) + bindparam("n"))
)
_COUNTS = select(DeliveryCount.result, DeliveryCount.total)
# only the open rows: a count over every sent row would grow with the bot's whole history
_OPEN = (
    select(Outbox.status, func.count().label("n"))
    .where(col(Outbox.status).in_(OPEN_STATUSES))
    .group_by(Outbox.status)
)


def add_deliveries(db: Database, counts: Mapping[str, int]) -> None:
    """Add a sweep's results (``ok``, ``429``, ``error``) to the shared counts."""
    for which, n in counts.items():
        if n and not db.write(_ADD, {"which": which, "n": n}):
            try:  # a database made without the migration's rows (tests' create_all)
                db.write(insert(DeliveryCount).values(result=which, total=n))
            except IntegrityError:  # another clock made it first
                db.write(_ADD, {"which": which, "n": n})


def delivery_counts(db: Database) -> dict[str, int]:
    """Every result with its total so far (0 for one never seen)."""
    with db.engine.connect() as conn:
        found = {str(r): int(t) for r, t in conn.execute(_COUNTS)}
    return {which: found.get(which, 0) for which in RESULTS}


def open_outbox(db: Database) -> dict[str, int]:
    """How many rows are pending and how many are being sent right now."""
    with db.engine.connect() as conn:
        found = {str(s): int(n) for s, n in conn.execute(_OPEN)}
    return {str(s): found.get(str(s), 0) for s in OPEN_STATUSES}
