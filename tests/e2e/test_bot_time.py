"""The bot's time over real processes: `serve` and `clock` started with EST_CLOCK_START and
EST_CLOCK_RATE keep one time, say so once at start, report it in /healthz, and a command typed
in Slack is stamped with it — while Slack's signatures are still checked against the real time.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from handlers.local import slack_requests as sr
from handlers.local.localslack import LocalSlack
from tests.conftest import BACKENDS
from tests.e2e.conftest import SECRET, _database, start_bot

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.e2e

START = "2027-01-11T07:55:00+01:00"  # a Monday morning, five weeks after today's date
BOT_START = datetime(2027, 1, 11, 6, 55, tzinfo=UTC)
RATE = 60  # a bot minute per real second


@pytest.fixture(params=BACKENDS)
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    databases = _database(request.param, tmp_path)
    yield next(databases)
    next(databases, None)


def environment(database_url: str, **extra: str) -> dict[str, str]:
    base = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "EST_CLOCK"))}
    return base | {"EST_NO_BOOTSTRAP": "1", "DATABASE_URL": database_url} | extra


def healthz(url: str) -> dict:
    with urllib.request.urlopen(url + "/healthz", timeout=5) as response:
        return json.loads(response.read())


def test_serve_and_clock_keep_the_bot_time(database_url: str) -> None:
    clocked = {"EST_CLOCK_START": START, "EST_CLOCK_RATE": str(RATE)}
    demo = subprocess.run(
        [sys.executable, "app.py", "demo"],
        cwd=ROOT,
        env=environment(database_url, **clocked),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert demo.returncode == 0, demo.stderr
    real_start = time.monotonic()
    with LocalSlack() as slack:
        bot = start_bot(database_url, slack, **clocked)
        clock = subprocess.Popen(
            [sys.executable, "app.py", "clock"],
            cwd=ROOT,
            env=environment(
                database_url, SLACK_BOT_TOKEN="xoxb-e2e", SLACK_API_URL=slack.api_url, **clocked
            ),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        try:
            assert clock.stderr is not None
            warning = clock.stderr.readline().strip()
            now = datetime.fromisoformat(healthz(bot.url)["now"])
            elapsed = time.monotonic() - real_start
            # the demo's run began the time; since then less than `elapsed` real seconds ran
            assert BOT_START <= now <= BOT_START + timedelta(seconds=(elapsed + 120) * RATE)
            assert warning.startswith("WARNING est.clock: EST_CLOCK: the bot's time is 2027-01-11T")
            assert "running 60× real time — not the real time" in warning
            said = datetime.fromisoformat(warning.split("time is ")[1].split(",")[0])
            assert abs(said - now) < timedelta(seconds=(elapsed + 5) * RATE)  # one timeline
            answer = bot.answer(
                "händelse Fittja centrum; klotter; Tag på väggen",
                user_id="U0ANNA",
                channel_id="C0EST",
            )
            assert "Sparad som händelse" in json.dumps(answer, ensure_ascii=False)
            stamped = bot.scalar("SELECT max(created_at) FROM incident")
            stamped = datetime.fromisoformat(str(stamped)).replace(tzinfo=UTC)
            assert stamped.date() == datetime(2027, 1, 11).date()  # not the machine's date
            # Slack's signature is still checked against the real time: five minutes is too old
            old = sr.slash_command(
                "hjälp", secret=SECRET, timestamp=int(time.time()) - 10 * 60, user_id="U0ANNA"
            )
            status, _headers, _body = sr.post(bot.url + "/slack/events", old)
            assert status == 401
        finally:
            clock.terminate()
            clock.wait(timeout=15)
            bot.process.terminate()
            bot.process.wait(timeout=15)
    assert bot.scalar("SELECT count(*) FROM clock_anchor") == 1
