"""The monthly feedback sent by real `python app.py clock` processes against the fake Slack: two
clocks on the bot's time, from a minute before the first working day's 09:00, send each
person's feedback and the channel's exactly once."""

from __future__ import annotations

import time
from collections import Counter
from datetime import UTC, datetime

import pytest

from bot.demo.workspace import DEMO_CHANNEL, DEMO_TEAM, load_demo
from bot.notifier import NullNotifier
from bot.services import Services
from handlers.local.localslack import LocalSlack
from storage.db import Database, make_engine
from storage.migrate import upgrade
from tests.e2e.test_clock import start_clock, stop

pytestmark = pytest.mark.e2e
NOVEMBER = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)


def seed(url: str) -> Database:
    engine = make_engine(url)
    upgrade(engine)
    db = Database(engine)
    services = Services.build(db, NullNotifier())
    load_demo(db, services.groups, now=datetime(2026, 11, 2, tzinfo=UTC))
    anna = services.groups.locate(DEMO_TEAM, DEMO_CHANNEL, "U0ANNA")
    services.groups.add_member(
        anna, user_id="U0NATT", organisation="Botkyrkabyggen", role="rapportör", now=NOVEMBER
    )
    natt = services.groups.locate(DEMO_TEAM, DEMO_CHANNEL, "U0NATT")
    services.incidents.log_text(natt, "Fittja centrum; klotter; Nytt klotter", now=NOVEMBER)
    services.incidents.log_text(natt, "Albys hjärta; brand; Containerbrand", now=NOVEMBER)
    return db


def feedback_posts(slack: LocalSlack) -> Counter[str]:
    found: Counter[str] = Counter()
    for call in slack.calls_to("chat.postMessage"):
        text = str(call.args.get("text", ""))
        if call.status == 200 and ("rapporterade du" in text or "ledde till" in text):
            found[str(call.args.get("channel"))] += 1
    return found


def test_two_clocks_send_the_months_feedback_once(database_url: str) -> None:
    db = seed(database_url)
    with LocalSlack() as slack:
        env = {"EST_CLOCK_START": "2026-12-01T08:59:00+01:00", "EST_CLOCK_RATE": "60"}
        clocks = [start_clock(database_url, slack, **env) for _ in range(2)]
        try:
            deadline = time.monotonic() + 60
            while time.monotonic() < deadline and len(feedback_posts(slack)) < 3:
                time.sleep(0.5)
            time.sleep(3)  # a second clock's duplicate would have arrived by now
        finally:
            stop(*clocks)
        posts = feedback_posts(slack)
    # the reporter, Botkyrkabyggen's member Sara, and the channel: each once
    assert posts == Counter({"U0NATT": 1, "U0SARA": 1, DEMO_CHANNEL: 1})
    dm = next(
        c.args["text"]
        for c in slack.calls_to("chat.postMessage")
        if c.args.get("channel") == "U0NATT" and "rapporterade du" in str(c.args.get("text"))
    )
    assert dm.startswith("I november 2026 rapporterade du 2 händelser, vid Albys hjärta, Fittja")
    db.engine.dispose()
