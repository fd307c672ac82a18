"""Events API deliveries already handled, so that a redelivery changes nothing.

Slack sends an event again, with the same ``event_id`` and ``X-Slack-Retry-Num``, when it did
not see the answer in time (after 3 s, then after a minute and after five), and may send it to
another web process than the first time: the receipt is a row, claimed by inserting it.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import Executable, delete
from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import col

from storage.db import Database
from storage.models import SlackEventReceipt

KEPT = timedelta(days=1)  # Slack's last retry comes about five minutes after the first try


def first_delivery(db: Database, event_id: str, *, now: datetime) -> bool:
    """Record that ``event_id`` is being handled; False if it was before (a redelivery).
    Receipts older than a day are forgotten in the same transaction."""
    row = {"event_id": event_id[:64], "received_at": now}
    claim: Executable  # RETURNING: a skipped row returns nothing (rowcount is not reliable)
    if db.dialect == "postgresql":
        upsert = postgresql.insert(SlackEventReceipt).values(row).on_conflict_do_nothing()
        claim = upsert.returning(col(SlackEventReceipt.event_id))
    else:
        lite = sqlite.insert(SlackEventReceipt).values(row).on_conflict_do_nothing()
        claim = lite.returning(col(SlackEventReceipt.event_id))
    forget = delete(SlackEventReceipt).where(col(SlackEventReceipt.received_at) < now - KEPT)
    with db.engine.begin() as conn:
        conn.execute(forget)
        return conn.execute(claim).first() is not None
