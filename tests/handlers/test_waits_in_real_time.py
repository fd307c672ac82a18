"""Slack's waits are real seconds whatever the bot clock's rate: at 3600 bot seconds a real
second, a 30 s Retry-After is 30 bot hours, an outage's first 5 s backoff is 5 bot hours, and
a 120 s lease is 120 bot hours. Against the fake Slack over HTTP, through the real transport."""

from __future__ import annotations

from datetime import datetime, timedelta

from slack_sdk import WebClient

from bot.actions.notifications import Undeliverable
from bot.actions.reminders import PREPARERS, tell_admins
from bot.actors import EstGroup
from bot.delivery import OutboxSender
from bot.demo.workspace import load_demo
from bot.services import Services
from handlers.local.localslack import LocalSlack
from handlers.transport import SlackTransport
from storage.models import Outbox, OutboxStatus
from tests.conftest import NOW

RATE = 3600.0  # an hour a second


def prepare(uow, row, now):
    return Undeliverable(EstGroup.of(uow.groups.get(row.group_id)), row.recipient, "x")


def queued(services: Services) -> int:
    group_id = load_demo(services.db, services.groups, now=NOW).group.id
    with services.db.unit_of_work() as uow:
        row = Outbox(
            group_id=group_id,
            recipient="C0EST",
            kind="test",
            payload={},
            dedupe_key="test:wait",
            next_attempt_at=NOW,
            created_at=NOW,
        )
        assert uow.outbox.enqueue(row)
    with services.db.unit_of_work(read_only=True) as uow:
        found = uow.outbox.by_key("test:wait")
        assert found is not None and found.id is not None
        return found.id


def state(services: Services, row_id: int) -> tuple[str, datetime]:
    with services.db.unit_of_work(read_only=True) as uow:
        row = uow.outbox.get(row_id)
        assert row is not None
        return row.status, row.next_attempt_at


def sender(services: Services, slack: LocalSlack, worker: str = "clock-1") -> OutboxSender:
    client = WebClient(token="xoxb-test", base_url=slack.api_url)
    return OutboxSender(
        services.db,
        SlackTransport(client),
        {"test": prepare, **PREPARERS},
        worker=worker,
        on_failure=tell_admins,
        lease=timedelta(seconds=120),
        rate=RATE,
    )


def test_a_30_second_retry_after_waits_30_real_seconds_at_3600x(services):
    row_id = queued(services)
    with LocalSlack() as slack:
        slack.fail_next("chat.postMessage", status=429, retry_after=30)
        clock = sender(services, slack)
        assert clock.sweep(now=NOW).limited == 1
        status, retry_at = state(services, row_id)
        # 30 real seconds (and the moment the answer took, under a real second) are 30 bot hours
        assert status == OutboxStatus.PENDING
        assert NOW + timedelta(hours=30) <= retry_at <= NOW + timedelta(hours=31)
        # 29.9 real seconds later (29 h 54 min of bot time) it is still waiting
        assert clock.sweep(now=NOW + timedelta(hours=29, minutes=54)).claimed == 0
        assert state(services, row_id)[0] == OutboxStatus.PENDING
        assert clock.sweep(now=retry_at).sent == 1
        assert len(slack.calls_to("chat.postMessage")) == 2  # the 429, then the message


def test_an_outage_backs_off_in_real_seconds_at_3600x(services):
    row_id = queued(services)
    with LocalSlack() as slack:
        slack.fail_next("chat.postMessage", status=500)
        clock = sender(services, slack)
        assert clock.sweep(now=NOW).sent == 0
        _status, retry_at = state(services, row_id)
        assert retry_at == NOW + timedelta(hours=5)  # the first backoff, 5 real seconds
        assert clock.sweep(now=NOW + timedelta(hours=4, minutes=59)).claimed == 0
        assert clock.sweep(now=retry_at).sent == 1


def test_a_vanished_senders_lease_is_real_seconds_at_3600x(services):
    row_id = queued(services)
    with services.db.unit_of_work() as uow:  # claimed by a clock that then died
        assert uow.outbox.claim(worker="clock-dead", now=NOW, limit=10) == [row_id]
    with LocalSlack() as slack:
        other = sender(services, slack, worker="clock-2")
        # 100 real seconds later (100 bot hours): still within the 120 s lease
        assert other.sweep(now=NOW + timedelta(hours=100)).recovered == 0
        assert state(services, row_id)[0] == OutboxStatus.SENDING
        late = other.sweep(now=NOW + timedelta(hours=121))
        assert (late.recovered, late.sent) == (1, 1)
