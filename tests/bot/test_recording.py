"""The recording window, with dates worked out by hand (Stockholm: UTC+1 in winter, +2 in
summer): the previous grant year stays open through 30 June, never before the group's start,
never in the future beyond a minute."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from bot.activities.service import FollowUp
from bot.errors import Forbidden, InvalidInput
from bot.i18n import Translator
from bot.incidents.service import parse_quick
from bot.recording import Kind, check_day, check_time, registered_late, window
from tests.bot.conftest import as_user
from tests.bot.test_activities import cost, draft

TZ = ZoneInfo("Europe/Stockholm")
MARCH = datetime(2026, 3, 10, 12, 0, tzinfo=UTC)  # tisdag 10 mars 2026
JULY = datetime(2026, 7, 1, 8, 0, tzinfo=UTC)  # onsdag 1 juli 2026, 10:00 local


def local(year: int, month: int, day: int, hour: int, minute: int) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=TZ).astimezone(UTC)


@pytest.mark.parametrize(
    ("now", "first"),
    [
        (MARCH, date(2025, 1, 1)),
        (datetime(2026, 6, 30, 21, 59, tzinfo=UTC), date(2025, 1, 1)),  # 23:59 on 30 June
        (datetime(2026, 6, 30, 22, 0, tzinfo=UTC), date(2026, 1, 1)),  # 00:00 on 1 July
        (JULY, date(2026, 1, 1)),
        (datetime(2025, 12, 31, 23, 30, tzinfo=UTC), date(2025, 1, 1)),  # 00:30 on 1 January …
        (datetime(2026, 1, 1, 0, 30, tzinfo=UTC), date(2025, 1, 1)),  # … 2026: 2025 stays open
    ],
)
def test_the_window_opens_at_the_previous_grant_year_until_30_june(now, first):
    assert window(now, TZ).first == first


def test_march_allows_1_january_of_last_year_and_refuses_new_years_eve_before():
    win = window(MARCH, TZ)
    assert win.allows(local(2025, 1, 1, 0, 0))
    assert not win.allows(local(2024, 12, 31, 23, 59))
    assert win.start == datetime(2024, 12, 31, 23, 0, tzinfo=UTC)


def test_july_refuses_last_years_new_years_eve():
    win = window(JULY, TZ)
    assert not win.allows(local(2025, 12, 31, 12, 0))
    assert win.allows(local(2026, 1, 1, 0, 0))


def test_the_future_is_refused_beyond_a_minute():
    win = window(MARCH, TZ)
    assert win.allows(MARCH + timedelta(seconds=59))
    assert not win.allows(MARCH + timedelta(minutes=2))


def test_the_groups_start_closes_the_window_earlier():
    win = window(MARCH, TZ, date(2025, 11, 3))
    assert win.first == date(2025, 11, 3)
    assert not win.allows(local(2025, 11, 2, 23, 59))
    assert win.allows(local(2025, 11, 3, 0, 0))
    assert window(MARCH, TZ, date(2020, 1, 1)).first == date(2025, 1, 1)  # never wider


def test_the_refusal_says_what_was_understood_and_what_is_allowed():
    with pytest.raises(InvalidInput) as refused:
        check_time(local(2024, 3, 3, 12, 0), window(MARCH, TZ), Kind.INCIDENT, typed="3/3 2024")
    said = Translator("sv").render(refused.value.message)
    assert said == (
        "Du skrev ”3/3 2024”, det vill säga söndag 3 mars 2024 kl. 12:00. "
        "Händelser kan registreras från 1 januari 2025 till nu."
    )
    assert refused.value.field == "when"


def test_a_day_before_the_window_says_what_is_allowed():
    with pytest.raises(InvalidInput) as refused:
        check_day(date(2024, 12, 31), window(MARCH, TZ), Kind.COST, field="cost_date")
    said = Translator("sv").render(refused.value.message)
    assert said == (
        "tisdag 31 december 2024 ligger utanför tiden som kan registreras. "
        "Kostnader kan registreras med fakturadatum från 1 januari 2025."
    )


def test_a_day_in_the_future_says_so():
    with pytest.raises(InvalidInput) as refused:
        check_day(date(2026, 3, 11), window(MARCH, TZ), Kind.COST, field="cost_date")
    said = Translator("sv").render(refused.value.message)
    assert said == "Tiden onsdag 11 mars 2026 ligger i framtiden."
    assert refused.value.field == "cost_date"


def test_registered_late_is_more_than_seven_days_after():
    happened = local(2026, 3, 1, 21, 0)
    assert not registered_late(happened, happened + timedelta(days=7))
    assert registered_late(happened, happened + timedelta(days=7, minutes=1))


# -- the rule at work: incidents through the service --------------------------------------------


def test_an_incident_of_last_year_is_recorded_in_march_and_refused_in_july(demo, anna):
    text = "Fittja centrum; narkotikaförsäljning; Försäljning; 2025-11-20 21:30"
    logged = demo.incidents.log(anna, parse_quick(text), now=MARCH).incident
    assert logged.occurred_at == datetime(2025, 11, 20, 20, 30, tzinfo=UTC)
    with pytest.raises(InvalidInput) as refused:
        demo.incidents.log(anna, parse_quick(text), now=JULY)
    said = Translator("sv").render(refused.value.message)
    assert said == (
        "Du skrev ”2025-11-20 21:30”, det vill säga torsdag 20 november 2025 kl. 21:30. "
        "Händelser kan registreras från 1 januari 2026 till nu."
    )


def test_a_new_group_records_from_its_start_and_an_admin_may_move_it(demo, anna):
    # the demo group was made on 20 November 2026; say it started on 1 November
    now = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)
    demo.group_start.set(anna, "2026-11-01", now=now)
    anna = as_user(demo, "U0ANNA")
    old = parse_quick("Fittja centrum; narkotikaförsäljning; Försäljning; 2026-10-31 21:30")
    with pytest.raises(InvalidInput) as refused:
        demo.incidents.log(anna, old, now=now)
    assert "från 1 november 2026 till nu" in Translator("sv").render(refused.value.message)
    assert demo.group_start.set(anna, "2026-01-01", now=now) == date(2026, 1, 1)
    anna = as_user(demo, "U0ANNA")
    assert demo.incidents.log(anna, old, now=now).incident.id > 0
    assert demo.group_start.get(anna) == date(2026, 1, 1)


def test_only_an_admin_sets_the_start_and_not_in_the_future(demo, anna, erik):
    now = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)
    with pytest.raises(InvalidInput):
        demo.group_start.set(anna, "2026-12-01", now=now)
    with pytest.raises(InvalidInput):
        demo.group_start.set(anna, "", now=now)
    with pytest.raises(Forbidden):
        demo.group_start.set(erik, "2026-01-01", now=now)


def test_a_correction_keeping_a_closed_years_time_is_allowed(demo, anna):
    text = "Fittja centrum; narkotikaförsäljning; Försäljning; 2025-11-20 21:30"
    logged = demo.incidents.log(anna, parse_quick(text), now=MARCH).incident
    fixed = demo.incidents.correct(
        anna, logged.id, parse_quick(text.replace("Försäljning", "Langning")), now=JULY
    )
    assert fixed.description == "Langning"
    with pytest.raises(InvalidInput):  # but moved, it must be in the window
        demo.incidents.correct(
            anna, logged.id, parse_quick(text.replace("20 21:30", "21 21:30")), now=JULY
        )


# -- activities, follow-ups and costs ----------------------------------------------------------


def test_a_past_activity_is_recorded_from_the_window_on(demo, anna):
    with pytest.raises(InvalidInput) as refused:
        demo.activities.create(anna, draft(demo, anna, day=date(2024, 12, 31)), now=MARCH)
    assert refused.value.field == "date"
    said = Translator("sv").render(refused.value.message)
    assert said == (
        "tisdag 31 december 2024 ligger utanför tiden som kan registreras. "
        "Genomförda aktiviteter kan registreras från 1 januari 2025."
    )
    done = demo.activities.create(anna, draft(demo, anna, day=date(2025, 1, 15)), now=MARCH)
    assert done.start_at == datetime(2025, 1, 15, 10, 0, tzinfo=UTC)  # 11:00 local


def test_last_years_activity_is_followed_up_until_30_june(demo, anna):
    december = demo.activities.create(anna, draft(demo, anna, day=date(2025, 12, 13)), now=MARCH)
    form = FollowUp({"barn och unga": 20}, "räknat", 0, "Fler vuxna i centrum")
    with pytest.raises(InvalidInput) as refused:
        demo.activities.follow_up(anna, december.id, form, now=JULY)
    assert refused.value.field == "effect"
    assert "från 1 januari 2026" in Translator("sv").render(refused.value.message)
    done = demo.activities.follow_up(anna, december.id, form, now=JULY - timedelta(days=1))
    assert done.followed_up


def test_a_cost_invoiced_before_the_window_is_refused(demo, anna):
    activity = demo.activities.create(anna, draft(demo, anna, day=date(2025, 2, 1)), now=MARCH)
    with pytest.raises(InvalidInput) as refused:
        demo.costs.add(anna, activity.id, cost(invoice_date=date(2024, 12, 31)), now=MARCH)
    assert refused.value.field == "invoice_date"
    saved = demo.costs.add(anna, activity.id, cost(invoice_date=date(2025, 1, 1)), now=MARCH)
    assert saved.amount_ore == 174000
