"""Activities: motivation, planning, follow-up, the outbox rhythm and costs, on both databases."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

import pytest
from sqlmodel import col, select

from bot.activities.costs import CostDraft, parse_amount
from bot.activities.jobs import plan_activities, prepare_effect
from bot.activities.notifications import ActivityEffect
from bot.activities.service import ActivityDraft, FollowUp
from bot.errors import Forbidden, InvalidInput, NotAMember, PersonalDataError
from bot.incidents.service import parse_quick
from bot.weekly.reports import EntryDraft
from storage.models import AuditEvent, Outbox, OutboxStatus
from tests.bot.conftest import as_user
from tests.conftest import session_of

# Monday 23 Nov 2026, 10:00 in Stockholm (09:00 UTC)
MONDAY = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
SATURDAY = date(2026, 12, 12)  # the Christmas market, three weeks ahead


def place_id(services, actor, name: str) -> int:
    return services.places.resolve(actor, name).id


def draft(services, actor, **overrides) -> ActivityDraft:
    values = {
        "title": "Julmarknad i Fittja centrum",
        "kind": "evenemang",
        "day": SATURDAY,
        "start": time(11, 0),
        "end": time(16, 0),
        "owner_user_id": "U0SARA",
        "place_ids": [place_id(services, actor, "Fittja centrum")],
        "organisers": "Fittja nätverksgrupp\nNorsborg FC; 556036-0793",
        "target_group": "boende i Fittja",
        "purpose": "Fler vuxna i centrum under den mörka årstiden",
        "expected_participants": 800,
    }
    return ActivityDraft(**{**values, **overrides})


def rows(db, kind: str | None = None) -> list[Outbox]:
    with db.unit_of_work(read_only=True) as uow:
        found = session_of(uow).exec(select(Outbox).order_by(col(Outbox.id))).all()
    return [r for r in found if kind is None or r.kind == kind]


@pytest.fixture
def incident(demo, anna):
    """Open drug dealing in Fittja centrum, logged a week before the planning."""
    text = (
        "Fittja centrum; narkotikaförsäljning; Öppen försäljning vid tunnelbanan; 2026-11-15 21:30"
    )
    return demo.incidents.log(anna, parse_quick(text), now=MONDAY - timedelta(days=7)).incident


def test_candidates_are_the_dated_records_at_the_place(demo, anna, erik, incident):
    fittja = place_id(demo, anna, "Fittja centrum")
    report_day = MONDAY - timedelta(days=2)
    demo.reports.save(
        erik, [EntryDraft(fittja, "oroligt", "sämre", "Langning kvällstid")], now=report_day
    )
    later = demo.incidents.log(
        anna, parse_quick("Fittja centrum; lustgas; Patroner på marken"), now=MONDAY
    ).incident
    other = demo.incidents.log(
        anna, parse_quick("Tumba station; klotter; Tåget"), now=MONDAY - timedelta(days=1)
    ).incident
    found = demo.activities.candidates(anna, [fittja], now=MONDAY - timedelta(minutes=1))
    keys = [c.key for c in found]
    # newest first: the report (Saturday), then the incident (a week ago); not the one logged
    # after `now`, nor the one at another place
    assert keys[0].startswith("r:") and keys[1] == f"i:{incident.id}"
    assert f"i:{later.id}" not in keys and f"i:{other.id}" not in keys
    assert (
        found[0].summary == "Polisen lokalpolisområde Botkyrka: oroligt, sämre: Langning kvällstid"
    )


def test_a_restricted_incident_motivates_without_its_text(demo, anna, erik):
    text = "Fittja centrum; langning; Tips om överlämning bakom hallen; 2026-11-15 21:30; begränsad"
    secret = demo.incidents.log(erik, parse_quick(text), now=MONDAY - timedelta(days=7)).incident
    fittja = place_id(demo, anna, "Fittja centrum")
    [found] = [
        c
        for c in demo.activities.candidates(anna, [fittja], now=MONDAY)
        if c.key == f"i:{secret.id}"
    ]
    assert found.summary == "Öppen narkotikaförsäljning"  # counted by its category, no text
    assert "överlämning" not in found.summary


def test_create_with_motivation_announces_in_the_channel(demo, anna, db, incident):
    activity = demo.activities.create(
        anna, draft(demo, anna, motivation=[f"i:{incident.id}"]), now=MONDAY
    )
    assert activity.motivated and activity.status == "planerad"
    assert activity.owner_user_id == "U0SARA" and activity.organisation == "Botkyrkabyggen"
    # 11:00 and 16:00 in Stockholm in December (UTC+1)
    assert activity.start_at == datetime(2026, 12, 12, 10, 0, tzinfo=UTC)
    assert activity.end_at == datetime(2026, 12, 12, 15, 0, tzinfo=UTC)
    [m] = activity.motivations
    assert (m.kind, m.record_id, m.place) == ("incident", incident.id, "Fittja centrum")
    assert m.record_at == MONDAY - timedelta(days=7)
    assert [o.org_number for o in activity.organisers] == [None, "556036-0793"]
    [announced] = rows(db)
    assert (announced.kind, announced.recipient) == ("activity.announced", "C0EST")


def test_a_record_may_be_named_by_its_number(demo, anna, incident):
    same = [f"i:{incident.id}", f"#{incident.id}", str(incident.id)]
    activity = demo.activities.create(anna, draft(demo, anna, motivation=same), now=MONDAY)
    assert [m.record_id for m in activity.motivations] == [incident.id]  # linked once
    with pytest.raises(InvalidInput) as unknown:
        demo.activities.motivate(anna, activity.id, ["x:1"], now=MONDAY)
    assert unknown.value.field == "motivation"


def test_without_motivation_it_is_a_draft_and_later_records_are_refused(demo, anna, db):
    activity = demo.activities.create(anna, draft(demo, anna), now=MONDAY)
    assert not activity.motivated
    late = demo.incidents.log(
        anna,
        parse_quick("Fittja centrum; narkotikaförsäljning; x"),
        now=MONDAY + timedelta(hours=1),
    ).incident
    with pytest.raises(InvalidInput) as refused:
        demo.activities.motivate(anna, activity.id, [f"i:{late.id}"], now=MONDAY)
    assert "after the activity was planned" in refused.value.message.msgid
    elsewhere = demo.incidents.log(
        anna, parse_quick("Tumba station; klotter; x"), now=MONDAY - timedelta(days=3)
    ).incident
    with pytest.raises(InvalidInput):
        demo.activities.motivate(anna, activity.id, [f"i:{elsewhere.id}"], now=MONDAY)


def test_validation_and_roles(demo, anna, lena):
    with pytest.raises(Forbidden):
        demo.activities.create(lena, draft(demo, anna), now=MONDAY)
    with pytest.raises(InvalidInput) as bad_number:
        demo.activities.create(
            anna, draft(demo, anna, organisers="Förening X 802000-1235"), now=MONDAY
        )
    assert bad_number.value.field == "organisers"
    with pytest.raises(InvalidInput):
        demo.activities.create(anna, draft(demo, anna, place_ids=[]), now=MONDAY)
    with pytest.raises(InvalidInput):
        demo.activities.create(anna, draft(demo, anna, kind="picknick"), now=MONDAY)
    with pytest.raises(PersonalDataError):
        demo.activities.create(anna, draft(demo, anna, purpose="Ring 070-123 45 67"), now=MONDAY)
    stranger = as_user(demo, "U0NOBODY")
    with pytest.raises(NotAMember):
        demo.activities.upcoming(stranger, now=MONDAY)


def test_a_night_walk_ends_the_next_morning(demo, anna):
    walk = demo.activities.create(
        anna,
        draft(demo, anna, kind="nattvandring", start=time(22, 0), end=time(2, 0)),
        now=MONDAY,
    )
    assert walk.end_at - walk.start_at == timedelta(hours=4)


def test_reminder_follow_up_and_effect_come_when_due(demo, anna, db, incident):
    activity = demo.activities.create(anna, draft(demo, anna), now=MONDAY)
    assert plan_activities(db, now=datetime(2026, 12, 11, 7, 59, tzinfo=UTC)) == 0
    # Friday 11 Dec 09:00 Stockholm = 08:00 UTC: the reminder, to the owner
    assert plan_activities(db, now=datetime(2026, 12, 11, 8, 0, tzinfo=UTC)) == 1
    assert plan_activities(db, now=datetime(2026, 12, 11, 8, 1, tzinfo=UTC)) == 0  # once
    [reminder] = rows(db, "activity.reminder")
    assert reminder.recipient == "U0SARA"
    # Saturday's market: the follow-up goes on Monday 14 Dec at 09:00 (not on the Sunday)
    assert plan_activities(db, now=datetime(2026, 12, 13, 12, 0, tzinfo=UTC)) == 0
    assert plan_activities(db, now=datetime(2026, 12, 14, 8, 0, tzinfo=UTC)) == 1
    # one week after: 2 incidents the week before, 1 in the week after
    for when in ("2026-12-07 20:00", "2026-12-10 19:00", "2026-12-15 22:00", "2026-12-30 22:00"):
        logged = datetime.fromisoformat(when).replace(tzinfo=UTC) + timedelta(hours=2)
        demo.incidents.log(
            anna, parse_quick(f"Fittja centrum; narkotikaförsäljning; x; {when}"), now=logged
        )
    week_after = datetime(2026, 12, 21, 8, 0, tzinfo=UTC)  # Monday 09:00
    assert plan_activities(db, now=week_after) == 1
    seen = demo.activities.get(anna, activity.id, now=week_after)
    assert [(e.weeks, e.before, e.after) for e in seen.effects] == [(1, 2, 1)]
    [effect_row] = rows(db, "activity.effect")
    with db.unit_of_work(read_only=True) as uow:  # what the owner's DM says, at send time
        note = prepare_effect(uow, effect_row, week_after)
    assert isinstance(note, ActivityEffect) and note.group.channel_id == "C0EST"
    assert (note.effect.weeks, note.effect.before, note.effect.after) == (1, 2, 1)
    four = demo.activities.get(anna, activity.id, now=datetime(2027, 1, 11, 9, 0, tzinfo=UTC))
    # four weeks before: 7, 10 Dec and the incident of 15 Nov; after: 15 and 30 Dec
    assert [(e.weeks, e.before, e.after) for e in four.effects] == [(1, 2, 1), (4, 3, 2)]


def test_an_archived_group_s_activities_get_no_messages(demo, anna, db):
    demo.activities.create(anna, draft(demo, anna), now=MONDAY)
    with db.unit_of_work() as uow:
        group = uow.groups.get(anna.group.id)
        group.archived_at = MONDAY + timedelta(days=1)  # the channel was archived
        session_of(uow).add(group)
    assert plan_activities(db, now=datetime(2026, 12, 11, 8, 0, tzinfo=UTC)) == 0  # no reminder
    assert plan_activities(db, now=datetime(2026, 12, 14, 8, 0, tzinfo=UTC)) == 0  # no follow-up


def test_follow_up_marks_it_held_and_cancel_stops_its_messages(demo, anna, db):
    activity = demo.activities.create(anna, draft(demo, anna), now=MONDAY)
    form = FollowUp(
        {"barn och unga": 120, "vuxna": 850, "arrangörer och aktörer": 30},
        "räknat",
        0,
        "Ingen langning i centrum under dagen",
    )
    with pytest.raises(InvalidInput):  # not held yet
        demo.activities.follow_up(anna, activity.id, form, now=MONDAY)
    after = datetime(2026, 12, 14, 9, 0, tzinfo=UTC)
    sara = as_user(demo, "U0SARA")
    with pytest.raises(InvalidInput):
        demo.activities.follow_up(
            sara, activity.id, FollowUp({"vuxna": 5}, "gissat", 0, ""), now=after
        )
    done = demo.activities.follow_up(sara, activity.id, form, now=after)
    assert done.status == "genomförd" and done.attendance_total == 1000
    assert done.followed_up_by == "U0SARA"
    erik = as_user(demo, "U0ERIK")
    with pytest.raises(Forbidden):
        demo.activities.follow_up(erik, activity.id, form, now=after)
    walk = demo.activities.create(anna, draft(demo, anna, kind="nattvandring"), now=MONDAY)
    plan_activities(db, now=datetime(2026, 12, 11, 8, 0, tzinfo=UTC))
    with pytest.raises(InvalidInput):
        demo.activities.cancel(anna, walk.id, "", now=MONDAY)
    cancelled = demo.activities.cancel(anna, walk.id, "Snöstorm", now=MONDAY)
    assert cancelled.cancelled
    statuses = {r.payload["activity_id"]: r.status for r in rows(db, "activity.reminder")}
    assert statuses[walk.id] == OutboxStatus.CANCELLED
    assert activity.id not in statuses  # already held: no reminder planned


def test_held_and_coming_for_the_weekly_summary(demo, anna, db):
    market = demo.activities.create(anna, draft(demo, anna), now=MONDAY)
    walk = demo.activities.create(
        anna, draft(demo, anna, kind="nattvandring", day=date(2026, 12, 18)), now=MONDAY
    )
    far = demo.activities.create(anna, draft(demo, anna, day=date(2027, 1, 20)), now=MONDAY)
    demo.activities.follow_up(
        anna,
        market.id,
        FollowUp({"vuxna": 500}, "uppskattat", 1, ""),
        now=datetime(2026, 12, 13, 9, 0, tzinfo=UTC),
    )
    week = demo.activities.held_and_coming(market_group(demo, anna), 2026, 50)
    assert [(a.id, a.attendance_total, a.counting_method) for a in week.held] == [
        (market.id, 500, "uppskattat")
    ]
    assert [a.id for a in week.coming] == [walk.id]
    assert far.id not in [a.id for a in week.coming]


def market_group(demo, anna) -> int:
    return anna.group.id


# -- costs ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "ore"),
    [
        ("1 740 kr", 174000),
        ("1740,50", 174050),
        ("12 000:-", 1200000),
        ("0,5", 50),
        ("1.740,05", 174005),
    ],
)
def test_amounts_are_kept_in_ore(text, ore):
    assert parse_amount(text) == ore


@pytest.mark.parametrize("text", ["", "abc", "-5", "1,234", "0"])
def test_bad_amounts_are_refused(text):
    with pytest.raises(InvalidInput):
        parse_amount(text)


def cost(**overrides) -> CostDraft:
    values = {
        "amount": "1 740",
        "description": "Polistillstånd för offentlig plats",
        "supplier": "Polismyndigheten",
        "funding_source": "statsbidrag",
        "supplier_org_number": "202100-0076",
        "invoice_number": "F-2026-118",
        "invoice_date": date(2026, 12, 1),
        "grant_year": 2026,
        "diarienummer": "S2026/01234",
    }
    return CostDraft(**{**values, **overrides})


def test_costs_follow_the_rules(demo, anna, db):
    activity = demo.activities.create(anna, draft(demo, anna), now=MONDAY)
    line = demo.costs.add(anna, activity.id, cost(), now=MONDAY)
    assert (line.amount_ore, line.supplier_org_number, line.outside_year) == (
        174000,
        "202100-0076",
        False,
    )
    with pytest.raises(InvalidInput) as no_text:
        demo.costs.add(anna, activity.id, cost(description=" "), now=MONDAY)
    assert no_text.value.field == "description"
    with pytest.raises(InvalidInput) as association:
        demo.costs.add(
            anna, activity.id, cost(to_association=True, supplier_org_number=""), now=MONDAY
        )
    assert association.value.field == "org_number"
    with pytest.raises(InvalidInput):  # checksum wrong
        demo.costs.add(anna, activity.id, cost(supplier_org_number="202100-0077"), now=MONDAY)
    with pytest.raises(InvalidInput) as year:
        demo.costs.add(anna, activity.id, cost(grant_year=None), now=MONDAY)
    assert year.value.field == "grant_year"
    paid = demo.costs.add(
        anna,
        activity.id,
        cost(to_association=True, supplier="Norsborg FC", supplier_org_number="5560360793"),
        now=MONDAY,
    )
    assert paid.supplier_org_number == "556036-0793"
    with pytest.raises(PersonalDataError):  # a sole trader's number is a personnummer
        demo.costs.add(anna, activity.id, cost(supplier_org_number="811218-9876"), now=MONDAY)


def test_a_cost_across_the_year_boundary_is_flagged(demo, anna):
    activity = demo.activities.create(anna, draft(demo, anna, day=date(2026, 12, 31)), now=MONDAY)
    invoiced_january = demo.costs.add(
        anna, activity.id, cost(invoice_date=date(2027, 1, 4)), now=MONDAY
    )
    assert invoiced_january.outside_year and "year" in invoiced_january.gaps
    undated = demo.costs.add(
        anna, activity.id, cost(invoice_date=None, invoice_number=""), now=MONDAY
    )
    # no invoice date: the activity's day (31 Dec 2026, local) counts, inside 2026
    assert undated.cost_date == date(2026, 12, 31) and not undated.outside_year
    assert undated.gaps == ("invoice",)
    own = demo.costs.add(
        anna,
        activity.id,
        cost(funding_source="egen budget", grant_year=None, invoice_date=date(2027, 1, 4)),
        now=MONDAY,
    )
    assert not own.outside_year


def test_moving_a_cost_needs_a_reason_and_is_audited(demo, anna, db):
    first = demo.activities.create(anna, draft(demo, anna), now=MONDAY)
    second = demo.activities.create(anna, draft(demo, anna, title="Luciatåg"), now=MONDAY)
    line = demo.costs.add(anna, first.id, cost(), now=MONDAY)
    with pytest.raises(InvalidInput):
        demo.costs.move(anna, line.id, second.id, "  ", now=MONDAY)
    moved = demo.costs.move(anna, line.id, second.id, "Fel aktivitet vid registrering", now=MONDAY)
    assert moved.activity_id == second.id
    assert [c.id for c in demo.activities.get(anna, second.id, now=MONDAY).costs] == [line.id]
    assert demo.activities.get(anna, first.id, now=MONDAY).costs == ()
    with db.unit_of_work(read_only=True) as uow:
        [event] = (
            session_of(uow).exec(select(AuditEvent).where(AuditEvent.action == "cost.moved")).all()
        )
    assert event.before["activity_id"] == first.id and event.after["activity_id"] == second.id
    assert event.after["reason"] == "Fel aktivitet vid registrering"
    assert demo.audit.verify().ok


def test_activities_appear_in_the_lagesbild(demo, anna):
    """Week 48's picture (window up to Tue 24 Nov 09:00) lists the activity held in the window
    with its attendance, and the one coming within two weeks, at their places; a place with
    only an activity is in the picture too."""
    planned = datetime(2026, 11, 16, 9, 0, tzinfo=UTC)
    held = demo.activities.create(
        anna,
        draft(
            demo,
            anna,
            title="Trygghetsvandring",
            kind="trygghetsvandring",
            day=date(2026, 11, 19),
            start=time(18, 0),
            end=time(20, 0),
        ),
        now=planned,
    )
    demo.activities.follow_up(
        anna, held.id, FollowUp({"vuxna": 14}, "räknat", 0, ""), now=planned + timedelta(days=4)
    )
    coming = demo.activities.create(
        anna,
        draft(demo, anna, place_ids=[place_id(demo, anna, "Kårsby IP")], day=date(2026, 12, 5)),
        now=planned,
    )
    demo.activities.create(  # more than two weeks after the window: not yet in this picture
        anna, draft(demo, anna, title="Lucia", day=date(2026, 12, 13)), now=planned
    )
    picture = demo.meetings.picture(anna, now=datetime(2026, 11, 24, 8, 30, tzinfo=UTC))
    lines = {p.place: p for p in picture.places}
    fittja = [
        (a.id, a.start, a.attendance, a.motivated) for a in lines["Fittja centrum"].activities
    ]
    assert fittja == [(held.id, "2026-11-19 18:00", 14, False)]
    assert [a.id for a in lines["Kårsby IP"].activities] == [coming.id]
    again = type(picture).from_json(picture.to_json())  # frozen snapshots keep them
    assert again.places == picture.places


def test_moving_an_activity_needs_a_reason_and_moves_its_messages(demo, anna, db):
    market = demo.activities.create(anna, draft(demo, anna), now=MONDAY)
    plan_activities(db, now=datetime(2026, 12, 11, 8, 0, tzinfo=UTC))  # Friday's reminder
    with pytest.raises(InvalidInput):
        demo.activities.reschedule(
            anna, market.id, date(2026, 12, 19), time(11), time(16), " ", now=MONDAY
        )
    moved = demo.activities.reschedule(
        anna,
        market.id,
        date(2026, 12, 19),
        time(11),
        time(16),
        "Krock med Lucia",
        now=datetime(2026, 12, 11, 9, 0, tzinfo=UTC),
    )
    assert moved.start_at == datetime(2026, 12, 19, 10, 0, tzinfo=UTC)
    [old] = rows(db, "activity.reminder")
    assert old.status == OutboxStatus.CANCELLED  # not sent for the old Saturday
    announcements = rows(db, "activity.announced")
    # the first (never sent) is replaced by one with the new time
    assert [r.status for r in announcements] == [OutboxStatus.CANCELLED, OutboxStatus.PENDING]
    assert plan_activities(db, now=datetime(2026, 12, 18, 8, 0, tzinfo=UTC)) == 1
    new = [r for r in rows(db, "activity.reminder") if r.status == OutboxStatus.PENDING]
    assert new[0].payload["start"] == "2026-12-19T10:00:00+00:00"
    with db.unit_of_work(read_only=True) as uow:
        [event] = (
            session_of(uow)
            .exec(select(AuditEvent).where(AuditEvent.action == "activity.moved"))
            .all()
        )
    assert event.after["reason"] == "Krock med Lucia"
    assert event.before["start_at"].startswith("2026-12-12T10:00")


def test_coming_activities_by_place(demo, anna):
    market = demo.activities.create(anna, draft(demo, anna), now=MONDAY)
    walk = demo.activities.create(
        anna,
        draft(
            demo,
            anna,
            title="Trygghetsvandring",
            kind="trygghetsvandring",
            place_ids=[place_id(demo, anna, "Fittja centrum"), place_id(demo, anna, "Fittja torg")],
            day=date(2026, 12, 1),
        ),
        now=MONDAY,
    )
    everywhere = demo.activities.upcoming(anna, now=MONDAY)
    assert [(p, [a.id for a in acts]) for p, acts in everywhere.by_place] == [
        ("Fittja centrum", [walk.id, market.id]),
        ("Fittja torg", [walk.id]),
    ]
    assert everywhere.count == 2
    torg = demo.activities.upcoming(anna, now=MONDAY, place="fittja torg")
    assert [(p, [a.id for a in acts]) for p, acts in torg.by_place] == [("Fittja torg", [walk.id])]
    after = demo.activities.upcoming(anna, now=datetime(2026, 12, 12, 16, 0, tzinfo=UTC))
    assert after.count == 0  # both over
