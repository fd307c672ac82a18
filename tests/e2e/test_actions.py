"""The action plan over HTTP against the fake Slack: the modal, buttons, App Home, hand-over."""

from __future__ import annotations

import json
import time
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import text

from handlers.ids import Action, Block, Callback
from handlers.local import slack_requests as sr
from tests.e2e.conftest import SECRET, Bot
from tests.e2e.test_incidents import ANNA, CHANNEL, ERIK, Group, _button, make_group

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def group(bot: Bot) -> Group:
    return make_group(bot, CHANNEL, with_police=True)


def outbox(bot: Bot, kind: str) -> list[tuple[str, str]]:
    engine = bot.engine()
    try:
        with engine.connect() as conn:
            found = conn.execute(
                text("SELECT recipient, status FROM outbox WHERE kind = :k ORDER BY id"),
                {"k": kind},
            ).all()
    finally:
        engine.dispose()
    return [(str(r), str(s)) for r, s in found]


def create_action(bot: Bot, title: str, owner: str = ERIK) -> int:
    before = len(bot.slack.calls_to("views.open"))
    assert bot.command("åtgärd ny", channel_id=CHANNEL, user_id=ANNA) == {}
    view = bot.slack.wait_for("views.open", count=before + 1)[-1].response["view"]
    assert view["callback_id"] == Callback.ACTION_NEW
    due = (datetime.now(UTC) + timedelta(days=10)).date().isoformat()
    values = sr.state_values(
        sr.text_value(Block.TITLE, Action.TITLE, title),
        sr.user_value(Block.OWNER, Action.OWNER, owner),
        sr.date_value(Block.DUE, Action.DUE, due),
        sr.select_value(Block.HORIZON, Action.HORIZON, "kort"),
    )
    status, _h, body = bot.post(sr.view_submission(view, values, secret=SECRET, user_id=ANNA))
    assert status == 200 and body in (b"", b"{}"), body
    found = bot.scalar(f"SELECT id FROM est_action WHERE title = '{title}'")
    assert found is not None
    return int(found)


def press(bot: Bot, action_id: str, value: str, *, user: str = ERIK, key: str = "p") -> None:
    request = sr.block_action(
        action_id,
        value,
        secret=SECRET,
        user_id=user,
        channel_id=CHANNEL,
        response_url=bot.slack.response_url(key),
    )
    assert bot.post(request)[0] == 200


def overflow(bot: Bot, value: str, *, user: str = ERIK) -> None:
    option = {"text": {"type": "plain_text", "text": "x"}, "value": value}
    request = sr.block_action(
        Action.POSTPONE_ACTION,
        None,
        secret=SECRET,
        user_id=user,
        channel_id=CHANNEL,
        response_url=bot.slack.response_url("o"),
        action_fields={"type": "overflow", "selected_option": option},
    )
    assert bot.post(request)[0] == 200


def last_response(bot: Bot, key: str) -> dict[str, Any]:
    for _ in range(100):
        mine = [body for at, body in bot.slack.response_urls if at == key]
        if mine:
            return mine[-1]
        time.sleep(0.05)
    raise AssertionError(f"no response at {key}")


def test_create_from_the_modal_queues_the_owners_dm(bot: Bot, group: Group) -> None:
    action_id = create_action(bot, "Belysning vid tunnelbanan")
    assert bot.scalar(f"SELECT owner_user_id FROM est_action WHERE id = {action_id}") == ERIK
    assert (ERIK, "pending") in outbox(bot, "action.assigned")  # the clock sends it
    confirmation = bot.slack.wait_for("chat.postEphemeral")[-1]
    assert f"#{action_id} Belysning vid tunnelbanan" in json.dumps(
        confirmation.args, ensure_ascii=False
    )
    mine = bot.command("åtgärd", channel_id=CHANNEL, user_id=ERIK)
    assert "Belysning vid tunnelbanan" in json.dumps(mine, ensure_ascii=False)
    assert _button(mine, Action.ACTION_DONE)["value"] == str(action_id)


def test_done_by_button_cancels_the_reminders(bot: Bot, group: Group) -> None:
    action_id = create_action(bot, "Klotter på Fittja torg")
    press(bot, Action.ACTION_DONE, str(action_id), key="done")
    card = last_response(bot, "done")
    assert card.get("replace_original") is True and "klar" in json.dumps(card, ensure_ascii=False)
    assert bot.scalar(f"SELECT status FROM est_action WHERE id = {action_id}") == "klar"


def test_postpone_a_week_and_a_date_needs_a_reason(bot: Bot, group: Group) -> None:
    action_id = create_action(bot, "Trygghetsvandring Kårsby")
    due = bot.scalar(f"SELECT due_date FROM est_action WHERE id = {action_id}")
    overflow(bot, f"{action_id}:7")
    later = due
    for _ in range(100):  # the menu acks first and saves after: wait for the save
        later = bot.scalar(f"SELECT due_date FROM est_action WHERE id = {action_id}")
        if later != due:
            break
        time.sleep(0.05)
    assert str(later) > str(due)
    before = len(bot.slack.calls_to("views.open"))
    overflow(bot, f"{action_id}:date")
    view = bot.slack.wait_for("views.open", count=before + 1)[-1].response["view"]
    assert view["callback_id"] == Callback.ACTION_POSTPONE
    values = sr.state_values(
        sr.date_value(Block.DUE, Action.DUE, "2027-01-15"),
        sr.text_value(Block.REASON, Action.REASON, ""),
    )
    status, _h, body = bot.post(sr.view_submission(view, values, secret=SECRET, user_id=ERIK))
    assert status == 200
    answer = json.loads(body)
    assert answer["response_action"] == "errors" and Block.REASON in answer["errors"]


def test_hand_over_tells_both_owners(bot: Bot, group: Group) -> None:
    action_id = create_action(bot, "Nattvandring Hallunda")
    before = len(bot.slack.calls_to("views.open"))
    overflow(bot, f"{action_id}:owner")
    view = bot.slack.wait_for("views.open", count=before + 1)[-1].response["view"]
    values = sr.state_values(sr.user_value(Block.OWNER, Action.OWNER, ANNA))
    status, _h, body = bot.post(sr.view_submission(view, values, secret=SECRET, user_id=ERIK))
    assert status == 200 and body in (b"", b"{}")
    assert bot.scalar(f"SELECT owner_user_id FROM est_action WHERE id = {action_id}") == ANNA
    assert (ANNA, "pending") in outbox(bot, "action.assigned")
    assert (ERIK, "pending") in outbox(bot, "action.handed_over")


def test_app_home_shows_my_actions(bot: Bot, group: Group) -> None:
    create_action(bot, "Städning av Fittja äng")
    event = {
        "type": "app_home_opened",
        "user": ERIK,
        "channel": "D_ERIK",
        "tab": "home",
        "event_ts": "1700000000.000100",
    }
    assert bot.post(sr.event(event, secret=SECRET))[0] == 200
    published = bot.slack.wait_for("views.publish")[-1]
    text = json.dumps(published.args, ensure_ascii=False)
    assert published.args["user_id"] == ERIK
    assert "Mina åtgärder" in text and "Städning av Fittja äng" in text


def test_strangers_and_bad_input(bot: Bot, group: Group) -> None:
    stranger = bot.command("åtgärd", channel_id=CHANNEL, user_id="U_STRANGER")
    assert "/est gå med" in stranger["text"]
    nothing = bot.command("åtgärd 99999", channel_id=CHANNEL, user_id=ERIK)
    assert "Det finns ingen åtgärd #99999" in nothing["text"]
    unknown_status = bot.command("åtgärd klar 99999 <!channel>", channel_id=CHANNEL, user_id=ERIK)
    assert "<!channel>" not in json.dumps(unknown_status)
