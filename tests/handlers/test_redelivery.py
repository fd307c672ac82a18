"""Events API redelivery: Slack sends an event again, with the same ``event_id`` and the
header ``X-Slack-Retry-Num``, when it did not see the answer in time. The repeat is answered
200 and changes nothing: the bot added to a channel greets once, App Home is published once."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import text as sql

from handlers.local import slack_requests as sr
from handlers.local.localslack import BOT_USER_ID
from storage.slack_events import first_delivery
from tests.handlers.conftest import SECRET, Edge

JOINED = {
    "type": "member_joined_channel",
    "user": BOT_USER_ID,  # the bot itself was added
    "channel": "C0NYKANAL",
    "channel_type": "C",
    "team": sr.TEAM_ID,
    "inviter": "U_ANNA",
}


def test_a_redelivered_join_greets_once(edge: Edge):
    for retry in (None, 1, 2):  # the first delivery, then Slack's two retries
        again = sr.event(JOINED, secret=SECRET, event_id="Ev0GREET01", retry_num=retry)
        assert edge.post(again) == (200, "")
    greetings = edge.slack.calls_to("chat.postMessage")
    assert [c.args["channel"] for c in greetings] == ["C0NYKANAL"]
    assert "/est inställningar" in greetings[0].args["text"]


def test_another_event_id_is_another_event(edge: Edge):
    for event_id, channel in (("Ev0GREET02", "C0FORSTA"), ("Ev0GREET03", "C0ANDRA")):
        joined = sr.event(JOINED | {"channel": channel}, secret=SECRET, event_id=event_id)
        assert edge.post(joined)[0] == 200
    assert [c.args["channel"] for c in edge.slack.calls_to("chat.postMessage")] == [
        "C0FORSTA",
        "C0ANDRA",
    ]


def test_a_redelivered_home_opened_publishes_once(edge: Edge):
    opened = {"type": "app_home_opened", "user": "U_ANNA", "channel": "D0ANNA", "tab": "home"}
    for retry in (None, 1):
        assert (
            edge.post(sr.event(opened, secret=SECRET, event_id="Ev0HOME01", retry_num=retry))[0]
            == 200
        )
    assert len(edge.slack.calls_to("views.publish")) == 1


def test_receipts_are_kept_a_day(edge: Edge):
    db = edge.services.db
    now = edge.services.clock.now()
    assert first_delivery(db, "Ev0OLD", now=now - timedelta(days=2))
    assert not first_delivery(db, "Ev0OLD", now=now - timedelta(days=2))
    assert first_delivery(db, "Ev0NEW", now=now)  # and the two-day-old receipt goes
    with db.engine.connect() as conn:
        kept = conn.execute(sql("SELECT event_id FROM slack_event_receipt")).scalars().all()
    assert kept == ["Ev0NEW"]
