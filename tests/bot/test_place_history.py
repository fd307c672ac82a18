"""`/est lägesbild plats X`: a place's twelve weeks, from the frozen lägesbild where there is one
and from the data for the other weeks — the same lines as compiling each week's lägesbild, in a
fixed number of statements however many weeks are computed."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import event, update
from sqlmodel import col

from bot.actors import Actor
from bot.incidents.service import parse_quick
from bot.services import Services
from bot.weekly.meetings import HISTORY_WEEKS, WeekLine
from bot.weekly.reports import EntryDraft, report_week
from storage.models import Group, Incident
from tests.bot.conftest import as_user
from tests.conftest import session_of

# The group meets on Mondays; Easter Monday (6 April 2026) moves week 15's meeting to Tuesday 7
# April, so week 15's window (to Tue 7 Apr 09:00) and week 16's (from Mon 6 Apr 09:00) overlap.
NOW = datetime(2026, 4, 21, 12, 0, tzinfo=UTC)  # Tuesday, week 17: the history is weeks 18 … 7
PLACE = "Fittja centrum"


def at(day: date, hour: int) -> datetime:
    return datetime(day.year, day.month, day.day, hour, tzinfo=UTC)


def _meet_on_mondays(demo: Services) -> None:
    with demo.db.unit_of_work() as uow:
        session_of(uow).execute(update(Group).values(meeting_weekday=0, deadline_weekday=6))


def _log(demo: Services, actor: Actor, place: str, when: datetime) -> int:
    return demo.incidents.log(
        actor, parse_quick(f"{place}; narkotikaförsäljning; x"), now=when
    ).incident.id


@pytest.fixture
def weeks(demo: Services, anna: Actor, erik: Actor) -> Services:
    """Incidents, reports, agreed levels and frozen weeks at two places, over eleven weeks."""
    _meet_on_mondays(demo)
    sara = as_user(demo, "U0SARA")
    fittja = demo.places.resolve(anna, PLACE).id
    karsby = demo.places.resolve(anna, "Kårsby IP").id
    start = date(2026, 2, 9)  # Monday of week 7
    for n in range(11):
        monday = start + timedelta(weeks=n)
        for k in range(n % 4):  # 0–3 incidents a week at Fittja centrum, one at Kårsby IP
            _log(demo, anna, PLACE, at(monday, 12) + timedelta(days=1 + k))
        _log(demo, erik, "Kårsby IP", at(monday, 15) + timedelta(days=2))
        if n % 3:  # reports in two weeks out of three, the police's more serious
            thursday = at(monday, 10) + timedelta(days=3)
            demo.reports.save(anna, [EntryDraft(fittja, "lugnt", "bättre")], now=thursday)
            level = "allvarligt" if n % 2 else "oroligt"
            demo.reports.save(erik, [EntryDraft(fittja, level, "sämre")], now=thursday)
            demo.reports.save(sara, [EntryDraft(karsby, "oroligt", "sämre")], now=thursday)
        meeting_at = at(monday, 8) + timedelta(weeks=1, minutes=30)  # next Monday, 09:30 local
        if n in (3, 4, 7):  # the meeting agrees a level for Fittja centrum …
            meeting_id, _agenda = demo.meetings.open(anna, now=meeting_at)
            demo.meetings.set_level(anna, meeting_id, fittja, "oroligt", now=meeting_at)
            if n != 7:  # … and closes, freezing the week
                demo.meetings.close(anna, meeting_id, now=meeting_at)
    # the overlap of weeks 15 and 16: Easter Monday evening
    _log(demo, anna, PLACE, datetime(2026, 4, 6, 18, 0, tzinfo=UTC))
    # in week 12's window after the week froze, then the week corrected (version 2)
    _log(demo, anna, PLACE, datetime(2026, 3, 12, 18, 0, tzinfo=UTC))
    demo.meetings.correct(anna, "v12 2026", "Sen händelse", now=datetime(2026, 3, 20, tzinfo=UTC))
    # deleted incidents count nowhere
    gone = _log(demo, anna, PLACE, datetime(2026, 4, 14, 18, 0, tzinfo=UTC))
    with demo.db.unit_of_work() as uow:
        session_of(uow).execute(
            update(Incident).where(col(Incident.id) == gone).values(deleted_at=NOW)
        )
    return demo


def _compiled_week_by_week(demo: Services, anna: Actor) -> list[WeekLine]:
    """What the history was before: each week's lägesbild (frozen, or compiled), one by one."""
    with demo.db.unit_of_work(read_only=True) as uow:
        settings = uow.groups.get(anna.group.id if anna.group else 0)
        assert settings is not None
        year, week = report_week(settings, NOW)
    place = demo.places.resolve(anna, PLACE).id
    lines = []
    for back in range(HISTORY_WEEKS):
        y, w, _ = (date.fromisocalendar(year, week, 1) - timedelta(weeks=back)).isocalendar()
        picture = demo.meetings.picture(anna, f"v{w} {y}", now=NOW)
        line = next((p for p in picture.places if p.place_id == place), None)
        level, incidents = (line.joint_level, line.incidents) if line else (None, 0)
        lines.append(WeekLine(y, w, level, incidents, picture.version is not None))
    return lines


def test_the_history_is_what_each_weeks_lagesbild_says(weeks: Services, anna: Actor):
    name, history = weeks.meetings.place_history(anna, "fittja c", now=NOW)
    assert name == PLACE
    assert list(history) == _compiled_week_by_week(weeks, anna)
    by_week = {line.iso_week: line for line in history}
    assert [line.iso_week for line in history] == list(range(18, 6, -1))
    assert [w for w, line in by_week.items() if line.frozen] == [12, 11]
    assert by_week[12].incidents == 1  # the corrected version, not the first
    assert (by_week[15].incidents, by_week[16].incidents) == (4, 1)  # Easter Monday in both
    assert by_week[15].joint_level == "oroligt"  # agreed, though the police said allvarligt
    assert by_week[13].joint_level == "allvarligt"  # the most serious reported
    assert (by_week[8].joint_level, by_week[8].incidents) == (None, 0)


def _statements(demo: Services, anna: Actor) -> tuple[list[str], tuple[WeekLine, ...]]:
    seen: list[str] = []

    def counted(conn, cursor, statement, *args):
        if statement.lstrip().upper().startswith("SELECT"):
            seen.append(statement)

    event.listen(demo.db.engine, "before_cursor_execute", counted)
    try:
        _name, history = demo.meetings.place_history(anna, PLACE, now=NOW)
    finally:
        event.remove(demo.db.engine, "before_cursor_execute", counted)
    return seen, history


def test_the_history_takes_a_fixed_number_of_statements(demo: Services, anna: Actor, erik):
    _meet_on_mondays(demo)
    empty, _history = _statements(demo, anna)  # twelve weeks without data
    for n in range(HISTORY_WEEKS):  # an incident in every week, every other week frozen
        monday = date(2026, 2, 9) + timedelta(weeks=n)
        _log(demo, anna, PLACE, at(monday, 12) + timedelta(days=1))
        if n % 2 and n < 11:
            meeting_at = at(monday, 8) + timedelta(weeks=1, minutes=30)
            meeting_id, _agenda = demo.meetings.open(anna, now=meeting_at)
            demo.meetings.close(anna, meeting_id, now=meeting_at)
    full, history = _statements(demo, anna)
    assert sum(line.frozen for line in history) == 5
    # weeks 8 … 17 hold one each; week 7 none; week 18's seven days began on Monday 20 April at
    # 09:00 and hold none so far: Tuesday 14 April's incident is week 17's (the window before
    # that meeting), not also week 18's as a window of "the seven days before now" had it
    assert sum(line.incidents for line in history) == HISTORY_WEEKS - 2
    # the place, the group, the frozen weeks, then the other weeks' agreed levels, reported
    # levels and incidents: however many weeks are frozen or computed
    assert len(empty) == len(full) == 6, "\n".join(s[:80] for s in full)
