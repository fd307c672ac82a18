"""The shared start of a simulated bot time: the first process to start with a given
``EST_CLOCK_START`` and ``EST_CLOCK_RATE`` writes when (in real time) that time began; every other
process with the same settings reads it, so a ``serve`` and a ``clock`` agree to the second."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError
from sqlmodel import col

from storage.db import Database
from storage.models import ClockAnchor


def agree(db: Database, *, start: datetime, rate: float, real_now: datetime) -> datetime:
    """The real instant at which the bot's time ``start`` began, running at ``rate``: the one
    already recorded for these settings, or ``real_now`` (recorded) when they are new."""
    for _ in range(2):  # two processes starting at once: the second reads the first's row
        with db.engine.begin() as conn:
            row = conn.execute(select(ClockAnchor).where(col(ClockAnchor.id) == 1)).first()
            if row is not None and row.start == start and row.rate == rate:
                began: datetime = row.began
                return began
            conn.execute(delete(ClockAnchor))
            try:
                conn.execute(
                    ClockAnchor.__table__.insert().values(  # type: ignore[attr-defined]
                        id=1, start=start, rate=rate, began=real_now
                    )
                )
            except IntegrityError:
                continue
            return real_now
    return real_now
