"""Groups, organisations, members and the membership read of every request, on each database.

The demo group (see bot/demo/workspace.py): Anna is its admin (Botkyrka kommun), Erik, Sara and
Omar are members (the police, Botkyrkabyggen, the municipality), Lena reads (the municipality).
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from bot.demo.workspace import DEMO_CHANNEL, DEMO_GROUP, DEMO_TEAM
from storage.db import Database
from storage.groups import membership_query
from storage.models import Group, Member, MemberStatus, Organisation, Role
from storage.repositories import UnitOfWork
from tests.conftest import NOW


def _group(uow: UnitOfWork, name: str, channel: str, *, team: str = DEMO_TEAM) -> Group:
    return uow.groups.add(
        Group(
            name=name,
            slack_team_id=team,
            slack_channel_id=channel,
            created_by="U0ANNA",
            created_at=NOW,
            updated_at=NOW,
        )
    )


def _join(
    uow: UnitOfWork, group: Group, user_id: str, *, role: Role, status: MemberStatus
) -> Member:
    assert group.id is not None
    org = uow.organisations.add(
        Organisation(group_id=group.id, name=f"Org {user_id}", kind="annan", created_at=NOW)
    )
    assert org.id is not None
    return uow.members.add(
        Member(
            group_id=group.id,
            slack_user_id=user_id,
            organisation_id=org.id,
            role=role,
            status=status,
            created_at=NOW,
            updated_at=NOW,
        )
    )


def _demo_id(db: Database) -> int:
    with db.unit_of_work(read_only=True) as uow:
        group = uow.groups.by_name(DEMO_GROUP)
        assert group is not None and group.id is not None
        return group.id


def _read(db: Database, user: str, *, channel: str = DEMO_CHANNEL, team: str = DEMO_TEAM):
    return db.read_one(membership_query(), {"team": team, "channel": channel, "user": user})


# -- membership_query ---------------------------------------------------------------------------


def test_the_membership_read_gives_the_group_the_role_and_the_organisation(db, demo):
    group_id = _demo_id(db)
    with db.unit_of_work(read_only=True) as uow:
        erik = uow.members.find(group_id, "U0ERIK")
        police = [o for o in uow.organisations.of_group(group_id) if o.kind == "polis"]
    assert erik is not None and len(police) == 1
    assert _read(db, "U0ERIK") == {
        "id": group_id,
        "name": "EST Botkyrka",
        "slack_team_id": "T0EST",
        "slack_channel_id": "C0EST",
        "language": "sv",
        "timezone": "Europe/Stockholm",
        "hotspot_count": 3,
        "hotspot_days": 7,
        "hotspot_factor": 2.0,
        "started_on": date(2023, 1, 1),  # the demo group's records go three years back
        "created_at": datetime(2026, 11, 20, 21, 30, tzinfo=UTC),
        "member_id": erik.id,
        "role": "medlem",
        "status": "active",
        "member_language": None,
        "organisation_id": police[0].id,
        "organisation_name": "Polisen lokalpolisområde Botkyrka",
        "organisation_kind": "polis",
    }


def test_a_stranger_in_the_channel_gets_the_group_and_no_membership(db, demo):
    found = _read(db, "U0NOBODY")
    assert found is not None
    assert (found["name"], found["member_id"], found["role"], found["status"]) == (
        "EST Botkyrka",
        None,
        None,
        None,
    )
    assert (found["organisation_id"], found["organisation_name"]) == (None, None)


def test_a_channel_without_a_group_or_of_another_workspace_reads_nothing(db, demo):
    assert _read(db, "U0ANNA", channel="C0ELSEWHERE") is None
    assert _read(db, "U0ANNA", team="T0OTHER") is None


def test_the_membership_read_sees_the_persons_own_language(db, demo):
    group_id = _demo_id(db)
    with db.unit_of_work() as uow:
        anna = uow.members.find(group_id, "U0ANNA")
        assert anna is not None
        anna.language = "en"
    found = _read(db, "U0ANNA")
    assert found is not None
    assert (found["role"], found["member_language"], found["language"]) == ("admin", "en", "sv")


# -- GroupRepository ----------------------------------------------------------------------------


def test_groups_by_channel_by_name_and_of_a_workspace(db, demo):
    with db.unit_of_work() as uow:
        second = _group(uow, "EST Tumba", "C0TUMBA")
        _group(uow, "EST Solna", "C0EST", team="T0SOLNA")  # the same channel id elsewhere
    with db.unit_of_work(read_only=True) as uow:
        here = uow.groups.by_channel("T0EST", "C0EST")
        assert here is not None and here.name == "EST Botkyrka"
        solna = uow.groups.by_channel("T0SOLNA", "C0EST")
        assert solna is not None and solna.name == "EST Solna"
        assert uow.groups.by_channel("T0EST", "C0NONE") is None
        found = uow.groups.by_name("EST Tumba")
        assert found is not None and found.id == second.id
        assert uow.groups.by_name("EST Tumb") is None
        assert sorted(g.name for g in uow.groups.of_team("T0EST")) == ["EST Botkyrka", "EST Tumba"]
        assert uow.groups.of_team("T0NONE") == []


def test_live_groups_leave_out_the_archived_and_keep_id_order(db, demo):
    demo_id = _demo_id(db)
    with db.unit_of_work() as uow:
        archived = _group(uow, "EST Arkiv", "C0ARKIV")
        archived.archived_at, archived.archived_reason = NOW, "channel_archived"
        later = _group(uow, "EST Tumba", "C0TUMBA")
        archived_id, later_id = archived.id, later.id
    assert archived_id is not None and later_id is not None
    with db.unit_of_work(read_only=True) as uow:
        assert [g.id for g in uow.groups.live()] == [demo_id, later_id]
        assert [g.id for g in uow.groups.live({later_id, demo_id, archived_id})] == [
            demo_id,
            later_id,
        ]
        assert uow.groups.live({archived_id}) == []
        assert uow.groups.live(set()) == []  # no ids: no groups, not every group
        # an archived group is still found by its channel and in its workspace
        assert uow.groups.by_channel("T0EST", "C0ARKIV") is not None
        assert len(uow.groups.of_team("T0EST")) == 3


def test_a_persons_groups_are_those_where_they_are_active(db, demo):
    demo_id = _demo_id(db)
    with db.unit_of_work() as uow:
        tumba = _group(uow, "EST Tumba", "C0TUMBA")
        solna = _group(uow, "EST Solna", "C0SOLNA")
        other = _group(uow, "EST Uppsala", "C0UPP", team="T0UPP")
        _join(uow, tumba, "U0ERIK", role=Role.MEDLEM, status=MemberStatus.ACTIVE)
        _join(uow, solna, "U0ERIK", role=Role.MEDLEM, status=MemberStatus.PENDING)
        _join(uow, other, "U0ERIK", role=Role.ADMIN, status=MemberStatus.ACTIVE)
        tumba_id = tumba.id
    with db.unit_of_work(read_only=True) as uow:
        assert [g.id for g in uow.groups.of_user("T0EST", "U0ERIK")] == [demo_id, tumba_id]
        assert [g.name for g in uow.groups.of_user("T0UPP", "U0ERIK")] == ["EST Uppsala"]
        assert uow.groups.of_user("T0EST", "U0NOBODY") == []


# -- MemberRepository ---------------------------------------------------------------------------


def test_memberships_in_a_workspace_include_requests_but_not_the_ended(db, demo):
    with db.unit_of_work() as uow:
        solna = _group(uow, "EST Solna", "C0SOLNA")
        tumba = _group(uow, "EST Tumba", "C0TUMBA")
        other = _group(uow, "EST Uppsala", "C0UPP", team="T0UPP")
        _join(uow, solna, "U0ERIK", role=Role.MEDLEM, status=MemberStatus.PENDING)
        _join(uow, tumba, "U0ERIK", role=Role.MEDLEM, status=MemberStatus.INACTIVE)
        _join(uow, other, "U0ERIK", role=Role.MEDLEM, status=MemberStatus.ACTIVE)
    with db.unit_of_work(read_only=True) as uow:
        found = uow.members.in_team("T0EST", "U0ERIK")
        assert sorted((g.name, m.status) for m, g in found) == [
            ("EST Botkyrka", "active"),
            ("EST Solna", "pending"),
        ]
        assert all(m.group_id == g.id for m, g in found)


def test_members_of_a_group_by_status_in_the_order_they_came(db, demo):
    group_id = _demo_id(db)
    with db.unit_of_work() as uow:
        group = uow.groups.get(group_id)
        assert group is not None
        _join(uow, group, "U0NEW", role=Role.MEDLEM, status=MemberStatus.PENDING)
    with db.unit_of_work(read_only=True) as uow:
        everyone = [m.slack_user_id for m in uow.members.of_group(group_id)]
        assert everyone == ["U0ANNA", "U0ERIK", "U0SARA", "U0OMAR", "U0BRA", "U0NEW"]
        active = uow.members.of_group(group_id, status=MemberStatus.ACTIVE)
        assert [m.slack_user_id for m in active] == [
            "U0ANNA",
            "U0ERIK",
            "U0SARA",
            "U0OMAR",
            "U0BRA",
        ]
        pending = uow.members.of_group(group_id, status=MemberStatus.PENDING)
        assert [m.slack_user_id for m in pending] == ["U0NEW"]
        sara = uow.members.find(group_id, "U0SARA")
        assert sara is not None and sara.role == "medlem"
        assert uow.members.find(group_id, "U0NEW") is not None
        assert uow.members.find(group_id + 1, "U0SARA") is None
        assert sara.id is not None and uow.members.get(sara.id) is sara


def test_the_admins_are_the_active_ones_in_the_order_they_came(db, demo):
    group_id = _demo_id(db)
    with db.unit_of_work(read_only=True) as uow:
        assert uow.members.admins(group_id) == ["U0ANNA"]
        assert uow.members.count_admins(group_id) == 1
    with db.unit_of_work() as uow:
        group = uow.groups.get(group_id)
        assert group is not None
        omar = uow.members.find(group_id, "U0OMAR")
        assert omar is not None
        omar.role = Role.ADMIN
        _join(uow, group, "U0ASKS", role=Role.ADMIN, status=MemberStatus.PENDING)
        _join(uow, group, "U0LEFT", role=Role.ADMIN, status=MemberStatus.INACTIVE)
    with db.unit_of_work(read_only=True) as uow:
        assert uow.members.admins(group_id) == ["U0ANNA", "U0OMAR"]
        assert uow.members.count_admins(group_id) == 2


def test_the_admin_count_sees_a_change_of_the_same_transaction(db, demo):
    group_id = _demo_id(db)
    with db.unit_of_work() as uow:
        anna = uow.members.find(group_id, "U0ANNA")
        assert anna is not None
        anna.status = MemberStatus.INACTIVE  # not flushed yet
        assert uow.members.count_admins(group_id) == 0
        erik = uow.members.find(group_id, "U0ERIK")
        assert erik is not None
        erik.role = Role.ADMIN
        assert uow.members.count_admins(group_id) == 1
        assert uow.members.admins(group_id) == ["U0ERIK"]
        uow.rollback()
    with db.unit_of_work(read_only=True) as uow:  # what was rolled back never happened
        assert uow.members.admins(group_id) == ["U0ANNA"]


def test_a_member_added_twice_is_stored_once_with_the_change(db, demo):
    group_id = _demo_id(db)
    with db.unit_of_work() as uow:
        lena = uow.members.find(group_id, "U0BRA")
        assert lena is not None
        lena.role, lena.updated_at = Role.MEDLEM, NOW + timedelta(hours=1)
        again = uow.members.add(lena)
        assert again is lena
    with db.unit_of_work(read_only=True) as uow:
        stored = uow.members.find(group_id, "U0BRA")
        assert stored is not None
        assert (stored.role, stored.updated_at) == ("medlem", NOW + timedelta(hours=1))
        assert len(uow.members.of_group(group_id)) == 5


# -- OrganisationRepository ---------------------------------------------------------------------


def test_organisations_of_a_group_by_name_and_many_by_id(db, demo):
    demo_id = _demo_id(db)
    with db.unit_of_work() as uow:
        group = _group(uow, "EST Tumba", "C0TUMBA")
        assert group.id is not None
        added = {
            name: uow.organisations.add(
                Organisation(group_id=group.id, name=name, kind=kind, created_at=NOW)
            )
            for name, kind in (("Polisen", "polis"), ("Kommunen", "kommun"), ("Bostäder", "annan"))
        }
        group_id = group.id
    ids = {name: org.id for name, org in added.items()}
    with db.unit_of_work(read_only=True) as uow:
        assert [o.name for o in uow.organisations.of_group(group_id)] == [
            "Bostäder",
            "Kommunen",
            "Polisen",
        ]
        picked = uow.organisations.many({ids["Polisen"], ids["Bostäder"], 999_999})
        assert sorted(o.name for o in picked) == ["Bostäder", "Polisen"]
        assert uow.organisations.many(set()) == []
        police = uow.organisations.get(ids["Polisen"] or 0)
        assert police is not None and police.kind == "polis"
        assert uow.organisations.get(999_999) is None
        # the demo group's three are its own
        assert len(uow.organisations.of_group(demo_id)) == 3


def test_a_group_is_planned_by_one_transaction_at_a_time_on_postgresql(db: Database) -> None:
    postgresql = db.engine.dialect.name == "postgresql"
    with db.unit_of_work() as first:
        assert first.groups.try_lock(7, job=1901)
        with db.unit_of_work() as second:
            # another clock's transaction: the same group and job is taken (PostgreSQL); SQLite
            # serialises writers, so it says yes (and the second waits for the first to write)
            assert second.groups.try_lock(7, job=1901) is not postgresql
            assert second.groups.try_lock(8, job=1901)  # another group is free
            assert second.groups.try_lock(7, job=1902)  # and so is another job
    with db.unit_of_work() as third:  # the lock went with the first transaction's end
        assert third.groups.try_lock(7, job=1901)
