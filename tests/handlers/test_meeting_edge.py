"""The meeting's agenda in the channel, through the request path and the fake Slack."""

from __future__ import annotations

from typing import Any

from bot.demo.workspace import DEMO_CHANNEL, DEMO_TEAM, load_demo
from bot.incidents.service import parse_quick
from handlers.ids import Action
from handlers.local import slack_requests as sr
from tests.handlers.conftest import SECRET, Edge, _now


def _place_section(message: dict[str, Any], place: str) -> dict[str, Any]:
    return next(
        b
        for b in message["blocks"]
        if b.get("accessory", {}).get("action_id") == Action.SET_LEVEL
        and f"*{place}*" in b["text"]["text"]
    )


def test_setting_a_joint_level_redraws_the_agenda(edge: Edge) -> None:
    s = edge.services
    load_demo(s.db, s.groups, now=_now())
    anna = s.groups.locate(DEMO_TEAM, DEMO_CHANNEL, "U0ANNA")
    s.incidents.log(
        anna, parse_quick("Fittja centrum; narkotikaförsäljning; Försäljning"), now=_now()
    )
    meeting = sr.slash_command(
        "möte", secret=SECRET, team_id=DEMO_TEAM, channel_id=DEMO_CHANNEL, user_id="U0ANNA"
    )
    assert edge.post(meeting)[0] == 200
    [agenda] = edge.slack.calls_to("chat.postMessage")
    before = _place_section(agenda.args, "Fittja centrum")
    assert "beslutad" not in before["text"]["text"]
    serious = next(o for o in before["accessory"]["options"] if o["value"].endswith(":allvarligt"))
    pick = sr.block_action(
        Action.SET_LEVEL,
        secret=SECRET,
        team_id=DEMO_TEAM,
        channel_id=DEMO_CHANNEL,
        user_id="U0ANNA",
        message={"ts": agenda.response["ts"], "blocks": agenda.args["blocks"]},
        response_url=edge.slack.response_url("agenda"),
        action_fields={"type": "overflow", "selected_option": serious},
    )
    assert edge.post(pick)[0] == 200
    [(url, redrawn)] = [(u, b) for u, b in edge.slack.response_urls if b.get("replace_original")]
    assert url == "agenda"  # the agenda message itself, for everyone in the channel
    after = _place_section(redrawn, "Fittja centrum")
    assert ":red_circle: allvarligt · beslutad" in after["text"]["text"]
    assert after["accessory"] == before["accessory"]  # the menu stays, for the next choice
    assert [b["block_id"] for b in redrawn["blocks"] if b["type"] == "actions"] == ["meeting"]
    told = [b["text"] for _u, b in edge.slack.response_urls if not b.get("replace_original")]
    assert told == ["Gemensam nivå satt: :red_circle: allvarligt."]
    assert edge.slack.calls_to("chat.postMessage") == [agenda]  # redrawn, not posted again
