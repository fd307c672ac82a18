"""`GET /metrics` of the real `serve` (two gunicorn workers), scraped and parsed like Prometheus."""

from __future__ import annotations

import urllib.request
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from prometheus_client.parser import text_string_to_metric_families
from sqlmodel import Session

from handlers.local import slack_requests as sr
from handlers.local.localslack import LocalSlack
from storage.models import Outbox, OutboxStatus
from tests.conftest import BACKENDS
from tests.e2e.conftest import SECRET, Bot, _database, start_bot

pytestmark = pytest.mark.e2e


def scrape(bot: Bot) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    with urllib.request.urlopen(bot.url + "/metrics", timeout=10) as response:
        assert response.status == 200
        assert response.headers["Content-Type"].startswith("text/plain")
        text = response.read().decode()
    return {
        (s.name, tuple(sorted(s.labels.items()))): s.value
        for family in text_string_to_metric_families(text)
        for s in family.samples
    }


def outbox_rows(now: datetime) -> list[Outbox]:
    def row(n: int, status: OutboxStatus, due: datetime) -> Outbox:
        return Outbox(
            recipient=f"U{n}",
            kind="test",
            payload={},
            dedupe_key=f"metrics:{n}",
            status=status,
            next_attempt_at=due,
            created_at=now - timedelta(hours=1),
        )

    return [
        row(1, OutboxStatus.PENDING, now - timedelta(seconds=600)),  # the oldest due
        row(2, OutboxStatus.PENDING, now - timedelta(seconds=30)),
        row(3, OutboxStatus.PENDING, now + timedelta(hours=1)),  # pending, not yet due
        row(4, OutboxStatus.SENDING, now - timedelta(seconds=900)),  # claimed: not waiting
        row(5, OutboxStatus.SENT, now - timedelta(days=1)),
        row(6, OutboxStatus.FAILED, now - timedelta(days=1)),
    ]


@pytest.fixture(params=BACKENDS)
def bot(request: pytest.FixtureRequest, tmp_path: Path):
    databases = _database(request.param, tmp_path)
    url = next(databases)
    with LocalSlack() as slack:
        running = start_bot(
            url, slack, WEB_CONCURRENCY="2", PROMETHEUS_MULTIPROC_DIR=str(tmp_path / "prom")
        )
        try:
            yield running
        finally:
            running.process.terminate()
            running.process.wait(timeout=15)
    next(databases, None)


def test_metrics_show_the_outbox_the_sends_and_every_workers_requests(bot: Bot) -> None:
    before = scrape(bot)
    assert before[("est_outbox_due", ())] == 0
    engine = bot.engine()
    now = datetime.now(UTC)
    with Session(engine) as session:
        session.add_all(outbox_rows(now))
        session.commit()
    with engine.begin() as conn:  # what the clocks' sweeps have added up so far
        conn.exec_driver_sql("UPDATE delivery_count SET total = 41 WHERE result = 'ok'")
        conn.exec_driver_sql("UPDATE delivery_count SET total = 3 WHERE result = '429'")
    engine.dispose()
    for n in range(6):
        bot.command("hjälp", channel_id=f"C_M{n}")
    for n in range(3):
        status, _h, _b = bot.post(sr.block_action("metrics_probe", str(n), secret=SECRET))
        assert status in (200, 404)  # an action nobody listens to: still a request of its kind
    scraped = datetime.now(UTC)
    after = scrape(bot)

    assert after[("est_outbox_due", ())] == 2  # rows 1 and 2: due, pending
    age = after[("est_outbox_oldest_due_age_seconds", ())]
    assert 600 <= age <= 600 + (scraped - now).total_seconds() + 5  # row 1, not row 4
    assert after[("est_outbox_open", (("status", "pending"),))] == 3
    assert after[("est_outbox_open", (("status", "sending"),))] == 1
    sends = {r: after[("est_outbox_sends_total", (("result", r),))] for r in ("ok", "429", "error")}
    assert sends == {"ok": 41, "429": 3, "error": 0}

    def count(kind: str) -> float:
        key = ("est_slack_request_duration_seconds_count", (("kind", kind),))
        return after.get(key, 0) - before.get(key, 0)

    # every request, whichever of the two workers took it
    assert (count("command"), count("action"), count("view")) == (6, 3, 0)
    inf = after[
        ("est_slack_request_duration_seconds_bucket", (("kind", "command"), ("le", "+Inf")))
    ]
    assert inf == 6
    total = after[("est_slack_request_duration_seconds_sum", (("kind", "command"),))]
    assert 0 < total < (scraped - now).total_seconds()
