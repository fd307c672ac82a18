"""One workspace's rate limit pauses that workspace's sends only: the sender against the fake
Slack with two workspaces (one token each), one over its limit, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from slack_sdk import WebClient

from bot.actions.notifications import Undeliverable
from bot.actors import EstGroup
from bot.clock import ClockContext, send_outbox
from bot.delivery import CONCURRENCY, GLOBAL_LIMIT_AFTER, OutboxSender, SweepResult
from handlers.local.localslack import LocalSlack
from handlers.transport import SlackTransport
from storage.db import Database
from storage.models import Group, Outbox, OutboxStatus
from tests.conftest import NOW

TOKENS = {"TA": "xoxb-team-a", "TB": "xoxb-team-b"}


def prepare(uow, row, now):  # a small notification of the row's group, to its workspace
    group = EstGroup.of(uow.groups.get(row.group_id))
    return Undeliverable(group, row.recipient, "user_not_found", None)


def two_groups(db: Database) -> dict[str, int]:
    """One group in each workspace: the group's id by its team."""
    with db.unit_of_work() as uow:
        groups = {
            t: Group(
                name=t,
                slack_team_id=t,
                slack_channel_id="C0",
                created_by="U0ANNA",
                created_at=NOW,
                updated_at=NOW,
            )
            for t in TOKENS
        }
        for group in groups.values():
            uow.groups.add(group)
        return {team: group.id or 0 for team, group in groups.items()}


def enqueue(db: Database, rows: list[tuple[str, str]], *, at: datetime) -> None:
    with db.unit_of_work() as uow:
        groups = {g.slack_team_id: g.id for g in uow.groups.live()}
        for team, channel in rows:
            uow.outbox.enqueue(
                Outbox(
                    group_id=groups[team],
                    recipient=channel,
                    kind="test",
                    payload={"team": team},
                    dedupe_key=f"test:{team}:{channel}",
                    next_attempt_at=at,
                    created_at=at,
                )
            )


def rows_of(db: Database, team: str) -> list[Outbox]:
    with db.unit_of_work(read_only=True) as uow:
        found = [uow.outbox.by_key(f"test:{team}:C{team}{n}") for n in range(10)]
    return [row for row in found if row is not None]


def test_a_workspace_over_its_limit_waits_while_the_other_is_served(db):
    two_groups(db)
    # ten channel posts in workspace A, two in B, interleaved; each may post 3 a minute
    rows = [("TA", "CTA0"), ("TB", "CTB0"), ("TA", "CTA1"), ("TB", "CTB1")]
    rows += [("TA", f"CTA{n}") for n in range(2, 10)]
    enqueue(db, rows, at=NOW)
    with LocalSlack() as slack:
        for team, token in TOKENS.items():
            slack.install(token, team)
        slack.rate_limit_workspace("chat.postMessage", per_minute=3)  # Retry-After 20 s
        clients = {t: WebClient(token=k, base_url=slack.api_url) for t, k in TOKENS.items()}
        transport = SlackTransport(clients["TA"], clients=clients.__getitem__)
        send = OutboxSender(db, transport, {"test": prepare}, worker="clock-1")
        first = send.sweep(now=NOW)
        after_first = len(slack.calls_to("chat.postMessage"))
        # ten seconds on, one more post due in each workspace: A is still paused, B is not
        late = [("TA", "CTA-late"), ("TB", "CTB-late")]
        enqueue(db, late, at=NOW + timedelta(seconds=10))
        second = send.sweep(now=NOW + timedelta(seconds=10))
        calls = [(c.team, c.status) for c in slack.calls_to("chat.postMessage")]
    a_429 = calls.count(("TA", 429))
    # A: its three, then 429s until three in a row say the whole workspace is limited (a few
    # more may already be in flight on the other workers); the rest are put back, not tried
    assert calls.count(("TA", 200)) == 3
    assert GLOBAL_LIMIT_AFTER <= a_429 <= GLOBAL_LIMIT_AFTER + CONCURRENCY - 1
    assert after_first == 3 + a_429 + 2
    assert (first.sent, first.limited) == (3 + 2, 7)
    # the second sweep: B's late post sent, A's put back without a call to Slack
    assert calls[after_first:] == [("TB", 200)]
    assert (second.claimed, second.sent, second.limited) == (2, 1, 1)
    with db.unit_of_work(read_only=True) as uow:
        late_a = uow.outbox.by_key("test:TA:CTA-late")
    a_rows = [r for r in rows_of(db, "TA") if r.status == OutboxStatus.PENDING] + [late_a]
    assert len(a_rows) == 7 + 1
    for row in a_rows:  # waited out as Slack said (Retry-After 20 s), never a failure
        assert row is not None and row.failures == 0 and row.attempts == 1
        assert row.next_attempt_at >= NOW + timedelta(seconds=20)


class ScriptedSender:
    def __init__(self, results: list[SweepResult]) -> None:
        self.results = results
        self.worker = "clock-1"

    def sweep(self, *, now: datetime) -> SweepResult:
        return self.results.pop(0)


class FixedClock:
    rate = 1.0

    def now(self) -> datetime:
        return NOW


@pytest.mark.parametrize(
    ("first", "sleeps"),
    [
        (SweepResult(claimed=5, limited=5, wait=30.0), []),  # a workspace's pause: go on
        (SweepResult(claimed=1, wait=5.0, down=True), [5.0]),  # Slack down: wait to probe
    ],
)
def test_the_clock_sweeps_on_at_once_and_waits_only_while_slack_is_down(first, sleeps):
    slept: list[float] = []
    sender = ScriptedSender([first, SweepResult(claimed=3, sent=3), SweepResult()])
    services = type("S", (), {"clock": FixedClock()})()
    send_outbox(ClockContext(services, sender, slept.append), NOW)  # type: ignore[arg-type]
    assert slept == sleeps and sender.results == []  # three sweeps, no idle tick between
