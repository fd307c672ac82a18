"""Every event the manifest subscribes reaches a listener through the request path (Bolt
answers 404 to an event nothing listens to), and what people type in the Messages tab is
answered."""

from __future__ import annotations

from typing import Any

import pytest

from bot.demo.workspace import DEMO_TEAM, load_demo
from handlers.local import slack_requests as sr
from tests.handlers.conftest import SECRET, Edge, _now
from tests.test_manifest import manifest

# the least of each event that its listener reads
SHAPES: dict[str, dict[str, Any]] = {
    "app_home_opened": {"user": "U0ANNA", "tab": "messages", "channel": "D0ANNA"},
    "member_joined_channel": {"user": "U0NEW", "channel": "C0OTHER", "channel_type": "C"},
    "user_change": {"user": {"id": "U0NEW", "deleted": False, "team_id": DEMO_TEAM}},
    "channel_archive": {"channel": "C0OTHER", "user": "U0ANNA"},
    "channel_unarchive": {"channel": "C0OTHER", "user": "U0ANNA"},
    "channel_rename": {"channel": {"id": "C0OTHER", "name": "annan", "created": 1}},
    "group_archive": {"channel": "G0OTHER"},
    "group_unarchive": {"channel": "G0OTHER"},
    "group_rename": {"channel": {"id": "G0OTHER", "name": "annan", "created": 1}},
    "app_uninstalled": {},
    "tokens_revoked": {"tokens": {"oauth": ["U0ANNA"]}},
    "message.im": {"user": "U0ANNA", "text": "hej", "channel": "D0ANNA", "channel_type": "im"},
}


@pytest.mark.parametrize("name", manifest()["settings"]["event_subscriptions"]["bot_events"])
def test_each_subscribed_event_reaches_a_listener(edge: Edge, name: str) -> None:
    event = {"type": name.split(".")[0], **SHAPES[name]}

    status, _body = edge.post(sr.event(event, secret=SECRET, team_id=DEMO_TEAM))

    assert status == 200, f"{name}: no listener (Bolt answers 404)"


def test_what_is_typed_in_the_messages_tab_is_answered_in_the_persons_language(
    edge: Edge,
) -> None:
    load_demo(edge.services.db, edge.services.groups, now=_now())
    typed = {"type": "message", "user": "U0ERIK", "text": "Hur gör jag?", "channel": "D0ERIK"}
    typed["channel_type"] = "im"

    assert edge.post(sr.event(typed, secret=SECRET, team_id=DEMO_TEAM))[0] == 200

    [answer] = edge.slack.calls_to("chat.postMessage")
    assert answer.args["channel"] == "D0ERIK"
    assert answer.args["text"] == (
        "Jag läser inte det som skrivs här. Använd kommandot `/est`: `/est hjälp` visar vad "
        "jag kan, `/est åtgärd` dina åtgärder."
    )


@pytest.mark.parametrize(
    "more",
    [{"bot_id": "BBOT"}, {"subtype": "message_changed"}, {"channel_type": "channel"}],
)
def test_the_bots_own_messages_edits_and_channels_get_no_answer(edge: Edge, more: dict) -> None:
    typed = {"type": "message", "user": "U0ERIK", "text": "x", "channel": "D0ERIK"}
    typed |= {"channel_type": "im", **more}

    assert edge.post(sr.event(typed, secret=SECRET, team_id=DEMO_TEAM))[0] == 200

    assert edge.slack.calls_to("chat.postMessage") == []
