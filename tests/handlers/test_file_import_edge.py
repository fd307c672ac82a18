"""A spreadsheet shared in the bot's DM, as Slack delivers it: the fake Slack hosts the file
(its url_private answers only with the bot token), the bot answers with the dry run's report
and an "Importera" button; the button imports it — for administrators only."""

from __future__ import annotations

import json

import pytest
from sqlmodel import col, func, select

from bot.demo.workspace import DEMO_CHANNEL, DEMO_TEAM
from handlers.ids import Action, Block
from handlers.local import slack_requests as sr
from storage.models import Incident
from tests.conftest import session_of
from tests.handlers.conftest import SECRET, Edge

CSV = (
    "Plats;Brottstyp;Tid;Händelse\n"
    "Fittja C;narkotikaförsäljning;2026-11-03 21:30;Försäljning vid entrén\n"
    "Fittja bibliotek;klotter;2026-11-04 10:00;Tags på dörren\n"
).encode()


def incidents(edge: Edge) -> int:
    with edge.services.db.unit_of_work(read_only=True) as uow:
        query = (
            select(func.count())
            .select_from(Incident)
            .where(col(Incident.import_source).is_not(None))
        )
        return int(session_of(uow).exec(query).one())


def share(edge: Edge, user: str) -> dict:
    file = edge.slack.host_file("störningar.csv", CSV, user=user)
    event = {
        "type": "message",
        "subtype": "file_share",
        "channel_type": "im",
        "channel": "D0ANNA",
        "user": user,
        "text": "",
        "ts": "1700000000.000100",
        "files": [file],
    }
    status, _body = edge.post(sr.event(event, secret=SECRET, team_id=DEMO_TEAM))
    assert status == 200
    [said] = edge.slack.wait_for("chat.postMessage")
    return said.args


def press(edge: Edge, user: str, value: str) -> None:
    message = {"ts": "1700000000.000200", "text": "", "blocks": []}
    req = sr.block_action(
        Action.IMPORT_FILE,
        value,
        secret=SECRET,
        user_id=user,
        team_id=DEMO_TEAM,
        channel_id="D0ANNA",
        block_id=Block.IMPORT_FILE,
        message=message,
        response_url=edge.slack.response_url(),
    )
    status, _body = edge.post(req)
    assert status == 200


def test_an_admin_gets_the_dry_run_and_imports_with_the_button(demo_edge: Edge):
    said = share(demo_edge, "U0ANNA")
    blocks = said["blocks"] if isinstance(said["blocks"], list) else json.loads(said["blocks"])
    text = blocks[0]["text"]["text"]
    assert "Provkörning (inget sparades)" in text
    assert "1 skulle importeras" in text and "okänd plats ”Fittja bibliotek”" in text
    assert incidents(demo_edge) == 0  # the dry run stored nothing
    [button] = blocks[1]["elements"]
    assert button["text"]["text"] == "Importera 1 händelse"
    assert button["value"].endswith("|" + DEMO_CHANNEL)
    press(demo_edge, "U0ANNA", button["value"])
    assert incidents(demo_edge) == 1
    replaced = demo_edge.slack.response_urls[-1][1]
    assert "1 importerades" in json.dumps(replaced, ensure_ascii=False)
    press(demo_edge, "U0ANNA", button["value"])  # pressed again: nothing twice
    assert incidents(demo_edge) == 1
    # the file was fetched with the bot token both times; without one the fake refuses it
    assert demo_edge.slack.calls_to("files.info")


def test_a_member_who_is_not_an_admin_imports_nothing(demo_edge: Edge):
    said = share(demo_edge, "U0ERIK")
    assert "administratör" in json.dumps(said, ensure_ascii=False)
    file_id = next(iter(demo_edge.slack.hosted))
    press(demo_edge, "U0ERIK", f"{file_id}|{DEMO_CHANNEL}")  # a forged button
    assert incidents(demo_edge) == 0


def test_the_file_is_served_only_with_a_token(demo_edge: Edge):
    import urllib.error
    import urllib.request

    file = demo_edge.slack.host_file("a.csv", CSV, user="U0ANNA")
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(file["url_private"], timeout=5)
    assert refused.value.code == 403
