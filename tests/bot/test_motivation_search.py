"""The motivation picker searches every earlier record of the group by what is typed: place,
category, words, week. Nothing registered after the activity was planned is offered."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from bot.incidents.service import parse_quick
from bot.weekly.reports import EntryDraft
from tests.bot.test_activities import MONDAY, draft, place_id


def log(demo, actor, text: str, now: datetime) -> str:
    return f"i:{demo.incidents.log(actor, parse_quick(text), now=now).incident.id}"


def keys(demo, actor, typed: str = "", **kw) -> list[str]:
    found = demo.activities.candidates(actor, [], now=MONDAY, typed=typed, limit=100, **kw)
    return [c.key for c in found]


def test_a_record_13_weeks_old_and_one_of_last_year_are_offered(demo, anna):
    old = log(
        demo,
        anna,
        "Fittja centrum; lustgas; Patroner; 2026-08-20 21:00",
        MONDAY - timedelta(weeks=13),
    )
    older = log(
        demo,
        anna,
        "Fittja centrum; lustgas; I fjol; 2025-10-01 20:00",
        datetime(2025, 10, 2, tzinfo=UTC),
    )
    assert keys(demo, anna) == [old, older]  # newest saved first


def test_typing_a_place_a_category_or_a_word_narrows_the_list(demo, anna, erik):
    week = MONDAY - timedelta(days=3)
    karsby = log(demo, erik, "Kårsby IP; buskörning; Mopeder på planen; 2026-11-19 20:00", week)
    fittja = log(
        demo, anna, "Fittja centrum; lustgas; Patroner vid trappan; 2026-11-18 21:00", week
    )
    tumba = log(demo, anna, "Tumba station; klotter; Tåget målat; 2026-11-17 10:00", week)
    assert keys(demo, anna, "karsby") == [karsby]  # no diacritics needed
    assert keys(demo, anna, "lustgas") == [fittja]  # the category
    assert keys(demo, anna, "trappan") == [fittja]  # a word of the text
    assert keys(demo, anna, "Patroner fittja") == [fittja]  # every word must match
    assert keys(demo, anna, "patroner tumba") == []
    assert keys(demo, anna, "tåget") == [tumba]
    assert set(keys(demo, anna)) == {karsby, fittja, tumba}


def test_a_week_is_read_as_the_latest_such_week(demo, anna):
    w46 = log(
        demo, anna, "Fittja centrum; lustgas; v46; 2026-11-10 21:00", MONDAY - timedelta(days=10)
    )
    w47 = log(
        demo, anna, "Fittja centrum; lustgas; v47; 2026-11-17 21:00", MONDAY - timedelta(days=3)
    )
    a_year_ago = log(
        demo,
        anna,
        "Fittja centrum; lustgas; förra året; 2025-11-11 21:00",
        datetime(2025, 11, 12, tzinfo=UTC),
    )
    assert keys(demo, anna, "v. 46") == [w46]  # 2026's week 46: 9–15 November
    assert keys(demo, anna, "vecka 47 lustgas") == [w47]
    assert keys(demo, anna, "v46 2025") == [a_year_ago]


def test_report_entries_are_found_by_observation_and_organisation(demo, anna, erik):
    fittja = place_id(demo, anna, "Fittja centrum")
    demo.reports.save(
        erik,
        [EntryDraft(fittja, "oroligt", "sämre", "Langning kvällstid")],
        now=MONDAY - timedelta(days=2),
    )
    [entry] = keys(demo, anna, "langning")
    assert entry.startswith("r:")
    assert keys(demo, anna, "polisen") == [entry]


def test_nothing_saved_after_the_activity_was_planned_is_offered(demo, anna):
    before = log(
        demo, anna, "Fittja centrum; lustgas; Före; 2026-11-19 21:00", MONDAY - timedelta(days=3)
    )
    planned = demo.activities.create(anna, draft(demo, anna), now=MONDAY - timedelta(days=2))
    after = log(
        demo, anna, "Fittja centrum; lustgas; Efter; 2026-11-22 08:00", MONDAY - timedelta(days=1)
    )
    assert keys(demo, anna, "lustgas", activity_id=planned.id) == [before]
    assert keys(demo, anna, "lustgas") == [after, before]


def test_a_restricted_text_is_not_searched(demo, anna, erik):
    text = "Fittja centrum; langning; Överlämning bakom hallen; 2026-11-15 21:30; begränsad"
    secret = log(demo, erik, text, MONDAY - timedelta(days=7))
    assert keys(demo, anna, "hallen") == []
    assert keys(demo, anna, "överlämning") == []
    assert keys(demo, anna, "fittja") == [secret]  # found by its place, shown by its category


def test_at_most_100_are_offered(demo, anna):
    for n in range(105):
        log(
            demo,
            anna,
            f"Fittja centrum; klotter; nr {n}; 2026-11-10 12:00",
            MONDAY - timedelta(days=5, minutes=n),
        )
    found = keys(demo, anna, "klotter")
    assert len(found) == 100
