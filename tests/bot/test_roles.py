"""Roles: admins change and remove members; the group always keeps an admin."""

from __future__ import annotations

import pytest

from bot.errors import Conflict, Forbidden, NotAMember
from bot.i18n import Translator
from bot.incidents.service import parse_quick
from bot.services import Services
from tests.bot.conftest import as_user
from tests.conftest import NOW


def test_an_admin_changes_a_role_and_removes_a_member(demo: Services, anna, erik):
    assert demo.groups.change_member_of(anna, "U0ERIK", "läsare", now=NOW).role == "läsare"
    reader = as_user(demo, "U0ERIK")
    with pytest.raises(Forbidden):  # a reader logs nothing
        demo.incidents.log(reader, parse_quick("Fittja centrum; klotter; x"), now=NOW)
    assert demo.groups.change_member_of(anna, "U0ERIK", "ta bort", now=NOW).status == "inactive"
    with pytest.raises(NotAMember):
        demo.places.register(as_user(demo, "U0ERIK"))


def test_only_admins_change_members(demo: Services, erik):
    with pytest.raises(Forbidden):
        demo.groups.change_member_of(erik, "U0SARA", "admin", now=NOW)


def test_the_last_admin_cannot_step_down_either_way(demo: Services, anna):
    with pytest.raises(Conflict):
        demo.groups.change_member_of(anna, "U0ANNA", "medlem", now=NOW)
    with pytest.raises(Conflict):
        demo.groups.change_member_of(anna, "U0ANNA", "ta bort", now=NOW)
    with pytest.raises(Conflict):  # nor through "add member" on themselves
        demo.groups.add_member(
            anna, user_id="U0ANNA", organisation="Botkyrka kommun", role="medlem", now=NOW
        )
    demo.groups.change_member_of(anna, "U0SARA", "admin", now=NOW)
    assert demo.groups.change_member_of(anna, "U0ANNA", "medlem", now=NOW).role == "medlem"


def test_a_reader_is_told_members_may_not_that_only_admins_may(demo: Services, anna):
    demo.groups.change_member_of(anna, "U0ERIK", "läsare", now=NOW)
    reader = as_user(demo, "U0ERIK")
    with pytest.raises(Forbidden) as refused:  # a member's button, pressed by a reader
        demo.incidents.log(reader, parse_quick("Fittja centrum; klotter; x"), now=NOW)
    said = Translator("sv").render(refused.value.message)
    assert said == "Det kan bara gruppens medlemmar göra; som läsare kan du läsa men inte ändra."
    with pytest.raises(Forbidden) as refused:  # an admin's, pressed by a member
        demo.groups.change_member_of(as_user(demo, "U0SARA"), "U0OMAR", "admin", now=NOW)
    assert Translator("sv").render(refused.value.message) == (
        "Det kan bara gruppens administratörer göra."
    )
