"""The weekly cycle over HTTP: the report form round trip, the lägesbild, the meeting, settings."""

from __future__ import annotations

import json
import time
from typing import Any

import pytest

from handlers.ids import Action, Block, Callback
from handlers.local import slack_requests as sr
from tests.e2e.conftest import SECRET, Bot
from tests.e2e.test_incidents import ANNA, CHANNEL, Group, _button, make_group

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def group(bot: Bot) -> Group:
    made = make_group(bot, CHANNEL, with_police=True)
    answer = bot.answer(
        "händelse Fittja centrum; narkotikaförsäljning; Försäljning; nu",
        channel_id=CHANNEL,
        user_id=ANNA,
    )
    assert "Sparad som händelse" in answer["text"]
    return made


def open_view(bot: Bot, text: str) -> dict[str, Any]:
    before = len(bot.slack.calls_to("views.open"))
    assert bot.command(text, channel_id=CHANNEL, user_id=ANNA) == {}
    view: dict[str, Any] = bot.slack.wait_for("views.open", count=before + 1)[-1].response["view"]
    return view


def submit(bot: Bot, view: dict[str, Any], values: dict[str, Any]) -> dict[str, Any]:
    status, _h, body = bot.post(sr.view_submission(view, values, secret=SECRET, user_id=ANNA))
    assert status == 200, body
    return json.loads(body) if body.strip() else {}


def report_values(place_id: int, observations: str) -> dict[str, Any]:
    return sr.state_values(
        sr.select_value(f"level_{place_id}", Action.LEVEL, "allvarligt"),
        sr.select_value(f"trend_{place_id}", Action.TREND, "sämre"),
        sr.text_value(f"obs_{place_id}", Action.OBSERVATIONS, observations),
        sr.text_value(Block.NOTES, Action.NOTES, ""),
    )


def test_the_report_form_round_trip(bot: Bot, group: Group) -> None:
    fittja = group.places["Fittja centrum"]
    view = open_view(bot, "rapport")
    assert view["callback_id"] == Callback.REPORT
    assert f"level_{fittja}" in {b.get("block_id") for b in view["blocks"]}  # pre-selected
    refused = submit(bot, view, report_values(fittja, "Pojken 811218-9876 sålde"))
    assert refused["response_action"] == "errors" and f"obs_{fittja}" in refused["errors"]
    assert bot.scalar("SELECT count(*) FROM situation_report") == 0
    assert submit(bot, view, report_values(fittja, "Fler unga samlas")) == {}
    saved = bot.slack.wait_for("chat.postMessage")[-1]
    assert saved.args["channel"] == ANNA and "(version 1)" in saved.args["text"]
    again = open_view(bot, "rapport")  # the form opens with what was saved
    observations = next(b for b in again["blocks"] if b.get("block_id") == f"obs_{fittja}")
    assert observations["element"]["initial_value"] == "Fler unga samlas"
    assert submit(bot, again, report_values(fittja, "Ännu fler")) == {}
    assert bot.scalar("SELECT version FROM situation_report") == 2
    # each version's channel post is queued in the save's transaction, for the clock to send
    posts = "SELECT count(*) FROM outbox WHERE kind = 'report.posted' AND status = 'pending'"
    assert bot.scalar(posts) == 2


def posted_to_channel(bot: Bot, needle: str, timeout: float = 10.0) -> list[Any]:
    """Messages posted in the group's channel whose text has ``needle`` (waits for one)."""
    deadline = time.monotonic() + timeout
    while True:
        found = [
            c
            for c in bot.slack.calls_to("chat.postMessage")
            if c.args.get("channel") == CHANNEL and needle in str(c.args.get("text"))
        ]
        if found or time.monotonic() > deadline:
            return found
        time.sleep(0.05)


def test_picture_meeting_and_minutes(bot: Bot, group: Group) -> None:
    picture = bot.command("lägesbild", channel_id=CHANNEL, user_id=ANNA)
    text = json.dumps(picture, ensure_ascii=False)
    assert "Fittja centrum" in text and "allvarligt" in text
    assert bot.command("möte", channel_id=CHANNEL, user_id=ANNA) == {}
    [agenda] = posted_to_channel(bot, "Lägesbild vecka")
    menu = next(
        b["accessory"]
        for b in agenda.args["blocks"]
        if b.get("accessory", {}).get("action_id") == Action.SET_LEVEL
    )
    new_here = next(o for o in menu["options"] if o["value"].endswith(":action"))
    before = len(bot.slack.calls_to("views.open"))
    pick = sr.block_action(
        Action.SET_LEVEL,
        None,
        secret=SECRET,
        user_id=ANNA,
        channel_id=CHANNEL,
        action_fields={"type": "overflow", "selected_option": new_here},
    )
    assert bot.post(pick)[0] == 200
    form = bot.slack.wait_for("views.open", count=before + 1)[-1].response["view"]
    assert form["callback_id"] == Callback.ACTION_NEW
    places = next(b for b in form["blocks"] if b.get("block_id") == Block.PLACES)
    assert [o["text"]["text"] for o in places["element"]["initial_options"]] == ["Fittja centrum"]
    close = _button(agenda.args, Action.CLOSE_MEETING)
    press = sr.block_action(
        Action.CLOSE_MEETING,
        close["value"],
        secret=SECRET,
        user_id=ANNA,
        channel_id=CHANNEL,
        response_url=bot.slack.response_url("m"),
    )
    assert bot.post(press)[0] == 200
    assert len(posted_to_channel(bot, "Protokoll")) == 1
    assert bot.scalar("SELECT version FROM picture_snapshot") == 1
    frozen = bot.command("lägesbild", channel_id=CHANNEL, user_id=ANNA)
    assert "Fastställd, version 1." in json.dumps(frozen, ensure_ascii=False)


def test_meeting_settings_form(bot: Bot, group: Group) -> None:
    settings = bot.command("inställningar", channel_id=CHANNEL, user_id=ANNA)
    button = _button(settings, Action.OPEN_MEETING_SETTINGS)
    before = len(bot.slack.calls_to("views.open"))
    press = sr.block_action(
        Action.OPEN_MEETING_SETTINGS,
        button.get("value"),
        secret=SECRET,
        user_id=ANNA,
        channel_id=CHANNEL,
    )
    assert bot.post(press)[0] == 200
    view = bot.slack.wait_for("views.open", count=before + 1)[-1].response["view"]

    def values(meeting_day: str, deadline_day: str) -> dict[str, Any]:
        return sr.state_values(
            sr.select_value(Block.MEETING_WEEKDAY, Block.MEETING_WEEKDAY, meeting_day),
            sr.time_value(Block.MEETING_TIME, Block.MEETING_TIME, "10:00"),
            sr.select_value(Block.DEADLINE_WEEKDAY, Block.DEADLINE_WEEKDAY, deadline_day),
            sr.time_value(Block.DEADLINE_TIME, Block.DEADLINE_TIME, "12:00"),
            sr.text_value(Block.CALL_LEAD, Block.CALL_LEAD, "48"),
            sr.text_value(Block.NUDGE_LEAD, Block.NUDGE_LEAD, "4"),
            sr.checkbox_values(
                Block.REPORTING, Block.REPORTING, [str(group.organisations["Botkyrka kommun"])]
            ),
        )

    wrong = submit(bot, view, values("1", "3"))  # deadline Thursday, meeting Tuesday
    assert wrong["response_action"] == "errors" and Block.DEADLINE_WEEKDAY in wrong["errors"]
    assert submit(bot, view, values("3", "2")) == {}  # meeting Thursday, deadline Wednesday
    assert (
        bot.scalar(f"SELECT meeting_weekday FROM est_group WHERE slack_channel_id = '{CHANNEL}'")
        == 3
    )
    reporting = bot.scalar("SELECT count(*) FROM organisation WHERE reports")
    assert reporting == 1
