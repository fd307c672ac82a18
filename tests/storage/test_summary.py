"""The weekly summary's repositories, read directly on SQLite and PostgreSQL: counts per week
across the end of summer time, the action plan's counts and lines, the organisations that
report, the activities of a week and the two after it, and the stored summaries."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from bot.actions.service import ActionDraft
from bot.activities.service import FollowUp
from bot.actors import Actor
from bot.incidents.service import parse_quick
from bot.places.service import parse_place_form
from bot.services import Services
from bot.weekly.reports import EntryDraft
from storage.models import WeeklySummary
from storage.summary import ActionCounts
from tests.bot.test_activities import MONDAY, draft
from tests.conftest import NOW

# Mondays 00:00 in Stockholm, in UTC: summer time (UTC+2) ends on Sunday 25 October 2026
WEEKS = [
    datetime(2026, 10, 18, 22, 0, tzinfo=UTC),  # Monday 19 October, CEST
    datetime(2026, 10, 25, 23, 0, tzinfo=UTC),  # Monday 26 October, CET from here on
    datetime(2026, 11, 1, 23, 0, tzinfo=UTC),  # Monday 2 November
    datetime(2026, 11, 8, 23, 0, tzinfo=UTC),  # Monday 9 November
]


def log(
    services: Services, actor: Actor, text: str, *, now: datetime = NOW
) -> tuple[int, int, int]:
    """(incident, place, category) ids of an incident logged with the quick syntax."""
    logged = services.incidents.log(actor, parse_quick(text), now=now).incident
    return logged.id, logged.place_id, logged.category.id


def other_group(services: Services) -> Actor:
    """EST Alby, with a place of its own."""
    mallory = Actor("T0EST", "U0MAL", "C0ALBY")
    services.groups.create_group(
        mallory,
        name="EST Alby",
        organisation="Albyhem",
        kind="bostadsbolag",
        language="sv",
        now=NOW,
    )
    mallory = services.groups.locate("T0EST", "C0ALBY", "U0MAL")
    services.group_start.set(mallory, "2020-01-01", now=NOW)  # its records go back: tests log them
    mallory = services.groups.locate("T0EST", "C0ALBY", "U0MAL")
    services.places.add(mallory, parse_place_form("Albys torg; Alby; torg"), now=NOW)
    return mallory


@pytest.fixture
def weeks(demo: Services, anna: Actor, erik: Actor) -> dict[str, int]:
    """Three weeks of incidents; local times in the quick syntax (Stockholm)."""
    log(
        demo, anna, "Fittja centrum; narkotikaförsäljning; före; 2026-10-18 23:30"
    )  # Sunday: before
    _i, fittja, narkotika = log(
        demo, anna, "Fittja centrum; narkotikaförsäljning; a; 2026-10-19 00:30"
    )
    _i, _p, lustgas = log(demo, anna, "Fittja centrum; lustgas; b; 2026-10-25 23:30")  # week 0
    log(demo, anna, "Fittja centrum; lustgas; c; 2026-10-26 00:10")  # week 1
    _i, karsby, buskorning = log(demo, erik, "Kårsby IP; buskörning; d; 2026-10-28 12:00")
    log(demo, erik, "Kårsby IP; buskörning; e; 2026-11-08 12:00")  # week 2
    log(demo, erik, "Kårsby IP; buskörning; efter; 2026-11-09 00:00")  # the end: not counted
    gone, _p, _c = log(demo, anna, "Fittja centrum; klotter; fel; 2026-10-27 10:00")
    demo.incidents.delete(anna, gone, reason="fel plats", now=NOW)
    mallory = other_group(demo)
    log(demo, mallory, "Albys torg; klotter; annan grupp; 2026-10-28 12:00")
    return {
        "fittja": fittja,
        "karsby": karsby,
        "narkotika": narkotika,
        "lustgas": lustgas,
        "buskorning": buskorning,
    }


def test_incidents_per_week_by_place_and_by_category(demo, anna, weeks):
    with demo.db.unit_of_work(read_only=True) as uow:
        by_place = uow.summary.incidents_per_week(anna.group.id, WEEKS, by="place")
        by_category = uow.summary.incidents_per_week(anna.group.id, WEEKS, by="category")
    assert by_place == {weeks["fittja"]: [2, 1, 0], weeks["karsby"]: [0, 1, 1]}
    assert by_category == {
        weeks["narkotika"]: [1, 0, 0],
        weeks["lustgas"]: [1, 1, 0],
        weeks["buskorning"]: [0, 1, 1],
    }  # klotter: only deleted, and the other group's


def test_categories_per_place_most_first(demo, anna, weeks):
    with demo.db.unit_of_work(read_only=True) as uow:
        found = uow.summary.categories_per_place(anna.group.id, WEEKS[0], WEEKS[2])
    assert found == {
        weeks["fittja"]: [(weeks["lustgas"], 2), (weeks["narkotika"], 1)],
        weeks["karsby"]: [(weeks["buskorning"], 1)],
    }


def test_names_of_every_place_and_category_of_the_group(demo, anna, weeks):
    with demo.db.unit_of_work(read_only=True) as uow:
        places = uow.summary.place_names(anna.group.id)
        categories = uow.summary.category_names(anna.group.id)
    assert len(places) == 23 and "Albys torg" not in {name for name, _d in places.values()}
    assert places[weeks["karsby"]] == ("Kårsby IP", "Hallunda/Norsborg")
    assert len(categories) == 21
    assert categories[weeks["narkotika"]] == ("Öppen narkotikaförsäljning", "Open drug dealing")


# ISO week 47 of 2026: Monday 16 to Sunday 22 November, in Stockholm (UTC+1)
W47 = (datetime(2026, 11, 15, 23, 0, tzinfo=UTC), datetime(2026, 11, 22, 23, 0, tzinfo=UTC))
MONDAY_AFTER = date(2026, 11, 23)


def test_the_action_plan_in_numbers_and_lines(demo, anna):
    group_id = anna.group.id
    with demo.db.unit_of_work(read_only=True) as uow:
        assert uow.summary.action_counts(group_id, *W47, today=MONDAY_AFTER) == (0, 0, 0, 0)
    created = datetime(2026, 10, 26, 9, 0, tzinfo=UTC)

    def action(title: str, owner: str, due: date) -> int:
        return demo.actions.create(anna, ActionDraft(title, owner, due), now=created).id

    lights = action("Belysning Fittja", "U0ERIK", date(2026, 11, 18))  # open, overdue
    action("Trygghetsvandring", "U0ANNA", date(2026, 12, 1))  # open, not yet due
    sunday = action("Städa entrén", "U0ANNA", date(2026, 11, 22))  # due Sunday: overdue Monday
    action("Skylt", "U0ANNA", MONDAY_AFTER)  # due on Monday itself: open, not overdue
    started = action("Kameror", "U0ERIK", date(2026, 11, 20))  # in progress, overdue
    demo.actions.set_status(anna, started, "pågår", now=created)
    done = action("Klotter bort", "U0ANNA", date(2026, 11, 30))
    demo.actions.set_status(anna, done, "klar", now=datetime(2026, 11, 18, 10, 0, tzinfo=UTC))
    before = action("Gammal", "U0ANNA", date(2026, 11, 1))  # done the week before
    demo.actions.set_status(anna, before, "klar", now=datetime(2026, 11, 12, 10, 0, tzinfo=UTC))
    with demo.db.unit_of_work(read_only=True) as uow:
        counts = uow.summary.action_counts(group_id, *W47, today=MONDAY_AFTER)
        done_lines = uow.summary.actions_done(group_id, *W47, limit=10)
        overdue = uow.summary.actions_overdue(group_id, MONDAY_AFTER, limit=10)
        first_two = uow.summary.actions_overdue(group_id, MONDAY_AFTER, limit=2)
    assert counts == ActionCounts(total=7, done=1, open=5, overdue=3)
    assert [(a.id, organisation) for a, organisation in done_lines] == [(done, "Botkyrka kommun")]
    assert [(a.id, a.due_date, organisation) for a, organisation in overdue] == [
        (lights, date(2026, 11, 18), "Polisen lokalpolisområde Botkyrka"),  # the owner's
        (started, date(2026, 11, 20), "Polisen lokalpolisområde Botkyrka"),
        (sunday, date(2026, 11, 22), "Botkyrka kommun"),
    ]
    assert [a.id for a, _o in first_two] == [lights, started]


def test_which_reporting_organisations_have_reported_the_week(demo, anna):
    fittja = demo.places.resolve(anna, "Fittja centrum").id
    # saved on Monday 16 November 09:00 local: the report of week 47
    demo.reports.save(
        anna, [EntryDraft(fittja, "oroligt", "sämre")], now=datetime(2026, 11, 16, 8, tzinfo=UTC)
    )
    with demo.db.unit_of_work(read_only=True) as uow:
        w47 = uow.summary.reporting_organisations(anna.group.id, 2026, 47)
        w46 = uow.summary.reporting_organisations(anna.group.id, 2026, 46)
    assert sorted(w47) == [
        ("Botkyrka kommun", True),
        ("Botkyrkabyggen", False),
        ("Polisen lokalpolisområde Botkyrka", False),
    ]
    assert sorted(w46) == [
        ("Botkyrka kommun", False),
        ("Botkyrkabyggen", False),
        ("Polisen lokalpolisområde Botkyrka", False),
    ]


def test_no_reporting_organisations_is_an_empty_list(demo, anna):
    with demo.db.unit_of_work() as uow:
        for organisation in uow.organisations.of_group(anna.group.id):
            organisation.reports = False
            uow.organisations.add(organisation)
    with demo.db.unit_of_work(read_only=True) as uow:
        assert uow.summary.reporting_organisations(anna.group.id, 2026, 47) == []


# ISO week 50 of 2026: Monday 7 to Sunday 13 December; the two weeks after end on 28 December
W50 = (datetime(2026, 12, 6, 23, 0, tzinfo=UTC), datetime(2026, 12, 13, 23, 0, tzinfo=UTC))
TWO_WEEKS_AFTER = datetime(2026, 12, 27, 23, 0, tzinfo=UTC)


def test_activities_held_in_the_week_and_planned_in_the_two_after(demo, anna):
    group_id = anna.group.id
    with demo.db.unit_of_work(read_only=True) as uow:
        assert not uow.summary.has_activities(group_id)

    def plan(day: date, title: str) -> int:
        activity = draft(demo, anna, day=day, title=title)
        return demo.activities.create(anna, activity, now=MONDAY).id

    plan(date(2026, 12, 6), "Söndagen före")  # before the week
    market = plan(date(2026, 12, 12), "Julmarknad")  # held, and followed up
    cancelled = plan(date(2026, 12, 10), "Inställd")
    walk = plan(date(2026, 12, 18), "Nattvandring")  # coming
    last = plan(date(2026, 12, 27), "Sista söndagen")  # coming: Sunday 27 December
    plan(date(2026, 12, 28), "Måndagen efter")  # past the two weeks
    called_off = plan(date(2026, 12, 20), "Inställd senare")
    demo.activities.cancel(anna, cancelled, "snöstorm", now=MONDAY)
    demo.activities.cancel(anna, called_off, "ingen ledare", now=MONDAY)
    later = datetime(2026, 12, 13, 9, 0, tzinfo=UTC)
    demo.activities.follow_up(anna, market, FollowUp({"vuxna": 120}, "räknat", 0, ""), now=later)
    with demo.db.unit_of_work(read_only=True) as uow:
        assert uow.summary.has_activities(group_id)
        found = uow.summary.activities_held_or_coming(group_id, *W50, until=TWO_WEEKS_AFTER)
    assert [(a.id, a.status) for a in found] == [
        (market, "genomförd"),
        (walk, "planerad"),
        (last, "planerad"),
    ]


def test_a_week_is_stored_once_and_the_twin_is_refused_without_ending_the_transaction(demo, anna):
    group_id = anna.group.id

    def summary(week: int, total: int) -> WeeklySummary:
        return WeeklySummary(
            group_id=group_id,
            iso_year=2026,
            iso_week=week,
            content={"total": total},
            created_by="U0ANNA",
            created_at=NOW,
        )

    with demo.db.unit_of_work() as uow:
        assert uow.summaries.of_week(group_id, 2026, 47) is None
        assert uow.summaries.store(summary(47, 10)) is True
    with demo.db.unit_of_work() as uow:  # another process, a moment later
        assert uow.summaries.store(summary(47, 11)) is False
        assert uow.summaries.store(summary(46, 7)) is True  # the transaction goes on
        stored = uow.summaries.of_week(group_id, 2026, 47)
        assert stored is not None and stored.content == {"total": 10}
    with demo.db.unit_of_work(read_only=True) as uow:
        w46 = uow.summaries.of_week(group_id, 2026, 46)
        assert w46 is not None and w46.content == {"total": 7}
        assert uow.summaries.of_week(group_id, 2025, 47) is None
        assert uow.summaries.of_week(group_id + 1, 2026, 47) is None


def test_the_summary_runs_one_statement_per_aggregate(demo, anna, weeks):
    """The counts per week are one GROUP BY however many weeks: the CASE does the bucketing."""
    from sqlalchemy import event

    seen: list[str] = []

    def counted(conn, cursor, statement, *args):
        if statement.lstrip().upper().startswith("SELECT"):
            seen.append(statement)

    bounds = [WEEKS[0] + timedelta(weeks=i) for i in range(13)]
    event.listen(demo.db.engine, "before_cursor_execute", counted)
    try:
        with demo.db.unit_of_work(read_only=True) as uow:
            seen.clear()
            by_place = uow.summary.incidents_per_week(anna.group.id, bounds, by="place")
            assert len(seen) == 1
    finally:
        event.remove(demo.db.engine, "before_cursor_execute", counted)
    assert sum(by_place[weeks["fittja"]]) == 3 and len(by_place[weeks["fittja"]]) == 12
