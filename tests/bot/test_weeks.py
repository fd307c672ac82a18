"""Weeks mean one thing in every command that takes one, around New Year and week 53.

The demo group meets on Tuesdays at 09:00 and wants reports by Monday 15:00 (Stockholm). 2026
has 53 ISO weeks: week 53 is Monday 28 December 2026 – Sunday 3 January 2027, its meeting is
Tuesday 29 December at 09:00 CET (08:00 UTC); week 1 of 2027 begins on Monday 4 January, its
meeting is Tuesday 5 January 08:00 UTC. Every expected value below is worked out by hand from
that calendar.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest

from bot.actors import Actor
from bot.errors import Conflict, InvalidInput, NotFound
from bot.i18n import N_
from bot.incidents.service import parse_quick
from bot.services import Services
from bot.summary.posts import parse_week
from bot.timeparse import NoSuchWeek
from bot.weekly.reports import EntryDraft
from bot.weekly.weeks import MeetingWeek, meeting_week
from handlers.weekly.forms import CorrectPicture, ReportRequest, picture_command, report_command
from storage.models import Group
from tests.bot.conftest import as_user

STHLM = ZoneInfo("Europe/Stockholm")


def utc(month: int, day: int, hour: int, minute: int = 0, year: int = 2026) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=UTC)


def local(year: int, month: int, day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=STHLM)


GROUP = Group(
    id=1,
    name="EST",
    slack_team_id="T",
    slack_channel_id="C",
    created_by="U",
    created_at=utc(1, 1, 0, year=2025),
    updated_at=utc(1, 1, 0, year=2025),
)

# ---- which meeting is meant now --------------------------------------------------------------


def meant(now: datetime) -> MeetingWeek:
    return meeting_week(GROUP, now)


def test_the_meeting_meant_is_this_weeks_until_twelve_hours_after_it_began():
    before = meant(local(2026, 12, 29, 8, 0))
    assert (before.iso_year, before.iso_week, before.day) == (2026, 53, date(2026, 12, 29))
    assert before.at == utc(12, 29, 8)
    assert (before.held, before.begun, before.by_time) == (None, False, True)
    under_way = meant(local(2026, 12, 29, 20, 59))
    assert (under_way.iso_week, under_way.held, under_way.begun) == (53, None, True)
    evening = meant(local(2026, 12, 29, 21, 1))  # 12 hours and a minute after 09:00
    assert (evening.iso_year, evening.iso_week, evening.day) == (2027, 1, date(2027, 1, 5))
    assert (evening.held, evening.begun) == (date(2026, 12, 29), False)
    sunday = meant(local(2027, 1, 3, 18, 0))  # still ISO week 53
    assert (sunday.iso_year, sunday.iso_week, sunday.held) == (2027, 1, date(2026, 12, 29))


def test_week_1_can_begin_in_december():
    # Sunday 28 December 2025 is in week 52 of 2025; its meeting (Tuesday 23 December) is over,
    # and the next, Tuesday 30 December 2025, is in week 1 of 2026
    sunday = meant(local(2025, 12, 28, 20, 0))
    assert (sunday.iso_year, sunday.iso_week) == (2026, 1)
    assert (sunday.day, sunday.held) == (date(2025, 12, 30), date(2025, 12, 23))


def test_a_holiday_moves_the_meeting_and_the_next_week_follows_it():
    # Tuesday 6 January 2026 is trettondedag jul: week 2's meeting is Wednesday 7 January
    monday = meant(local(2026, 1, 5, 10, 0))
    assert (monday.iso_year, monday.iso_week, monday.day) == (2026, 2, date(2026, 1, 7))
    assert (monday.planned, monday.holiday) == (date(2026, 1, 6), "Trettondedag jul")
    assert monday.at == utc(1, 7, 8)
    late = meant(local(2026, 1, 7, 21, 30))  # 12 hours after Wednesday 09:00
    assert (late.iso_week, late.day, late.held, late.holiday) == (
        3,
        date(2026, 1, 13),
        date(2026, 1, 7),
        None,
    )


def test_a_week_asked_for_is_that_weeks_meeting():
    asked = meeting_week(GROUP, local(2027, 1, 2, 12, 0), (2026, 50))
    assert (asked.iso_week, asked.day, asked.held, asked.by_time) == (
        50,
        date(2026, 12, 8),
        None,
        False,
    )


# ---- the lägesbild counts the seven days before its meeting ----------------------------------


def log(demo: Services, who: Actor, at: datetime, place: str = "Fittja centrum") -> int:
    return demo.incidents.log(
        who, parse_quick(f"{place}; narkotikaförsäljning; x"), now=at
    ).incident.id


@pytest.fixture
def around_new_year(demo: Services, anna: Actor) -> Services:
    """Five incidents at Fittja centrum, one at Kårsby IP (times in UTC):

    - Mon 21 Dec 20:00: week 52's window (to Tue 22 Dec 08:00), not week 53's;
    - Wed 23 Dec 18:00, Thu 24 Dec 12:00 (Kårsby IP), Sun 27 Dec 21:00, Tue 29 Dec 07:30:
      week 53's window, Tue 22 Dec 08:00 – Tue 29 Dec 08:00;
    - Tue 29 Dec 09:00: after week 53's meeting began, so week 1's (Tue 29 Dec – Tue 5 Jan).
    """
    for at in (utc(12, 21, 20), utc(12, 23, 18), utc(12, 27, 21), utc(12, 29, 7, 30)):
        log(demo, anna, at)
    log(demo, anna, utc(12, 24, 12), "Kårsby IP")
    log(demo, anna, utc(12, 29, 9))
    return demo


def fittja(picture) -> tuple[int, float]:
    line = next(p for p in picture.places if p.place == "Fittja centrum")
    return line.incidents, line.average


def test_before_the_meeting_the_lagesbild_counts_its_seven_days_so_far(around_new_year, anna):
    demo = around_new_year
    sunday = demo.meetings.picture(anna, now=utc(12, 27, 22))  # Sunday 23:00, ISO week 52
    assert (sunday.iso_year, sunday.iso_week) == (2026, 53)
    # 23 and 27 December; "the seven days before now" (from 20 Dec 22:00) would add 21 Dec
    assert fittja(sunday) == (2, 0.25)  # the four windows before: 21 December's, over 4
    assert (sunday.window_start, sunday.window_end) == (
        "2026-12-22T08:00:00+00:00",
        "2026-12-27T22:00:00+00:00",
    )
    assert sunday.so_far and sunday.meeting_at == "2026-12-29T08:00:00+00:00"
    monday = demo.meetings.picture(anna, now=utc(12, 28, 12))  # a day later: still the same two
    assert fittja(monday) == (2, 0.25) and monday.window_start == sunday.window_start
    meeting = demo.meetings.picture(anna, now=utc(12, 29, 8, 30))  # the meeting under way
    assert fittja(meeting) == (3, 0.25) and not meeting.so_far
    assert meeting.window_end == "2026-12-29T08:00:00+00:00"
    kårsby = next(p for p in meeting.places if p.place == "Kårsby IP")
    assert kårsby.incidents == 1


def test_after_the_meeting_its_week_and_the_next_are_apart(around_new_year, anna):
    demo = around_new_year
    wednesday = utc(12, 30, 10)
    week_53 = demo.meetings.picture(anna, "v53", now=wednesday)
    assert (week_53.iso_year, week_53.iso_week, fittja(week_53)) == (2026, 53, (3, 0.25))
    assert not week_53.so_far
    assert week_53.meeting is not None and not week_53.meeting.by_time
    coming = demo.meetings.picture(anna, now=wednesday)
    assert (coming.iso_year, coming.iso_week) == (2027, 1)
    # 29 December 09:00 only; the average is of 1–29 December: four incidents over four windows
    assert fittja(coming) == (1, 1.0) and coming.so_far
    assert coming.meeting is not None and coming.meeting.held == date(2026, 12, 29)
    assert [p.place for p in coming.places] == ["Fittja centrum"]  # Kårsby IP's was week 53's
    typed = demo.meetings.picture(anna, "v1", now=wednesday)  # the nearest week 1
    assert replace(typed, meeting=None) == replace(coming, meeting=None)


# ---- /est möte, an early close, the minutes' pointer, /est lägesbild ändra --------------------


def test_a_meeting_opened_on_tuesday_evening_is_next_weeks_and_its_pointer_finds_it(
    around_new_year, anna
):
    demo = around_new_year
    evening = utc(12, 29, 20, 30)  # 21:30 local: week 53's meeting began 12.5 hours ago
    meeting_id, agenda = demo.meetings.open(anna, now=evening)
    assert (agenda.iso_year, agenda.iso_week, agenda.meeting_day) == (2027, 1, "2027-01-05")
    assert agenda.meeting is not None and agenda.meeting.held == date(2026, 12, 29)
    assert agenda.so_far and fittja(agenda)[0] == 1
    minutes = demo.meetings.close(anna, meeting_id, now=evening)  # closed early
    assert (minutes.iso_year, minutes.iso_week, minutes.picture.version) == (2027, 1, 1)
    assert minutes.picture.so_far  # frozen before its seven days were over, and says so
    saturday = utc(1, 2, 12, year=2027)  # ISO week 53 of 2026: "v1" is next week's
    for typed in ("v1", "v1 2027", "2027-v1", "vecka 1 2027"):
        frozen = demo.meetings.picture(anna, typed, now=saturday)
        assert (frozen.iso_year, frozen.iso_week, frozen.version) == (2027, 1, 1), typed
    with pytest.raises(Conflict) as closed:
        demo.meetings.open(anna, now=saturday)
    assert closed.value.message == N_(
        "The meeting on {day}, week {week}, is closed: `/est lägesbild v{week} {year}` shows "
        "what it agreed. `/est möte` opens the next meeting from {next}.",
        day="tisdag 5 januari 2027",
        week=1,
        year=2027,
        next="tisdag 5 januari 2027 kl. 21:00",
    )


def test_a_correction_names_its_week_with_or_without_the_year(around_new_year, anna):
    demo = around_new_year
    meeting_id, _agenda = demo.meetings.open(anna, now=utc(12, 29, 8, 30))
    demo.meetings.close(anna, meeting_id, now=utc(12, 29, 9, 30))
    monday = utc(1, 4, 9, year=2027)  # week 1 of 2027
    command = picture_command("ändra v53 2026 Polisens siffror kom sent")
    assert command == CorrectPicture("v53 2026", "Polisens siffror kom sent")
    second = demo.meetings.correct(anna, command.week, command.reason, now=monday)
    assert (second.iso_year, second.iso_week, second.version) == (2026, 53, 2)
    assert second.reason == "Polisens siffror kom sent"
    # in January, "v53" alone is the week 53 just ended
    third = demo.meetings.correct(anna, "v53", "Rättelse", now=monday)
    assert (third.iso_year, third.iso_week, third.version) == (2026, 53, 3)
    with pytest.raises(InvalidInput) as unnamed:
        demo.meetings.correct(anna, "", "Rättelse", now=monday)
    assert unnamed.value.message == N_("Say which week: `/est lägesbild ändra v50 <orsak>`.")
    with pytest.raises(NotFound) as never:
        demo.meetings.correct(anna, "v52 2026", "Rättelse", now=monday)
    assert never.value.message == N_(
        "Week {week}, {year} has no adopted lägesbild yet.", week=52, year=2026
    )
    with pytest.raises(NoSuchWeek):
        demo.meetings.correct(anna, "v53 2027", "Rättelse", now=monday)


def test_a_week_that_does_not_exist_gets_an_answer_from_the_lagesbild(demo, anna):
    with pytest.raises(NoSuchWeek) as caught:
        demo.meetings.picture(anna, "v54", now=utc(12, 2, 12))
    assert caught.value.message.params == {
        "text": "v54",
        "week": 54,
        "year": None,
        "long_year": 2026,
    }
    with pytest.raises(InvalidInput) as month:
        demo.meetings.picture(anna, "november", now=utc(12, 2, 12))
    assert month.value.message == N_(
        "Write the week as v50, v50 2026 or 2026-v50 (“{text}”).", text="november"
    )


# ---- /est rapport -----------------------------------------------------------------------------


def test_the_report_is_for_the_meeting_meant_and_says_so(around_new_year, erik):
    demo = around_new_year
    wednesday = utc(12, 30, 10)
    form = demo.reports.form(erik, now=wednesday)
    assert (form.iso_year, form.iso_week) == (2027, 1)
    assert form.meeting.day == date(2027, 1, 5) and form.meeting.held == date(2026, 12, 29)
    # the places with incidents in week 1's seven days so far: not Kårsby IP (24 December)
    assert [p.name for p in form.places] == ["Fittja centrum"]
    assert report_command("v1 Kårsby IP, Alby") == ReportRequest("v1", ["Kårsby IP", " Alby"])
    assert report_command("Kårsby IP") == ReportRequest("", ["Kårsby IP"])
    asked = report_command("v1 2027 Kårsby IP")
    typed = demo.reports.form(erik, now=wednesday, add=asked.places, week_text=asked.week)
    assert (typed.iso_week, [p.name for p in typed.places]) == (1, ["Fittja centrum", "Kårsby IP"])


def test_a_report_for_a_later_meeting_is_refused_an_earlier_one_is_registered_afterwards(
    around_new_year, erik
):
    demo = around_new_year
    wednesday = utc(12, 30, 10)
    early = "Reports for the meeting of week {week}, {year} open after the meeting on {day}, "
    early += "week {current}: `/est rapport` now reports for that one."
    with pytest.raises(InvalidInput) as caught:
        demo.reports.form(erik, now=wednesday, week_text="v2")
    assert caught.value.message == N_(
        early, week=2, year=2027, day="tisdag 5 januari 2027", current=1
    )
    # week 53's meeting was yesterday: a report for it is late, not yet registered afterwards
    past = demo.reports.form(erik, now=wednesday, week_text="v53")
    assert (past.iso_year, past.iso_week, past.afterwards) == (2026, 53, False)
    with pytest.raises(NoSuchWeek):
        demo.reports.form(erik, now=wednesday, week_text="v54")


def test_a_form_saves_to_the_week_it_was_opened_for(around_new_year, anna, erik):
    demo = around_new_year
    karsby = demo.places.resolve(anna, "Kårsby IP").id
    entry = [EntryDraft(karsby, "oroligt", "sämre", "Buskörning")]
    wednesday = utc(12, 30, 10)
    # opened for week 53 before its meeting was over, submitted on Wednesday: week 53, late
    late = demo.reports.save(erik, entry, now=wednesday, for_week=(2026, 53))
    assert (late.iso_year, late.iso_week, late.late) == (2026, 53, True)
    coming = demo.reports.save(erik, entry, now=wednesday)
    assert (coming.iso_year, coming.iso_week, coming.late) == (2027, 1, False)
    assert demo.reports.mine(erik, now=wednesday) == coming
    # a form opened for week 52 (now registered afterwards: the window opens 1 January 2026)
    older = demo.reports.save(erik, entry, now=wednesday, for_week=(2026, 52))
    assert (older.iso_year, older.iso_week, older.afterwards) == (2026, 52, True)
    sara = as_user(demo, "U0SARA")
    with pytest.raises(InvalidInput):
        demo.reports.save(sara, entry, now=wednesday, for_week=(2027, 2))
    assert demo.reports.mine(sara, now=wednesday) is None  # nothing half-saved


# ---- /est sammanfattning and the exports -------------------------------------------------------


def test_the_summary_of_week_53_from_either_side_of_new_year(around_new_year, anna):
    demo = around_new_year
    monday = utc(1, 4, 9, year=2027)
    assert parse_week("", monday, STHLM) == (2026, 53)
    assert parse_week("förra veckan", monday, STHLM) == (2026, 53)
    for typed in ("v53", "53", "v53 2026", "2026-v53"):
        assert parse_week(typed, monday, STHLM) == (2026, 53), typed
    assert parse_week("v52", monday, STHLM) == (2026, 52)
    summary = demo.summaries.show(anna, "v53", now=monday)
    assert (summary.iso_year, summary.iso_week, summary.total) == (2026, 53, 2)  # 29 December
    not_over = "Week {week}, {year} ({days}) is not over yet: its summary can be posted from the "
    not_over += "Monday after."
    for typed, now, message in (
        (
            "v53",
            utc(12, 30, 10),
            N_(not_over, week=53, year=2026, days="28 december 2026 – 3 januari 2027"),
        ),
        ("v1", monday, N_(not_over, week=1, year=2027, days="4–10 januari 2027")),
    ):
        with pytest.raises(InvalidInput) as caught:
            demo.summaries.post_now(anna, typed, now=now)
        assert caught.value.message == message


def test_the_incident_export_of_week_53(around_new_year, anna):
    demo = around_new_year
    tuesday = utc(1, 5, 10, year=2027)
    csv_file, _xlsx = demo.exports.incidents(anna, "v53", now=tuesday)
    assert csv_file.filename == "handelser-2026-12-28-2027-01-03.csv"
    lines = csv_file.content.decode("utf-8-sig").strip().splitlines()
    assert [line.split(";")[2] for line in lines[1:]] == ["53", "53"]  # 29 December, twice
    with pytest.raises(NoSuchWeek) as caught:
        demo.exports.incidents(anna, "v54 Fittja centrum", now=tuesday)
    assert caught.value.message.params["text"] == "v54"
    with pytest.raises(NoSuchWeek) as short:
        demo.exports.incidents(anna, "Fittja centrum v53 2027", now=tuesday)
    assert (short.value.year, short.value.week) == (2027, 53)
