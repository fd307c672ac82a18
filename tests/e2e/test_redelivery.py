"""Events API redelivery over real HTTP, against `python app.py serve` (threaded gunicorn,
listeners after the acknowledgement): the same event_id again, with X-Slack-Retry-Num, is
answered 200 and greets nobody a second time."""

from __future__ import annotations

import time

import pytest

from handlers.local import slack_requests as sr
from handlers.local.localslack import BOT_USER_ID, LocalSlack
from tests.e2e.conftest import SECRET, Bot

pytestmark = pytest.mark.e2e


def test_a_redelivered_join_greets_once_over_http(bot: Bot, slack: LocalSlack) -> None:
    joined = {
        "type": "member_joined_channel",
        "user": BOT_USER_ID,
        "channel": "C0REDELIVER",
        "channel_type": "C",
        "inviter": "U_ANNA",
    }
    first = sr.event(joined, secret=SECRET, event_id="Ev0E2EGREET")
    assert bot.post(first)[0] == 200
    slack.wait_for("chat.postMessage")
    for retry in (1, 2):  # Slack's retries, as if it had missed the first answer
        again = sr.event(joined, secret=SECRET, event_id="Ev0E2EGREET", retry_num=retry)
        status, _headers, body = bot.post(again)
        assert (status, body) == (200, b"")
    other = sr.event(joined | {"channel": "C0OTHER"}, secret=SECRET, event_id="Ev0E2EOTHER")
    assert bot.post(other)[0] == 200
    slack.wait_for("chat.postMessage", count=2)
    time.sleep(0.5)  # a repeat that slipped through would have posted by now
    channels = [c.args["channel"] for c in slack.calls_to("chat.postMessage")]
    assert sorted(channels) == ["C0OTHER", "C0REDELIVER"]
    assert bot.scalar("SELECT count(*) FROM slack_event_receipt") == 2
