"""The outbox sender with a recording transport and simulated time, on SQLite and PostgreSQL."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, timedelta

import pytest
from sqlalchemy import event, text

from bot.actions.notifications import ActionReminder, Undeliverable
from bot.actions.reminders import PREFETCH, PREPARERS, tell_admins
from bot.actors import EstGroup
from bot.delivery import (
    CONCURRENCY,
    GLOBAL_LIMIT_AFTER,
    LEASE,
    OUTAGE_AFTER,
    PROBE_EVERY,
    OutboxSender,
    RateLimited,
    RecipientGone,
    Rejected,
    Unavailable,
    backoff,
)
from bot.notifier import Notification
from storage.db import Database
from storage.models import Action, Outbox, OutboxStatus
from tests.conftest import NOW, session_of


@dataclass
class Recorder:
    """A transport that records what it sends and can be told to fail."""

    sent: list[tuple[str, int]] = field(default_factory=list)  # (recipient, row number)
    notices: list[tuple[str, str]] = field(default_factory=list)  # undeliverable notices
    down_until: datetime | None = None
    clock: datetime = NOW
    rate_limit_once: float | None = None
    limit_only: str | None = None  # the one recipient whose channel is rate limited
    gone: set[str] = field(default_factory=set)

    def send(self, recipient: str, note: Notification, *, language: str | None = None) -> str:
        if self.rate_limit_once is not None and self.limit_only in (None, recipient):
            wait, self.rate_limit_once = self.rate_limit_once, None
            raise RateLimited(wait)
        if self.down_until is not None and self.clock < self.down_until:
            raise Unavailable("500 internal_error")
        if recipient in self.gone:
            raise RecipientGone("user_deleted")
        assert isinstance(note, Undeliverable)
        if note.reason.isdigit():
            self.sent.append((recipient, int(note.reason)))
        else:
            self.notices.append((recipient, note.reason))
        return f"1700000000.{len(self.sent):06d}"


def prepare(uow, row, now):  # every row becomes a small notification carrying its number
    group = uow.groups.get(row.group_id)
    return Undeliverable(EstGroup.of(group), row.recipient, str(row.payload["n"]))


def enqueue(db: Database, group_id: int, rows: list[tuple[str, int]], *, at: datetime) -> None:
    with db.unit_of_work() as uow:
        for recipient, n in rows:
            uow.outbox.enqueue(
                Outbox(
                    group_id=group_id,
                    recipient=recipient,
                    kind="test",
                    payload={"n": n},
                    dedupe_key=f"test:{n}",
                    next_attempt_at=at,
                    created_at=at,
                )
            )


@pytest.fixture
def group_id(demo, anna) -> int:
    return anna.group.id


def sender(db, transport, worker="clock-1") -> OutboxSender:
    return OutboxSender(
        db, transport, {"test": prepare, **PREPARERS}, worker=worker, on_failure=tell_admins
    )


def run_until_done(
    send: OutboxSender,
    transport: Recorder,
    *,
    start: datetime,
    step: timedelta = timedelta(seconds=5),
    limit: int = 2000,
) -> datetime:
    now = start
    for _ in range(limit):
        transport.clock = now
        result = send.sweep(now=now)
        with send.db.unit_of_work(read_only=True) as uow:
            open_rows = uow.outbox.count(OutboxStatus.PENDING) + uow.outbox.count(
                OutboxStatus.SENDING
            )
        if open_rows == 0:
            return now
        now += timedelta(seconds=result.wait) if result.wait else step
    raise AssertionError("the outbox never emptied")


def test_everything_due_is_sent_once_in_order_per_recipient(db, group_id):
    rows = [(f"U{n % 3}", n) for n in range(30)]
    enqueue(db, group_id, rows, at=NOW)
    transport = Recorder()
    run_until_done(sender(db, transport), transport, start=NOW)
    assert sorted(n for _r, n in transport.sent) == list(range(30))
    for who in ("U0", "U1", "U2"):
        numbers = [n for r, n in transport.sent if r == who]
        assert numbers == sorted(numbers)  # in order per person


def test_nothing_is_sent_before_its_time(db, group_id):
    enqueue(db, group_id, [("U1", 1)], at=NOW + timedelta(hours=1))
    transport = Recorder()
    result = sender(db, transport).sweep(now=NOW)
    assert result.claimed == 0 and transport.sent == []
    sender(db, transport).sweep(now=NOW + timedelta(hours=1))
    assert transport.sent == [("U1", 1)]


def test_a_429_is_waited_out_as_told_and_nothing_is_lost(db, group_id):
    enqueue(db, group_id, [("U0", 0), ("U0", 5), *[(f"U{n}", n) for n in range(1, 5)]], at=NOW)
    transport = Recorder(rate_limit_once=30, limit_only="U0")
    send = sender(db, transport)
    first = send.sweep(now=NOW)
    # one channel limited: only its message waits (and U0's next one, behind it); others go on
    assert (first.limited, first.sent, first.wait) == (1, 4, 0.0)
    assert ("U0", 0) not in transport.sent
    early = send.sweep(now=NOW + timedelta(seconds=29))
    assert early.claimed == 0  # still waiting, as Slack asked
    run_until_done(send, transport, start=NOW + timedelta(seconds=31))
    assert [n for r, n in transport.sent if r == "U0"] == [0, 5]  # in order, after the wait
    assert sorted(n for _r, n in transport.sent) == [0, 1, 2, 3, 4, 5]


def test_many_429s_pause_all_sending(db, group_id):
    class AlwaysLimited(Recorder):
        def send(self, recipient, note, *, language=None):
            raise RateLimited(20)

    enqueue(db, group_id, [(f"U{n}", n) for n in range(5)], at=NOW)
    result = sender(db, AlwaysLimited()).sweep(now=NOW)
    assert (result.limited, result.wait) == (5, 20)


def test_ten_minutes_of_500s_then_everything_in_order(db, group_id):
    rows = [(f"U{n % 4}", n) for n in range(40)]
    enqueue(db, group_id, rows, at=NOW)
    transport = Recorder(down_until=NOW + timedelta(minutes=10))
    finished = run_until_done(sender(db, transport), transport, start=NOW)
    assert finished >= NOW + timedelta(minutes=10)
    assert finished <= NOW + timedelta(minutes=10) + backoff(99) + timedelta(seconds=10)
    assert Counter(n for _r, n in transport.sent) == Counter(range(40))  # each exactly once
    for who in ("U0", "U1", "U2", "U3"):
        numbers = [n for r, n in transport.sent if r == who]
        assert numbers == sorted(numbers)


def test_backoff_grows_and_is_capped():
    assert [backoff(n).total_seconds() for n in (1, 2, 3, 4)] == [5, 10, 20, 40]
    assert backoff(50) == timedelta(minutes=5)


def test_a_person_who_left_is_reported_to_the_admins(demo, anna, db, group_id):
    enqueue(db, group_id, [("U0GONE", 7)], at=NOW)
    transport = Recorder(gone={"U0GONE"})
    run_until_done(sender(db, transport), transport, start=NOW)
    with db.unit_of_work(read_only=True) as uow:
        assert uow.outbox.count(OutboxStatus.FAILED) == 1
    # the admin (Anna) got the undeliverable notice; the demo has exactly one admin
    assert transport.sent == []
    assert transport.notices == [("U0ANNA", "user_deleted")]


def test_a_dead_clock_s_rows_are_sent_by_the_other_after_the_lease(db, group_id):
    enqueue(db, group_id, [("U1", 1), ("U2", 2)], at=NOW)
    with db.unit_of_work() as uow:  # clock A claims and dies before sending
        claimed = uow.outbox.claim(worker="clock-A", now=NOW, limit=10)
    assert len(claimed) == 2
    transport = Recorder()
    b = sender(db, transport, worker="clock-B")
    assert b.sweep(now=NOW + timedelta(seconds=30)).claimed == 0  # A's lease still holds
    result = b.sweep(now=NOW + LEASE + timedelta(seconds=1))
    assert result.recovered == 2 and result.sent == 2
    with db.unit_of_work() as uow:  # A waking up cannot record them again
        assert not uow.outbox.finish(
            claimed[0], worker="clock-A", status=OutboxStatus.SENT, now=NOW
        )


def test_a_rejected_row_does_not_block_the_next_for_that_person(db, group_id):
    class RejectFirst(Recorder):
        def send(self, recipient, note, *, language=None):
            if note.reason == "1":
                raise Rejected("invalid_blocks")
            return super().send(recipient, note)

    enqueue(db, group_id, [("U1", 1), ("U1", 2)], at=NOW)
    transport = RejectFirst()
    run_until_done(sender(db, transport), transport, start=NOW)
    assert ("U1", 2) in transport.sent


def test_a_row_that_cannot_be_prepared_is_retried_and_holds_up_no_one(db, group_id):
    failures = {"left": 1}

    def fragile(uow, row, now):
        if row.payload["n"] == 2 and failures["left"]:
            failures["left"] -= 1
            session_of(uow).exec(text("SELECT * FROM no_such_table"))  # a real database error
        return prepare(uow, row, now)

    enqueue(db, group_id, [("U1", 1), ("U2", 2), ("U3", 3)], at=NOW)
    transport = Recorder()
    send = OutboxSender(db, transport, {"test": fragile}, worker="clock-1")
    first = send.sweep(now=NOW)
    # rows 1 and 3 go out in the same sweep although row 2's statement failed before row 3
    assert sorted(transport.sent) == [("U1", 1), ("U3", 3)]
    assert (first.sent, first.retried) == (2, 1)
    assert send.sweep(now=NOW + timedelta(seconds=4)).claimed == 0  # backoff: 5 s
    send.sweep(now=NOW + timedelta(seconds=5))
    assert sorted(transport.sent) == [("U1", 1), ("U2", 2), ("U3", 3)]


def test_a_row_that_is_no_longer_relevant_is_cancelled_not_sent(db, group_id):
    enqueue(db, group_id, [("U1", 1), ("U1", 2)], at=NOW)
    transport = Recorder()
    send = OutboxSender(
        db,
        transport,
        {"test": lambda uow, row, now: None if row.payload["n"] == 1 else prepare(uow, row, now)},
        worker="clock-1",
    )
    run_until_done(send, transport, start=NOW)
    assert transport.sent == [("U1", 2)]
    with db.unit_of_work(read_only=True) as uow:
        assert uow.outbox.count(OutboxStatus.CANCELLED) == 1
        assert uow.outbox.count(OutboxStatus.SENT) == 1


def test_a_workspace_wide_429_stops_the_sweep_and_everything_waits(db, group_id):
    class LookupLimited(Recorder):  # like users.info answering 429 for the whole workspace
        calls = 0

        def send(self, recipient, note, *, language=None):
            self.calls += 1
            if self.clock < NOW + timedelta(seconds=30):
                raise RateLimited(30, workspace=True)
            return super().send(recipient, note)

    enqueue(db, group_id, [(f"U{n}", n) for n in range(20)], at=NOW)
    transport = LookupLimited()
    send = sender(db, transport)
    first = send.sweep(now=NOW)
    # no call after the 429 came back: only those already in flight (one per worker) were made
    assert transport.calls <= CONCURRENCY
    assert (first.limited, first.sent) == (20, 0)
    assert 29 <= first.wait <= 30
    assert send.sweep(now=NOW + timedelta(seconds=29)).claimed == 0  # all wait as told
    transport.clock = NOW + timedelta(seconds=31)
    run_until_done(send, transport, start=NOW + timedelta(seconds=31))
    assert sorted(n for _r, n in transport.sent) == list(range(20))


def _reminders(db: Database, group_id: int, count: int) -> None:
    """``count`` actions due on NOW's date, each with a reminder due now; action k is at the
    first k % 3 places (by name) of the group."""
    with db.unit_of_work() as uow:
        places = sorted(uow.places.of_group(group_id, active_only=False), key=lambda p: p.name)
        org = uow.organisations.of_group(group_id)[0]
        for k in range(count):
            action = uow.actions.add(
                Action(
                    group_id=group_id,
                    title=f"Åtgärd {k}",
                    owner_user_id=f"U{k:04d}",
                    organisation_id=org.id or 0,
                    due_date=NOW.date(),
                    created_by="U0ANNA",
                    created_at=NOW,
                    updated_at=NOW,
                )
            )
            uow.actions.link(
                action.id or 0, places=[p.id or 0 for p in places[: k % 3]], incidents=[]
            )
            uow.outbox.enqueue(
                Outbox(
                    group_id=group_id,
                    recipient=action.owner_user_id,
                    kind="action.reminder",
                    payload={"action_id": action.id, "stage": "due", "due": NOW.date().isoformat()},
                    dedupe_key=f"r:{action.id}",
                    next_attempt_at=NOW,
                    created_at=NOW,
                )
            )


@pytest.mark.parametrize("count", [3, 12])
def test_a_sweep_reads_its_reminders_in_a_fixed_number_of_queries(db, group_id, count):
    @dataclass
    class Notes:
        got: list[ActionReminder] = field(default_factory=list)

        def send(self, recipient, note, *, language=None):
            self.got.append(note)
            return "1.0"

    _reminders(db, group_id, count)
    selects: list[str] = []

    def counted(conn, cursor, statement, *args):
        if statement.lstrip().upper().startswith("SELECT"):
            selects.append(statement)

    transport = Notes()
    send = OutboxSender(db, transport, PREPARERS, worker="w", prefetch=PREFETCH)
    event.listen(db.engine, "before_cursor_execute", counted)
    try:
        assert send.sweep(now=NOW).sent == count
    finally:
        event.remove(db.engine, "before_cursor_execute", counted)
    # rows, actions, their places, their incidents, the organisation, the group: however many
    assert len(selects) == 6, "\n".join(s.split("FROM")[1][:60] for s in selects)
    with db.unit_of_work(read_only=True) as uow:
        names = sorted(p.name for p in uow.places.of_group(group_id, active_only=False))
    by_title = {note.action.title: note.action for note in transport.got}
    assert by_title["Åtgärd 0"].places == ()
    assert by_title["Åtgärd 1"].places == (names[0],)
    assert by_title["Åtgärd 2"].places == tuple(names[:2])
    assert {note.action.organisation for note in transport.got} != {""}


# -- after a fault: 429s are not failures, an outage's end releases everything ----------------


@dataclass
class Timed(Recorder):
    """A Recorder that notes the (simulated) time of every call and of every message sent."""

    calls: list[datetime] = field(default_factory=list)
    sent_at: list[datetime] = field(default_factory=list)

    def send(self, recipient: str, note: Notification, *, language: str | None = None) -> str:
        self.calls.append(self.clock)
        ts = super().send(recipient, note, language=language)
        self.sent_at.append(self.clock)
        return ts


def like_the_clock(send: OutboxSender, transport: Recorder, *, start: datetime) -> datetime:
    """Sweep as bot.clock.send_outbox does, in simulated time: wait as a sweep says, go on at
    once after a sweep that claimed rows, and a tick (5 s) after one that claimed none."""
    now = start
    for _ in range(5000):
        transport.clock = now
        result = send.sweep(now=now)
        with send.db.unit_of_work(read_only=True) as uow:
            if uow.outbox.count(OutboxStatus.PENDING) + uow.outbox.count(OutboxStatus.SENDING) == 0:
                return now
        if result.wait:
            now += timedelta(seconds=result.wait)
        else:
            now += timedelta(seconds=5) if result.claimed == 0 else timedelta(milliseconds=10)
    raise AssertionError("the outbox never emptied")


def _row(db: Database, n: int) -> Outbox:
    with db.unit_of_work(read_only=True) as uow:
        row = uow.outbox.by_key(f"test:{n}")
        assert row is not None
        return row


def test_429s_are_waited_out_without_growing_the_backoff(db, group_id):
    answers = ["429", "429", "429", "500"]

    class Script(Recorder):
        def send(self, recipient, note, *, language=None):
            answer = answers.pop(0) if answers else "ok"
            if answer == "429":
                raise RateLimited(2)
            if answer == "500":
                raise Unavailable("500 internal_error")
            return super().send(recipient, note)

    enqueue(db, group_id, [("U1", 1)], at=NOW)
    transport = Script()
    send = sender(db, transport)
    at = NOW
    for _ in range(3):  # three 429s, each waited out as told: 2 s
        assert send.sweep(now=at).limited == 1
        row = _row(db, 1)
        assert row.failures == 0
        assert row.next_attempt_at - at >= timedelta(seconds=2)
        at = row.next_attempt_at
    assert send.sweep(now=at).retried == 1  # then a 500: the first failure, so 5 s
    row = _row(db, 1)
    assert (row.attempts, row.failures) == (4, 1)
    assert row.next_attempt_at == at + backoff(1) == at + timedelta(seconds=5)


def test_a_two_minute_outage_ends_and_everything_goes_at_once_in_order(db, group_id):
    rows = [(f"U{n % 10}", n) for n in range(50)]  # ten people, five messages each
    enqueue(db, group_id, rows, at=NOW)
    recovery = NOW + timedelta(minutes=2)
    transport = Timed(down_until=recovery)
    like_the_clock(sender(db, transport), transport, start=NOW)
    assert Counter(n for _r, n in transport.sent) == Counter(range(50))  # each exactly once
    for who in {r for r, _n in rows}:
        numbers = [n for r, n in transport.sent if r == who]
        assert numbers == sorted(numbers)  # in order per person
    # the first try after recovery is at most one probe interval late; then nothing waits
    # for a backoff the outage grew (it had reached 80 s: the last message came at 2:35)
    assert max(transport.sent_at) <= recovery + timedelta(seconds=PROBE_EVERY + 1)
    # while Slack was down: the first sweep's three tries, then one message every 5 s
    during = [t for t in transport.calls if t < recovery]
    assert len(during) <= OUTAGE_AFTER + CONCURRENCY + 120 / PROBE_EVERY


def test_after_an_outage_held_back_rows_are_due_with_a_fresh_backoff(db, group_id):
    enqueue(db, group_id, [(f"U{n}", n) for n in range(6)], at=NOW)
    transport = Timed(down_until=NOW + timedelta(seconds=40))
    send = sender(db, transport)
    first = send.sweep(now=NOW)
    assert first.down and first.wait == PROBE_EVERY
    assert first.retried == 6 and len(transport.calls) <= OUTAGE_AFTER + CONCURRENCY - 1
    probe = send.sweep(now=NOW + timedelta(seconds=5))
    assert probe.claimed == 1 and probe.down  # one row finds out whether Slack is back
    transport.clock = NOW + timedelta(seconds=40)
    back = send.sweep(now=NOW + timedelta(seconds=40))
    assert (back.claimed, back.sent, back.down) == (1, 1, False)
    with db.unit_of_work(read_only=True) as uow:  # every row the outage delayed is due now
        waiting = [uow.outbox.by_key(f"test:{n}") for n in range(6)]
    open_rows = [r for r in waiting if r is not None and r.status == OutboxStatus.PENDING]
    assert open_rows and all(r.next_attempt_at <= NOW + timedelta(seconds=40) for r in open_rows)
    assert all(r.failures == 0 for r in open_rows)
    rest = send.sweep(now=NOW + timedelta(seconds=40, milliseconds=10))
    assert rest.sent == len(open_rows)


def test_a_429_for_everything_stops_the_sweep_after_a_few_tries(db, group_id):
    class AlwaysLimited(Timed):
        def send(self, recipient, note, *, language=None):
            self.calls.append(self.clock)
            raise RateLimited(20)

    enqueue(db, group_id, [(f"U{n}", n) for n in range(20)], at=NOW)
    transport = AlwaysLimited()
    result = sender(db, transport).sweep(now=NOW)
    assert (result.limited, result.sent) == (20, 0)
    assert 19 <= result.wait <= 20
    # three 429s and nothing accepted: a limit for all of us, so no more calls in this sweep
    assert len(transport.calls) <= GLOBAL_LIMIT_AFTER + CONCURRENCY - 1
    with db.unit_of_work(read_only=True) as uow:
        assert all(
            r.failures == 0 for r in (uow.outbox.by_key(f"test:{n}") for n in range(20)) if r
        )
