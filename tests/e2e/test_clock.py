"""Reminders delivered by real `python app.py clock` processes against the fake Slack.

- two clocks sweeping the same 1 000 due reminders on PostgreSQL: each sent exactly once;
- a clock killed mid-sweep and started again: nothing lost, duplicates only for messages Slack
  had accepted when the process died (at most one per parallel send);
- Slack answering 429 with Retry-After: the clock waits as told, then delivers everything;
- Slack answering 500 for a while: everything is delivered afterwards, in order per owner.
  (Ten minutes of 500s is proven with simulated time in tests/bot/test_delivery.py.)
"""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import text

from bot.delivery import CONCURRENCY
from bot.demo.workspace import load_demo
from bot.notifier import NullNotifier
from bot.services import Services
from handlers.local.localslack import LocalSlack
from storage.db import Database, make_engine
from storage.migrate import upgrade
from storage.models import Action, Member, Outbox
from tests.conftest import PG_URL
from tests.e2e.conftest import _database

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.e2e
# Tuesday 00:30 in Stockholm: none of the bot's own reminders is due or within its six-hour
# look-ahead (the first is 08:00's), so the clock sends exactly the seeded ones
SEEDED_AT = datetime(2026, 12, 7, 23, 30, tzinfo=UTC)
ACTION_ID = re.compile(r"#(\d+) ")


def seed(url: str, *, owners: int, per_owner: int) -> Database:
    """A demo group, ``owners`` members, and for each ``per_owner`` actions due today with a
    reminder in the outbox, due now: at SEEDED_AT, where ``clock_at_seeding`` starts the clock
    (on real time, from 02:00 the clock's planning rightly replaces them by 08:00's, and by day
    it adds its own)."""
    engine = make_engine(url)
    upgrade(engine)
    db = Database(engine)
    now = SEEDED_AT
    services = Services.build(db, NullNotifier())
    group = load_demo(db, services.groups, now=now).group
    with db.unit_of_work() as uow:
        org = uow.organisations.of_group(group.id)[0]
        for n in range(owners):
            uow.members.add(
                Member(
                    group_id=group.id,
                    slack_user_id=f"U{n:05d}",
                    role="medlem",
                    status="active",
                    organisation_id=org.id or 0,
                    created_at=now,
                    updated_at=now,
                )
            )
        for k in range(per_owner):
            for n in range(owners):
                action = uow.actions.add(
                    Action(
                        group_id=group.id,
                        title=f"Åtgärd {k}",
                        owner_user_id=f"U{n:05d}",
                        organisation_id=org.id or 0,
                        due_date=now.date(),
                        created_by="U0ANNA",
                        created_at=now,
                        updated_at=now,
                    )
                )
                uow.outbox.enqueue(
                    Outbox(
                        group_id=group.id,
                        recipient=action.owner_user_id,
                        kind="action.reminder",
                        payload={
                            "action_id": action.id,
                            "stage": "due",
                            "due": action.due_date.isoformat(),
                            "owner": action.owner_user_id,
                        },
                        dedupe_key=f"test:{action.id}",
                        next_attempt_at=now - timedelta(minutes=1),
                        created_at=now,
                    )
                )
    return db


def start_clock(url: str, slack: LocalSlack, **extra: str) -> subprocess.Popen[bytes]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("SLACK_")}
    env |= {
        "EST_NO_BOOTSTRAP": "1",
        "DATABASE_URL": url,
        "SLACK_BOT_TOKEN": "xoxb-clock",
        "SLACK_API_URL": slack.api_url,
        "EST_CLOCK_TICK": "0.5",
        **extra,
    }
    return subprocess.Popen(
        [sys.executable, str(ROOT / "app.py"), "clock"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )


def clock_at_seeding(url: str, slack: LocalSlack, **extra: str) -> subprocess.Popen[bytes]:
    """A clock whose bot time starts at SEEDED_AT (the anchor is stored: a second agrees)."""
    return start_clock(url, slack, EST_CLOCK_START=SEEDED_AT.isoformat(), **extra)


def open_rows(db: Database) -> int:
    with db.engine.connect() as conn:
        return int(
            conn.execute(
                text("SELECT count(*) FROM outbox WHERE status IN ('pending', 'sending')")
            ).scalar()
            or 0
        )


def wait_until_sent(db: Database, *, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while open_rows(db) and time.monotonic() < deadline:
        time.sleep(0.3)
    assert open_rows(db) == 0, f"{open_rows(db)} rows still open after {timeout} s"


def delivered(slack: LocalSlack) -> Counter[int]:
    """How many messages reached Slack per action id."""
    found: Counter[int] = Counter()
    for call in slack.calls_to("chat.postMessage"):
        if call.status == 200 and (match := ACTION_ID.search(str(call.args.get("text", "")))):
            found[int(match.group(1))] += 1
    return found


def stop(*processes: subprocess.Popen[bytes]) -> None:
    for process in processes:
        process.terminate()
    for process in processes:
        process.wait(timeout=15)


@pytest.mark.postgresql
def test_two_clocks_send_1000_reminders_exactly_once() -> None:
    assert PG_URL
    databases = _database("postgresql", Path("/nonexistent"))
    url = next(databases)
    try:
        db = seed(url, owners=500, per_owner=2)
        with LocalSlack() as slack:
            clocks = [clock_at_seeding(url, slack), clock_at_seeding(url, slack)]
            try:
                wait_until_sent(db, timeout=240)
            finally:
                stop(*clocks)
            counts = delivered(slack)
        assert len(counts) == 1000
        assert set(counts.values()) == {1}  # every reminder exactly once
        with db.engine.connect() as conn:
            workers = conn.execute(text("SELECT count(DISTINCT claimed_by) FROM outbox")).scalar()
        assert workers == 2  # both clocks did part of the work
        db.engine.dispose()
    finally:
        next(databases, None)


def test_a_killed_clock_loses_nothing(database_url: str) -> None:
    db = seed(database_url, owners=40, per_owner=3)
    with LocalSlack() as slack:
        slack.fail_next("chat.postMessage", status=200, times=10_000, hang=0.02)  # a slow Slack
        first = clock_at_seeding(database_url, slack, EST_OUTBOX_LEASE="3")
        deadline = time.monotonic() + 60
        while len(delivered(slack)) < 30 and time.monotonic() < deadline:
            time.sleep(0.05)
        first.send_signal(signal.SIGKILL)  # mid-sweep: no chance to tidy up
        first.wait(timeout=10)
        sent_before = len(delivered(slack))
        assert 0 < sent_before < 120
        second = clock_at_seeding(database_url, slack, EST_OUTBOX_LEASE="3")
        try:
            wait_until_sent(db, timeout=120)
        finally:
            stop(second)
        counts = delivered(slack)
    assert len(counts) == 120  # nothing lost
    duplicates = sum(n - 1 for n in counts.values())
    # only messages Slack had accepted when the process died: at most one per parallel send
    assert duplicates <= CONCURRENCY
    db.engine.dispose()


def test_a_429_is_waited_out(database_url: str) -> None:
    db = seed(database_url, owners=20, per_owner=1)
    with LocalSlack() as slack:
        slack.fail_next("chat.postMessage", status=429, retry_after=2)
        clock = clock_at_seeding(database_url, slack)
        try:
            wait_until_sent(db, timeout=60)
        finally:
            stop(clock)
        posts = slack.calls_to("chat.postMessage")
        counts = delivered(slack)
    limited = next(call for call in posts if call.status == 429)
    retried = next(
        c for c in posts if c.status == 200 and c.args["channel"] == limited.args["channel"]
    )
    assert retried.at - limited.at >= 1.9  # that message waited as Slack said
    assert len(counts) == 20 and set(counts.values()) == {1}
    db.engine.dispose()


def test_500s_then_everything_in_order_per_owner(database_url: str) -> None:
    db = seed(database_url, owners=5, per_owner=4)
    with LocalSlack() as slack:
        slack.fail_next("chat.postMessage", status=500, times=8)
        clock = clock_at_seeding(database_url, slack)
        try:
            wait_until_sent(db, timeout=90)
        finally:
            stop(clock)
        posts = [c for c in slack.calls_to("chat.postMessage") if c.status == 200]
        counts = delivered(slack)
    assert len(counts) == 20 and set(counts.values()) == {1}
    for owner in {str(c.args["channel"]) for c in posts}:
        ids = [
            int(ACTION_ID.search(str(c.args["text"])).group(1))  # type: ignore[union-attr]
            for c in posts
            if c.args["channel"] == owner
        ]
        assert ids == sorted(ids), owner  # this owner's reminders arrived in order
    db.engine.dispose()
