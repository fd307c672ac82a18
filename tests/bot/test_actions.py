"""The action plan and its reminders, with a fixed clock, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from sqlmodel import col, select

from bot.actions.reminders import plan_reminders
from bot.actions.service import ActionDraft, ActionFilter
from bot.errors import Forbidden, InvalidInput, NotFound, PersonalDataError
from bot.incidents.service import parse_quick
from storage.models import ActionNote, Outbox, OutboxStatus
from tests.bot.conftest import as_user
from tests.conftest import session_of

# Monday 23 Nov 2026, 10:00 in Stockholm (09:00 UTC)
MONDAY = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)


def draft(**overrides) -> ActionDraft:
    values = {
        "title": "Bättre belysning vid tunnelbanan",
        "owner_user_id": "U0ERIK",
        "due_date": date(2026, 11, 27),
        "places": ["Fittja centrum"],
    }
    return ActionDraft(**{**values, **overrides})


def queued(db, kind: str | None = None) -> list[Outbox]:
    with db.unit_of_work(read_only=True) as uow:
        query = select(Outbox).order_by(col(Outbox.next_attempt_at), col(Outbox.id))
        rows = session_of(uow).exec(query).all()
    return [r for r in rows if kind is None or r.kind == kind]


def test_create_tells_the_owner_through_the_outbox(demo, anna, db):
    action = demo.actions.create(anna, draft(), now=MONDAY)
    assert (action.owner_user_id, action.organisation) == (
        "U0ERIK",
        "Polisen lokalpolisområde Botkyrka",
    )
    assert action.places == ("Fittja centrum",) and action.status == "öppen"
    [dm] = queued(db)
    assert (dm.kind, dm.recipient, dm.payload["action_id"]) == (
        "action.assigned",
        "U0ERIK",
        action.id,
    )


def test_create_validates(demo, anna, lena):
    with pytest.raises(InvalidInput):
        demo.actions.create(anna, draft(due_date=date(2026, 11, 20)), now=MONDAY)  # past
    with pytest.raises(InvalidInput):
        demo.actions.create(anna, draft(owner_user_id="U0BRA"), now=MONDAY)  # a reader
    with pytest.raises(InvalidInput):
        demo.actions.create(anna, draft(owner_user_id="U0NOBODY"), now=MONDAY)
    with pytest.raises(PersonalDataError):
        demo.actions.create(anna, draft(description="Ring 070-123 45 67"), now=MONDAY)
    with pytest.raises(Forbidden):
        demo.actions.create(lena, draft(), now=MONDAY)


def test_from_an_incident_links_it(demo, anna):
    incident = demo.incidents.log(anna, parse_quick("Fittja torg; lustgas; x"), now=MONDAY).incident
    action = demo.actions.create(
        anna,
        draft(places=[], place_ids=[incident.place_id], incident_ids=[incident.id]),
        now=MONDAY,
    )
    assert action.incident_ids == (incident.id,) and action.places == ("Fittja torg",)
    with pytest.raises(NotFound):
        demo.actions.create(anna, draft(incident_ids=[9999]), now=MONDAY)


def test_find_mine_by_place_by_organisation_and_overdue(demo, anna, erik):
    a = demo.actions.create(anna, draft(), now=MONDAY)
    b = demo.actions.create(
        anna,
        draft(owner_user_id="U0ANNA", places=["Kårsby IP"], due_date=date(2026, 12, 4)),
        now=MONDAY,
    )
    ids = lambda found: [x.id for x in found]  # noqa: E731
    assert ids(demo.actions.find(erik, ActionFilter(mine=True), now=MONDAY)) == [a.id]
    assert ids(demo.actions.find(anna, ActionFilter(place="kårsby"), now=MONDAY)) == [b.id]
    assert ids(demo.actions.find(anna, ActionFilter(organisation="polis"), now=MONDAY)) == [a.id]
    assert ids(demo.actions.find(anna, ActionFilter(overdue=True), now=MONDAY)) == []
    later = MONDAY + timedelta(days=5)  # Saturday 28 Nov: a is overdue
    assert ids(demo.actions.find(anna, ActionFilter(overdue=True), now=later)) == [a.id]


def test_done_cancels_reminders_and_keeps_a_note(demo, anna, erik, db):
    action = demo.actions.create(anna, draft(), now=MONDAY)
    plan_reminders(db, now=MONDAY + timedelta(days=1))  # Tuesday: nothing due yet …
    plan_reminders(db, now=datetime(2026, 11, 25, 7, 30, tzinfo=UTC))  # … Wed 08:30 "before"
    assert [r.payload["stage"] for r in queued(db, "action.reminder")] == ["before"]
    done = demo.actions.set_status(
        erik, action.id, "klar", comment="Lamporna bytta", now=MONDAY + timedelta(days=2)
    )
    assert done.status == "klar" and done.done_at is not None
    statuses = {r.status for r in queued(db, "action.reminder")}
    assert statuses == {OutboxStatus.CANCELLED}
    assert demo.actions.get(anna, action.id).notes[-1].text == "klar: Lamporna bytta"


def test_only_owner_creator_or_admin_change_an_action(demo, anna, erik):
    sara = as_user(demo, "U0SARA")
    action = demo.actions.create(erik, draft(owner_user_id="U0ERIK"), now=MONDAY)
    with pytest.raises(Forbidden):
        demo.actions.set_status(sara, action.id, "klar", now=MONDAY)
    demo.actions.set_status(anna, action.id, "pågår", now=MONDAY)  # admin may


def test_postpone(demo, anna, erik, db):
    action = demo.actions.create(anna, draft(), now=MONDAY)
    day_later = demo.actions.postpone(erik, action.id, by_days=1, now=MONDAY)
    assert day_later.due_date == date(2026, 11, 28)
    with pytest.raises(InvalidInput):  # a chosen date needs a reason
        demo.actions.postpone(erik, action.id, to=date(2026, 12, 11), now=MONDAY)
    moved = demo.actions.postpone(
        erik, action.id, to=date(2026, 12, 11), reason="Väntar på el", now=MONDAY
    )
    assert moved.due_date == date(2026, 12, 11)
    with db.unit_of_work(read_only=True) as uow:
        notes = session_of(uow).exec(select(ActionNote).where(ActionNote.kind == "postpone")).all()
    assert [n.text for n in notes] == [
        "2026-11-27 → 2026-11-28",
        "2026-11-28 → 2026-12-11: Väntar på el",
    ]


def test_reassign_tells_both_owners(demo, anna, db):
    action = demo.actions.create(anna, draft(), now=MONDAY)
    demo.actions.reassign(anna, action.id, "U0SARA", now=MONDAY)
    sent = [(r.kind, r.recipient) for r in queued(db)]
    assert sent == [
        ("action.assigned", "U0ERIK"),
        ("action.assigned", "U0SARA"),
        ("action.handed_over", "U0ERIK"),
    ]
    assert demo.actions.get(anna, action.id).organisation == "Botkyrkabyggen"


def stages_sent(db) -> list[tuple[str, str]]:
    """(stage, local time in Stockholm) of every planned reminder."""
    from zoneinfo import ZoneInfo

    tz = ZoneInfo("Europe/Stockholm")
    return [
        (r.payload["stage"], r.next_attempt_at.astimezone(tz).strftime("%a %d %b %H:%M"))
        for r in queued(db, "action.reminder")
    ]


def test_reminder_stages_on_working_mornings(demo, anna, db):
    # due Friday 27 Nov: before = Wed 25 08:00, due = Fri 27 08:00, overdue = Mon 30 08:00
    demo.actions.create(anna, draft(), now=MONDAY)
    for day in range(0, 9):
        plan_reminders(db, now=MONDAY + timedelta(days=day, hours=-1))  # 09:00 local each day
    assert stages_sent(db) == [
        ("before", "Wed 25 Nov 08:00"),
        ("due", "Fri 27 Nov 08:00"),
        ("overdue", "Mon 30 Nov 08:00"),
    ]


def test_reminders_wait_for_working_days_around_christmas(demo, anna, db):
    # due Thursday 24 Dec (julafton, a day off): due → Mon 28 Dec 08:00; overdue the same morning
    created = datetime(2026, 12, 18, 9, 0, tzinfo=UTC)
    demo.actions.create(anna, draft(due_date=date(2026, 12, 24)), now=created)
    for day in range(0, 12):
        plan_reminders(db, now=created + timedelta(days=day))
    assert stages_sent(db) == [("before", "Tue 22 Dec 08:00"), ("overdue", "Mon 28 Dec 08:00")]


def test_a_due_date_on_a_holiday_gives_one_reminder_on_the_morning_after(demo, anna, db):
    # due långfredagen (Fri 26 March 2027): the day's reminder would move to Tuesday after
    # Easter, 08:00 summer time, the very moment of the first overdue one: only that one comes,
    # however often the clock plans (here every half hour, so both are within the look-ahead)
    created = datetime(2027, 3, 22, 9, 0, tzinfo=UTC)
    demo.actions.create(anna, draft(due_date=date(2027, 3, 26)), now=created)
    for half_hour in range(0, 9 * 48):
        plan_reminders(db, now=created + timedelta(minutes=30 * half_hour))
    assert stages_sent(db) == [
        ("before", "Wed 24 Mar 08:00"),
        ("overdue", "Tue 30 Mar 08:00"),
    ]


def test_a_clock_that_was_down_sends_only_the_latest_reminder(demo, anna, db):
    demo.actions.create(anna, draft(), now=MONDAY)
    plan_reminders(db, now=datetime(2026, 12, 10, 9, 0, tzinfo=UTC))  # back after two weeks
    assert [stage for stage, _at in stages_sent(db)] == ["overdue"]


def test_a_clock_back_just_before_a_reminder_sends_that_one_only(demo, anna, db):
    # due Fri 27 Nov: overdue Mon 30 Nov 08:00, then Mon 7 Dec 08:00; the clock is back at
    # 07:59 on 7 Dec and plans ahead: only 08:00's, not also 30 Nov's a minute before it
    demo.actions.create(anna, draft(), now=MONDAY)
    plan_reminders(db, now=datetime(2026, 12, 7, 6, 59, tzinfo=UTC))  # 07:59 in Stockholm
    assert stages_sent(db) == [("overdue", "Mon 07 Dec 08:00")]


def test_an_archived_group_s_actions_get_no_reminders_until_it_is_back(demo, anna, db):
    demo.actions.create(anna, draft(), now=MONDAY)

    def archive(at: datetime | None) -> None:
        with db.unit_of_work() as uow:
            group = uow.groups.get(anna.group.id)
            group.archived_at = at
            session_of(uow).add(group)

    archive(MONDAY)  # the channel was archived
    assert plan_reminders(db, now=datetime(2026, 12, 10, 9, 0, tzinfo=UTC)) == 0
    assert stages_sent(db) == []
    archive(None)  # unarchived: the latest reminder comes
    assert plan_reminders(db, now=datetime(2026, 12, 10, 9, 0, tzinfo=UTC)) == 1
    assert [stage for stage, _at in stages_sent(db)] == ["overdue"]


def test_overdue_weekly_and_one_escalation(demo, anna, db):
    demo.actions.create(anna, draft(), now=MONDAY)
    for day in range(0, 30):
        plan_reminders(db, now=MONDAY + timedelta(days=day))
    overdue = [at for stage, at in stages_sent(db) if stage == "overdue"]
    assert overdue == [
        "Mon 30 Nov 08:00",
        "Mon 07 Dec 08:00",
        "Mon 14 Dec 08:00",
        "Mon 21 Dec 08:00",
    ]
    escalations = queued(db, "action.escalated")
    assert len(escalations) == 1 and escalations[0].recipient == "C0EST"
    # more than 14 days after Fri 27 Nov: decided on Sat 12 Dec, posted Monday morning
    assert escalations[0].created_at == MONDAY + timedelta(days=19)
    assert escalations[0].next_attempt_at == datetime(2026, 12, 14, 7, 0, tzinfo=UTC)


def test_planning_twice_queues_nothing_new(demo, anna, db):
    demo.actions.create(anna, draft(), now=MONDAY)
    at = datetime(2026, 11, 25, 7, 30, tzinfo=UTC)
    assert plan_reminders(db, now=at) == 1
    assert plan_reminders(db, now=at) == 0
