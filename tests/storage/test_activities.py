"""The activity repositories on each database: activities with their places and motivating
links, the records that can motivate one, costs, documents, grant allocations and the calendar
feed. Rows are written in one unit of work and read back in another, so every answer comes
from the database."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlmodel import Session

from bot.actors import Actor
from bot.services import Services
from storage.db import Database
from storage.errors import Conflict
from storage.models import (
    Activity,
    ActivityCost,
    ActivityDocument,
    ActivityMotivation,
    ActivityStatus,
    CalendarFeed,
    GrantAllocation,
    Incident,
    ReportEntry,
    SituationReport,
)
from storage.repositories import UnitOfWork

T0 = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)  # Monday, week 48
KOMMUN, POLISEN, BYGGEN = (
    "Botkyrka kommun",
    "Polisen lokalpolisområde Botkyrka",
    "Botkyrkabyggen",
)
CENTRUM, TORG, KONSTHALL, TUMBA = (
    "Fittja centrum",
    "Fittja torg",
    "Botkyrka konsthall",
    "Tumba station",
)


@dataclass(frozen=True)
class Ground:
    """The demo group's ids: its organisations and places by name, and one category."""

    db: Database
    group_id: int
    orgs: dict[str, int]
    places: dict[str, int]
    category_id: int


@pytest.fixture
def ground(demo: Services, anna: Actor) -> Ground:
    assert anna.group is not None
    group_id = anna.group.id
    with demo.db.unit_of_work(read_only=True) as uow:
        orgs = {o.name: o.id or 0 for o in uow.organisations.of_group(group_id)}
        places = {p.name: p.id or 0 for p in uow.places.of_group(group_id)}
        category = uow.categories.of_group(group_id)[0]
    assert category.id is not None
    return Ground(demo.db, group_id, orgs, places, category.id)


def activity(
    uow: UnitOfWork,
    g: Ground,
    title: str,
    start: datetime,
    *,
    status: str = ActivityStatus.PLANERAD,
    org: str = KOMMUN,
) -> int:
    row = uow.activities.add(
        Activity(
            group_id=g.group_id,
            title=title,
            kind="evenemang",
            owner_user_id="U0ANNA",
            organisation_id=g.orgs[org],
            start_at=start,
            end_at=start + timedelta(hours=2),
            status=status,
            created_by="U0ANNA",
            created_at=T0 - timedelta(days=30),
            updated_at=T0 - timedelta(days=30),
        )
    )
    assert row.id is not None
    return row.id


def titles(rows: Sequence[Activity]) -> list[str]:
    return [a.title for a in rows]


# -- activities -------------------------------------------------------------------------------


def test_between_keeps_the_window_the_statuses_and_the_place(ground: Ground) -> None:
    g = ground
    with g.db.unit_of_work() as uow:
        activity(uow, g, "before", T0 - timedelta(seconds=1))
        at_start = activity(uow, g, "at start", T0)
        uow.activities.set_places(at_start, [g.places[CENTRUM]])
        activity(uow, g, "held", T0 + timedelta(days=2), status=ActivityStatus.GENOMFORD)
        cancelled = activity(
            uow, g, "cancelled", T0 + timedelta(days=3), status=ActivityStatus.INSTALLD
        )
        uow.activities.set_places(cancelled, [g.places[CENTRUM], g.places[TORG]])
        activity(uow, g, "at end", T0 + timedelta(days=7))
    week = (g.group_id, T0, T0 + timedelta(days=7))
    with g.db.unit_of_work(read_only=True) as uow:
        assert titles(uow.activities.between(*week)) == ["at start", "held"]
        assert titles(uow.activities.between(*week, statuses=None)) == [
            "at start",
            "held",
            "cancelled",
        ]
        at_centrum = uow.activities.between(*week, statuses=None, place_id=g.places[CENTRUM])
        assert titles(at_centrum) == ["at start", "cancelled"]
        assert titles(uow.activities.between(*week, statuses=None, limit=1)) == ["at start"]
        assert titles(uow.activities.between(g.group_id + 1, T0, T0 + timedelta(days=7))) == []


def test_ending_between_skips_the_cancelled_and_pages_by_id(ground: Ground) -> None:
    g = ground
    with g.db.unit_of_work() as uow:
        first = activity(uow, g, "first", T0)  # ends T0 + 2 h
        activity(uow, g, "cancelled", T0, status=ActivityStatus.INSTALLD)
        activity(uow, g, "second", T0 + timedelta(days=1))
        activity(uow, g, "ends too late", T0 + timedelta(days=2))
    window = (T0 + timedelta(hours=2), T0 + timedelta(days=2, hours=2))  # ends in [start, end)
    with g.db.unit_of_work(read_only=True) as uow:
        assert titles(uow.activities.ending_between(*window)) == ["first", "second"]
        assert titles(uow.activities.ending_between(*window, limit=1)) == ["first"]
        assert titles(uow.activities.ending_between(*window, after_id=first)) == ["second"]


def test_whether_a_group_has_any_activity(ground: Ground) -> None:
    g = ground
    with g.db.unit_of_work(read_only=True) as uow:
        assert uow.activities.any_in_group(g.group_id) is False
    with g.db.unit_of_work() as uow:
        activity(uow, g, "cancelled", T0, status=ActivityStatus.INSTALLD)  # counts too
    with g.db.unit_of_work(read_only=True) as uow:
        assert uow.activities.any_in_group(g.group_id) is True
        assert uow.activities.any_in_group(g.group_id + 1) is False


def test_places_of_many_activities_by_name_and_set_places_replaces(ground: Ground) -> None:
    g = ground
    with g.db.unit_of_work() as uow:
        market = activity(uow, g, "market", T0)
        walk = activity(uow, g, "walk", T0)
        bare = activity(uow, g, "no place", T0)
        uow.activities.set_places(market, [g.places[TORG], g.places[CENTRUM], g.places[TORG]])
        uow.activities.set_places(walk, [g.places[TUMBA]])
    with g.db.unit_of_work(read_only=True) as uow:
        assert uow.activities.places_of([market, walk, bare]) == {
            market: [(g.places[CENTRUM], CENTRUM), (g.places[TORG], TORG)],
            walk: [(g.places[TUMBA], TUMBA)],
        }
        assert uow.activities.places_of([]) == {}
    with g.db.unit_of_work() as uow:
        uow.activities.set_places(market, [g.places[KONSTHALL]])
    with g.db.unit_of_work(read_only=True) as uow:
        assert [p.name for p in uow.activities.places(market)] == [KONSTHALL]
        assert uow.activities.places_of([market]) == {market: [(g.places[KONSTHALL], KONSTHALL)]}


def test_motivations_of_many_with_their_place_and_which_are_motivated(ground: Ground) -> None:
    g = ground
    with g.db.unit_of_work() as uow:
        market = activity(uow, g, "market", T0)
        walk = activity(uow, g, "walk", T0)
        bare = activity(uow, g, "draft", T0)
        for activity_id, record_id, place, days_before in (
            (market, 11, CENTRUM, 2),
            (walk, 12, TUMBA, 9),
            (market, 13, TORG, 5),
        ):
            uow.activities.add_motivation(
                ActivityMotivation(
                    activity_id=activity_id,
                    kind="incident",
                    record_id=record_id,
                    place_id=g.places[place],
                    record_at=T0 - timedelta(days=days_before),
                    summary=f"record {record_id}",
                    linked_by="U0ANNA",
                    linked_at=T0,
                )
            )
    with g.db.unit_of_work(read_only=True) as uow:
        found = uow.activities.motivations_of([market, bare])
        # oldest record first: #13 five days before, #11 two days before
        assert [(m.activity_id, m.record_id, place) for m, place in found] == [
            (market, 13, TORG),
            (market, 11, CENTRUM),
        ]
        assert found[0][0].record_at == T0 - timedelta(days=5)
        assert [m.record_id for m, _p in uow.activities.motivations_of([market, walk])] == [
            12,
            13,
            11,
        ]
        assert uow.activities.motivated_among([market, walk, bare]) == {market, walk}
        assert uow.activities.motivated_among([bare]) == set()
        assert [m.record_id for m in uow.activities.motivations(market)] == [13, 11]


def test_organisation_names_by_id(ground: Ground) -> None:
    g = ground
    with g.db.unit_of_work(read_only=True) as uow:
        names = uow.activities.organisation_names({g.orgs[KOMMUN], g.orgs[POLISEN], 10**6})
    assert names == {g.orgs[KOMMUN]: KOMMUN, g.orgs[POLISEN]: POLISEN}


def test_last_exported_is_the_newest_export_of_each_activity(ground: Ground) -> None:
    g = ground
    with g.db.unit_of_work() as uow:
        market = activity(uow, g, "market", T0)
        walk = activity(uow, g, "walk", T0)
        never = activity(uow, g, "never exported", T0)
        for activity_id, action, hours in (
            (market, "activity.exported", 1),
            (walk, "activity.exported", 2),
            (market, "activity.exported", 3),
            (market, "activity.followed_up", 4),  # later, but not an export
            (never, "activity.created", 5),
        ):
            uow.audit.record(
                action,
                entity="activity",
                entity_id=activity_id,
                actor="U0ANNA",
                at=T0 + timedelta(hours=hours),
                group_id=g.group_id,
            )
    with g.db.unit_of_work(read_only=True) as uow:
        assert uow.activities.last_exported([market, walk, never]) == {
            market: T0 + timedelta(hours=3),
            walk: T0 + timedelta(hours=2),
        }


def test_save_writes_the_changes_of_a_loaded_activity(ground: Ground) -> None:
    g = ground
    with g.db.unit_of_work() as uow:
        market = activity(uow, g, "market", T0)
    with g.db.unit_of_work() as uow:
        row = uow.activities.get(market)
        assert row is not None
        row.status, row.cancel_reason = ActivityStatus.INSTALLD, "storm"
        uow.activities.save(row)
    with g.db.unit_of_work(read_only=True) as uow:
        (again,) = uow.activities.many([market, 10**6])
        assert (again.status, again.cancel_reason) == ("inställd", "storm")
        assert uow.activities.many([]) == []


# -- what can motivate one --------------------------------------------------------------------


def incident(
    uow: UnitOfWork,
    g: Ground,
    place: str,
    occurred: datetime,
    *,
    saved: datetime | None = None,
    deleted: bool = False,
) -> int:
    row = uow.incidents.add(
        Incident(
            group_id=g.group_id,
            place_id=g.places[place],
            category_id=g.category_id,
            occurred_at=occurred,
            description="Öppen försäljning",
            reporter_user_id="U0ERIK",
            organisation_id=g.orgs[POLISEN],
            deleted_at=T0 if deleted else None,
            created_at=saved or occurred,
            updated_at=saved or occurred,
        )
    )
    assert row.id is not None
    return row.id


def test_incidents_at_the_places_happened_since_and_saved_by_then(ground: Ground) -> None:
    g = ground
    since = T0 - timedelta(days=14)
    with g.db.unit_of_work() as uow:
        oldest = incident(uow, g, CENTRUM, since)  # exactly at the start: in
        incident(uow, g, CENTRUM, since - timedelta(seconds=1))  # before: out
        middle = incident(uow, g, TORG, T0 - timedelta(days=10), saved=T0 - timedelta(days=9))
        newest = incident(uow, g, CENTRUM, T0 - timedelta(days=3), saved=T0)  # saved at until
        incident(uow, g, CENTRUM, T0 - timedelta(days=1), saved=T0 + timedelta(minutes=1))
        incident(uow, g, CENTRUM, T0 - timedelta(days=2), deleted=True)
        incident(uow, g, TUMBA, T0 - timedelta(days=2))  # another place
    places = [g.places[CENTRUM], g.places[TORG]]
    with g.db.unit_of_work(read_only=True) as uow:
        found = uow.candidates.incidents_at(g.group_id, places, since=since, until=T0, limit=50)
        assert [i.id for i in found] == [newest, middle, oldest]  # latest to happen first
        two = uow.candidates.incidents_at(g.group_id, places, since=since, until=T0, limit=2)
        assert [i.id for i in two] == [newest, middle]
        other = uow.candidates.incidents_at(g.group_id + 1, places, since=since, until=T0, limit=5)
        assert list(other) == []


def report(g: Ground, org: str, week: int, saved: datetime, places: list[str]) -> list[int]:
    """A situation report of ``org`` for ``week`` of 2026, last saved at ``saved``, with an
    entry for each place; returns the entries' ids. Written as plain rows (the weekly
    feature's own repository is not under test here)."""
    with Session(g.db.engine) as session:
        row = SituationReport(
            group_id=g.group_id,
            organisation_id=g.orgs[org],
            iso_year=2026,
            iso_week=week,
            submitted_by="U0ANNA",
            created_at=saved,
            updated_at=saved,
        )
        session.add(row)
        session.flush()
        assert row.id is not None
        entries = [
            ReportEntry(report_id=row.id, place_id=g.places[p], level="hög", trend="sämre")
            for p in places
        ]
        session.add_all(entries)
        session.flush()
        ids = [e.id or 0 for e in entries]
        session.commit()
    return ids


def test_report_entries_at_the_places_of_reports_saved_in_the_window(ground: Ground) -> None:
    g = ground
    since = T0 - timedelta(days=14)
    centrum, torg = report(g, KOMMUN, 47, T0 - timedelta(days=2), [CENTRUM, TORG])
    (police,) = report(g, POLISEN, 46, since, [CENTRUM])  # saved at the start: in
    report(g, POLISEN, 45, since - timedelta(seconds=1), [CENTRUM])  # before: out
    report(g, BYGGEN, 48, T0 + timedelta(minutes=1), [CENTRUM])  # after until: out
    report(g, BYGGEN, 47, T0 - timedelta(days=1), [TUMBA])  # another place
    with g.db.unit_of_work(read_only=True) as uow:
        at_centrum = uow.candidates.report_entries_at(
            g.group_id, [g.places[CENTRUM]], since=since, until=T0, limit=50
        )
        assert [(e.id, r.iso_week, o.name, p.name) for e, r, o, p in at_centrum] == [
            (centrum, 47, KOMMUN, CENTRUM),  # saved two days ago, the newest first
            (police, 46, POLISEN, CENTRUM),
        ]
        both = uow.candidates.report_entries_at(
            g.group_id, [g.places[CENTRUM], g.places[TORG]], since=since, until=T0, limit=2
        )
        assert sorted(e.id or 0 for e, _r, _o, _p in both) == sorted([centrum, torg])


def test_a_report_entry_is_found_only_in_its_own_group(ground: Ground) -> None:
    g = ground
    (entry,) = report(g, BYGGEN, 47, T0, [TORG])
    with g.db.unit_of_work(read_only=True) as uow:
        found = uow.candidates.report_entry(g.group_id, entry)
        assert found is not None
        row, of_report, organisation, place = found
        assert (row.id, of_report.iso_week, organisation.name, place.name) == (
            entry,
            47,
            BYGGEN,
            TORG,
        )
        assert uow.candidates.report_entry(g.group_id + 1, entry) is None
        assert uow.candidates.report_entry(g.group_id, entry + 1) is None


# -- costs, documents, allocations ------------------------------------------------------------


def cost(uow: UnitOfWork, g: Ground, activity_id: int, ore: int) -> int:
    row = uow.costs.add(
        ActivityCost(
            group_id=g.group_id,
            activity_id=activity_id,
            amount_ore=ore,
            description="Polistillstånd",
            supplier="Polismyndigheten",
            funding_source="statsbidrag",
            grant_year=2026,
            created_by="U0ANNA",
            created_at=T0,
            updated_at=T0,
        )
    )
    assert row.id is not None
    return row.id


def test_costs_of_activities_in_the_order_added_and_of_the_group_by_activity(
    ground: Ground,
) -> None:
    g = ground
    with g.db.unit_of_work() as uow:
        market = activity(uow, g, "market", T0)
        walk = activity(uow, g, "walk", T0)
        first = cost(uow, g, walk, 174_000)
        second = cost(uow, g, market, 1_250_050)
        third = cost(uow, g, walk, 50)
    with g.db.unit_of_work(read_only=True) as uow:
        assert [c.id for c in uow.costs.of_activities([market, walk])] == [first, second, third]
        assert [c.amount_ore for c in uow.costs.of_activity(walk)] == [174_000, 50]
        assert [c.id for c in uow.costs.of_group(g.group_id)] == [second, first, third]
        assert uow.costs.of_activities([]) == []
        assert uow.costs.of_group(g.group_id + 1) == []
    with g.db.unit_of_work() as uow:
        moved = uow.costs.get(second)
        assert moved is not None
        moved.activity_id = walk
        uow.costs.save(moved)
    with g.db.unit_of_work(read_only=True) as uow:
        assert [c.id for c in uow.costs.of_activity(walk)] == [first, second, third]
        assert uow.costs.of_activity(market) == []


def test_documents_oldest_first_by_their_own_date(ground: Ground) -> None:
    g = ground
    with g.db.unit_of_work() as uow:
        market = activity(uow, g, "market", T0)
        walk = activity(uow, g, "walk", T0)
        ids = [
            uow.documents.add(
                ActivityDocument(
                    group_id=g.group_id,
                    activity_id=activity_id,
                    kind="avtal",
                    title=title,
                    document_date=day,
                    created_by="U0ANNA",
                    created_at=T0,  # registered the same moment: the own date orders them
                    updated_at=T0,
                )
            ).id
            for activity_id, title, day in (
                (market, "contract", date(2026, 11, 10)),
                (market, "permit", date(2026, 10, 1)),
                (walk, "invoice", date(2026, 9, 1)),
            )
        ]
        contract, permit, invoice = ids
    with g.db.unit_of_work(read_only=True) as uow:
        assert [d.title for d in uow.documents.of_activity(market)] == ["permit", "contract"]
        assert [d.id for d in uow.documents.of_activities([market, walk])] == [
            invoice,
            permit,
            contract,
        ]
    with g.db.unit_of_work() as uow:
        row = uow.documents.get(permit or 0)
        assert row is not None
        row.activity_id = walk
        uow.documents.save(row)
    with g.db.unit_of_work(read_only=True) as uow:
        assert [d.title for d in uow.documents.of_activity(walk)] == ["invoice", "permit"]


def allocation(g: Ground, year: int, source: str, ore: int) -> GrantAllocation:
    return GrantAllocation(
        group_id=g.group_id,
        year=year,
        funding_source=source,
        amount_ore=ore,
        set_by="U0ANNA",
        set_at=T0,
    )


def test_allocations_of_a_year_by_source(ground: Ground) -> None:
    g = ground
    with g.db.unit_of_work() as uow:
        uow.grants.save(allocation(g, 2026, "statsbidrag", 10_000_000))
        uow.grants.save(allocation(g, 2026, "egen budget", 2_500_000))
        uow.grants.save(allocation(g, 2025, "statsbidrag", 8_000_000))
    with g.db.unit_of_work(read_only=True) as uow:
        assert [(a.funding_source, a.amount_ore) for a in uow.grants.of_year(g.group_id, 2026)] == [
            ("egen budget", 2_500_000),
            ("statsbidrag", 10_000_000),
        ]
        state = uow.grants.allocation(g.group_id, 2025, "statsbidrag")
        assert state is not None and state.amount_ore == 8_000_000
        assert uow.grants.allocation(g.group_id, 2024, "statsbidrag") is None
        assert uow.grants.allocation(g.group_id + 1, 2026, "statsbidrag") is None
    with g.db.unit_of_work() as uow:
        row = uow.grants.allocation(g.group_id, 2026, "statsbidrag")
        assert row is not None
        row.amount_ore, row.diarienummer = 12_000_000, "S2026/01234"
        uow.grants.save(row)
    with g.db.unit_of_work(read_only=True) as uow:
        again = uow.grants.allocation(g.group_id, 2026, "statsbidrag")
        assert again is not None
        assert (again.amount_ore, again.diarienummer) == (12_000_000, "S2026/01234")


def test_a_second_allocation_for_the_same_year_and_source_is_a_conflict(ground: Ground) -> None:
    g = ground
    with g.db.unit_of_work() as uow:
        uow.grants.save(allocation(g, 2026, "statsbidrag", 10_000_000))
    with pytest.raises(Conflict), g.db.unit_of_work() as uow:
        uow.grants.save(allocation(g, 2026, "statsbidrag", 1))
    with g.db.unit_of_work(read_only=True) as uow:
        assert [a.amount_ore for a in uow.grants.of_year(g.group_id, 2026)] == [10_000_000]


# -- the calendar feed ------------------------------------------------------------------------


def test_a_feed_is_found_by_its_group_and_by_its_token_until_renewed(ground: Ground) -> None:
    g = ground
    with g.db.unit_of_work() as uow:
        assert uow.calendar_feeds.of_group(g.group_id) is None
        uow.calendar_feeds.save(
            CalendarFeed(group_id=g.group_id, token="old-token", created_by="U0ANNA", created_at=T0)
        )
    with g.db.unit_of_work() as uow:
        feed = uow.calendar_feeds.by_token("old-token")
        assert feed is not None and feed.group_id == g.group_id
        feed.token = "new-token"
        uow.calendar_feeds.save(feed)
    with g.db.unit_of_work(read_only=True) as uow:
        assert uow.calendar_feeds.by_token("old-token") is None
        renewed = uow.calendar_feeds.of_group(g.group_id)
        assert renewed is not None and renewed.token == "new-token"
