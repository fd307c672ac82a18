"""The rapportör: logs incidents and sees only their own; nothing else of the group."""

from __future__ import annotations

from zoneinfo import ZoneInfo

import pytest

from bot.actions.service import ActionFilter
from bot.actors import Actor
from bot.errors import Forbidden, NotFound
from bot.i18n import Translator
from bot.incidents.service import parse_quick
from bot.services import Services
from bot.timeparse import this_week
from tests.bot.conftest import as_user
from tests.conftest import NOW

TZ = ZoneInfo("Europe/Stockholm")


@pytest.fixture
def reporter(demo: Services, anna: Actor) -> Actor:
    """Nattvandrare for Botkyrkabyggen, added by an admin as a reporter."""
    added = demo.groups.add_member(
        anna, user_id="U0NATT", organisation="Botkyrkabyggen", role="rapportör", now=NOW
    )
    assert added.role == "rapportör" and added.status == "active"
    return as_user(demo, "U0NATT")


def test_a_reporter_logs_incidents_and_lists_only_their_own(demo: Services, reporter, erik):
    mine = demo.incidents.log_text(reporter, "Fittja centrum; klotter; Nytt klotter", now=NOW)
    demo.incidents.log_text(erik, "Fittja centrum; klotter; Polisens", now=NOW)
    demo.incidents.log_text(erik, "Albys hjärta; lustgas; Patroner", now=NOW)
    listing = demo.incidents.list(reporter, this_week(now=NOW, tz=TZ))
    assert [e.id for e in listing.entries] == [mine.incident.id]
    assert listing.total == 1  # the counts too: only theirs
    assert listing.by_place == (("Fittja centrum", 1),)
    assert demo.incidents.list(erik, this_week(now=NOW, tz=TZ)).total == 3
    assert mine.incident.organisation == "Botkyrkabyggen"


def test_a_reporter_cannot_open_anyone_elses_incident(demo: Services, reporter, erik):
    theirs = demo.incidents.log_text(erik, "Fittja centrum; klotter; Polisens", now=NOW)
    with pytest.raises(NotFound):  # as if it were not there
        demo.incidents.get(reporter, theirs.incident.id)
    with pytest.raises(NotFound):
        demo.incidents.history(reporter, theirs.incident.id)
    own = demo.incidents.log_text(reporter, "Fittja centrum; klotter; x", now=NOW)
    assert demo.incidents.get(reporter, own.incident.id).description == "x"
    gone = demo.incidents.delete(reporter, own.incident.id, reason="fel plats", now=NOW)
    assert gone.deleted_at is not None


def refusals(demo: Services, who: Actor) -> dict[str, object]:
    """Everything of the group beyond their own incidents, each as the service is called."""
    return {
        "lägesbild": lambda: demo.meetings.picture(who, now=NOW),
        "möte": lambda: demo.meetings.open(who, now=NOW),
        "platshistorik": lambda: demo.meetings.place_history(who, "Fittja centrum", now=NOW),
        "åtgärder": lambda: demo.actions.find(who, ActionFilter(mine=True), now=NOW),
        "åtgärd": lambda: demo.actions.get(who, 1),
        "aktiviteter": lambda: demo.activities.upcoming(who, now=NOW),
        "mina aktiviteter": lambda: demo.activities.mine(who, now=NOW),
        "orsaksanalyser": lambda: demo.analyses.of_group(who),
        "ny analys": lambda: demo.analyses.start(who, "Fittja centrum", now=NOW),
        "mönster": lambda: demo.patterns.find(who, "", now=NOW),
        "period": lambda: demo.periods.analyse(who, "", now=NOW),
        "export": lambda: demo.exports.incidents(who, "", now=NOW),
        "årsexport": lambda: demo.exports.yearly_picture(who, "2026", now=NOW),
        "sammanfattning": lambda: demo.summaries.show(who, "", now=NOW),
        "posta sammanfattning": lambda: demo.summaries.post_now(who, "", now=NOW),
        "lägesrapport": lambda: demo.reports.form(who, now=NOW),
        "platsregistret": lambda: demo.places.register(who),
        "inställningar": lambda: demo.groups.overview(who),
        "kalender": lambda: demo.calendar.token(who, now=NOW),
        "gallring": lambda: demo.retention.months(who),
        "länkar": lambda: demo.reporters.list(who),
        "ny länk": lambda: demo.reporters.create(who, "Någon", now=NOW),
    }


def test_a_reporter_is_refused_everything_else_and_told_what_they_can_do(demo: Services, reporter):
    for name, call in refusals(demo, reporter).items():
        with pytest.raises(Forbidden) as refused:
            call()  # type: ignore[operator]
        said = Translator("sv").render(refused.value.message)
        assert said.startswith("Som rapportör kan du logga händelser"), name


def test_a_reader_still_logs_nothing_though_a_reporter_may(demo: Services, lena, reporter):
    with pytest.raises(Forbidden):
        demo.incidents.log(lena, parse_quick("Fittja centrum; klotter; x"), now=NOW)
    assert demo.incidents.log(reporter, parse_quick("Fittja centrum; klotter; x"), now=NOW)


def test_people_ask_to_join_as_reporters_and_an_admin_approves(demo: Services, anna):
    stranger = as_user(demo, "U0SKOLA")
    asked = demo.groups.request_join(
        stranger, organisation="Botkyrka kommun", role="rapportör", now=NOW
    )
    assert (asked.role, asked.status) == ("rapportör", "pending")
    decided = demo.groups.decide_join(anna, asked.id, approve=True, now=NOW)
    assert (decided.role, decided.status) == ("rapportör", "active")
    with pytest.raises(Forbidden):
        demo.meetings.picture(as_user(demo, "U0SKOLA"), now=NOW)


def test_nobody_joins_as_admin_by_asking(demo: Services):
    with pytest.raises(Exception, match="member or as a reporter"):
        demo.groups.request_join(
            as_user(demo, "U0NY"), organisation="Botkyrka kommun", role="admin", now=NOW
        )


def test_an_admin_removes_a_reporter(demo: Services, anna, reporter):
    demo.groups.change_member_of(anna, "U0NATT", "ta bort", now=NOW)
    with pytest.raises(Exception, match="not a member"):
        demo.incidents.log_text(as_user(demo, "U0NATT"), "Fittja centrum; klotter; x", now=NOW)


def test_a_reporter_owns_no_actions_and_gets_no_weekly_report_reminders(
    demo: Services, anna, reporter
):
    from bot.rules import owner_member

    with demo.db.unit_of_work(read_only=True) as uow, pytest.raises(Exception, match="owner"):
        owner_member(uow, anna.group.id, "U0NATT")
    from bot.weekly.cycle import _reporters

    with demo.db.unit_of_work(read_only=True) as uow:
        assert "U0NATT" not in {m.slack_user_id for m in _reporters(uow, anna.group.id)}


def test_a_reporter_sets_their_language_and_their_feedback(demo: Services, reporter):
    assert demo.groups.set_language(reporter, "en", now=NOW) == "en"
    assert demo.reporters.set_own_feedback(reporter, False, now=NOW) is False
    with demo.db.unit_of_work(read_only=True) as uow:
        member = uow.members.find(1, "U0NATT")
        assert member is not None and member.feedback is False
