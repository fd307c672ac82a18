"""The weekly summary and the exports over HTTP, and two real clock processes posting it once."""

from __future__ import annotations

import time
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from tests.e2e.conftest import Bot
from tests.e2e.test_clock import start_clock, stop
from tests.e2e.test_incidents import ANNA, Group, make_group

pytestmark = pytest.mark.e2e
CHANNEL = "C0SUMMARY"


@pytest.fixture(scope="module")
def group(bot: Bot) -> Group:
    made = make_group(bot, CHANNEL, with_police=False)
    last_week = datetime.now(ZoneInfo("Europe/Stockholm")) - timedelta(days=7)
    for text in (
        f"händelse Fittja centrum; langning; Försäljning vid entrén; {last_week:%Y-%m-%d} 12:00",
        "händelse Fittja centrum; lustgas; =1+1 patroner på marken; nu",
    ):
        answer = bot.answer(text, channel_id=CHANNEL, user_id=ANNA)
        assert "Sparad som händelse" in answer["text"], answer
    return made


def test_the_export_comes_by_dm_as_csv_and_xlsx(bot: Bot, group: Group) -> None:
    answered = len(bot.slack.response_urls)
    answer = bot.command("export händelser i år Fittja centrum", channel_id=CHANNEL, user_id=ANNA)
    assert answer == {}  # acknowledged at once; the answer follows when the files are sent
    complete = bot.slack.wait_for("files.completeUploadExternal", timeout=20)[-1]
    assert complete.args["channel_id"] == "D" + ANNA  # the DM opened with the requester
    deadline = time.monotonic() + 10
    while len(bot.slack.response_urls) == answered and time.monotonic() < deadline:
        time.sleep(0.05)  # the answer follows the upload
    assert "direktmeddelanden" in bot.slack.response_urls[-1][1]["text"]
    files = {f.name: f for f in bot.slack.files.values()}
    csv_name = next(n for n in files if n.endswith(".csv"))
    assert csv_name.endswith("-fittja-centrum.csv") and csv_name.replace(".csv", ".xlsx") in files
    text = files[csv_name].content.decode("utf-8")
    assert text.startswith("\ufeffNr;När;Vecka;Stadsdel;Plats;Kategori;Beskrivning;")
    assert ";Lustgas;'=1+1 patroner på marken;" in text  # never a formula in Excel
    assert files[csv_name.replace(".csv", ".xlsx")].content.startswith(b"PK")


def test_a_mistyped_export_keeps_what_was_typed(bot: Bot, group: Group) -> None:
    answer = bot.command("export händelsr v47", channel_id=CHANNEL, user_id=ANNA)
    assert "Vad ska jag exportera?" in answer["text"] and "export händelser" in answer["text"]


def test_two_clocks_post_the_asked_summary_once_with_the_chart_in_its_thread(
    bot: Bot, group: Group
) -> None:
    before = len(bot.slack.calls_to("files.completeUploadExternal"))
    answer = bot.command("sammanfattning", channel_id=CHANNEL, user_id=ANNA)
    assert "postas i kanalen" in answer["text"], answer
    clocks = [start_clock(bot.database_url, bot.slack) for _ in range(2)]
    try:
        upload = bot.slack.wait_for("files.completeUploadExternal", count=before + 1, timeout=60)
        time.sleep(2)  # both clocks sweep a few more times
    finally:
        stop(*clocks)
    posts = [
        c
        for c in bot.slack.calls_to("chat.postMessage")
        if c.args.get("channel") == CHANNEL and "Veckosammanfattning" in str(c.args.get("text"))
    ]
    rows = bot.scalar("SELECT count(*) FROM outbox WHERE kind = 'summary.post' AND status = 'sent'")
    assert len(posts) == rows >= 1  # never twice: one post per queued summary
    charts = [c for c in upload if c.args.get("channel_id") == CHANNEL]
    assert [c.args["thread_ts"] for c in charts][:1] == [posts[0].response["ts"]]
