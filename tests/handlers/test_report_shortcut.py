""" "Spara som lägesrapport" through the request path and the validating fake Slack: the form
filled from the message, the personal-data guard on saving, and the report's post in the
channel — in the thread of the week's call, then edited (chat.update) by the next version."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

from slack_sdk import WebClient

from bot.clock import PREPARERS
from bot.delivery import OutboxSender
from bot.demo.workspace import DEMO_CHANNEL, DEMO_TEAM, load_demo
from bot.incidents.service import parse_quick
from bot.weekly.notifications import ReportsCalled, cycle_key
from bot.weekly.weeks import deadline, meeting_moment, report_week
from handlers.ids import Action, Callback
from handlers.local import slack_requests as sr
from handlers.transport import SlackTransport
from storage.models import Outbox, OutboxStatus
from tests.handlers.conftest import SECRET, Edge

Json = dict[str, Any]
NAMES = "Fittja centrum: lustgas vid tunnelbanan på kvällarna. Många unga. Albys hjärta lugnt."


def _now() -> datetime:
    return datetime.now(UTC)


def _shortcut(edge: Edge, text: str, user: str = "U0ANNA") -> Json:
    message = {"ts": "1763800000.000100", "text": text, "user": user}
    req = sr.message_shortcut(
        Callback.REPORT_SHORTCUT,
        message,
        secret=SECRET,
        user_id=user,
        channel_id=DEMO_CHANNEL,
        team_id=DEMO_TEAM,
    )
    assert edge.post(req)[0] == 200
    return edge.slack.calls_to("views.open")[-1].response["view"]


def _field(view: Json, block_id: str) -> Json:
    [block] = [b for b in view["blocks"] if b.get("block_id") == block_id]
    return block["element"]


def _place_ids(edge: Edge) -> dict[str, int]:
    anna = edge.services.groups.locate(DEMO_TEAM, DEMO_CHANNEL, "U0ANNA")
    return {p.name: p.id for p in edge.services.places.register(anna)}


def _submit(edge: Edge, view: Json, observations: dict[int, str], level: str) -> Json:
    values = []
    for pid, said in observations.items():
        values += [
            sr.select_value(f"level_{pid}", Action.LEVEL, level),
            sr.text_value(f"obs_{pid}", Action.OBSERVATIONS, said),
        ]
    req = sr.view_submission(
        view, sr.state_values(*values), secret=SECRET, user_id="U0ANNA", team_id=DEMO_TEAM
    )
    status, body = edge.post(req)
    assert status == 200, body
    return json.loads(body) if body else {}


def _posts(edge: Edge) -> list[Any]:
    """The reports' posts in the channel (the person's DM says "Lägesrapport … sparad" too)."""
    return [
        c
        for c in edge.slack.calls_to("chat.postMessage")
        if c.args["channel"] == DEMO_CHANNEL and "Lägesrapport från" in c.args["text"]
    ]


def _call_posted(edge: Edge, transport: SlackTransport) -> str:
    """The week's call for reports, posted in the channel, its ts kept as the clock keeps it."""
    anna = edge.services.groups.locate(DEMO_TEAM, DEMO_CHANNEL, "U0ANNA")
    assert anna.group is not None
    with edge.services.db.unit_of_work() as uow:
        group = uow.groups.get(anna.group.id)
        assert group is not None
        year, week = report_week(group, _now())
        _at, day, holiday = meeting_moment(group, year, week)
        due = deadline(group, year, week)
    ts = transport.send(DEMO_CHANNEL, ReportsCalled(anna.group, week, due, day, holiday))
    with edge.services.db.unit_of_work() as uow:
        uow.outbox.enqueue(
            Outbox(
                group_id=anna.group.id,
                recipient=DEMO_CHANNEL,
                kind="cycle.call",
                payload={"year": year, "week": week},
                dedupe_key=cycle_key(anna.group.id, year, week, "call"),
                status=OutboxStatus.SENT,
                slack_ts=ts,
                next_attempt_at=_now(),
                created_at=_now(),
            )
        )
    return ts


def test_the_shortcut_fills_the_places_the_message_names_and_the_post_follows_each_version(
    edge: Edge,
) -> None:
    load_demo(edge.services.db, edge.services.groups, now=_now())
    ids = _place_ids(edge)
    fittja, alby = ids["Fittja centrum"], ids["Albys hjärta"]
    anna = edge.services.groups.locate(DEMO_TEAM, DEMO_CHANNEL, "U0ANNA")
    restricted = "Fittja centrum; narkotikaförsäljning; Hemlig uppgift om Tallidsvägen 5; begränsad"
    edge.services.incidents.log(anna, parse_quick(restricted), now=_now())
    transport = SlackTransport(WebClient(token="xoxb-test", base_url=edge.slack.api_url))
    call_ts = _call_posted(edge, transport)

    view = _shortcut(edge, NAMES)

    meta = json.loads(view["private_metadata"])
    assert meta["places"][:2] == [fittja, alby]  # the places it names come first
    assert _field(view, f"obs_{fittja}")["initial_value"] == (
        "Fittja centrum: lustgas vid tunnelbanan på kvällarna. Många unga."
    )
    assert _field(view, f"obs_{alby}")["initial_value"] == "Albys hjärta lugnt."

    # a personnummer is refused under its field, and the form (with the text) stays open
    named = {fittja: "Såg 811218-9876 vid tunnelbanan.", alby: "Lugnt."}
    answer = _submit(edge, view, named, "oroligt")
    assert answer["response_action"] == "errors" and list(answer["errors"]) == [f"obs_{fittja}"]
    assert edge.services.reports.mine(anna, now=_now()) is None

    said = {fittja: "Lustgas vid tunnelbanan.", alby: "Lugnt."}
    assert _submit(edge, view, said, "oroligt") == {}
    sender = OutboxSender(edge.services.db, transport, PREPARERS, worker="t")
    sender.sweep(now=_now())
    [post] = _posts(edge)
    assert post.args["channel"] == DEMO_CHANNEL and post.args["thread_ts"] == call_ts
    text = json.dumps(post.args["blocks"], ensure_ascii=False)
    assert "*Fittja centrum* · :large_orange_circle: oroligt · oförändrat" in text
    assert "Lustgas vid tunnelbanan." in text and "Rapporterad av <@U0ANNA>." in text
    assert "Hemlig uppgift" not in edge.seen()  # the begränsad incident stays out

    assert _submit(edge, view, said, "allvarligt") == {}  # version 2
    sender.sweep(now=_now())
    [edit] = edge.slack.calls_to("chat.update")
    assert (edit.args["channel"], edit.args["ts"]) == (DEMO_CHANNEL, post.response["ts"])
    edited = json.dumps(edit.args["blocks"], ensure_ascii=False)
    assert ":red_circle: allvarligt" in edited and "Reviderad" in edited and "(version 2)" in edited
    assert len(_posts(edge)) == 1

    # the shortcut on a report already saved adds to what it says, and loses nothing
    again = _shortcut(edge, NAMES)
    assert _field(again, f"obs_{fittja}")["initial_value"] == (
        "Lustgas vid tunnelbanan.\n\n"
        "Fittja centrum: lustgas vid tunnelbanan på kvällarna. Många unga."
    )


def test_a_10000_character_message_fills_the_form_within_slacks_limits_and_says_so(
    edge: Edge,
) -> None:
    load_demo(edge.services.db, edge.services.groups, now=_now())
    fittja = _place_ids(edge)["Fittja centrum"]
    long = ("Fittja centrum: bråk vid trappan, flera inblandade. " * 200)[:10_000]

    view = _shortcut(edge, long)

    element = _field(view, f"obs_{fittja}")
    assert len(element["initial_value"]) <= element["max_length"] == 3000
    kept = element["initial_value"].removesuffix("…")
    assert long.startswith(kept) and len(kept) > 2900
    intro = view["blocks"][0]["text"]["text"]
    assert "Meddelandet har 10\u00a0000 tecken och ett fält rymmer 3\u00a0000" in intro


def test_a_message_that_names_no_place_goes_to_the_notes(edge: Edge) -> None:
    load_demo(edge.services.db, edge.services.groups, now=_now())

    view = _shortcut(edge, "Lugn vecka &amp; inga larm.")

    assert _field(view, "notes")["initial_value"] == "Lugn vecka & inga larm."
    assert "Meddelandet nämner ingen plats" in view["blocks"][0]["text"]["text"]
