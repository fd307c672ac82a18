"""The Swedish voice in what the builders write: one date style, Swedish quotes, a finished
action without its due date, an empty list said as such. Expected texts written by hand."""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest

from bot.actions.results import ActionItem
from bot.analysis.periods import parse_est_period
from bot.errors import InvalidInput
from bot.i18n import Translator
from bot.places.service import RegisteredPlace
from handlers.actions.blocks import build_list, summary
from handlers.places.blocks import merged
from handlers.text import format_day_short, format_short, format_when, quoted

SV, EN = Translator("sv"), Translator("en")
TZ = ZoneInfo("Europe/Stockholm")
AT = datetime(2026, 11, 20, 20, 30, tzinfo=UTC)  # fredag 20 november 21:30 in Stockholm


def test_one_date_style_in_messages() -> None:
    assert format_when(AT, TZ, "sv") == "fredag 20 november 2026 kl. 21:30"
    assert format_short(AT, TZ, "sv") == "fre 20 nov. 21:30"
    assert format_day_short(date(2026, 12, 8), "sv") == "tis 8 dec."
    assert format_day_short("2026-12-08", "sv", year=True) == "tis 8 dec. 2026"
    assert format_day_short(date(2026, 12, 8), "en") == "Tue 8 Dec"


def test_quotes_are_the_readers() -> None:
    assert quoted("Påsar", "sv") == "”Påsar”"
    assert quoted("Bags", "en") == "“Bags”"


def _action(status: str) -> ActionItem:
    return ActionItem(
        id=4,
        group_id=1,
        title="Belysning vid entrén",
        description="",
        owner_user_id="U0SARA",
        organisation="Botkyrkabyggen",
        horizon="kort",
        status=status,
        due_date=date(2026, 12, 5),
        places=(),
        incident_ids=(),
        iso_year=None,
        iso_week=None,
        decision_ref=None,
        created_by="U0ANNA",
        created_at=AT,
        updated_at=AT,
        done_at=AT if status == "klar" else None,
    )


def test_a_done_action_says_done_not_when_it_was_due() -> None:
    today = date(2026, 12, 1)
    assert summary(SV, _action("klar"), today) == (
        "*#4 Belysning vid entrén* · <@U0SARA> (Botkyrkabyggen) · klar"
    )
    assert summary(SV, _action("öppen"), today) == (
        "*#4 Belysning vid entrén* · <@U0SARA> (Botkyrkabyggen) · klar senast lör 5 dec. · öppen"
    )


def test_an_empty_list_says_it_is_empty() -> None:
    shown = build_list(SV, SV.gettext("overdue actions"), [], date(2026, 12, 1))
    assert shown["text"] == "Försenade åtgärder: inga just nu."
    assert build_list(EN, EN.gettext("my open actions"), [], date(2026, 12, 1))["text"] == (
        "My open actions: none right now."
    )


def test_a_period_not_yet_ended_names_its_last_day_in_words() -> None:
    with pytest.raises(InvalidInput) as caught:
        parse_est_period("kvartal 2026-Q4", today=date(2026, 12, 7))
    # the fourth quarter of 2026 ends on Thursday 31 December
    assert "torsdag 31 december 2026" in SV.render(caught.value.message)


def test_a_count_agrees_with_its_noun() -> None:
    alby = RegisteredPlace(1, "Alby C", "Alby", "centrum", (), False)
    centrum = RegisteredPlace(2, "Alby centrum", "Alby", "centrum", (), True)
    assert merged(SV, alby, centrum, 1)["text"] == (
        "*Alby C* är sammanslagen med *Alby centrum*: 1 händelse flyttades."
    )
    assert merged(SV, alby, centrum, 3)["text"] == (
        "*Alby C* är sammanslagen med *Alby centrum*: 3 händelser flyttades."
    )


def test_the_lagesbild_says_its_actions_and_activities_days_in_the_message_style() -> None:
    import json

    from bot.weekly.picture import ActionLine, ActivityEntry, PlaceLine
    from handlers.weekly.blocks import _place_blocks

    line = PlaceLine(
        1, "Fittja centrum", "Fittja", 0, 0.0, [], [], None, False,
        [ActionLine(5, "Nattvandring", "U0OMAR", "2026-12-11", False)],
        [ActivityEntry(7, "Trygghetsvandring", "trygghetsvandring", "2026-12-16 19:00",
                       "planerad", True, None)],
    )  # fmt: skip
    shown = json.dumps(
        [b.to_dict() for b in _place_blocks(Translator("sv"), line, meeting_id=None)],
        ensure_ascii=False,
    )
    assert "fre 11 dec." in shown and "ons 16 dec. 19:00" in shown
    assert "2026-12-11" not in shown and "2026-12-16" not in shown
