"""Which meeting, and which days, as people read them: the lines of `/est möte`, `/est rapport`
and the lägesbild, in Swedish and English, from hand-made values and from the services."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest

from bot.demo.workspace import DEMO_CHANNEL, DEMO_TEAM, load_demo
from bot.errors import InvalidInput
from bot.i18n import Translator
from bot.incidents.service import parse_quick
from bot.services import Services
from bot.timeparse import read_week
from bot.weekly.picture import Picture
from bot.weekly.weeks import MeetingWeek
from handlers.commands.router import error_message
from handlers.weekly.blocks import build_minutes, build_picture
from handlers.weekly.report_form import build_report_modal
from handlers.weekly.weeks import meeting_line, window_line

SV, EN = Translator("sv"), Translator("en")


def utc(year: int, month: int, day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=UTC)


def meeting(
    year: int,
    week: int,
    day: date,
    *,
    planned: date | None = None,
    holiday: str | None = None,
    held: date | None = None,
    begun: bool = False,
    by_time: bool = True,
) -> MeetingWeek:
    """A meeting at 09:00 CET (08:00 UTC) on ``day``."""
    at = datetime(day.year, day.month, day.day, 8, tzinfo=UTC)
    return MeetingWeek(
        year, week, at, day, planned or day, holiday, held, begun, by_time, "Europe/Stockholm"
    )


def test_the_next_meeting_says_this_weeks_is_over():
    tuesday_evening = meeting(2027, 1, date(2027, 1, 5), held=date(2026, 12, 29))
    assert meeting_line(SV, tuesday_evening) == (
        "Mötet tisdag 5 januari, vecka 1: veckans möte tisdag 29 december är över, så det här "
        "är nästa."
    )
    assert meeting_line(EN, tuesday_evening) == (
        "The meeting on Tuesday 5 January, week 1: this week's meeting on Tuesday 29 December "
        "is over, so this is the next one."
    )


def test_week_1_in_december_carries_its_years():
    december = meeting(2026, 1, date(2025, 12, 30), held=date(2025, 12, 23))
    assert meeting_line(SV, december) == (
        "Mötet tisdag 30 december 2025, vecka 1 2026: veckans möte tisdag 23 december är över, "
        "så det här är nästa."
    )


def test_this_weeks_meeting_before_and_after_it_began():
    coming = meeting(2026, 53, date(2026, 12, 29))
    assert meeting_line(SV, coming) == "Mötet tisdag 29 december, vecka 53: veckans möte."
    begun = meeting(2026, 53, date(2026, 12, 29), begun=True)
    assert meeting_line(SV, begun) == (
        "Mötet tisdag 29 december, vecka 53: veckans möte, som började kl. 09:00."
    )
    asked = meeting(2026, 50, date(2026, 12, 8), by_time=False)
    assert meeting_line(SV, asked) == "Mötet tisdag 8 december, vecka 50."


def test_a_holiday_that_moved_the_meeting_is_named():
    moved = meeting(2026, 2, date(2026, 1, 7), planned=date(2026, 1, 6), holiday="Trettondedag jul")
    assert meeting_line(SV, moved) == (
        "Mötet onsdag 7 januari, vecka 2: veckans möte. Det är flyttat från tisdag 6 januari "
        "på grund av Trettondedag jul."
    )


def picture(start: str, end: str, meeting_at: str, version: int | None = None) -> Picture:
    return Picture(
        1, 2026, 53, "2026-12-29", None, start, end, [], [], [], version, None, meeting_at
    )


def test_the_window_line_says_what_is_counted():
    at = "2026-12-29T08:00:00+00:00"
    so_far = picture("2026-12-22T08:00:00+00:00", "2026-12-27T22:00:00+00:00", at)
    assert window_line(SV, so_far) == (
        "Hittills, fram till nu (sön 27 dec. 23:00): händelserna under de sju dagarna före "
        "mötet, från tis 22 dec. 09:00."
    )
    whole = picture("2026-12-22T08:00:00+00:00", at, at)
    assert window_line(SV, whole) == (
        "Händelser under de sju dagarna före mötet: tis 22 dec. 09:00 – tis 29 dec. 09:00."
    )
    early = picture("2026-12-22T08:00:00+00:00", "2026-12-27T22:00:00+00:00", at, version=1)
    assert window_line(SV, early) == (
        "Fastställd före mötestiden: räknat fram till sön 27 dec. 23:00, av de sju dagarna före "
        "mötet från tis 22 dec. 09:00."
    )
    ahead = picture("2026-12-22T08:00:00+00:00", "2026-12-22T08:00:00+00:00", at)
    assert window_line(SV, ahead) == (
        "De sju dagarna före mötet börjar tis 22 dec. 09:00: inget är räknat än."
    )
    assert window_line(SV, picture("", "", "")) is None  # a picture made by hand, without them


def context_texts(message: dict) -> list[str]:
    return [
        element["text"]
        for block in message["blocks"]
        if block["type"] == "context"
        for element in block["elements"]
    ]


def test_meeting_on_tuesday_evening_opens_next_weeks_and_the_agenda_says_so(
    services: Services,
) -> None:
    s = services
    load_demo(s.db, s.groups, now=utc(2026, 11, 20, 21))
    anna = s.groups.locate(DEMO_TEAM, DEMO_CHANNEL, "U0ANNA")
    s.incidents.log(
        anna, parse_quick("Fittja centrum; narkotikaförsäljning; x"), now=utc(2026, 12, 29, 19)
    )
    evening = utc(2026, 12, 29, 20, 30)  # Tuesday 21:30 in Stockholm
    meeting_id, agenda = s.meetings.open(anna, now=evening)
    [message] = build_picture(SV, agenda, meeting_id=meeting_id)
    assert message["blocks"][0]["text"]["text"] == "Lägesbild vecka 1, 2027"
    assert context_texts(message)[0] == (
        "Mötet tisdag 5 januari, vecka 1: veckans möte tisdag 29 december är över, så det här "
        "är nästa. Hittills, fram till nu (tis 29 dec. 21:30): händelserna under de sju dagarna "
        "före mötet, från tis 29 dec. 09:00."
    )
    minutes = s.meetings.close(anna, meeting_id, now=evening)
    [closed] = build_minutes(SV, minutes)
    assert context_texts(closed) == [
        "Veckans lägesbild är fastställd (version 1): `/est lägesbild v1 2027`."
    ]


def test_the_report_form_says_which_meeting_and_keeps_its_week(services: Services) -> None:
    s = services
    load_demo(s.db, s.groups, now=utc(2026, 11, 20, 21))
    erik = s.groups.locate(DEMO_TEAM, DEMO_CHANNEL, "U0ERIK")
    form = s.reports.form(erik, now=utc(2026, 12, 30, 10))  # Wednesday after week 53's meeting
    view = build_report_modal(SV, form, channel=DEMO_CHANNEL)
    assert context_texts(view)[0] == (
        "Mötet tisdag 5 januari, vecka 1: veckans möte tisdag 29 december är över, så det här "
        "är nästa."
    )
    assert json.loads(view["private_metadata"])["w"] == [2027, 1]


def test_what_was_typed_is_escaped_in_the_answer():
    now = utc(2026, 12, 2, 12)
    for typed, shown in (
        ("<!channel>", "Skriv veckan som v50, v50 2026 eller 2026-v50 (”&lt;!channel&gt;”)."),
        (
            "v54",
            "”v54” är vecka 54, och någon sådan vecka finns inte: veckorna numreras 1–52, "
            "och 1–53 de år som har 53 veckor, som 2026.",
        ),
    ):
        with pytest.raises(InvalidInput) as caught:
            read_week(typed, now=now, tz=ZoneInfo("Europe/Stockholm"))
        assert error_message(SV, caught.value)["text"] == shown
