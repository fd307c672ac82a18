"""The priorities for the next period over HTTP against the fake Slack: `python app.py serve` as
a process, the period analysis's button, the form proposed by a member and decided by an
administrator, refused for a stranger and for personal data, the lägesbild that shows them, and
the period analysis's PDF and XLSX sent by DM."""

from __future__ import annotations

import json
import time
from datetime import datetime, timedelta
from io import BytesIO
from typing import Any

import pytest
from openpyxl import load_workbook

from bot.analysis.periods import QUARTER, period_of, period_words
from bot.i18n import translator
from handlers.ids import Action, Block, Callback
from handlers.local import slack_requests as sr
from tests.e2e.conftest import SECRET, Bot
from tests.e2e.test_clock import start_clock, stop
from tests.e2e.test_incidents import ANNA, ERIK, STHLM, STRANGER, Group, make_group
from tests.e2e.test_incidents import CHANNEL as INCIDENT_CHANNEL

pytestmark = pytest.mark.e2e

CHANNEL = INCIDENT_CHANNEL  # make_group adds the police through this channel
# the bot runs on real time here: the quarter just ended, and the one its priorities are for
LAST = period_of(QUARTER, datetime.now(STHLM).date()).before()
NEXT = LAST.after().label
# how messages say them (the words themselves are pinned in tests/bot/test_periods.py)
LAST_WORDS, NEXT_WORDS = (period_words(translator("sv"), p) for p in (LAST, LAST.after()))


@pytest.fixture(scope="module")
def group(bot: Bot) -> Group:
    made = make_group(bot, CHANNEL, with_police=True)
    days = (LAST.first + timedelta(days=13), LAST.first + timedelta(days=40))
    for when in (f"{d.isoformat()} 21:30" for d in days):
        logged = bot.answer(
            f"händelse Fittja centrum; narkotikaförsäljning; Försäljning vid uppgången; {when}",
            channel_id=CHANNEL,
            user_id=ANNA,
        )
        assert "Fittja centrum" in json.dumps(logged, ensure_ascii=False), logged
    return made


def _press(bot: Bot, action_id: str, value: str, user: str, key: str) -> None:
    request = sr.block_action(
        action_id,
        value,
        secret=SECRET,
        user_id=user,
        channel_id=CHANNEL,
        response_url=bot.slack.response_url(key),
    )
    assert bot.post(request)[0] == 200


def _submit(bot: Bot, view: dict[str, Any], *values: dict[str, Any], user: str) -> Any:
    request = sr.view_submission(view, sr.state_values(*values), secret=SECRET, user_id=user)
    status, _h, body = bot.post(request)
    assert status == 200, body
    return json.loads(body) if body else {}


def _row(n: int, place: int | None, motivation: str) -> list[dict[str, Any]]:
    values = [
        sr.text_value(f"{Block.PRIORITY_MOTIVATION}_{n}", Action.PRIORITY_MOTIVATION, motivation)
    ]
    if place is not None:
        values.append(
            sr.select_value(f"{Block.PRIORITY_PLACE}_{n}", Action.PRIORITY_PLACE, str(place))
        )
    return values


def _posted(bot: Bot, user: str) -> dict[str, Any]:
    """`/est analys period` by ``user``: told it is on its way, then a clock process posts it
    in the channel; what it posted."""
    asked = bot.command(f"analys period {LAST.label}", channel_id=CHANNEL, user_id=user)
    assert asked["text"] == f"Periodanalysen för {LAST_WORDS} postas i kanalen.", asked

    def posted() -> list[Any]:
        return [
            c
            for c in bot.slack.calls_to("chat.postMessage")
            if c.args.get("channel") == CHANNEL and "Periodanalys " in str(c.args.get("text"))
        ]

    before = len(posted())
    clock = start_clock(bot.database_url, bot.slack)
    try:
        deadline = time.monotonic() + 60
        while len(posted()) == before and time.monotonic() < deadline:
            time.sleep(0.2)
    finally:
        stop(clock)
    assert len(posted()) == before + 1
    return dict(posted()[-1].args)


def test_a_member_proposes_an_admin_decides_and_the_lagesbild_shows_it(bot: Bot, group, slack):
    post = _posted(bot, ERIK)
    buttons = next(b for b in post["blocks"] if b.get("block_id") == Block.PERIOD_BUTTONS)
    assert [e["action_id"] for e in buttons["elements"]] == [
        Action.OPEN_PRIORITIES,
        Action.PERIOD_FILES,
    ]
    assert buttons["elements"][0]["value"] == LAST.label
    assert "Fittja centrum" in json.dumps(post["blocks"], ensure_ascii=False)

    _press(bot, Action.OPEN_PRIORITIES, LAST.label, STRANGER, "stranger")
    refused = slack.wait_for_response("stranger")
    assert "inte medlem" in refused["text"] and not slack.calls_to("views.open")

    fittja = group.places["Fittja centrum"]
    _press(bot, Action.OPEN_PRIORITIES, LAST.label, ERIK, "erik")
    view = slack.wait_for("views.open")[-1].response["view"]
    assert view["callback_id"] == Callback.PERIOD_PRIORITIES
    assert view["submit"]["text"] == "Föreslå" and len(view["blocks"]) <= 100
    _submit(bot, view, *_row(0, fittja, "Två händelser på kort tid"), user=ERIK)
    assert bot.scalar("SELECT status FROM period_priority") == "förslag"

    _press(bot, Action.OPEN_PRIORITIES, LAST.label, ANNA, "anna")
    view = slack.wait_for("views.open", count=2)[-1].response["view"]
    assert view["submit"]["text"] == "Spara"
    refused_form = _submit(bot, view, *_row(0, fittja, "Ring 070-123 45 67"), user=ANNA)
    assert list(refused_form["errors"]) == [f"{Block.PRIORITY_MOTIVATION}_0"]
    assert bot.scalar("SELECT count(*) FROM period_priority") == 1  # nothing more saved
    _submit(bot, view, *_row(0, fittja, "Försäljningen har flyttat in i centrum"), user=ANNA)
    decided = "SELECT period FROM period_priority WHERE status = 'fastställd'"
    assert bot.scalar(decided) == NEXT
    assert bot.scalar("SELECT status FROM period_priority WHERE created_by = 'U_ERIK'") == (
        "behandlad"
    )
    audited = "SELECT count(*) FROM audit_event WHERE entity = 'period_priority'"
    assert bot.scalar(audited) == 3  # proposed, decided, the proposal handled

    again = _posted(bot, ERIK)
    said = json.dumps(again["blocks"], ensure_ascii=False)
    assert f"Prioriteringar {NEXT_WORDS}" in said and "Ändra prioriteringarna" in said


def test_the_files_button_sends_the_pdf_and_xlsx_by_dm(bot: Bot, group, slack):
    _press(bot, Action.PERIOD_FILES, LAST.label, ERIK, "files")
    assert "direktmeddelanden" in slack.wait_for_response("files")["text"]
    names = sorted(f.name for f in slack.files.values())
    assert names == [f"periodanalys-{LAST.label}.pdf", f"periodanalys-{LAST.label}.xlsx"]
    xlsx = next(f for f in slack.files.values() if f.name.endswith(".xlsx"))
    ranking = load_workbook(BytesIO(xlsx.content))["Rangordning"]
    first = [c.value for c in ranking[2]]
    # two incidents in Q3, none in Q2: need 2 + a rise of 2 = 4
    assert first[:4] == [1, "Fittja centrum", "Fittja", 4]
    pdf = next(f for f in slack.files.values() if f.name.endswith(".pdf"))
    assert pdf.content.startswith(b"%PDF")


def test_plats_shows_the_chain_and_answers_an_unknown_place(bot: Bot, group, slack):
    chain = bot.command("plats Fittja centrum", channel_id=CHANNEL, user_id=ERIK)
    said = json.dumps(chain["blocks"], ensure_ascii=False)
    assert chain["blocks"][0]["text"]["text"] == "Fittja centrum (Fittja)"
    # decided in the test above; the quarter in words ("kvartal 4 2026" in December 2026)
    assert f"Prioriterad plats (kvartal {LAST.after().number} {LAST.after().year})" in said
    assert "analys ny Fittja centrum" in said  # no cause analysis yet: how to start one
    unknown = bot.command("plats Ingenstans torg", channel_id=CHANNEL, user_id=ERIK)
    assert "Ingenstans torg" in unknown["text"]
