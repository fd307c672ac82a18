"""Delivering the outbox: claim, prepare, send, record — with backoff, rate limits and leases.

Exactly once, as far as a chat API allows: a row is claimed atomically (two clocks never hold
the same row), and recorded as sent in its own short transaction right after Slack accepts it.
The only window for a duplicate is a process that dies between Slack's "ok" and that record:
the row's lease then runs out and it is sent again. The window is one round trip long.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Protocol

from bot.notifier import Notification
from storage.db import Database
from storage.models import Outbox, OutboxStatus
from storage.repositories import UnitOfWork

log = logging.getLogger(__name__)

LEASE = timedelta(minutes=2)
MAX_BACKOFF = timedelta(minutes=5)


class DeliveryError(Exception):
    """Sending did not work; the subclass says whether to wait, retry or give up."""


class RateLimited(DeliveryError):
    def __init__(self, retry_after: float) -> None:
        super().__init__(f"rate limited for {retry_after} s")
        self.retry_after = retry_after


class Unavailable(DeliveryError):
    """Slack (or the network) failed for now: try again later."""


class Rejected(DeliveryError):
    """Slack said no for good (e.g. channel_not_found): never retried."""

    def __init__(self, error: str) -> None:
        super().__init__(error)
        self.error = error


class RecipientGone(Rejected):
    """The person has left the workspace."""


class Transport(Protocol):
    def send(self, recipient: str, note: Notification) -> str:
        """Post ``note`` to a channel or user; returns Slack's message ts."""
        ...


# Turns a row into what to send, from the database as it is now; None = no longer relevant.
Preparer = Callable[[UnitOfWork, Outbox], Notification | None]
# Called (in a transaction) when a row failed for good, e.g. to tell the group's admins.
FailureHook = Callable[[UnitOfWork, Outbox, Rejected, datetime], None]


@dataclass
class SweepResult:
    claimed: int = 0
    sent: int = 0
    retried: int = 0
    failed: int = 0
    cancelled: int = 0
    recovered: int = 0
    wait: float = 0.0  # seconds Slack asked us to wait before the next sweep


def backoff(attempts: int) -> timedelta:
    """5 s, 10 s, 20 s … capped at 5 minutes: an outage is ridden out, never given up on."""
    exponent = min(max(attempts - 1, 0), 10)  # 5 s × 2¹⁰ is already past the cap
    return min(timedelta(seconds=5 * 2**exponent), MAX_BACKOFF)


class OutboxSender:
    def __init__(
        self,
        db: Database,
        transport: Transport,
        preparers: Mapping[str, Preparer],
        *,
        worker: str,
        on_failure: FailureHook | None = None,
        lease: timedelta = LEASE,
    ) -> None:
        self.db = db
        self.transport = transport
        self.preparers = preparers
        self.worker = worker
        self.on_failure = on_failure
        self.lease = lease  # a claimed row whose sender vanished is retried after this

    def sweep(self, *, now: datetime, limit: int = 200) -> SweepResult:
        """Send what is due now, at most one row per recipient; returns what happened."""
        result = SweepResult()
        with self.db.unit_of_work() as uow:
            result.recovered = uow.outbox.recover(claimed_before=now - self.lease)
            ids = uow.outbox.claim(worker=self.worker, now=now, limit=limit)
        result.claimed = len(ids)
        for position, row_id in enumerate(ids):
            try:
                self._deliver(row_id, now, result)
            except RateLimited as limited:
                result.wait = limited.retry_after
                retry_at = now + timedelta(seconds=limited.retry_after)
                self._release(ids[position:], retry_at, str(limited))
                result.retried += len(ids) - position
                break
        return result

    def _deliver(self, row_id: int, now: datetime, result: SweepResult) -> None:
        with self.db.unit_of_work(read_only=True) as uow:
            row = uow.outbox.get(row_id)
            assert row is not None
            prepare = self.preparers.get(row.kind)
            note = prepare(uow, row) if prepare else None
        if note is None:
            self._finish(row_id, OutboxStatus.CANCELLED, now, error="nothing to send any more")
            result.cancelled += 1
            return
        try:
            ts = self.transport.send(row.recipient, note)
        except Unavailable as error:
            self._release([row_id], now + backoff(row.attempts), str(error))
            result.retried += 1
        except Rejected as error:
            self._fail(row_id, error, now)
            result.failed += 1
        else:
            self._finish(row_id, OutboxStatus.SENT, now, ts=ts)
            result.sent += 1

    def _finish(
        self,
        row_id: int,
        status: OutboxStatus,
        now: datetime,
        *,
        ts: str | None = None,
        error: str | None = None,
    ) -> None:
        with self.db.unit_of_work() as uow:
            if not uow.outbox.finish(
                row_id, worker=self.worker, status=status, now=now, ts=ts, error=error
            ):
                log.warning("outbox row %s was no longer ours when it was %s", row_id, status)

    def _release(self, row_ids: list[int], retry_at: datetime, error: str) -> None:
        with self.db.unit_of_work() as uow:
            for row_id in row_ids:
                uow.outbox.release(row_id, worker=self.worker, retry_at=retry_at, error=error)

    def _fail(self, row_id: int, error: Rejected, now: datetime) -> None:
        with self.db.unit_of_work() as uow:
            row = uow.outbox.get(row_id)
            assert row is not None
            uow.outbox.finish(
                row_id,
                worker=self.worker,
                status=OutboxStatus.FAILED,
                now=now,
                error=error.error[:500],
            )
            if self.on_failure is not None:
                self.on_failure(uow, row, error, now)
