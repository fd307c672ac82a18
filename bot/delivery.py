"""Delivering the outbox: claim, prepare, send, record — with backoff, rate limits and leases.

Exactly once, as far as a chat API allows: a row is claimed atomically (two clocks never hold
the same row), and recorded as sent in its own short transaction right after Slack accepts it.
The only window for a duplicate is a process that dies between Slack's "ok" and that record:
the row's lease then runs out and it is sent again. The window is one round trip long, for
each message in flight (at most CONCURRENCY, each to a different person).

After a fault, as soon as Slack can take it: a 429 waits exactly as long as Slack says and is
not a failure (the backoff does not grow); a limit for a whole workspace pauses that workspace's
rows only (put back, their claim not counted), every other workspace's go on meanwhile; when
nothing gets through (Slack is down) the sender stops trying every row and sends one at a
time, every PROBE_EVERY, until one is accepted, and then everything the outage held back is due
at once, not at the end of each row's own backoff (which would hold back every later message to
that person behind it).
"""

from __future__ import annotations

import logging
import threading
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Protocol

from bot.notifier import Notification
from bot.timekeeping import bot_span, monotonic
from storage.db import Database
from storage.metrics import add_deliveries
from storage.models import Outbox, OutboxStatus
from storage.outbox import FINISH, finish_params
from storage.repositories import UnitOfWork

log = logging.getLogger(__name__)

LEASE = timedelta(minutes=2)
CONCURRENCY = 4  # messages in flight at once, each to a different person
GLOBAL_LIMIT_AFTER = 3  # this many 429s in a row in one workspace: it is limited, not one channel
OUTAGE_AFTER = 3  # this many 5xx or timeouts in a sweep, and nothing accepted: Slack is down
PROBE_EVERY = 5.0  # seconds between single messages while Slack is down
MAX_BACKOFF = timedelta(minutes=5)
# rows a sweep claims: small enough that a second clock finds work in a burst, and that the
# first messages go before the whole burst is prepared (bench/results: the Monday burst)
CLAIM = 50


class DeliveryError(Exception):
    """Sending did not work; the subclass says whether to wait, retry or give up."""


class RateLimited(DeliveryError):
    """Slack said wait. ``workspace``: the limit is on a method for the whole workspace (e.g.
    users.info), not on one channel, so nothing more is started until it has passed."""

    def __init__(self, retry_after: float, *, workspace: bool = False) -> None:
        super().__init__(f"rate limited for {retry_after} s")
        self.retry_after = retry_after
        self.workspace = workspace


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
    def send(self, recipient: str, note: Notification, *, language: str | None = None) -> str:
        """Post ``note`` to a channel or user, in ``language`` (the person's own; None: the
        group's); returns Slack's message ts."""
        ...


# Turns a row into what to send, from the database as it is at `now`; None = no longer relevant.
Preparer = Callable[[UnitOfWork, Outbox, datetime], Notification | None]
# Loads at once what many rows need before each is prepared (e.g. into ``uow.memo``).
Prefetch = Callable[[UnitOfWork, Sequence[Outbox]], None]
# Called (in a transaction) when a row failed for good, e.g. to tell the group's admins.
FailureHook = Callable[[UnitOfWork, Outbox, Rejected, datetime], None]


class Planner(Protocol):
    def __call__(self, db: Database, *, now: datetime) -> int:
        """Queue what has come due by ``now``; returns how many rows are new. Safe to run twice."""
        ...


@dataclass(frozen=True)
class Scheduled:
    """What one feature sends through the outbox, for the clock (``bot.clock`` lists them): its
    kinds of rows, the job that plans what has come due, what turns a row of each kind into a
    notification at send time, what a sweep loads at once for its rows, and who is told when a
    row of a kind fails for good (by default the admins, about the undeliverable DM)."""

    kinds: type[StrEnum]
    plan: Planner
    preparers: Mapping[str, Preparer]
    prefetch: Mapping[str, Prefetch] = field(default_factory=dict)
    on_failure: Mapping[str, FailureHook] = field(default_factory=dict)


@dataclass(frozen=True)
class Ready:
    """A claimed row, prepared: what to send to whom, in which language (None: the group's;
    note None: it could not be prepared)."""

    id: int
    recipient: str
    attempts: int
    note: Notification | None
    language: str | None = None
    failures: int = 0  # earlier answers that Slack could not take it (not 429s)
    team: str = ""  # the workspace it goes to: a rate limit of the workspace pauses its rows


@dataclass
class SweepResult:
    claimed: int = 0
    sent: int = 0
    retried: int = 0
    failed: int = 0
    cancelled: int = 0
    recovered: int = 0
    limited: int = 0  # answered 429, or put back for their workspace's pause: each waits as told
    wait: float = 0.0  # a workspace's pause (several 429s there: a workspace-wide limit); only
    # that workspace's rows wait it out, so the clock does not sleep for it
    woken: int = 0  # rows an outage had held back, due again now that Slack answers
    down: bool = False  # nothing got through: Slack is down, the next sweep sends one row


@dataclass
class _Tally:
    """What a sweep's sends have answered so far (they run on several threads)."""

    sent: int = 0
    limited: int = 0
    unavailable: int = 0
    paused: bool = False  # a workspace was paused in this sweep
    limited_in: Counter[str] = field(default_factory=Counter)  # per workspace, since its last ok
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, outcome: str, team: str = "") -> None:
        with self.lock:
            if outcome in ("sent", "limited", "unavailable"):
                setattr(self, outcome, getattr(self, outcome) + 1)
            if outcome == "sent":
                self.limited_in[team] = 0
            elif outcome == "limited":
                self.limited_in[team] += 1

    @property
    def down(self) -> bool:
        """Only 5xx and timeouts so far: do not try more rows in this sweep."""
        return self.sent == 0 and self.unavailable >= OUTAGE_AFTER

    def limited_everywhere(self, team: str) -> bool:
        """Only 429s in this workspace since its last message went (each row of a sweep is
        another recipient): a limit for all of its channels, not one busy channel."""
        return self.limited_in[team] >= GLOBAL_LIMIT_AFTER


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
        concurrency: int = CONCURRENCY,
        prefetch: Mapping[str, Prefetch] | None = None,
        rate: float = 1.0,
        claim: int = CLAIM,
    ) -> None:
        """``lease`` is real time, like every wait the sender keeps (Slack's Retry-After, the
        backoff of an outage); ``rate`` is the bot clock's bot seconds per real second, which
        turns them into the bot's time the rows are stamped with."""
        self.db = db
        self.transport = transport
        self.preparers = preparers
        self.prefetch = prefetch or {}
        self.worker = worker
        self.on_failure = on_failure
        self.rate = rate
        self.claim = claim
        self.lease = self._later(lease.total_seconds())  # a vanished sender's rows: retried
        # per workspace (team id): the bot's time until which its workspace-wide limit holds
        self._paused: dict[str, datetime] = {}
        self._team_of: dict[int, str] = {}  # group id → workspace, as the notes have shown
        self._down = False  # nothing got through in the last sweep: probe with one row
        self._tally = _Tally()
        self._began = monotonic()
        workers = concurrency if db.parallel_ok else 1
        self._pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="outbox")

    def sweep(self, *, now: datetime, limit: int | None = None) -> SweepResult:
        """Send what is due now, at most one row per recipient (so several at once keep each
        person's order); returns what happened."""
        result = SweepResult()
        self._began = monotonic()  # the real instant of ``now``: sends are stamped from it
        with self.db.unit_of_work() as uow:
            result.recovered = uow.outbox.recover(claimed_before=now - self.lease)
            # Slack was down at the last try: one row finds out whether it is back
            limit = 1 if self._down else limit or self.claim
            ids = uow.outbox.claim(worker=self.worker, now=now, limit=limit)
        result.claimed = len(ids)
        if not ids:
            return result
        self._tally = _Tally()
        ready, cancelled, broken = self._prepare(ids, now)
        if cancelled:
            self._close(cancelled, OutboxStatus.CANCELLED, now, error="nothing to send any more")
        for row in broken:
            retry_at = now + self._later(backoff(row.attempts).total_seconds())
            self._release(row.id, retry_at, "could not be prepared")
        result.cancelled, result.retried = len(cancelled), len(broken)
        started = monotonic()
        outcomes = list(self._pool.map(lambda job: self._send(job, now, started), ready))
        for outcome, wait in outcomes:
            counter = "retried" if outcome in ("unavailable", "held") else outcome
            setattr(result, counter, getattr(result, counter) + 1)
            if outcome == "limited":
                result.wait = max(result.wait, wait)
        if result.limited < GLOBAL_LIMIT_AFTER and not self._tally.paused:
            result.wait = 0.0  # one busy channel: only its message waits, the rest go on
        self._after_outage(result, now)
        self._count(result)
        return result

    def _count(self, result: SweepResult) -> None:
        """Add what Slack answered in this sweep to the shared counts that /metrics shows."""
        tally = self._tally
        counts = {
            "ok": tally.sent,
            "429": tally.limited,
            "error": tally.unavailable + result.failed,
        }
        try:
            add_deliveries(self.db, counts)
        except Exception:  # the counts are for watching: a failure here must not resend anything
            log.exception("could not add this sweep's results to the delivery counts")

    def _after_outage(self, result: SweepResult, now: datetime) -> None:
        """Nothing got through and Slack did not say wait: it is down, so the next sweeps send
        one row each, PROBE_EVERY apart. The first message it takes again ends the outage:
        what the outage held back is due at once."""
        if result.sent == 0 and self._tally.unavailable:
            self._down = result.down = True
            result.wait = max(result.wait, PROBE_EVERY)
        elif result.sent and self._down:
            self._down = False
            with self.db.unit_of_work() as uow:
                result.woken = uow.outbox.wake(now=now)
            log.info("Slack answers again: %d held-back messages are due now", result.woken)

    def _prepare(self, ids: list[int], now: datetime) -> tuple[list[Ready], list[int], list[Ready]]:
        """Turn the claimed rows into notifications, in one read transaction for the sweep (the
        groups and people they share are loaded once). Returns what to send, the ids of rows
        with nothing to send any more, and rows whose preparer failed (retried with backoff, so
        one bad row never holds up the rest)."""
        ready: list[Ready] = []
        cancelled: list[int] = []
        broken: list[Ready] = []
        with self.db.unit_of_work(read_only=True) as uow:
            found = uow.outbox.rows_with_language(ids)  # a person's DM is in their language
            self._prefetch(uow, [row for row, _language in found])
            for row, language in found:
                assert row.id is not None
                team = self._team_of.get(row.group_id or 0, "")
                job = Ready(row.id, row.recipient, row.attempts, None, team=team)
                if self._pause_left(team, now) > 0:  # not even prepared (a chart not drawn)
                    ready.append(job)  # put back by _send, unprepared
                    continue
                prepare = self.preparers.get(row.kind)
                try:
                    note = prepare(uow, row, now) if prepare else None
                except Exception:
                    log.exception("outbox row %s (%s) could not be prepared", row.id, row.kind)
                    uow.rollback()  # a failed statement must not spoil the next rows
                    broken.append(job)
                    continue
                if note is None:
                    cancelled.append(row.id)
                else:
                    self._team_of[row.group_id or 0] = team = note.group.team_id
                    job = Ready(
                        row.id, row.recipient, row.attempts, note, language, row.failures, team
                    )
                    ready.append(job)
        return ready, cancelled, broken

    def _prefetch(self, uow: UnitOfWork, rows: Sequence[Outbox]) -> None:
        """Run each prefetch once, with the rows of the kinds it serves; a failure only costs
        speed (each row is then prepared on its own)."""
        wanted: dict[Prefetch, list[Outbox]] = {}
        for row in rows:
            if (fetch := self.prefetch.get(row.kind)) is not None:
                wanted.setdefault(fetch, []).append(row)
        for fetch, some in wanted.items():
            try:
                fetch(uow, some)
            except Exception:
                log.exception("prefetch for %d outbox rows failed; preparing one by one", len(some))
                uow.rollback()
                uow.memo.clear()

    def _send(self, job: Ready, now: datetime, started: float) -> tuple[str, float]:
        """Send one prepared row; returns which SweepResult counter it adds to (and any wait)."""
        at = now + self._later(monotonic() - started)
        paused = self._pause_left(job.team, at)
        if paused > 0 or job.note is None:  # its workspace is limited: no call there until then
            retry_at = max(self._paused.get(job.team, at), at)
            self._release(job.id, retry_at, "waiting for a workspace-wide rate limit", uncount=True)
            return "limited", max(paused, 0.0)
        if self._tally.down:  # Slack is down: the row waits for the outage's end, untried
            self._release(job.id, now, "waiting for Slack to answer again")
            return "held", 0.0
        try:
            ts = self.transport.send(job.recipient, job.note, language=job.language)
        except RateLimited as limited:  # this message waits as Slack says, from its answer on
            elapsed = monotonic() - started
            retry_at = now + self._later(elapsed + limited.retry_after)
            self._tally.add("limited", job.team)
            if limited.workspace or self._tally.limited_everywhere(job.team):
                self._pause(job.team, retry_at)
            self._release(job.id, retry_at, str(limited))  # waited out, never a failure
            return "limited", limited.retry_after
        except Unavailable as error:
            self._tally.add("unavailable")
            retry_at = now + self._later(backoff(job.failures + 1).total_seconds())
            self._release(job.id, retry_at, str(error), failed=True)
            return "unavailable", 0.0
        except Rejected as error:
            self._fail(job.id, error, now)
            return "failed", 0.0
        self._tally.add("sent", job.team)
        # recorded at the bot's time of Slack's answer, not the sweep's start
        answered = now + self._later(monotonic() - self._began)
        self._close([job.id], OutboxStatus.SENT, answered, ts=ts)
        return "sent", 0.0

    def _pause(self, team: str, until: datetime) -> None:
        """Not one more call to this workspace until ``until`` (bot time); the others go on."""
        with self._tally.lock:
            self._paused[team] = max(self._paused.get(team, until), until)
            self._tally.paused = True

    def _pause_left(self, team: str, at: datetime) -> float:
        """Real seconds from ``at`` (bot time) until the workspace's pause has passed (0 or
        less: none)."""
        until = self._paused.get(team)
        return (until - at).total_seconds() / self.rate if until is not None else 0.0

    def _later(self, real_seconds: float) -> timedelta:
        """A wait in real seconds, on the bot's clock (at 3600×, Slack's 30 s is 30 bot hours)."""
        return bot_span(real_seconds, self.rate)

    def _close(
        self,
        row_ids: list[int],
        status: OutboxStatus,
        now: datetime,
        *,
        ts: str | None = None,
        error: str | None = None,
    ) -> None:
        """Record rows as sent, cancelled or failed, in one short transaction of its own: right
        after Slack's answer, which is what keeps the duplicate window one round trip long."""
        params = finish_params(
            row_ids, worker=self.worker, status=status, now=now, ts=ts, error=error
        )
        closed = self.db.write(FINISH, params)
        if closed < len(row_ids):
            log.warning("outbox rows %s were no longer all ours when they were %s", row_ids, status)

    def _release(
        self,
        row_id: int,
        retry_at: datetime,
        error: str,
        *,
        failed: bool = False,
        uncount: bool = False,
    ) -> None:
        with self.db.unit_of_work() as uow:
            uow.outbox.release(
                row_id,
                worker=self.worker,
                retry_at=retry_at,
                error=error,
                failed=failed,
                uncount=uncount,
            )

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
