"""The priorities for the next EST period: who records and who proposes, versions, the audit log,
the personal-data guard, and where they show — on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import date
from io import BytesIO

import pytest
from openpyxl import load_workbook
from sqlmodel import col, select

from bot.activities.grant_xlsx import grant_xlsx
from bot.analysis.priorities import PriorityDraft
from bot.analysis.priority_views import prioritised_labels, week_priorities
from bot.errors import Forbidden, InvalidInput, NotFound, PersonalDataError
from storage.models import AuditEvent, PeriodPriority, PeriodPriorityVersion
from tests.bot.test_activities import MONDAY
from tests.bot.test_activities import draft as activity_draft
from tests.conftest import NOW, session_of


def place_id(services, name: str) -> int:
    with services.db.unit_of_work(read_only=True) as uow:
        return next(p.id for p in uow.places.of_group(1, active_only=False) if p.name == name)


def draft(services, *items, meeting_id=None) -> PriorityDraft:
    rows = [(place_id(services, p) if p else None, c, m) for p, c, m in items]
    return PriorityDraft("2026-Q3", rows, meeting_id)


FITTJA = ("Fittja centrum", "", "Flest händelser och två allvarliga veckor")
LUSTGAS = (None, "lustgas", "Ökar i flera stadsdelar")


def test_an_admin_decides_the_next_periods_priorities_with_version_and_audit(demo, anna, db):
    start = demo.priorities.start(anna, "2026-Q3")
    assert (start.period.label, start.decides, start.current) == ("2026-Q4", True, None)
    saved = demo.priorities.record(anna, draft(demo, FITTJA, LUSTGAS), now=NOW)
    assert (saved.period, saved.based_on, saved.status, saved.version) == (
        "2026-Q4",
        "2026-Q3",
        "fastställd",
        1,
    )
    assert (saved.first_day, saved.last_day) == (date(2026, 10, 1), date(2026, 12, 31))
    assert [(i.place, i.category_key) for i in saved.items] == [
        ("Fittja centrum", ""),
        ("", "lustgas"),
    ]
    again = demo.priorities.record(anna, draft(demo, FITTJA), now=NOW)
    assert (again.id, again.version, len(again.items)) == (saved.id, 2, 1)
    with db.unit_of_work(read_only=True) as uow:
        session = session_of(uow)
        versions = session.exec(select(PeriodPriorityVersion)).all()
        events = session.exec(
            select(AuditEvent.action).where(col(AuditEvent.entity) == "period_priority")
        ).all()
    assert sorted(v.version for v in versions) == [1, 2]
    assert list(events) == ["period_priority.decided", "period_priority.revised"]


def test_a_member_proposes_outside_a_meeting_and_decides_during_one(demo, erik, anna):
    assert demo.priorities.start(erik, "2026-Q3").decides is False
    proposal = demo.priorities.record(erik, draft(demo, FITTJA), now=NOW)
    assert proposal.status == "förslag"
    decided, waiting = _week(demo, 2026, 47)
    assert (decided, [w.id for w in waiting]) == ((), [proposal.id])

    meeting_id, _agenda = demo.meetings.open(anna, now=NOW)
    start = demo.priorities.start(erik, "2026-Q3")
    assert start.decides and start.meeting and start.meeting[0] == meeting_id
    saved = demo.priorities.record(erik, draft(demo, FITTJA, LUSTGAS), now=NOW)
    assert (saved.status, saved.meeting_week) == (
        "fastställd",
        (start.meeting[1], start.meeting[2]),
    )
    decided, waiting = _week(demo, 2026, 47)
    assert [d.id for d in decided] == [saved.id] and waiting == ()  # the proposal is handled


def _week(services, year, week):
    with services.db.unit_of_work(read_only=True) as uow:
        return week_priorities(uow, 1, year, week)


def test_readers_cannot_open_the_form_nor_save(demo, lena):
    with pytest.raises(Forbidden):
        demo.priorities.start(lena, "2026-Q3")
    with pytest.raises(Forbidden):
        demo.priorities.record(lena, draft(demo, FITTJA), now=NOW)


@pytest.mark.parametrize(
    ("items", "field"),
    [
        ([("Fittja centrum", "", "")], "priority_motivation_0"),
        ([FITTJA, (None, "", "Motivering utan plats")], "priority_motivation_1"),
        ([(None, "", "")], "priority_motivation_0"),
    ],
)
def test_a_row_without_motivation_or_subject_saves_nothing(demo, anna, db, items, field):
    with pytest.raises(InvalidInput) as refused:
        demo.priorities.record(anna, draft(demo, *items), now=NOW)
    assert refused.value.field == field
    with db.unit_of_work(read_only=True) as uow:
        assert session_of(uow).exec(select(PeriodPriority)).all() == []


def test_personal_data_and_a_place_of_no_group_save_nothing(demo, anna, db):
    named = ("Fittja centrum", "", "Ring 070-123 45 67 om pojken")
    with pytest.raises(PersonalDataError):
        demo.priorities.record(anna, draft(demo, named), now=NOW)
    with pytest.raises(NotFound):
        demo.priorities.record(anna, PriorityDraft("2026-Q3", [(99999, "", "x")]), now=NOW)
    with pytest.raises(InvalidInput):
        demo.priorities.record(anna, PriorityDraft("2026-Q7", [(None, "lustgas", "x")]), now=NOW)
    with db.unit_of_work(read_only=True) as uow:
        assert session_of(uow).exec(select(PeriodPriority)).all() == []


def test_prioritised_places_are_named_by_period_on_the_days_of_it(demo, anna):
    saved = demo.priorities.record(anna, draft(demo, FITTJA), now=NOW)
    fittja = place_id(demo, "Fittja centrum")
    assert prioritised_labels([saved], date(2026, 12, 13), [fittja, 3]) == ("2026-Q4",)
    assert prioritised_labels([saved], date(2026, 9, 30), [fittja]) == ()  # Q3: not yet
    assert prioritised_labels([saved], date(2026, 12, 13), [fittja + 1000]) == ()


def test_the_grant_report_marks_activities_at_prioritised_places(demo, anna):
    fittja_market = demo.activities.create(anna, activity_draft(demo, anna), now=MONDAY)
    alby = activity_draft(
        demo, anna, title="Nattvandring Alby", place_ids=[place_id(demo, "Albys hjärta")]
    )
    elsewhere = demo.activities.create(anna, alby, now=MONDAY)
    before = demo.evidence.grant_report(anna, 2026, now=MONDAY)
    assert before.prioritised == {}
    demo.priorities.record(anna, draft(demo, FITTJA, LUSTGAS), now=MONDAY)
    report = demo.evidence.grant_report(anna, 2026, now=MONDAY)
    assert report.prioritised == {fittja_market.id: ("2026-Q4",)}
    sheet = load_workbook(BytesIO(grant_xlsx(report)))["Aktiviteter"]
    rows = list(sheet.iter_rows(values_only=True))
    column = rows[0].index("Prioriterad plats")
    marks = {r[0]: r[column] for r in rows[1:]}
    assert marks[fittja_market.id] == "Prioriterad plats (2026-Q4)"
    assert marks[elsewhere.id] in ("", None)
