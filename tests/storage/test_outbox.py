"""The outbox's repository, on each database: claims, cancellations and the reader's language."""

from __future__ import annotations

from datetime import timedelta

from storage.models import Outbox, OutboxStatus
from tests.conftest import NOW


def _row(group_id: int, recipient: str, key: str, *, at=NOW) -> Outbox:
    return Outbox(
        group_id=group_id,
        recipient=recipient,
        kind="test",
        payload={"key": key},
        dedupe_key=key,
        next_attempt_at=at,
        created_at=NOW,
    )


def enqueue(db, group_id: int, rows: list[tuple[str, int]]) -> None:
    with db.unit_of_work() as uow:
        for recipient, n in rows:
            uow.outbox.enqueue(_row(group_id, recipient, f"test:{n}"))


def test_two_senders_never_claim_the_same_row(db, anna):
    enqueue(db, anna.group.id, [(f"U{n}", n) for n in range(50)])
    with db.unit_of_work() as uow:
        first = uow.outbox.claim(worker="A", now=NOW, limit=30)
    with db.unit_of_work() as uow:
        second = uow.outbox.claim(worker="B", now=NOW, limit=30)
    assert len(first) == 30 and len(second) == 20
    assert not set(first) & set(second)


def test_a_key_is_queued_once(db, anna):
    with db.unit_of_work() as uow:
        assert uow.outbox.enqueue(_row(anna.group.id, "U0ERIK", "action:1:due")) is True
        assert uow.outbox.enqueue(_row(anna.group.id, "U0SARA", "action:1:due")) is False
        assert uow.outbox.enqueue(_row(anna.group.id, "U0ERIK", "action:1:before")) is True
    with db.unit_of_work(read_only=True) as uow:
        assert uow.outbox.count(OutboxStatus.PENDING) == 2
        row = uow.outbox.by_key("action:1:due")
        assert row is not None and row.recipient == "U0ERIK"  # the first one stays
        assert uow.outbox.by_key("action:2:due") is None


def test_cancelling_by_key_prefix_takes_the_prefix_literally(db, anna):
    keys = ["action:1:2026-11-27:due", "action:1:2026-11-27:before", "action:10:2026-11-27:due"]
    keys += ["action_1:2026-11-27:due"]  # an underscore is no wildcard
    with db.unit_of_work() as uow:
        for key in keys:
            uow.outbox.enqueue(_row(anna.group.id, "U0ERIK", key))
    with db.unit_of_work() as uow:
        assert uow.outbox.cancel("action:1:2026-11-27:", now=NOW) == 2
        assert uow.outbox.cancel("action:1:2026-11-27:", now=NOW) == 0  # only pending rows
    with db.unit_of_work(read_only=True) as uow:
        left = {k for k in keys if (r := uow.outbox.by_key(k)) and r.status == "pending"}
        assert left == {"action:10:2026-11-27:due", "action_1:2026-11-27:due"}
        cancelled = uow.outbox.by_key("action:1:2026-11-27:due")
        assert cancelled is not None and cancelled.sent_at == NOW


def test_a_removed_groups_unsent_rows_are_cancelled_and_the_sent_kept(db, anna):
    group_id = anna.group.id
    enqueue(db, group_id, [("U1", 1), ("U2", 2), ("U3", 3)])
    with db.unit_of_work() as uow:
        [claimed] = uow.outbox.claim(worker="A", now=NOW, limit=1)
        assert uow.outbox.finish(claimed, worker="A", status=OutboxStatus.SENT, now=NOW, ts="1.1")
        [sending] = uow.outbox.claim(worker="A", now=NOW, limit=1)
    with db.unit_of_work() as uow:
        assert uow.outbox.cancel_groups([group_id + 1]) == 0
        assert uow.outbox.cancel_groups([group_id]) == 2  # the one being sent, and one pending
    with db.unit_of_work(read_only=True) as uow:
        assert uow.outbox.count(OutboxStatus.SENT) == 1
        assert uow.outbox.count(OutboxStatus.CANCELLED) == 2
        row = uow.outbox.get(sending)
        assert row is not None and row.status == OutboxStatus.CANCELLED


def test_rows_come_with_their_readers_own_language(db, anna):
    group_id = anna.group.id
    with db.unit_of_work() as uow:
        erik = uow.members.find(group_id, "U0ERIK")
        assert erik is not None
        erik.language = "en"
        for recipient, key in (("U0ERIK", "a"), ("C0EST", "b"), ("U0SARA", "c"), ("U0X", "d")):
            uow.outbox.enqueue(_row(group_id, recipient, key, at=NOW + timedelta(minutes=1)))
    with db.unit_of_work(read_only=True) as uow:
        ids = [r.id for r in (uow.outbox.by_key(k) for k in "dcba") if r is not None]
        found = uow.outbox.rows_with_language(ids)
    # in id order; the channel, a member who chose nothing and a stranger get None
    assert [(row.recipient, language) for row, language in found] == [
        ("U0ERIK", "en"),
        ("C0EST", None),
        ("U0SARA", None),
        ("U0X", None),
    ]


def test_healthz_says_how_many_rows_are_due_and_how_long_the_oldest_waited(db, anna):
    from flask import Flask

    from bot.timekeeping import FixedClock
    from handlers.server import create_wsgi_app

    with db.unit_of_work() as uow:
        uow.outbox.enqueue(_row(anna.group.id, "U1", "due:1", at=NOW - timedelta(seconds=90)))
        uow.outbox.enqueue(_row(anna.group.id, "U2", "due:2", at=NOW - timedelta(seconds=5)))
        uow.outbox.enqueue(_row(anna.group.id, "U3", "later", at=NOW + timedelta(minutes=10)))
    bolt_less = create_wsgi_app(_NoBolt(), db, clock=FixedClock(NOW))  # type: ignore[arg-type]
    assert isinstance(bolt_less, Flask)
    health = bolt_less.test_client().get("/healthz").get_json()
    assert health["outbox"] == {"due": 2, "lag_seconds": 90.0}  # the third is not due yet


class _NoBolt:
    """Enough of a Bolt app for the health check: no OAuth flow."""

    oauth_flow = None
