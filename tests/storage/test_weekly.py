"""The weekly cycle's repositories against a real database: reports, meetings and the lägesbild's
frozen versions and aggregates, on SQLite and PostgreSQL. Every expected value is worked out from
the rows each test writes."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

import pytest

from bot.actors import Actor
from storage.db import Database
from storage.models import (
    Action,
    ActionStatus,
    Decision,
    Incident,
    JointLevel,
    Meeting,
    PictureSnapshot,
    ReportEntry,
    ReportVersion,
    SituationReport,
)

AT = datetime(2026, 11, 16, tzinfo=UTC)  # Monday of week 47
KOMMUN, POLISEN, BYGGEN = "Botkyrka kommun", "Polisen lokalpolisområde Botkyrka", "Botkyrkabyggen"
FITTJA, KARSBY, TUMBA, ALBY = "Fittja centrum", "Kårsby IP", "Tumba station", "Albys hjärta"
DRUGS, DRIVING = "narkotikaforsaljning", "buskorning"


@dataclass(frozen=True)
class Ids:
    group: int
    orgs: dict[str, int]
    places: dict[str, int]
    categories: dict[str, int]


@pytest.fixture
def ids(db: Database, anna: Actor) -> Ids:
    assert anna.group is not None
    group = anna.group.id
    with db.unit_of_work(read_only=True) as uow:
        return Ids(
            group,
            {o.name: o.id or 0 for o in uow.organisations.of_group(group)},
            {p.name: p.id or 0 for p in uow.places.of_group(group)},
            {c.key: c.id or 0 for c in uow.categories.of_group(group)},
        )


def _report(db: Database, ids: Ids, org: str, week: int, *entries: tuple[str, str]) -> int:
    """A report of ``org`` for ``week`` of 2026 with (place, level) entries; returns its id."""
    with db.unit_of_work() as uow:
        row = uow.reports.save(
            SituationReport(
                group_id=ids.group,
                organisation_id=ids.orgs[org],
                iso_year=2026,
                iso_week=week,
                submitted_by="U0ANNA",
                created_at=AT,
                updated_at=AT,
            )
        )
        assert row.id is not None
        uow.reports.replace_entries(
            row.id,
            [
                ReportEntry(report_id=row.id, place_id=ids.places[p], level=lv, trend="sämre")
                for p, lv in entries
            ],
        )
        return row.id


def _incident(
    db: Database, ids: Ids, place: str, category: str, at: datetime, *, deleted: bool = False
) -> None:
    with db.unit_of_work() as uow:
        uow.incidents.add(
            Incident(
                group_id=ids.group,
                place_id=ids.places[place],
                category_id=ids.categories[category],
                occurred_at=at,
                reporter_user_id="U0ANNA",
                organisation_id=ids.orgs[KOMMUN],
                deleted_at=at if deleted else None,
                created_at=at,
                updated_at=at,
            )
        )


def _meeting(db: Database, ids: Ids, week: int) -> int:
    with db.unit_of_work() as uow:
        meeting = uow.meetings.add(
            Meeting(
                group_id=ids.group, iso_year=2026, iso_week=week, opened_by="U0ANNA", opened_at=AT
            )
        )
        return meeting.id or 0


def _action(
    db: Database,
    ids: Ids,
    title: str,
    due: date,
    places: list[str],
    *,
    status: str = ActionStatus.OPEN,
    decision_ref: str | None = None,
) -> int:
    with db.unit_of_work() as uow:
        action = uow.actions.add(
            Action(
                group_id=ids.group,
                title=title,
                owner_user_id="U0ERIK",
                organisation_id=ids.orgs[POLISEN],
                due_date=due,
                created_by="U0ANNA",
                created_at=AT,
                updated_at=AT,
                status=status,
                decision_ref=decision_ref,
            )
        )
        assert action.id is not None
        uow.actions.link(action.id, places=[ids.places[p] for p in places], incidents=[])
        return action.id


# -- reports -----------------------------------------------------------------------------------


def test_a_report_is_found_by_its_organisation_and_week(db: Database, ids: Ids):
    kommun_48 = _report(db, ids, KOMMUN, 48, (FITTJA, "oroligt"))
    police_48 = _report(db, ids, POLISEN, 48, (FITTJA, "allvarligt"))
    kommun_47 = _report(db, ids, KOMMUN, 47, (FITTJA, "lugnt"))
    with db.unit_of_work(read_only=True) as uow:
        found = uow.reports.find(ids.group, ids.orgs[KOMMUN], 2026, 48)
        assert found is not None and found.id == kommun_48
        assert uow.reports.find(ids.group, ids.orgs[BYGGEN], 2026, 48) is None
        assert uow.reports.find(ids.group, ids.orgs[KOMMUN], 2025, 48) is None
        week_48 = {r.id for r in uow.reports.of_week(ids.group, 2026, 48)}
        assert week_48 == {kommun_48, police_48}
        assert [r.id for r in uow.reports.of_week(ids.group, 2026, 47)] == [kommun_47]
        assert list(uow.reports.of_week(ids.group, 2026, 46)) == []


def test_entries_come_with_their_places_by_name_and_are_replaced_whole(db: Database, ids: Ids):
    report = _report(db, ids, KOMMUN, 48, (KARSBY, "lugnt"), (FITTJA, "oroligt"), (ALBY, "lugnt"))
    with db.unit_of_work() as uow:
        entries = uow.reports.entries(report)
        assert [(p.name, e.level) for e, p in entries] == [
            (ALBY, "lugnt"),
            (FITTJA, "oroligt"),
            (KARSBY, "lugnt"),
        ]
        uow.reports.replace_entries(
            report,
            [
                ReportEntry(
                    report_id=report, place_id=ids.places[TUMBA], level="allvarligt", trend="sämre"
                )
            ],
        )
        version = ReportVersion(
            report_id=report, version=2, content={"notes": ""}, saved_by="U0ANNA", saved_at=AT
        )
        uow.reports.add_version(version)
        assert version.id is not None  # flushed
    with db.unit_of_work(read_only=True) as uow:
        assert [(p.name, e.level) for e, p in uow.reports.entries(report)] == [
            (TUMBA, "allvarligt")
        ]


def test_the_levels_reported_for_one_place_per_week(db: Database, ids: Ids):
    _report(db, ids, KOMMUN, 46, (FITTJA, "allvarligt"))  # a week not asked for
    _report(db, ids, KOMMUN, 47, (FITTJA, "oroligt"), (KARSBY, "allvarligt"))
    _report(db, ids, KOMMUN, 48, (FITTJA, "lugnt"))
    _report(db, ids, POLISEN, 48, (FITTJA, "allvarligt"), (KARSBY, "lugnt"))
    _report(db, ids, BYGGEN, 49, (KARSBY, "oroligt"))  # no entry for Fittja centrum
    with db.unit_of_work(read_only=True) as uow:
        found = uow.reports.levels_at(
            ids.group, ids.places[FITTJA], [(2026, 47), (2026, 48), (2026, 49)]
        )
    assert {week: sorted(levels) for week, levels in found.items()} == {
        (2026, 47): ["oroligt"],
        (2026, 48): ["allvarligt", "lugnt"],
    }


def test_only_the_organisations_that_report_are_reporting(db: Database, ids: Ids):
    with db.unit_of_work() as uow:
        byggen = uow.organisations.get(ids.orgs[BYGGEN])
        assert byggen is not None
        byggen.reports = False
    with db.unit_of_work(read_only=True) as uow:
        names = sorted(o.name for o in uow.reports.reporting_organisations(ids.group))
    assert names == [KOMMUN, POLISEN]


# -- meetings ----------------------------------------------------------------------------------


def test_a_meeting_of_a_week_and_its_decisions_in_order(db: Database, ids: Ids):
    meeting = _meeting(db, ids, 48)
    with db.unit_of_work() as uow:
        for text in ("Trygghetsvandring", "Belysning", "Städning"):
            uow.meetings.add_decision(
                Decision(meeting_id=meeting, text=text, created_by="U0ANNA", created_at=AT)
            )
    with db.unit_of_work(read_only=True) as uow:
        found = uow.meetings.of_week(ids.group, 2026, 48)
        assert found is not None and found.id == meeting
        assert uow.meetings.of_week(ids.group, 2026, 47) is None
        got = uow.meetings.get(meeting)
        assert got is not None and got.iso_week == 48
        decisions = uow.meetings.decisions(meeting)
        assert [d.text for d in decisions] == ["Trygghetsvandring", "Belysning", "Städning"]
        second = uow.meetings.decision(decisions[1].id or 0)
        assert second is not None and second.text == "Belysning"


def test_the_actions_made_at_a_meeting(db: Database, ids: Ids):
    meeting = _meeting(db, ids, 48)
    ref = f"meeting:{meeting}"
    second = _action(db, ids, "Städa trappan", date(2026, 12, 1), [], decision_ref=ref)
    _action(db, ids, "Från ett beslut", date(2026, 12, 1), [], decision_ref="decision:1")
    first = _action(db, ids, "Belysning", date(2026, 11, 30), [], decision_ref=ref)
    _action(db, ids, "Utan ursprung", date(2026, 12, 1), [])
    with db.unit_of_work(read_only=True) as uow:
        made = uow.meetings.actions_made(ref)
    assert [(a.id, a.title) for a in made] == [(second, "Städa trappan"), (first, "Belysning")]


def test_agreed_levels_per_week_and_per_place(db: Database, ids: Ids):
    fittja, karsby = ids.places[FITTJA], ids.places[KARSBY]

    def agree(week: int, place: int, level: str) -> None:
        with db.unit_of_work() as uow:
            uow.meetings.set_level(
                JointLevel(
                    group_id=ids.group,
                    iso_year=2026,
                    iso_week=week,
                    place_id=place,
                    level=level,
                    set_by="U0ANNA",
                    set_at=AT,
                )
            )

    agree(48, fittja, "oroligt")
    agree(48, karsby, "lugnt")
    agree(47, fittja, "allvarligt")
    with db.unit_of_work() as uow:
        assert uow.meetings.levels(ids.group, 2026, 48) == {fittja: "oroligt", karsby: "lugnt"}
        assert uow.meetings.level(ids.group, 2026, 48, ids.places[TUMBA]) is None
        row = uow.meetings.level(ids.group, 2026, 48, fittja)
        assert row is not None and row.level == "oroligt"
        row.level = "allvarligt"
        uow.meetings.set_level(row)  # changed, not a second row
    with db.unit_of_work(read_only=True) as uow:
        assert uow.meetings.levels(ids.group, 2026, 48) == {fittja: "allvarligt", karsby: "lugnt"}
        assert uow.meetings.levels(ids.group, 2026, 46) == {}
        assert uow.meetings.levels_at(ids.group, fittja, [(2026, 47), (2026, 48), (2026, 49)]) == {
            (2026, 47): "allvarligt",
            (2026, 48): "allvarligt",
        }
        assert uow.meetings.levels_at(ids.group, karsby, [(2026, 47)]) == {}


# -- the lägesbild -----------------------------------------------------------------------------


def test_the_newest_frozen_version_of_a_week(db: Database, ids: Ids):
    with db.unit_of_work() as uow:
        for week, version in ((47, 1), (47, 3), (47, 2), (48, 1)):
            uow.pictures.add_snapshot(
                PictureSnapshot(
                    group_id=ids.group,
                    iso_year=2026,
                    iso_week=week,
                    version=version,
                    content={"version": version},
                    created_by="U0ANNA",
                    created_at=AT,
                )
            )
    with db.unit_of_work(read_only=True) as uow:
        newest = uow.pictures.newest(ids.group, 2026, 47)
        assert newest is not None and newest.version == 3
        assert uow.pictures.newest(ids.group, 2026, 49) is None
        found = uow.pictures.newest_of(ids.group, [(2026, 47), (2026, 48), (2026, 49)])
    assert {week: s.content["version"] for week, s in found.items()} == {
        (2026, 47): 3,
        (2026, 48): 1,
    }


def test_incidents_per_place_and_category_in_a_window(db: Database, ids: Ids):
    start, end = AT, AT + timedelta(days=7)
    _incident(db, ids, FITTJA, DRIVING, start)  # the start is in the window
    _incident(db, ids, FITTJA, DRUGS, start + timedelta(days=1))
    _incident(db, ids, FITTJA, DRUGS, start + timedelta(days=3))
    _incident(db, ids, KARSBY, DRIVING, start + timedelta(days=2))
    _incident(db, ids, FITTJA, DRUGS, end)  # the end is not
    _incident(db, ids, FITTJA, DRUGS, start - timedelta(seconds=1))
    _incident(db, ids, KARSBY, DRUGS, start + timedelta(days=2), deleted=True)
    with db.unit_of_work(read_only=True) as uow:
        found = uow.pictures.incidents_by_category(ids.group, start, end)
    assert found == {
        ids.places[FITTJA]: [
            ("Öppen narkotikaförsäljning", "Open drug dealing", 2),
            ("Buskörning", "Reckless driving", 1),
        ],
        ids.places[KARSBY]: [("Buskörning", "Reckless driving", 1)],
    }


def test_incidents_at_a_place_in_overlapping_windows(db: Database, ids: Ids):
    def day(n: int) -> datetime:
        return AT + timedelta(days=n)

    for n in (1, 2, 6, 8, 12):
        _incident(db, ids, FITTJA, DRUGS, day(n))
    _incident(db, ids, FITTJA, DRUGS, day(6), deleted=True)
    _incident(db, ids, KARSBY, DRUGS, day(6))  # another place
    windows = {
        (2026, 47): (day(0), day(7)),  # days 1, 2, 6
        (2026, 48): (day(5), day(12)),  # days 6, 8: overlaps the week before; 12 is its end
        (2026, 50): (day(20), day(27)),  # nothing
    }
    with db.unit_of_work(read_only=True) as uow:
        found = uow.pictures.incidents_in_windows(ids.group, ids.places[FITTJA], windows)
    assert found == {(2026, 47): 3, (2026, 48): 2, (2026, 50): 0}


def test_open_actions_once_per_place_by_due_date(db: Database, ids: Ids):
    both = _action(db, ids, "Belysning", date(2026, 12, 10), [FITTJA, KARSBY])
    going = _action(
        db, ids, "Vandring", date(2026, 12, 1), [FITTJA], status=ActionStatus.IN_PROGRESS
    )
    _action(db, ids, "Klar", date(2026, 11, 20), [FITTJA], status=ActionStatus.DONE)
    _action(db, ids, "Avbruten", date(2026, 11, 20), [KARSBY], status=ActionStatus.CANCELLED)
    _action(db, ids, "Utan plats", date(2026, 11, 25), [])
    with db.unit_of_work(read_only=True) as uow:
        rows = [(action.id, place) for action, place in uow.pictures.open_actions(ids.group)]
    assert rows[0] == (going, ids.places[FITTJA])
    assert sorted(rows[1:]) == sorted([(both, ids.places[FITTJA]), (both, ids.places[KARSBY])])


def test_the_places_of_the_picture_by_id(db: Database, ids: Ids):
    wanted = {ids.places[FITTJA], ids.places[TUMBA]}
    with db.unit_of_work(read_only=True) as uow:
        found = uow.pictures.places(wanted)
        assert {pid: p.name for pid, p in found.items()} == {
            ids.places[FITTJA]: FITTJA,
            ids.places[TUMBA]: TUMBA,
        }
        assert uow.pictures.places(set()) == {}
