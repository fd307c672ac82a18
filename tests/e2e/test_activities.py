"""Activities over HTTP against the fake Slack: the modal, the follow-up DM form, the export.

The clock's part (planning the follow-up and sending it) runs in this process against the same
database, with the real outbox sender and Slack transport pointed at the fake Slack.
"""

from __future__ import annotations

import json
import time
import zipfile
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from io import BytesIO
from zoneinfo import ZoneInfo

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader
from slack_sdk import WebClient

from bot.activities.jobs import plan_activities
from bot.clock import PREPARERS
from bot.delivery import OutboxSender
from handlers.ids import Action, Block, Callback
from handlers.local import slack_requests as sr
from handlers.transport import SlackTransport
from storage.db import Database
from tests.e2e.conftest import SECRET, Bot
from tests.e2e.test_incidents import ANNA, ERIK, Group, make_group, rows
from tests.e2e.test_incidents import CHANNEL as INCIDENT_CHANNEL

pytestmark = pytest.mark.e2e
CHANNEL = INCIDENT_CHANNEL  # make_group adds the police through this channel
STHLM = ZoneInfo("Europe/Stockholm")


@pytest.fixture(scope="module")
def group(bot: Bot) -> Group:
    return make_group(bot, CHANNEL, with_police=True)


def submit(bot: Bot, view: dict, values: dict, user: str = ANNA) -> bytes:
    status, _h, body = bot.post(sr.view_submission(view, values, secret=SECRET, user_id=user))
    assert status == 200, body
    return body


def eventually(check: Callable[[], bool], timeout: float = 5.0) -> bool:
    deadline = time.monotonic() + timeout
    while not check():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.05)
    return True


def plan_and_send(bot: Bot, now: datetime) -> None:
    """What `python app.py clock` does: plan what has come due, then send it."""
    db = Database(bot.engine())
    try:
        plan_activities(db, now=now)
        client = WebClient(token="xoxb-e2e", base_url=bot.slack.api_url)
        sender = OutboxSender(db, SlackTransport(client), PREPARERS, worker="e2e")
        while sender.sweep(now=now).claimed:
            pass
    finally:
        db.engine.dispose()


def test_plan_follow_up_by_dm_and_export(bot: Bot, group: Group) -> None:
    slack = bot.slack
    slack.clear()
    logged = bot.answer(
        "händelse Fittja centrum; narkotikaförsäljning; Öppen försäljning; för 3 dagar sedan 21:30",
        channel_id=CHANNEL,
        user_id=ANNA,
    )
    incident = int(rows(bot, "SELECT max(id) FROM incident")[0][0])
    assert "Sparad som händelse" in logged["text"]
    # a night walk that was held yesterday evening, planned now (registered afterwards)
    yesterday = (datetime.now(STHLM) - timedelta(days=1)).date()
    assert bot.command("aktivitet ny", channel_id=CHANNEL, user_id=ANNA) == {}
    view = slack.wait_for("views.open")[-1].response["view"]
    assert view["callback_id"] == Callback.ACTIVITY_NEW
    fittja = group.places["Fittja centrum"]
    values = sr.state_values(
        sr.text_value(Block.TITLE, Block.TITLE, "Nattvandring Fittja"),
        sr.select_value(Block.KIND, Action.KIND, "nattvandring"),
        sr.state_value(
            Block.PLACES,
            Action.PLACE,
            "multi_external_select",
            selected_options=[sr.option(str(fittja), "Fittja centrum")],
        ),
        sr.date_value(Block.DATE, Action.DATE, yesterday.isoformat()),
        sr.time_value(Block.START, Action.START, "21:00"),
        sr.time_value(Block.END, Action.END, "01:00"),
        sr.user_value(Block.OWNER, Action.OWNER, ANNA),
        sr.state_value(
            Block.MOTIVATION,
            Action.MOTIVATION,
            "multi_external_select",
            selected_options=[sr.option(f"i:{incident}")],
        ),
        sr.text_value(Block.PURPOSE, Block.PURPOSE, "Vuxna på plats kvällstid"),
        sr.state_value(Block.EXPECTED, Block.EXPECTED, "number_input", value="12"),
        sr.text_value(Block.ORGANISERS, Block.ORGANISERS, "Nattvandrarna Fittja; 802000-1235"),
    )
    refused = json.loads(submit(bot, view, values))  # a wrong organisation number: nothing saved
    assert refused["response_action"] == "errors"
    assert "802000-1235" in refused["errors"][Block.ORGANISERS]
    assert rows(bot, "SELECT count(*) FROM activity")[0][0] == 0
    values[Block.ORGANISERS][Block.ORGANISERS]["value"] = "Nattvandrarna Fittja; 802000-1239"
    assert submit(bot, view, values) in (b"", b"{}")
    [(activity, status)] = rows(bot, "SELECT id, status FROM activity")
    assert status == "planerad"

    # the day after, at the first working morning: the owner gets the follow-up form by DM
    plan_and_send(bot, datetime.now(UTC) + timedelta(days=4))
    dms = [c for c in slack.calls_to("chat.postMessage") if c.args.get("channel") == ANNA]
    follow = [c for c in dms if Action.OPEN_ACTIVITY_FOLLOW_UP in json.dumps(c.args.get("blocks"))]
    assert len(follow) == 1
    # registered after it was held: nothing is announced in the channel
    channel = [c for c in slack.calls_to("chat.postMessage") if c.args.get("channel") == CHANNEL]
    assert not [c for c in channel if "Nattvandring Fittja" in c.args.get("text", "")]
    blocks = (
        json.loads(follow[0].args["blocks"])
        if isinstance(follow[0].args["blocks"], str)
        else follow[0].args["blocks"]
    )
    button = next(e for b in blocks if b["type"] == "actions" for e in b["elements"])
    assert button["value"] == f"{activity}:{CHANNEL}"

    # somebody else's activity: Erik may not follow it up
    before = len(slack.calls_to("views.open"))
    press = sr.block_action(
        Action.OPEN_ACTIVITY_FOLLOW_UP,
        button["value"],
        secret=SECRET,
        user_id=ANNA,
        channel_id="D" + ANNA,
        response_url=slack.response_url("f"),
    )
    assert bot.post(press)[0] == 200
    form = slack.wait_for("views.open", count=before + 1)[-1].response["view"]
    assert form["callback_id"] == Callback.ACTIVITY_FOLLOW_UP
    answers = sr.state_values(
        sr.state_value(
            f"{Block.ATTENDANCE}_0", f"{Action.ATTENDANCE}_0", "number_input", value="4"
        ),
        sr.state_value(
            f"{Block.ATTENDANCE}_1", f"{Action.ATTENDANCE}_1", "number_input", value="31"
        ),
        sr.state_value(
            f"{Block.ATTENDANCE}_2", f"{Action.ATTENDANCE}_2", "number_input", value="6"
        ),
        sr.select_value(Block.COUNTING_METHOD, Action.COUNTING_METHOD, None),
        sr.state_value(Block.INCIDENTS_DURING, Block.INCIDENTS_DURING, "number_input", value="0"),
        sr.text_value(Block.EFFECT, Block.EFFECT, "Lugnt vid tunnelbanan hela kvällen"),
    )
    missing = json.loads(submit(bot, form, answers, user=ANNA))
    assert Block.COUNTING_METHOD in missing["errors"]  # said under the field, nothing lost
    erik = json.loads(
        submit(
            bot,
            form,
            answers | sr.select_value(Block.COUNTING_METHOD, Action.COUNTING_METHOD, "räknat"),
            user=ERIK,
        )
    )
    assert erik["response_action"] == "errors"
    answers |= sr.select_value(Block.COUNTING_METHOD, Action.COUNTING_METHOD, "klickräknare")
    assert submit(bot, form, answers, user=ANNA) in (b"", b"{}")
    assert eventually(  # the saved follow-up is shown in her DM, where she pressed the button
        lambda: any(
            c.args.get("channel") == ANNA
            and "klickräknare" in json.dumps(c.args, ensure_ascii=False)
            for c in slack.calls_to("chat.postMessage")
        )
    )
    [(state, method, attendance)] = rows(
        bot, "SELECT status, counting_method, attendance FROM activity"
    )
    attendance = json.loads(attendance) if isinstance(attendance, str) else attendance
    assert (state, method) == ("genomförd", "klickräknare")
    assert attendance == {"barn och unga": 4, "vuxna": 31, "arrangörer och aktörer": 6}

    # the evidence pack: two files in the owner's DM, read back
    slack.clear()
    answer = bot.command(f"export aktivitet {activity}", channel_id=CHANNEL, user_id=ANNA)
    assert answer == {}  # acknowledged at once; the answer follows when the files are sent
    [done] = slack.wait_for("files.completeUploadExternal", timeout=20)
    assert done.args["channel_id"] == "D" + ANNA
    assert len(slack.uploads) == 2
    pdf, xlsx = sorted(slack.uploads.values(), key=lambda body: body[:4] != b"%PDF")
    text = " ".join(p.extract_text() for p in PdfReader(BytesIO(pdf)).pages)
    assert "Nattvandring Fittja" in text and "802000-1239" in text
    assert zipfile.is_zipfile(BytesIO(xlsx))
    sheet = load_workbook(BytesIO(xlsx))["Aktivitet"]
    values_read = {r[0]: r[1] for r in sheet.iter_rows(values_only=True) if r and r[0]}
    assert values_read["Deltagare totalt"] == 41
    assert values_read["Räknemetod"] == "klickräknare"


def test_a_coming_activity_is_announced_and_on_app_home(bot: Bot, group: Group) -> None:
    slack = bot.slack
    slack.clear()
    assert bot.command("aktivitet ny", channel_id=CHANNEL, user_id=ERIK) == {}
    view = slack.wait_for("views.open")[-1].response["view"]
    next_week = (datetime.now(STHLM) + timedelta(days=7)).date()
    values = sr.state_values(
        sr.text_value(Block.TITLE, Block.TITLE, "Trygghetsvandring <!channel>"),
        sr.select_value(Block.KIND, Action.KIND, "trygghetsvandring"),
        sr.state_value(
            Block.PLACES,
            Action.PLACE,
            "multi_external_select",
            selected_options=[sr.option(str(group.places["Tumba station"]))],
        ),
        sr.date_value(Block.DATE, Action.DATE, next_week.isoformat()),
        sr.time_value(Block.START, Action.START, "18:00"),
        sr.time_value(Block.END, Action.END, "20:00"),
        sr.user_value(Block.OWNER, Action.OWNER, ERIK),
    )
    assert submit(bot, view, values, user=ERIK) in (b"", b"{}")
    plan_and_send(bot, datetime.now(UTC))
    [posted] = [
        c
        for c in slack.calls_to("chat.postMessage")
        if c.args.get("channel") == CHANNEL and "Trygghetsvandring" in c.args.get("text", "")
    ]
    assert "<!channel>" not in json.dumps(posted.args) and "omotiverad" in json.dumps(
        posted.args, ensure_ascii=False
    )
    event = {
        "type": "app_home_opened",
        "user": ANNA,
        "channel": "D_ANNA",
        "tab": "home",
        "event_ts": "1700000000.000200",
    }
    assert bot.post(sr.event(event, secret=SECRET))[0] == 200
    home = json.dumps(slack.wait_for("views.publish")[-1].args, ensure_ascii=False)
    assert "Kommande aktiviteter" in home and "Trygghetsvandring &lt;!channel&gt;" in home

    activity = int(rows(bot, "SELECT max(id) FROM activity")[0][0])
    anna_tries = bot.command(
        f"aktivitet ställ in {activity} regn", channel_id=CHANNEL, user_id="U_STRANGER"
    )
    assert "/est gå med" in anna_tries["text"]  # not a member: nothing changes
    cancelled = bot.command(
        f"aktivitet ställ in {activity} Regnoväder", channel_id=CHANNEL, user_id=ERIK
    )
    assert "inställd" in json.dumps(cancelled, ensure_ascii=False)
    assert rows(bot, f"SELECT status FROM activity WHERE id = {activity}")[0][0] == "inställd"
