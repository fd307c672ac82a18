from datetime import timedelta

import pytest
from sqlmodel import col, select

from bot.errors import Conflict, Forbidden, InvalidInput, NoGroupHere, NotAMember, UnknownName
from bot.groups.notifications import GroupCreated, JoinDecided, JoinRequested, MemberAdded
from bot.services import Services
from storage.models import AuditEvent
from tests.conftest import NOW, session_of

TEAM, CHANNEL = "T1", "C1"


def setup_group(services: Services) -> None:
    anna = services.groups.locate(TEAM, CHANNEL, "UANNA")
    services.groups.create_group(
        anna,
        name="EST Fittja",
        organisation="Botkyrka kommun",
        kind="kommun",
        language="sv",
        now=NOW,
    )
    anna = services.groups.locate(TEAM, CHANNEL, "UANNA")
    services.groups.add_organisation(anna, name="Polisen", kind="polis", now=NOW)
    services.groups.add_organisation(anna, name="Botkyrkabyggen", kind="bostadsbolag", now=NOW)


def test_creator_becomes_first_admin_and_channel_is_announced(services, notifier):
    setup_group(services)
    anna = services.groups.locate(TEAM, CHANNEL, "UANNA")
    assert anna.group is not None
    assert anna.group.name == "EST Fittja"
    assert anna.is_admin
    assert anna.member.organisation.name == "Botkyrka kommun"
    assert isinstance(notifier.notes[0], GroupCreated)
    assert notifier.notes[0].admin_user_id == "UANNA"


def test_a_channel_has_at_most_one_group(services):
    setup_group(services)
    erik = services.groups.locate(TEAM, CHANNEL, "UERIK")
    with pytest.raises(Conflict):
        services.groups.create_group(
            erik, name="Another", organisation="Polisen", kind="polis", language="sv", now=NOW
        )


def test_join_request_goes_to_admins_and_approval_activates(services, notifier):
    setup_group(services)
    erik = services.groups.locate(TEAM, CHANNEL, "UERIK")
    assert not erik.is_active_member
    pending = services.groups.request_join(erik, organisation="polisen", now=NOW)
    assert pending.status == "pending"
    assert pending.organisation.name == "Polisen"
    request = notifier.notes[-1]
    assert isinstance(request, JoinRequested)
    assert request.admin_user_ids == ("UANNA",)

    # a pending member cannot act yet
    with pytest.raises(NotAMember):
        services.groups.overview(services.groups.locate(TEAM, CHANNEL, "UERIK"))

    anna = services.groups.locate(TEAM, CHANNEL, "UANNA")
    services.groups.decide_join(anna, pending.id, approve=True, now=NOW + timedelta(minutes=5))
    assert isinstance(notifier.notes[-1], JoinDecided)
    assert notifier.notes[-1].approved
    assert services.groups.locate(TEAM, CHANNEL, "UERIK").is_active_member
    with pytest.raises(Conflict):
        services.groups.decide_join(anna, pending.id, approve=False, now=NOW)


def test_unknown_organisation_suggests_existing_ones(services):
    setup_group(services)
    erik = services.groups.locate(TEAM, CHANNEL, "UERIK")
    with pytest.raises(UnknownName) as caught:
        services.groups.request_join(erik, organisation="Räddningstjänsten", now=NOW)
    assert set(caught.value.suggestions) == {"Botkyrka kommun", "Polisen", "Botkyrkabyggen"}
    # nothing half-written
    assert services.groups.locate(TEAM, CHANNEL, "UERIK").member is None


def test_only_admins_manage_members(services, notifier):
    setup_group(services)
    anna = services.groups.locate(TEAM, CHANNEL, "UANNA")
    services.groups.add_member(
        anna, user_id="USARA", organisation="Botkyrkabyggen", role="medlem", now=NOW
    )
    added = notifier.notes[-1]
    assert isinstance(added, MemberAdded)
    assert (added.member.user_id, added.added_by) == ("USARA", "UANNA")
    sara = services.groups.locate(TEAM, CHANNEL, "USARA")
    with pytest.raises(Forbidden):
        services.groups.add_organisation(sara, name="Fittjaskolan", kind="skola", now=NOW)
    with pytest.raises(Forbidden):
        services.groups.add_member(
            sara, user_id="UX", organisation="Polisen", role="admin", now=NOW
        )


def test_the_group_always_keeps_an_admin(services):
    setup_group(services)
    anna = services.groups.locate(TEAM, CHANNEL, "UANNA")
    with pytest.raises(Conflict):
        services.groups.change_member(anna, anna.member.id, role="medlem", now=NOW)
    with pytest.raises(Conflict):
        services.groups.change_member(anna, anna.member.id, active=False, now=NOW)
    assert services.groups.locate(TEAM, CHANNEL, "UANNA").is_admin  # rolled back
    services.groups.add_member(anna, user_id="UERIK", organisation="Polisen", role="admin", now=NOW)
    services.groups.change_member(anna, anna.member.id, role="medlem", now=NOW)
    assert not services.groups.locate(TEAM, CHANNEL, "UANNA").is_admin


def test_no_group_and_language_choice(services):
    nobody = services.groups.locate(TEAM, "COTHER", "UX")
    with pytest.raises(NoGroupHere):
        services.groups.overview(nobody)
    setup_group(services)
    anna = services.groups.locate(TEAM, CHANNEL, "UANNA")
    assert anna.language == "sv"
    services.groups.set_language(anna, "English", now=NOW)
    assert services.groups.locate(TEAM, CHANNEL, "UANNA").language == "en"
    with pytest.raises(InvalidInput):
        services.groups.set_language(anna, "klingon", now=NOW)


def test_dm_finds_the_users_only_group(services):
    setup_group(services)
    in_dm = services.groups.locate(TEAM, "DUANNA", "UANNA")
    assert in_dm.group is not None
    assert in_dm.group.channel_id == CHANNEL


def test_every_change_is_audited_with_server_times(services, db):
    setup_group(services)
    anna = services.groups.locate(TEAM, CHANNEL, "UANNA")
    services.groups.update_group(
        anna, name="EST Fittja centrum", language="sv", timezone="Europe/Stockholm", now=NOW
    )
    with pytest.raises(InvalidInput):
        services.groups.update_group(
            anna, name="x", language="sv", timezone="Mars/Olympus", now=NOW
        )
    with db.unit_of_work(read_only=True) as uow:
        events = session_of(uow).exec(select(AuditEvent).order_by(col(AuditEvent.id))).all()
    actions = [e.action for e in events if not e.action.startswith("category.")]
    assert sum(e.action == "category.created" for e in events) == 21  # the default categories
    assert actions == [
        "group.created",
        "organisation.created",
        "member.added",
        "organisation.created",
        "organisation.created",
        "group.changed",
    ]
    changed = events[-1]
    assert changed.before["name"] == "EST Fittja"
    assert changed.after["name"] == "EST Fittja centrum"
    assert changed.at == NOW
    assert changed.at.tzinfo is not None
    assert services.audit.verify().ok
    assert services.audit.verify().events == 6 + 21


def test_hotspot_thresholds_are_group_settings(services):
    setup_group(services)
    anna = services.groups.locate(TEAM, CHANNEL, "UANNA")
    changed = services.groups.update_group(
        anna,
        name="EST Fittja",
        language="sv",
        timezone="Europe/Stockholm",
        hotspot=(4, 10, 2.5),
        now=NOW,
    )
    assert (changed.hotspot_count, changed.hotspot_days, changed.hotspot_factor) == (4, 10, 2.5)
    for bad in ((1, 7, 2.0), (3, 0, 2.0), (3, 7, 1.0), (3, 7, 11.0)):
        with pytest.raises(InvalidInput):
            services.groups.update_group(
                anna,
                name="EST Fittja",
                language="sv",
                timezone="Europe/Stockholm",
                hotspot=bad,
                now=NOW,
            )
    assert services.groups.locate(TEAM, CHANNEL, "UANNA").group.hotspot_count == 4
