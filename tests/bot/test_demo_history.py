"""The demo's history: thirteen weeks that make the lägesbild, the summary and the trends mean
something on the first run. Loaded through the services, on both databases.

NOW is Friday 20 November 2026, 22:30 in Stockholm: the history starts on Friday 21 August; the
group meets on Tuesdays at 09:00, so the two closed meetings are those of 10 and 17 November.
"""

from __future__ import annotations

from collections import Counter
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlmodel import col, select

from bot.actions.service import ActionFilter
from bot.demo.history import load_demo_history
from bot.demo.incidents import PLACES, plan_incidents
from bot.demo.loader import load_full_demo
from bot.errors import PersonalDataError
from bot.incidents.batch import Logging, log_many
from bot.incidents.service import IncidentDraft
from bot.privacy import find_personal_data
from bot.services import Services
from storage.models import Incident, Meeting, Outbox, OutboxStatus, SituationReport
from tests.bot.conftest import as_user
from tests.conftest import NOW, session_of

STOCKHOLM = ZoneInfo("Europe/Stockholm")
NEW_YEAR = datetime(2027, 1, 20, 12, 0, tzinfo=UTC)  # the history then holds New Year's Eve


def local(at: datetime) -> datetime:
    return at.astimezone(STOCKHOLM)


# -- the plan: pure, checked by hand ---------------------------------------------------------


def test_the_same_now_gives_the_same_history_and_another_now_another() -> None:
    assert plan_incidents(NOW) == plan_incidents(NOW)
    assert plan_incidents(NOW) != plan_incidents(NOW + timedelta(days=7))


def test_thirteen_weeks_every_one_with_incidents_mostly_in_the_evening() -> None:
    planned = plan_incidents(NOW)
    days = {local(i.at).date() for i in planned}
    assert min(days) == date(2026, 8, 21) and max(days) <= date(2026, 11, 20)
    weeks = Counter(local(i.at).isocalendar()[:2] for i in planned)
    monday = date(2026, 8, 24)  # the first whole week: 35
    whole = [(monday + timedelta(weeks=n)).isocalendar()[:2] for n in range(12)]
    assert all(weeks[w] >= 3 for w in whole), weeks  # 12 whole weeks, none empty
    evening = [i for i in planned if local(i.at).hour >= 18]  # 18:00–23:59
    assert len(evening) / len(planned) >= 0.6
    assert all(i.at < i.reported_at <= NOW for i in planned)  # logged after, never ahead


def test_the_centres_and_alby_lead_and_drugs_and_laughing_gas_are_the_commonest() -> None:
    planned = plan_incidents(NOW)
    places = [p for p, _n in Counter(i.place for i in planned).most_common(3)]
    assert set(places) <= {"Fittja centrum", "Hallunda centrum", "Albys hjärta"}
    categories = [c for c, _n in Counter(i.category for i in planned).most_common(2)]
    assert set(categories) == {"Öppen narkotikaförsäljning", "Lustgas"}
    assert all(find_personal_data(i.description) == [] for i in planned)


def test_the_cold_season_moves_incidents_indoors() -> None:
    warm = plan_incidents(datetime(2026, 9, 30, 12, 0, tzinfo=UTC))  # July – September
    cold = plan_incidents(datetime(2027, 2, 20, 12, 0, tzinfo=UTC))  # November – February
    share = {
        "warm": sum(PLACES[i.place][1] for i in warm) / len(warm),
        "cold": sum(PLACES[i.place][1] for i in cold) / len(cold),
    }
    assert share["cold"] > share["warm"] + 0.2, share  # the centres, the stations, the library
    parks = ("Fittja äng", "Parken vid Hallunda Folkets hus", "Gymnasieparken", "Fittja torg")
    assert sum(i.place in parks for i in warm) > 2 * sum(i.place in parks for i in cold)


def test_new_years_eve_brings_fireworks_and_fires_when_the_window_holds_it() -> None:
    planned = plan_incidents(NEW_YEAR)
    eve = [
        i
        for i in planned
        if datetime(2026, 12, 31, 18, tzinfo=STOCKHOLM)
        <= local(i.at)
        < datetime(2027, 1, 1, 3, tzinfo=STOCKHOLM)
    ]
    kinds = Counter(i.category for i in eve)
    assert kinds["Fyrverkerier"] >= 10 and kinds["Brand"] >= 3
    assert any("Raketer avfyrade mot människor" in i.description for i in eve)
    # November's history holds no New Year's Eve: fireworks stay rare
    november = Counter(i.category for i in plan_incidents(NOW))
    assert november["Fyrverkerier"] <= 3


# -- loaded: what the bot then shows -----------------------------------------------------------


@pytest.fixture
def loaded(services: Services) -> Services:
    first = load_full_demo(services, now=NOW)
    assert first.workspace.created and first.incidents == len(plan_incidents(NOW))
    return services


def test_the_history_is_in_the_database_as_planned_and_loads_once(loaded: Services) -> None:
    planned = plan_incidents(NOW)
    with loaded.db.unit_of_work(read_only=True) as uow:
        rows = session_of(uow).exec(select(Incident).order_by(col(Incident.id))).all()
    logged = [r for r in rows if r.created_at >= datetime(2026, 8, 21, tzinfo=UTC)]
    assert [(r.description, r.occurred_at) for r in logged] == [
        (i.description, i.at) for i in planned
    ]
    assert all(r.created_at == i.reported_at for r, i in zip(logged, planned, strict=True))
    again = load_full_demo(loaded, now=NOW)
    assert (again.workspace.created, again.activities, again.incidents) == (False, 0, 0)
    assert load_demo_history(loaded, now=NOW + timedelta(days=3)) == 0  # another day: still once
    with loaded.db.unit_of_work(read_only=True) as uow:
        assert len(session_of(uow).exec(select(Incident)).all()) == len(rows)
        # what the history would have said then is not sent now; the upcoming activities are
        pending = (
            session_of(uow).exec(select(Outbox).where(Outbox.status == OutboxStatus.PENDING)).all()
        )
    assert pending and all(r.created_at >= NOW for r in pending)
    assert loaded.audit.verify().ok


def test_reports_from_the_three_parties_and_two_closed_meetings(loaded: Services) -> None:
    with loaded.db.unit_of_work(read_only=True) as uow:
        reports = session_of(uow).exec(select(SituationReport)).all()
        meetings = session_of(uow).exec(select(Meeting).order_by(col(Meeting.iso_week))).all()
    per_week = Counter((r.iso_year, r.iso_week) for r in reports)
    # the meetings of weeks 35 (25 Aug: its seven days begin before the history) … 47 (17
    # Nov): week 36 is the first whose seven days lie in the history; 12 meetings, three
    # reports each, but the housing company missed the fifth (week 40)
    assert sorted(per_week) == [(2026, w) for w in range(36, 48)]
    assert per_week[(2026, 40)] == 2 and sum(per_week.values()) == 35
    late = [(r.iso_week, r.organisation_id) for r in reports if r.late]
    assert len(late) == 1 and late[0][0] == 43  # the police, on the morning of the eighth
    assert [(m.iso_week, m.status) for m in meetings] == [(46, "closed"), (47, "closed")]
    anna = as_user(loaded, "U0ANNA")
    for week in ("v46", "v47"):
        picture = loaded.meetings.picture(anna, week, now=NOW)
        assert picture.version == 1 and picture.missing == []  # fastställd, all reported
        assert any(p.agreed for p in picture.places)


def test_actions_some_done_one_overdue_and_activities_followed_up(loaded: Services) -> None:
    anna = as_user(loaded, "U0ANNA")
    overdue = loaded.actions.find(anna, ActionFilter(overdue=True), now=NOW)
    assert [a.title for a in overdue] == [
        "Bovärdarna byter den trasiga belysningen vid entrén till Hallunda centrum"
    ]
    every = loaded.actions.find(anna, ActionFilter(open_only=False), now=NOW)
    assert sorted(a.status for a in every) == ["klar", "klar", "pågår", "öppen", "öppen"]
    with loaded.db.unit_of_work(read_only=True) as uow:
        group = uow.groups.get(anna.group.id)  # type: ignore[union-attr]
        assert group is not None and group.id is not None
    held = [
        a
        for week in range(36, 48)
        for a in loaded.activities.held_and_coming(group.id, 2026, week).held
    ]
    titles = {a.title for a in held}
    assert titles == {"Fotbollskväll på Kårsby IP", "Nattvandring i Fittja centrum"}
    assert all(a.motivated and a.attendance_total for a in held)


def test_the_summary_and_the_lägesbild_of_last_week_mean_something(loaded: Services) -> None:
    anna = as_user(loaded, "U0ANNA")
    summary = loaded.summaries.show(anna, "", now=NOW)  # week 46, Mon 9 – Sun 15 Nov
    assert (summary.iso_year, summary.iso_week) == (2026, 46)
    assert summary.total > 0 and summary.average > 0
    assert any(p.average > 0 for p in summary.places)
    assert len(summary.weeks) >= 12 and all(sum(c.series) > 0 for c in summary.categories)
    picture = loaded.meetings.picture(anna, "", now=NOW)  # the meeting of Tue 24 Nov so far
    assert picture.places and any(p.average > 0 for p in picture.places)
    assert sum(p.incidents for p in picture.places) > 0


def test_a_batch_is_all_or_nothing_and_checks_personal_data(loaded: Services) -> None:
    erik = as_user(loaded, "U0ERIK")
    drafts = [
        IncidentDraft("Fittja centrum", "lustgas", description="Patroner vid entrén"),
        IncidentDraft("Fittja centrum", "hot", description="Hotade 19121212-1212 vid entrén"),
    ]
    with loaded.db.unit_of_work(read_only=True) as uow:
        before = len(session_of(uow).exec(select(Incident)).all())
    with pytest.raises(PersonalDataError):
        log_many(loaded.db, [Logging(erik, d, NOW) for d in drafts])
    with loaded.db.unit_of_work(read_only=True) as uow:
        assert len(session_of(uow).exec(select(Incident)).all()) == before
    ids = log_many(loaded.db, [Logging(erik, drafts[0], NOW)])
    assert loaded.incidents.get(erik, ids[0]).description == "Patroner vid entrén"
