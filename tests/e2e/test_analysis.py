"""Cause analyses and the pattern chart over HTTP against the fake Slack: `python app.py serve`
as a process, signed requests, the form submitted, revised from its card, an activity tied to
it, and `/est mönster` uploading its chart."""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from typing import Any

import pytest

from handlers.ids import Action, Block, Callback
from handlers.local import slack_requests as sr
from tests.e2e.conftest import SECRET, Bot
from tests.e2e.test_incidents import ANNA, ERIK, STHLM, Group, make_group
from tests.e2e.test_incidents import CHANNEL as INCIDENT_CHANNEL

pytestmark = pytest.mark.e2e

CHANNEL = INCIDENT_CHANNEL  # make_group adds the police through this channel


@pytest.fixture(scope="module")
def group(bot: Bot) -> Group:
    return make_group(bot, CHANNEL, with_police=True)


def _submit(bot: Bot, view: dict[str, Any], *values: dict[str, Any], user: str = ANNA) -> Any:
    request = sr.view_submission(view, sr.state_values(*values), secret=SECRET, user_id=user)
    status, _h, body = bot.post(request)
    assert status == 200, body
    return json.loads(body) if body else {}


def _press(bot: Bot, action_id: str, value: str, user: str = ANNA) -> None:
    request = sr.block_action(
        action_id,
        value,
        secret=SECRET,
        user_id=user,
        channel_id=CHANNEL,
        response_url=bot.slack.response_url("a"),
    )
    assert bot.post(request)[0] == 200


def _form(bot: Bot, count: int) -> dict[str, Any]:
    view: dict[str, Any] = bot.slack.wait_for("views.open", count=count)[-1].response["view"]
    return view


def _category(view: dict[str, Any]) -> dict[str, Any]:
    block = next(b for b in view["blocks"] if b.get("block_id") == Block.CATEGORY)
    first = block["element"]["options"][0]["value"]
    return sr.select_value(Block.CATEGORY, Action.CATEGORY, first)


def test_an_analysis_is_written_revised_and_grows_an_activity(bot: Bot, group: Group, slack):
    assert bot.command("analys ny Fittja centrum", channel_id=CHANNEL, user_id=ANNA) == {}
    view = _form(bot, 1)
    assert view["callback_id"] == Callback.ANALYSIS_NEW and len(view["blocks"]) <= 100
    refused = _submit(
        bot,
        view,
        _category(view),
        sr.text_value(Block.DESCRIPTION, Action.DESCRIPTION, "Försäljning vid uppgången"),
        sr.text_value(Block.HANDLERS, Action.HANDLERS, "Pappan, nås på kalle@example.se"),
    )
    assert list(refused["errors"]) == [Block.HANDLERS]  # nothing saved
    assert bot.scalar("SELECT count(*) FROM cause_analysis") == 0
    assert _submit(
        bot,
        view,
        _category(view),
        sr.text_value(Block.DESCRIPTION, Action.DESCRIPTION, "Försäljning vid uppgången"),
        sr.text_value(Block.GUARDIANS, Action.GUARDIANS, "Fältare"),
    ) in ({}, None)
    analysis = int(bot.scalar("SELECT id FROM cause_analysis"))
    card = slack.wait_for("chat.postEphemeral")[-1]
    assert f"Orsaksanalys #{analysis}" in card.args["text"]

    _press(bot, Action.OPEN_ANALYSIS_REVISE, str(analysis))
    revision = _form(bot, 2)
    assert revision["callback_id"] == Callback.ANALYSIS_REVISE
    guardians = next(b for b in revision["blocks"] if b.get("block_id") == Block.GUARDIANS)
    assert guardians["element"]["initial_value"] == "Fältare"
    _submit(
        bot,
        revision,
        _category(revision),
        sr.text_value(Block.DESCRIPTION, Action.DESCRIPTION, "Försäljning vid uppgången"),
        sr.text_value(Block.GUARDIANS, Action.GUARDIANS, "Fältare och nattvandrare"),
        user=ERIK,
    )
    assert bot.scalar(f"SELECT version FROM cause_analysis WHERE id = {analysis}") == 2
    assert bot.scalar("SELECT count(*) FROM cause_analysis_version") == 2
    assert bot.scalar("SELECT count(*) FROM audit_event WHERE entity = 'cause_analysis'") == 2

    _press(bot, Action.ANALYSIS_NEW_ACTIVITY, str(analysis))
    activity_form = _form(bot, 3)
    assert activity_form["callback_id"] == Callback.ACTIVITY_NEW
    day = (datetime.now(STHLM) + timedelta(days=3)).date().isoformat()
    fittja = group.places["Fittja centrum"]
    _submit(
        bot,
        activity_form,
        sr.text_value(Block.TITLE, Block.TITLE, "Nattvandring Fittja"),
        sr.select_value(Block.KIND, Action.KIND, "nattvandring"),
        sr.state_value(
            Block.PLACES,
            Action.PLACE,
            "multi_external_select",
            selected_options=[sr.option(str(fittja), "Fittja centrum")],
        ),
        sr.date_value(Block.DATE, Action.DATE, day),
        sr.time_value(Block.START, Action.START, "21:00"),
        sr.time_value(Block.END, Action.END, "23:00"),
        sr.user_value(Block.OWNER, Action.OWNER, ANNA),
    )
    assert bot.scalar("SELECT analysis_id FROM activity") == analysis
    shown = bot.command(f"analys {analysis}", channel_id=CHANNEL, user_id=ERIK)
    said = json.dumps(shown["blocks"], ensure_ascii=False)
    assert "Nattvandring Fittja" in said and "Fältare och nattvandrare" in said


def test_the_pattern_chart_is_uploaded_and_a_bad_place_is_answered(bot: Bot, group: Group, slack):
    answer = bot.command("mönster Ingenstans torg", channel_id=CHANNEL, user_id=ERIK)
    assert "Ingenstans torg" in answer["text"]
    assert bot.command("mönster Fittja", channel_id=CHANNEL, user_id=ERIK) == {}
    slack.wait_for("files.completeUploadExternal")
    [shared] = slack.files.values()
    assert shared.channel == CHANNEL and shared.content.startswith(b"\x89PNG")
    assert shared.name.startswith("monster-fittja-")
