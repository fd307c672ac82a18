"""The summary's message and the chart's upload into its thread, against the fake Slack."""

from __future__ import annotations

import json
from datetime import date

import pytest
from slack_sdk import WebClient

from bot.actors import EstGroup
from bot.delivery import Rejected
from bot.i18n import translator
from bot.summary.chart import render_chart
from bot.summary.notifications import SummaryChart
from bot.summary.service import ActionLine, ActionsPart, CategoryWeek, PlaceWeek, Summary
from handlers.local.localslack import LocalSlack
from handlers.local.render import render_message
from handlers.summary.blocks import build_summary, change, number
from handlers.transport import SlackTransport

GROUP = EstGroup(1, "EST Botkyrka", "T0EST", "C0EST", "sv", "Europe/Stockholm")
WEEKS = [(2026, w) for w in range(36, 48)]


def summary(**changes) -> Summary:
    fittja = PlaceWeek(
        7,
        "Fittja <centrum>",
        "Fittja",
        6,
        2,
        1.0,
        [("Lustgas", "Laughing gas", 6)],
        [0] * 7 + [1, 1, 0, 2, 6],
    )
    base = Summary(
        group_id=1,
        iso_year=2026,
        iso_week=47,
        start="2026-11-16",
        end="2026-11-22",
        weeks=WEEKS,
        total=6,
        previous=2,
        average=1.0,
        places=[fittja],
        categories=[CategoryWeek("Lustgas", "Laughing gas", 6, 2, [0] * 7 + [1, 1, 0, 2, 6])],
        concern=[7],
        rising=[7],
        chart_places=[fittja],
        factor=2.0,
        actions=ActionsPart(
            0, 1, 1, [], [ActionLine(3, "Belysning", "U0ERIK", "Polisen", "2026-11-18")]
        ),
        missing_reports=["Polisen"],
    )
    return Summary(**{**base.__dict__, **changes})


def test_numbers_and_arrows_the_swedish_way():
    sv, en = translator("sv"), translator("en")
    assert (number(sv, 6.25), number(en, 6.25), number(sv, 4.0)) == ("6,3", "6.3", "4")
    assert (number(sv, 0.0), number(sv, 5.25), number(sv, 74.5)) == ("0", "5,3", "74,5")
    assert (change(sv, 6, 2), change(sv, 2, 4.5), change(sv, 3, 3)) == ("↑ +4", "↓ −2,5", "→ 0")


def test_the_summary_reads_in_swedish_with_what_users_typed_escaped():
    message = build_summary(translator("sv"), summary())
    assert "*Fittja &lt;centrum&gt;* 6" in json.dumps(message, ensure_ascii=False)
    text = render_message(message)
    assert "Veckosammanfattning v. 47, 2026" in text
    assert "6 händelser · ↑ +4 mot v. 46 · ↑ +5 mot 4-veckorssnittet 1" in text
    assert (
        "1. Fittja <centrum> 6\n      ↑ +4 mot v. 46 · ↑ +5 mot snittet 1\n      lustgas 6" in text
    )
    assert "• Fittja <centrum> 6 · ↑ +4 mot v. 46 · ↑ +5 mot snittet 1" in text  # rising
    assert "Stigande" in text and "lustgas 6" in text
    assert "Åtgärder: klara i veckan 0, öppna 1, försenade 1" in text
    assert "Belysning — @U0ERIK (Polisen), klar senast ons 18 nov." in text
    assert "Ingen lägesrapport till mötet v. 47 från: Polisen" in text


def test_a_quiet_week_is_one_plain_sentence_and_absent_sections_are_absent():
    quiet = summary(
        total=0,
        previous=0,
        places=[],
        concern=[],
        rising=[],
        chart_places=[],
        categories=[],
        actions=None,
        missing_reports=None,
    )
    message = build_summary(translator("sv"), quiet)
    text = render_message(message)
    assert message["text"] == "Inga händelser rapporterade v. 47."
    assert "Inga händelser rapporterade v. 47." in text
    assert "Åtgärder" not in text and "lägesrapport" not in text and "Diagrammet" not in text


@pytest.fixture
def fake():
    with LocalSlack() as slack:
        yield slack


def test_the_chart_is_uploaded_into_the_summarys_thread(fake):
    transport = SlackTransport(WebClient(token="xoxb-test", base_url=fake.api_url))
    png = render_chart(summary(), "sv", group_name=GROUP.name, produced=date(2026, 11, 23))
    note = SummaryChart(
        GROUP, summary(), "1700000000.000100", "sammanfattning-2026-v47.png", png, None
    )
    file_id = transport.send("C0EST", note)
    shared = fake.files[file_id]
    assert (shared.channel, shared.thread_ts) == ("C0EST", "1700000000.000100")
    assert shared.content == png and png.startswith(b"\x89PNG")
    assert shared.initial_comment is not None and "v. 36–47" in shared.initial_comment


def test_a_chart_that_was_not_drawn_is_refused_for_the_admins(fake):
    transport = SlackTransport(WebClient(token="xoxb-test", base_url=fake.api_url))
    note = SummaryChart(GROUP, summary(), "1.2", "x.png", None, "chart_not_rendered")
    with pytest.raises(Rejected) as refused:
        transport.send("C0EST", note)
    assert refused.value.error == "chart_not_rendered"
    assert fake.calls_to("files.getUploadURLExternal") == []


def test_a_summary_that_cannot_be_rendered_is_refused_not_retried(fake, monkeypatch):
    """A message that fails to render will never render: refused, so the admins are told."""
    from bot.summary.notifications import SummaryPosted
    from handlers import transport as transport_module

    def broken(note, recipient, language=None):
        raise ValueError("a block too long")

    monkeypatch.setattr(transport_module, "messages_for", broken)
    transport = SlackTransport(WebClient(token="xoxb-test", base_url=fake.api_url))
    with pytest.raises(Rejected) as refused:
        transport.send("C0EST", SummaryPosted(GROUP, summary()))
    assert refused.value.error == "not_rendered: ValueError"
    assert fake.calls_to("chat.postMessage") == []
