"""One weekly cycle with a fixed clock: reports (one late), the compiled picture, the meeting."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from bot.errors import Conflict, InvalidInput, PersonalDataError
from bot.incidents.service import parse_quick
from bot.weekly.reports import EntryDraft
from tests.bot.conftest import as_user

# Week 48 of 2026: reports due Monday 23 Nov 15:00, the meeting Tuesday 24 Nov 09:00 (Stockholm)
MONDAY_MORNING = datetime(2026, 11, 23, 8, 0, tzinfo=UTC)  # 09:00 local
MONDAY_EVENING = datetime(2026, 11, 23, 17, 0, tzinfo=UTC)  # 18:00 local: after the deadline
TUESDAY = datetime(2026, 11, 24, 8, 30, tzinfo=UTC)  # 09:30 local: in the meeting


@pytest.fixture
def week(demo, anna, erik):
    """Incidents at two places, and reports from the three organisations (the police late)."""
    fittja = demo.places.resolve(anna, "Fittja centrum").id
    karsby = demo.places.resolve(anna, "Kårsby IP").id
    for hours in (20, 30, 40):
        demo.incidents.log(
            anna,
            parse_quick("Fittja centrum; narkotikaförsäljning; x"),
            now=MONDAY_MORNING - timedelta(hours=hours),
        )
    demo.incidents.log(erik, parse_quick("Kårsby IP; buskörning; y"), now=MONDAY_MORNING)
    sara = as_user(demo, "U0SARA")
    demo.reports.save(
        anna, [EntryDraft(fittja, "oroligt", "sämre", "Fler unga samlas")], now=MONDAY_MORNING
    )
    demo.reports.save(
        sara,
        [
            EntryDraft(fittja, "allvarligt", "sämre", "Langning i trapphus"),
            EntryDraft(karsby, "lugnt", "oförändrat"),
        ],
        now=MONDAY_MORNING,
    )
    demo.reports.save(
        erik, [EntryDraft(karsby, "oroligt", "sämre", "Buskörning kvällstid")], now=MONDAY_EVENING
    )
    return {"fittja": fittja, "karsby": karsby}


def test_reports_are_versioned_and_late_is_marked(demo, anna, erik, week):
    again = demo.reports.save(
        anna,
        [EntryDraft(week["fittja"], "allvarligt", "sämre", "Värre")],
        now=MONDAY_MORNING + timedelta(hours=1),
    )
    assert again.version == 2 and not again.late
    police = demo.reports.mine(erik, now=MONDAY_EVENING)
    assert police is not None and police.late and police.iso_week == 48


def test_the_picture_puts_the_most_serious_first(demo, anna, week):
    picture = demo.meetings.picture(anna, now=TUESDAY)
    assert (picture.iso_year, picture.iso_week, picture.meeting_day) == (2026, 48, "2026-11-24")
    first, second = picture.places[:2]
    assert (
        first.place == "Fittja centrum" and first.joint_level == "allvarligt"
    )  # the worst reported
    assert first.incidents == 3 and not first.agreed
    assert [(r.organisation, r.level) for r in first.reports] == [
        ("Botkyrka kommun", "oroligt"),
        ("Botkyrkabyggen", "allvarligt"),
    ]
    assert second.place == "Kårsby IP" and second.joint_level == "oroligt"
    assert picture.missing == []  # all three reported (one late)
    police = next(r for r in second.reports if r.organisation.startswith("Polisen"))
    assert police.late


def test_meeting_decides_sets_a_level_and_freezes(demo, anna, erik, week, db):
    meeting_id, agenda = demo.meetings.open(anna, now=TUESDAY)
    assert agenda.places[0].place == "Fittja centrum"
    plain = demo.meetings.decide(anna, meeting_id, "Trygghetsvandring torsdag", now=TUESDAY)
    assert plain.action_id is None
    acted = demo.meetings.decide(
        anna,
        meeting_id,
        "Ökad belysning vid tunnelbanan",
        place_id=week["fittja"],
        owner="U0ERIK",
        due=date(2026, 12, 4),
        now=TUESDAY,
    )
    assert acted.action_id is not None
    action = demo.actions.get(anna, acted.action_id)
    assert (action.owner_user_id, action.iso_week, action.places) == (
        "U0ERIK",
        48,
        ("Fittja centrum",),
    )
    demo.meetings.set_level(anna, meeting_id, week["karsby"], "lugnt", now=TUESDAY)
    with pytest.raises(InvalidInput):
        demo.meetings.set_level(anna, meeting_id, week["karsby"], "kaos", now=TUESDAY)
    minutes = demo.meetings.close(anna, meeting_id, now=TUESDAY + timedelta(hours=1))
    assert [d.text for d in minutes.decisions] == [
        "Trygghetsvandring torsdag",
        "Ökad belysning vid tunnelbanan",
    ]
    assert minutes.picture.version == 1
    karsby = next(p for p in minutes.picture.places if p.place == "Kårsby IP")
    assert karsby.joint_level == "lugnt" and karsby.agreed
    fittja = next(p for p in minutes.picture.places if p.place == "Fittja centrum")
    assert [a.title for a in fittja.actions] == ["Ökad belysning vid tunnelbanan"]
    with pytest.raises(Conflict):
        demo.meetings.decide(anna, meeting_id, "För sent", now=TUESDAY + timedelta(hours=2))

    # the frozen week does not change when the data does …
    demo.incidents.log(anna, parse_quick("Fittja centrum; narkotikaförsäljning; z"), now=TUESDAY)
    later = TUESDAY + timedelta(days=14)
    frozen = demo.meetings.picture(anna, "v48", now=later)
    assert frozen.version == 1
    assert next(p for p in frozen.places if p.place == "Fittja centrum").incidents == 3
    # … until someone freezes it again, with a reason: a new version, visible as such
    with pytest.raises(InvalidInput):
        demo.meetings.correct(anna, "v48", "  ", now=later)
    corrected = demo.meetings.correct(anna, "v48", "Sen rapport från polisen", now=later)
    assert (corrected.version, corrected.reason) == (2, "Sen rapport från polisen")
    assert demo.meetings.picture(anna, "v48", now=later).version == 2


def test_place_history_twelve_weeks(demo, anna, week):
    name, weeks = demo.meetings.place_history(anna, "fittja c", now=TUESDAY)
    assert name == "Fittja centrum" and len(weeks) == 12
    assert (weeks[0].iso_week, weeks[0].joint_level, weeks[0].incidents) == (48, "allvarligt", 3)
    assert weeks[1].iso_week == 47 and weeks[1].incidents == 0


def test_reports_refuse_personal_data_and_bad_levels(demo, anna, week):
    with pytest.raises(PersonalDataError):
        demo.reports.save(
            anna,
            [EntryDraft(week["fittja"], "oroligt", "sämre", "Ring 0701234567")],
            now=MONDAY_MORNING,
        )
    with pytest.raises(InvalidInput):
        demo.reports.save(anna, [EntryDraft(week["fittja"], "hemskt", "sämre")], now=MONDAY_MORNING)


def test_a_meeting_on_a_holiday_moves(demo, anna):
    # Tuesday 6 Jan 2026 is trettondedag jul: the meeting of week 2 moves to Wednesday 7 Jan
    picture = demo.meetings.picture(anna, "v2 2026", now=datetime(2026, 1, 8, 12, tzinfo=UTC))
    assert (picture.meeting_day, picture.holiday) == ("2026-01-07", "Trettondedag jul")


def test_a_report_written_on_sunday_is_for_tuesdays_meeting(demo, anna):
    fittja = demo.places.resolve(anna, "Fittja centrum").id
    sunday = datetime(2026, 11, 22, 18, 0, tzinfo=UTC)  # week 47; week 47's meeting was Tue 17
    saved = demo.reports.save(anna, [EntryDraft(fittja, "oroligt", "sämre")], now=sunday)
    assert (saved.iso_week, saved.late) == (48, False)
    wednesday_night = datetime(2026, 11, 18, 20, 0, tzinfo=UTC)  # after meeting 47 ended
    assert demo.reports.form(anna, now=wednesday_night).iso_week == 48


def test_history_counts_back_from_the_coming_meeting(demo, anna):
    demo.incidents.log(
        anna,
        parse_quick("Fittja centrum; narkotikaförsäljning; x"),
        now=datetime(2026, 11, 21, 20, 0, tzinfo=UTC),
    )
    sunday = datetime(2026, 11, 22, 18, 0, tzinfo=UTC)
    _name, weeks = demo.meetings.place_history(anna, "Fittja centrum", now=sunday)
    assert [w.iso_week for w in weeks[:2]] == [48, 47]
    assert weeks[0].incidents == 1  # Saturday's incident is in the week before Tuesday's meeting


def test_the_report_form_adds_named_places(demo, anna):
    form = demo.reports.form(anna, now=MONDAY_MORNING, add=["Kårsby IP", "tumba station"])
    assert [p.name for p in form.places] == ["Kårsby IP", "Tumba station"]
    assert form.iso_week == 48 and form.current is None


def test_minutes_list_actions_made_from_the_agenda(demo, anna, week):
    from bot.actions.service import ActionDraft

    meeting_id, _agenda = demo.meetings.open(anna, now=TUESDAY)
    demo.actions.create(
        anna,
        ActionDraft(
            title="Städa trappan",
            owner_user_id="U0SARA",
            due_date=date(2026, 12, 1),
            iso_year=2026,
            iso_week=48,
            decision_ref=f"meeting:{meeting_id}",
        ),
        now=TUESDAY,
    )
    minutes = demo.meetings.close(anna, meeting_id, now=TUESDAY)
    assert [(a.title, a.owner_user_id, a.due_date) for a in minutes.actions] == [
        ("Städa trappan", "U0SARA", date(2026, 12, 1))
    ]
