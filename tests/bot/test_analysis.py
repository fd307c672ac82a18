"""Cause analyses (orsaksanalyser): writing, revising, versions, sources, access, ties, and the
lägesbild that shows them — on SQLite and PostgreSQL."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlmodel import col, select

from bot.actions.service import ActionDraft
from bot.analysis.patterns import Run
from bot.analysis.service import AnalysisDraft
from bot.errors import Forbidden, InvalidInput, NotAMember, NotFound, PersonalDataError
from bot.i18n import translator
from bot.incidents.service import IncidentDraft
from bot.places.service import UnknownPlace
from bot.weekly.reports import EntryDraft
from handlers.weekly.blocks import build_picture
from storage.models import AuditEvent, CauseAnalysisVersion
from tests.bot.conftest import as_user
from tests.conftest import NOW, session_of

TEXTS = {
    "description": "Öppen narkotikaförsäljning vid tunnelbaneuppgången",
    "days": "fredag–lördag",
    "hours": "20–23",
    "season": "november–februari",
    "place_side": "Dålig belysning vid uppgången, många gömställen bakom kiosken",
    "target_side": "Barn på väg till biblioteket, boende i husen intill",
    "offender_side": "En grupp unga vuxna som säljer, med yngre som springer",
    "place_manager": "Centrumägaren och Botkyrkabyggen",
    "guardians": "Fältare, trygghetsvärdar, butikspersonal",
    "handlers": "Föräldrar, fritidsgården",
    "why_here_now": "Flödet från tunnelbanan på kvällen ger skydd; mörkret kommer tidigt",
}


def draft(**overrides) -> AnalysisDraft:
    values = {
        "category": "narkotikaförsäljning",
        "texts": dict(TEXTS),
        "persistence": "befäst",
        "place": "Fittja centrum",
        "sources": "Trygghetsmätningen 2025\nv46",
    }
    return AnalysisDraft(**{**values, **overrides})


def test_a_member_writes_an_analysis_with_its_first_version_and_audit(demo, erik, db):
    made = demo.analyses.create(erik, draft(), now=NOW)
    assert (made.place, made.category_key, made.persistence) == (
        "Fittja centrum",
        "narkotikaforsaljning",  # the category by its name
        "befäst",
    )
    assert made.version == 1 and made.is_open
    assert made.place_manager == "Centrumägaren och Botkyrkabyggen"
    # NOW is Friday 20 Nov 2026 (week 47): "v46" is the week before, this year
    assert [(s.kind, s.ref, s.text) for s in made.sources] == [
        ("external", "", "Trygghetsmätningen 2025"),
        ("week", "2026-W46", ""),
    ]
    with db.unit_of_work(read_only=True) as uow:
        versions = session_of(uow).exec(select(CauseAnalysisVersion)).all()
        events = (
            session_of(uow)
            .exec(select(AuditEvent).where(col(AuditEvent.entity) == "cause_analysis"))
            .all()
        )
    assert [(v.version, v.content["days"]) for v in versions] == [(1, "fredag–lördag")]
    assert [e.action for e in events] == ["cause_analysis.created"]


def test_a_revision_is_a_new_version_with_the_before_in_the_audit_log(demo, erik, anna, db):
    made = demo.analyses.create(erik, draft(), now=NOW)
    texts = {**TEXTS, "guardians": "Nattvandrare fredag och lördag"}
    later = NOW + timedelta(days=7)
    revised = demo.analyses.revise(anna, made.id, draft(texts=texts), now=later)
    assert (revised.version, revised.guardians, revised.updated_by) == (
        2,
        "Nattvandrare fredag och lördag",
        "U0ANNA",
    )
    assert [v[0] for v in demo.analyses.versions(erik, made.id)] == [1, 2]
    with db.unit_of_work(read_only=True) as uow:
        event = (
            session_of(uow)
            .exec(select(AuditEvent).where(col(AuditEvent.action) == "cause_analysis.revised"))
            .one()
        )
    assert event.before["guardians"] == TEXTS["guardians"]
    assert event.after["guardians"] == "Nattvandrare fredag och lördag"


@pytest.mark.parametrize(
    "field", ["description", "offender_side", "handlers", "why_here_now", "season"]
)
def test_personal_data_in_any_field_saves_nothing(demo, erik, field):
    texts = {**TEXTS, field: "Ring honom på 070-123 45 67"}
    with pytest.raises(PersonalDataError) as refused:
        demo.analyses.create(erik, draft(texts=texts), now=NOW)
    assert refused.value.field == field
    assert demo.analyses.of_group(erik) == ()


def test_personal_data_in_an_external_source_saves_nothing(demo, erik):
    with pytest.raises(PersonalDataError):
        demo.analyses.create(erik, draft(sources="Mejl från anna@example.se"), now=NOW)
    assert demo.analyses.of_group(erik) == ()


def test_sources_link_the_groups_own_incidents_and_nothing_else(demo, erik):
    logged = demo.incidents.log(
        erik, IncidentDraft("Fittja centrum", "narkotikaförsäljning", "Försäljning"), now=NOW
    )
    made = demo.analyses.create(erik, draft(sources=f"händelse {logged.incident.id}"), now=NOW)
    assert [(s.kind, s.ref) for s in made.sources] == [("incident", str(logged.incident.id))]
    with pytest.raises(InvalidInput) as unknown:
        demo.analyses.create(erik, draft(sources="händelse 9999"), now=NOW)
    assert unknown.value.field == "sources"
    with pytest.raises(InvalidInput, match="has not come yet"):
        demo.analyses.create(erik, draft(sources="v50 2026"), now=NOW)


def test_bad_place_category_or_persistence_is_refused(demo, erik):
    with pytest.raises(UnknownPlace):
        demo.analyses.create(erik, draft(place="Ingenstans torg"), now=NOW)
    with pytest.raises(InvalidInput) as no_category:
        demo.analyses.create(erik, draft(category=""), now=NOW)
    assert no_category.value.field == "category"
    with pytest.raises(InvalidInput) as persistence:
        demo.analyses.create(erik, draft(persistence="ibland"), now=NOW)
    assert persistence.value.field == "persistence"
    assert demo.analyses.of_group(erik) == ()


def test_readers_read_but_do_not_write_and_other_groups_see_nothing(demo, erik, lena):
    made = demo.analyses.create(erik, draft(), now=NOW)
    assert demo.analyses.get(lena, made.id).id == made.id
    with pytest.raises(Forbidden):
        demo.analyses.create(lena, draft(), now=NOW)
    with pytest.raises(Forbidden):
        demo.analyses.start(lena, "Fittja centrum", now=NOW)
    with pytest.raises(Forbidden):
        demo.analyses.revise(lena, made.id, draft(), now=NOW)
    stranger = as_user(demo, "U0NOBODY")
    with pytest.raises(NotAMember):
        demo.analyses.get(stranger, made.id)
    with pytest.raises(NotFound):
        demo.analyses.get(erik, made.id + 1)


def test_only_the_author_or_an_admin_closes_and_open_ones_come_first(demo, erik, anna):
    first = demo.analyses.create(erik, draft(), now=NOW)
    second = demo.analyses.create(anna, draft(place="Hallunda centrum"), now=NOW)
    with pytest.raises(Forbidden):
        demo.analyses.set_open(erik, second.id, False, now=NOW)
    closed = demo.analyses.set_open(erik, first.id, False, now=NOW + timedelta(hours=1))
    assert not closed.is_open
    assert [a.id for a in demo.analyses.of_group(erik)] == [second.id, first.id]
    assert demo.analyses.set_open(anna, first.id, True, now=NOW).is_open


def test_actions_and_activities_tied_to_it_show_on_it_with_their_status(demo, erik):
    made = demo.analyses.create(erik, draft(), now=NOW)
    action = demo.actions.create(
        erik,
        ActionDraft(
            title="Ny belysning vid uppgången",
            owner_user_id="U0ERIK",
            due_date=date(2026, 12, 4),
            places=["Fittja centrum"],
            analysis_id=made.id,
        ),
        now=NOW,
    )
    demo.actions.set_status(erik, action.id, "klar", now=NOW)
    ties = demo.analyses.get(erik, made.id).ties
    assert [(t.kind, t.id, t.status) for t in ties] == [("action", action.id, "klar")]
    with pytest.raises(NotFound):
        demo.actions.create(
            erik,
            ActionDraft(
                title="X", owner_user_id="U0ERIK", due_date=date(2026, 12, 4), analysis_id=999
            ),
            now=NOW,
        )


def test_the_form_for_a_place_starts_from_its_hot_times(demo, erik):
    friday = datetime(2026, 11, 13, 20, 30, tzinfo=UTC)  # 21:30 in Stockholm
    for weeks in range(12):
        demo.incidents.log(
            erik,
            IncidentDraft(
                "Fittja centrum",
                "narkotikaförsäljning",
                occurred_at=friday - timedelta(weeks=weeks),
                allow_duplicate=True,
            ),
            now=NOW,
        )
    start = demo.analyses.start(erik, "fittja centrum", now=NOW)
    assert start.place is not None and start.place[1] == "Fittja centrum"
    assert start.pattern is not None and start.pattern.pattern.total == 12
    assert start.pattern.pattern.hot_days is not None
    assert start.pattern.pattern.hot_days.first == 4  # Friday: the run is friday alone
    assert start.pattern.pattern.hot_hours is not None
    # 21:30 in the three winter-time weeks, 22:30 in the nine before 25 October: 22 is the peak
    # hour, and 21's 3 is less than half of its 9
    assert start.pattern.pattern.hot_hours == Run(22, 1, 9)


def test_the_lagesbild_of_its_place_shows_the_analysis_and_its_day(demo, erik, anna):
    tuesday = datetime(2026, 11, 24, 8, 30, tzinfo=UTC)  # the week-48 meeting, 09:30 local
    fittja = demo.places.resolve(anna, "Fittja centrum").id
    demo.reports.save(anna, [EntryDraft(fittja, "oroligt", "sämre")], now=tuesday)
    # saved Sunday 22 Nov at 23:30 UTC: Monday 23 Nov in Stockholm
    made = demo.analyses.create(erik, draft(), now=datetime(2026, 11, 22, 23, 30, tzinfo=UTC))
    picture = demo.meetings.picture(anna, now=tuesday)
    [line] = [p for p in picture.places if p.place == "Fittja centrum"]
    assert (line.analysis_id, line.analysis_day) == (made.id, "2026-11-23")
    shown = json.dumps(build_picture(translator("sv"), picture), ensure_ascii=False)
    assert f"Orsaksanalys #{made.id} (mån 23 nov.)" in shown
