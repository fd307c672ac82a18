"""The foundation over real HTTP: signatures, help, group setup, joining, bad input."""

from __future__ import annotations

import json
import time
import urllib.request
from datetime import UTC, datetime
from pathlib import Path

import pytest

from handlers.ids import Action, Block, Callback
from handlers.local import slack_requests as sr
from handlers.local.localslack import LocalSlack
from tests.e2e.conftest import SECRET, Bot, start_bot

pytestmark = pytest.mark.e2e


def test_healthz_reports_the_database_and_the_bot_time(bot: Bot) -> None:
    before = datetime.now(UTC).replace(microsecond=0)
    with urllib.request.urlopen(bot.url + "/healthz", timeout=5) as response:
        assert response.status == 200
        health = json.loads(response.read())
    assert {k: health[k] for k in ("status", "database")} == {"status": "ok", "database": "ok"}
    # no EST_CLOCK_* settings: the bot's time is the real time
    assert before <= datetime.fromisoformat(health["now"]) <= datetime.now(UTC)


def test_the_token_is_checked_while_starting_not_before_a_request_is_acknowledged(
    tmp_path: Path,
) -> None:
    with LocalSlack() as slack:
        fresh = start_bot(f"sqlite:///{tmp_path / 'fresh.db'}", slack)
        try:
            started = [c.method for c in slack.calls]
            fresh.command("hjälp", channel_id="C_HELP")  # the worker's first request
            asked = [c.method for c in slack.calls[len(started) :]]
        finally:
            fresh.process.terminate()
            fresh.process.wait(timeout=15)
    assert started == ["auth.test"]  # while the worker started, before serving
    assert "auth.test" not in asked  # so the first request waits for no Web API call


def test_help_over_http_is_swedish(bot: Bot) -> None:
    answer = bot.command("hjälp", channel_id="C_HELP")
    assert "den här hjälpen" in answer["text"] + json.dumps(answer["blocks"], ensure_ascii=False)
    assert answer.get("response_type", "ephemeral") == "ephemeral"
    english = bot.command("help", channel_id="C_HELP")
    assert english["blocks"] == answer["blocks"]  # the alias gives the same help


def test_unknown_subcommand_suggests_the_nearest(bot: Bot) -> None:
    answer = bot.command("lägesbil", channel_id="C_HELP")
    assert "Menade du `/est lägesbild`?" in answer["text"]


def test_wrong_signature_is_401_and_stores_nothing(bot: Bot, slack) -> None:
    req = sr.slash_command("inställningar", secret="not-the-secret", channel_id="C_SIG")
    status, _h, _b = bot.post(req)
    assert status == 401
    view = {
        "type": "modal",
        "callback_id": Callback.CREATE_GROUP,
        "private_metadata": "C_SIG",
        "title": {"type": "plain_text", "text": "x"},
        "blocks": [],
    }
    values = sr.state_values(
        sr.text_value(Block.NAME, Action.NAME, "Forged"),
        sr.text_value(Block.ORGANISATION, Action.ORGANISATION, "X"),
        sr.select_value(Block.KIND, Action.KIND, "polis"),
    )
    forged = sr.view_submission(view, values, secret="wrong")
    assert bot.post(forged)[0] == 401
    assert bot.scalar("SELECT count(*) FROM est_group WHERE name = 'Forged'") == 0
    assert slack.calls == []


def test_old_timestamp_is_401(bot: Bot) -> None:
    old = int(time.time()) - 6 * 60
    status, _h, _b = bot.post(sr.slash_command("hjälp", secret=SECRET, timestamp=old))
    assert status == 401


@pytest.mark.parametrize(
    ("body", "content_type"),
    [(b"this is not a form", sr.FORM), (b"{not json", sr.JSON), (b"\xff\xfe\x00garbage", sr.FORM)],
)
def test_bodies_that_are_not_slack_requests_get_4xx(
    bot: Bot, body: bytes, content_type: str
) -> None:
    status, _h, _b = bot.post(sr.sign(body, SECRET, content_type=content_type))
    assert 400 <= status < 500


def test_over_long_text_gets_a_clear_answer(bot: Bot) -> None:
    answer = bot.command("händelse " + "x" * 4100, channel_id="C_HELP")
    assert "För långt" in answer["text"] or "för långt" in answer["text"]


def test_group_setup_and_joining_end_to_end(bot: Bot, slack) -> None:
    channel = "C_SETUP"
    # no group yet: the settings command opens the create-group modal
    assert bot.command("inställningar", channel_id=channel, user_id="U_ANNA") == {}
    opened = slack.wait_for("views.open")[0]
    view = opened.response["view"]
    assert view["callback_id"] == Callback.CREATE_GROUP
    assert json.loads(view["private_metadata"]) == {"c": channel}

    name = "EST Fittja <!channel>"
    values = sr.state_values(
        sr.text_value(Block.NAME, Action.NAME, name),
        sr.text_value(Block.ORGANISATION, Action.ORGANISATION, "Botkyrka kommun"),
        sr.select_value(Block.KIND, Action.KIND, "kommun"),
        sr.select_value(Block.LANGUAGE, Action.LANGUAGE, "sv"),
    )
    status, _h, body = bot.post(sr.view_submission(view, values, secret=SECRET, user_id="U_ANNA"))
    assert status == 200
    assert body in (b"", b"{}")
    posted = slack.wait_for("chat.postMessage")[0]
    assert posted.args["channel"] == channel
    text = json.dumps(posted.args["blocks"], ensure_ascii=False)
    assert "&lt;!channel&gt;" in text
    assert "<!channel>" not in text
    assert bot.scalar(f"SELECT count(*) FROM est_group WHERE slack_channel_id = '{channel}'") == 1

    # a stranger gets told how to join, without data
    stranger = bot.command("inställningar", channel_id=channel, user_id="U_ERIK")
    assert "/est gå med" in stranger["text"]
    assert "Botkyrka kommun" not in stranger["text"]
    # asking through an unknown organisation suggests the existing one
    unknown = bot.command("gå med Polisen", channel_id=channel, user_id="U_ERIK")
    assert "Botkyrka kommun" in unknown["text"]
    # the admin adds the police, Erik asks, the admin approves by button
    with_org = bot.command("gå med Botkyrka kommun", channel_id=channel, user_id="U_ERIK")
    assert "skickats till gruppens administratörer" in with_org["text"]
    dm = slack.wait_for("chat.postMessage", count=2)[1]
    assert dm.args["channel"] == "U_ANNA"
    approve = next(
        e
        for b in dm.args["blocks"]
        if b["type"] == "actions"
        for e in b["elements"]
        if e["action_id"] == Action.APPROVE_JOIN
    )
    press = sr.block_action(
        Action.APPROVE_JOIN,
        approve["value"],
        secret=SECRET,
        user_id="U_ANNA",
        channel_id="DANNA",
        response_url=slack.response_url("approve"),
    )
    assert bot.post(press)[0] == 200
    told = slack.wait_for("chat.postMessage", count=3)[2]
    assert told.args["channel"] == "U_ERIK"
    assert "medlem" in told.args["text"]
    deadline = time.monotonic() + 5
    while not slack.response_urls and time.monotonic() < deadline:
        time.sleep(0.05)
    assert "godkänd av" in slack.response_urls[0][1]["text"]
    member_status = bot.scalar("SELECT status FROM member WHERE slack_user_id = 'U_ERIK'")
    assert member_status == "active"
    # the audit log recorded every step
    actions = bot.scalar("SELECT count(*) FROM audit_event WHERE action LIKE 'member.%'")
    assert actions == 3  # admin added, Erik requested, Erik approved


def test_a_second_create_submission_is_refused_in_the_form(bot: Bot, slack) -> None:
    channel = "C_TWICE"
    bot.command("inställningar", channel_id=channel, user_id="U_OLA")
    view = slack.wait_for("views.open")[0].response["view"]
    values = sr.state_values(
        sr.text_value(Block.NAME, Action.NAME, "EST Tumba"),
        sr.text_value(Block.ORGANISATION, Action.ORGANISATION, "Botkyrka kommun"),
        sr.select_value(Block.KIND, Action.KIND, "kommun"),
        sr.select_value(Block.LANGUAGE, Action.LANGUAGE, "sv"),
    )
    submit = sr.view_submission(view, values, secret=SECRET, user_id="U_OLA")
    assert bot.post(submit)[0] == 200
    status, _h, body = bot.post(submit)  # double click, or Slack's retry
    answer = json.loads(body)
    assert status == 200
    assert answer["response_action"] == "errors"
    assert "redan en EST-grupp" in answer["errors"][Block.NAME]
    assert bot.scalar(f"SELECT count(*) FROM est_group WHERE slack_channel_id = '{channel}'") == 1


@pytest.mark.parametrize(
    "body",
    [
        b"command=/est&text=hj%C3%A4lp",  # no team, user or channel
        b"command=/est&text=x&user_id=U1&channel_id=C1",  # no team
        b"payload=%7B%22type%22%3A%22block_actions%22%7D",  # an action from nobody
        b"payload=%7B%7D",
    ],
)
def test_requests_missing_fields_get_4xx(bot: Bot, body: bytes) -> None:
    status, _h, _b = bot.post(sr.sign(body, SECRET))
    assert 400 <= status < 500
