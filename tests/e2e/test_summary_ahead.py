"""The summary's chart drawn ahead, by real `python app.py clock` processes on the bot's time:
two clocks started at 07:43 on Monday 14 December 2026 (60×: a bot minute a real second) plan
week 50's summary at 07:45, draw its chart while the rows wait for 08:00, and at 08:00 post
the summary once and upload the stored chart once, into its thread."""

from __future__ import annotations

import time
from datetime import UTC, datetime

import pytest
from sqlalchemy import text

from bot.demo.workspace import DEMO_CHANNEL, DEMO_TEAM, load_demo
from bot.notifier import NullNotifier
from bot.services import Services
from handlers.local.localslack import LocalSlack
from storage.db import Database, make_engine
from storage.migrate import upgrade
from tests.e2e.test_clock import start_clock, stop

pytestmark = pytest.mark.e2e
START = "2026-12-14T07:43:00+01:00"  # Monday of week 51, two bot minutes before 07:45
WEEK50 = datetime(2026, 12, 9, 11, 0, tzinfo=UTC)  # Wednesday of week 50, noon local
DRAWN = text(
    "SELECT o.status, i.png FROM chart_image i JOIN outbox o ON o.id = i.outbox_id "
    "WHERE o.kind = 'summary.chart'"
)


def seed(url: str) -> Database:
    engine = make_engine(url)
    upgrade(engine)
    db = Database(engine)
    services = Services.build(db, NullNotifier())
    load_demo(db, services.groups, now=datetime(2026, 12, 1, tzinfo=UTC))
    anna = services.groups.locate(DEMO_TEAM, DEMO_CHANNEL, "U0ANNA")
    services.incidents.log_text(anna, "Fittja centrum; lustgas; Patroner på marken", now=WEEK50)
    services.incidents.log_text(anna, "Albys hjärta; klotter; Nytt klotter", now=WEEK50)
    return db


def drawn_before_its_send(db: Database, *, timeout: float) -> bytes:
    """The chart's stored image, read while its row still waits for 08:00."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with db.engine.connect() as conn:
            found = conn.execute(DRAWN).first()
        if found is not None and found.png:
            assert found.status == "pending"  # drawn, and not yet sent
            return bytes(found.png)
        time.sleep(0.2)
    raise AssertionError(f"no chart was drawn ahead in {timeout} s")


def test_two_clocks_draw_the_chart_ahead_and_upload_it_once(database_url: str) -> None:
    db = seed(database_url)
    with LocalSlack() as slack:
        env = {"EST_CLOCK_START": START, "EST_CLOCK_RATE": "60"}
        clocks = [start_clock(database_url, slack, **env) for _ in range(2)]
        try:
            png = drawn_before_its_send(db, timeout=40)
            uploads = slack.wait_for("files.completeUploadExternal", timeout=60)
            time.sleep(3)  # a second clock's duplicate would have arrived by now
        finally:
            stop(*clocks)
    posts = [
        c
        for c in slack.calls_to("chat.postMessage")
        if c.args.get("channel") == DEMO_CHANNEL and "Veckosammanfattning" in str(c.args["text"])
    ]
    assert [p.args["text"] for p in posts] == ["Veckosammanfattning v. 50, 2026"]
    charts = [f for f in slack.files.values() if f.name == "sammanfattning-2026-v50.png"]
    assert len(charts) == 1 and len(uploads) >= 1
    assert charts[0].thread_ts == posts[0].response["ts"]
    assert charts[0].content == png  # the image drawn ahead is the one uploaded
    db.engine.dispose()
