"""The trust features' repositories, read directly on SQLite and PostgreSQL: the audit log's
chain, what retention finds past a cutoff, and every row a group holds for the registrar."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

import storage.trust
from bot.incidents.service import parse_quick
from bot.weekly.reports import EntryDraft
from storage.audit_chain import GENESIS_HASH, event_hash
from storage.models import Group
from storage.trust import NOT_GROUP_DATA, snapshot, table_columns
from tests.conftest import NOW
from tests.storage.test_summary import other_group

AT = datetime(2026, 11, 20, 21, 30, tzinfo=UTC)


# -- the audit log ------------------------------------------------------------------------------


def test_each_event_links_to_the_one_before_from_the_genesis_hash(db):
    with db.unit_of_work() as uow:
        first = uow.audit.record(
            "thing.made", entity="thing", entity_id=7, actor="U1", at=AT, group_id=None
        )
        second = uow.audit.record(
            "thing.changed",
            entity="thing",
            entity_id=7,
            actor="U2",
            at=AT + timedelta(minutes=1),
            group_id=None,
            before={"n": 1},
            after={"n": 2},
        )
    assert first.prev_hash == "0" * 64 and second.prev_hash == first.hash
    assert first.hash == event_hash(
        prev_hash=GENESIS_HASH,
        group_id=None,
        at=AT,
        actor="U1",
        action="thing.made",
        entity="thing",
        entity_id=7,
        before=None,
        after=None,
        version=2,
    )
    assert (first.hash_version, second.hash_version) == (2, 2)
    with db.unit_of_work() as uow:  # the head was kept: the next transaction links on
        third = uow.audit.record("x", entity="x", entity_id=None, actor="U", at=AT, group_id=1)
    assert third.prev_hash == second.hash
    with db.unit_of_work(read_only=True) as uow:
        assert [e.id for e in uow.audit.in_order()] == [first.id, second.id, third.id]


def test_a_recorded_row_names_its_table_and_its_group(demo, anna):
    with demo.db.unit_of_work() as uow:
        group = uow.groups.get(anna.group.id)
        assert group is not None
        [organisation, *_] = uow.organisations.of_group(anna.group.id)
        about_group = uow.audit.record_row("group.changed", group, actor="U0ANNA", at=AT)
        about_organisation = uow.audit.record_row(
            "organisation.changed",
            organisation,
            actor="U0ANNA",
            at=AT,
            before={"name": "Gammalt namn"},
            extra={"why": "nytt namn"},
        )
    # est_group → "group"; a group's own group is itself, another row's is its group_id
    assert (about_group.entity, about_group.entity_id) == ("group", anna.group.id)
    assert about_group.group_id == anna.group.id and about_group.after == snapshot(group)
    assert (about_organisation.entity, about_organisation.group_id) == (
        "organisation",
        anna.group.id,
    )
    assert about_organisation.before == {"name": "Gammalt namn"}
    assert about_organisation.after == {**snapshot(organisation), "why": "nytt namn"}


def test_events_in_pages_by_entity_and_by_kind(demo, anna, erik):
    logged = demo.incidents.log(erik, parse_quick("Fittja centrum; klotter; a"), now=NOW).incident
    demo.incidents.correct(erik, logged.id, parse_quick("Fittja centrum; klotter; b"), now=NOW)
    mallory = other_group(demo)
    demo.incidents.log(mallory, parse_quick("Albys torg; klotter; c"), now=NOW)
    with demo.db.unit_of_work(read_only=True) as uow:
        every = [e.id for e in uow.audit.in_order()]
        page = [e.id for e in uow.audit.in_order(after_id=every[2], limit=3)]
        about = [e.action for e in uow.audit.for_entity("incident", logged.id)]
        kinds = uow.audit.of_kinds(anna.group.id, {"incident"})
    assert every == sorted(every) and page == every[3:6]
    assert about == ["incident.created", "incident.changed"]
    assert sorted((e.entity_id, e.action) for e in kinds) == [
        (logged.id, "incident.changed"),
        (logged.id, "incident.created"),
    ]  # not Alby's incident


# -- retention ----------------------------------------------------------------------------------

OLD = datetime(2024, 10, 14, 9, 0, tzinfo=UTC)  # 25 months before NOW
CUTOFF = datetime(2024, 11, 20, 21, 30, tzinfo=UTC)  # 24 months before NOW


@pytest.fixture
def aged(demo, anna, erik):
    """Two years ago: an incident (corrected once), a report (saved twice), a closed meeting.
    Now: a new incident. EST Alby has an old incident too."""
    old = demo.incidents.log(
        erik, parse_quick("Fittja centrum; narkotikaförsäljning; gammal; 13/10 21:00"), now=OLD
    ).incident
    demo.incidents.correct(
        erik,
        old.id,
        parse_quick("Fittja centrum; narkotikaförsäljning; rättad; 13/10 21:00"),
        now=OLD,
    )
    for notes in ("första", "andra"):
        demo.reports.save(
            erik,
            [EntryDraft(old.place_id, "oroligt", "sämre", "iakttagelse")],
            notes=notes,
            now=OLD,
        )
    meeting, _ = demo.meetings.open(anna, now=OLD)
    demo.meetings.close(anna, meeting, now=OLD + timedelta(hours=1))
    new = demo.incidents.log(erik, parse_quick("Fittja centrum; klotter; ny"), now=NOW).incident
    mallory = other_group(demo)
    alby = demo.incidents.log(
        mallory, parse_quick("Albys torg; klotter; Albys gamla; 13/10 21:00"), now=OLD
    ).incident
    assert mallory.group is not None
    return {"old": old.id, "new": new.id, "alby": alby.id, "alby_group": mallory.group.id}


def test_what_retention_finds_past_the_cutoff(demo, anna, aged):
    group_id = anna.group.id
    with demo.db.unit_of_work(read_only=True) as uow:
        incidents = uow.retention.incidents_due(group_id, CUTOFF)
        reports = uow.retention.reports_due(group_id, CUTOFF)
        frozen = uow.retention.snapshots_before(group_id, CUTOFF)
        assert uow.retention.incidents_due(group_id, OLD - timedelta(days=2)) == []
        assert uow.retention.incidents_due(aged["alby_group"], CUTOFF) == [aged["alby"]]
        [(incident, versions)] = list(uow.retention.incidents(incidents))
        [(report, entries, report_versions)] = list(uow.retention.reports(reports))
        [picture] = list(uow.retention.snapshots([s.id for s in frozen if s.id]))
        events = list(uow.retention.audit_events(group_id, "incident", incidents))
    assert incidents == [aged["old"]]  # the new one and Alby's are not this group's due
    assert len(reports) == 1 and len(frozen) == 1
    assert (incident.id, incident.description) == (aged["old"], "rättad")
    assert sorted(v.version for v in versions) == [1, 2]
    assert (report.notes, report.version) == ("andra", 2)
    assert [e.observations for e in entries] == ["iakttagelse"]
    assert sorted(v.version for v in report_versions) == [1, 2]
    assert picture.id == frozen[0].id and picture.created_at == OLD + timedelta(hours=1)
    assert sorted(e.action for e in events) == ["incident.changed", "incident.created"]


def test_cleared_rows_are_not_due_again(demo, anna, aged):
    group_id = anna.group.id
    with demo.db.unit_of_work() as uow:
        for row, _versions in uow.retention.incidents([aged["old"]]):
            row.text_cleared_at = NOW
        for report, _entries, _versions in uow.retention.reports(
            uow.retention.reports_due(group_id, CUTOFF)
        ):
            report.text_cleared_at = NOW
    with demo.db.unit_of_work(read_only=True) as uow:
        assert uow.retention.incidents_due(group_id, CUTOFF) == []
        assert uow.retention.reports_due(group_id, CUTOFF) == []
        # a later cutoff: the new incident (logged 'now', at NOW) is due then
        assert uow.retention.incidents_due(group_id, NOW + timedelta(seconds=1)) == [aged["new"]]


def test_rows_are_loaded_in_chunks_and_none_is_lost(demo, anna, erik, monkeypatch):
    ids = [
        demo.incidents.log(
            erik, parse_quick(f"Fittja centrum; klotter; nr {n}; 13/10 21:00"), now=OLD
        ).incident.id
        for n in range(3)
    ]
    monkeypatch.setattr(storage.trust, "CHUNK", 2)  # two statements per kind instead of one
    with demo.db.unit_of_work(read_only=True) as uow:
        loaded = {row.id: len(versions) for row, versions in uow.retention.incidents(ids)}
        events = list(uow.retention.audit_events(anna.group.id, "incident", ids))
    assert loaded == dict.fromkeys(ids, 1)
    assert sorted(e.entity_id for e in events) == ids


def test_every_group_archived_ones_too_and_the_locked_one(demo, anna, aged):
    with demo.db.unit_of_work() as uow:
        alby = uow.groups.get(aged["alby_group"])
        assert alby is not None
        alby.archived_at = NOW
        uow.groups.add(alby)
    with demo.db.unit_of_work() as uow:
        names = [g.name for g in uow.retention.groups()]
        locked = uow.retention.lock_group(aged["alby_group"])
        assert [g.name for g in uow.groups.live()] == ["EST Botkyrka"]
    assert names == ["EST Botkyrka", "EST Alby"]
    assert (locked.name, locked.archived_at) == ("EST Alby", NOW)


# -- the registrar ------------------------------------------------------------------------------


def test_every_row_a_group_holds_and_nothing_of_another(demo, anna, erik):
    logged = demo.incidents.log(erik, parse_quick("Fittja centrum; klotter; a"), now=NOW).incident
    demo.incidents.correct(erik, logged.id, parse_quick("Fittja centrum; klotter; b"), now=NOW)
    mallory = other_group(demo)
    theirs = demo.incidents.log(mallory, parse_quick("Albys torg; klotter; c"), now=NOW).incident
    assert mallory.group is not None
    with demo.db.unit_of_work(read_only=True) as uow:
        groups = [g.name for g in uow.registrar.groups()]
        ours = uow.registrar.rows_of_group(anna.group.id)
        alby = uow.registrar.rows_of_group(mallory.group.id)
    assert groups == ["EST Botkyrka", "EST Alby"]
    assert [r["name"] for r in alby["est_group"]] == ["EST Alby"]
    assert [r["name"] for r in alby["organisation"]] == ["Albyhem"]
    assert [r["slack_user_id"] for r in alby["member"]] == ["U0MAL"]
    assert [r["name"] for r in alby["place"]] == ["Albys torg"]
    assert [r["id"] for r in alby["incident"]] == [theirs.id]
    # rows without a group_id are found through their parent's foreign key
    assert [r["incident_id"] for r in alby["incident_version"]] == [theirs.id]
    assert [(r["incident_id"], r["version"]) for r in ours["incident_version"]] == [
        (logged.id, 1),
        (logged.id, 2),
    ]
    assert len(ours["place"]) == 23 and len(ours["member"]) == 5
    assert {r["group_id"] for r in ours["audit_event"]} == {anna.group.id}
    assert not set(ours) & NOT_GROUP_DATA  # Slack's tokens and the chain's head stay out
    assert "audit_head" not in alby


def test_a_tables_columns_in_the_schemas_order():
    assert table_columns("audit_head") == ["id", "last_event_id", "last_hash"]
    assert table_columns("report_version") == [
        "id",
        "report_id",
        "version",
        "content",
        "saved_by",
        "saved_at",
    ]
    assert table_columns(Group.__tablename__)[:2] == ["id", "name"]
