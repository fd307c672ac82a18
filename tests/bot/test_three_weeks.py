"""Three weeks of the rhythm with a fixed clock, end to end through the outbox."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from bot.actions.service import ActionFilter
from bot.weekly.notifications import PicturePosted, ReportNudge, ReportsCalled
from bot.weekly.reports import EntryDraft
from tests.bot.conftest import as_user
from tests.bot.test_cycle import Inbox, run


def test_three_weekly_cycles(demo, anna, erik, db):
    sara = as_user(demo, "U0SARA")
    fittja = demo.places.resolve(anna, "Fittja centrum").id
    inbox = Inbox()
    clock = datetime(2026, 11, 22, 23, 0, tzinfo=UTC)  # Monday 23 Nov, 00:00 local
    levels = {48: "oroligt", 49: "allvarligt", 50: "lugnt"}
    for week, monday in ((48, 23), (49, 30), (50, 7)):
        month = 11 if week < 50 else 12
        at = lambda hour, minute=0: datetime(2026, month, monday, hour, minute, tzinfo=UTC)  # noqa: B023, E731
        run(db, inbox, clock, at(10))  # the call (08:00 local) has gone out
        demo.reports.save(anna, [EntryDraft(fittja, levels[week], "sämre")], now=at(10))
        run(db, inbox, at(10, 30), at(11, 30))  # the nudge (12:00 local) goes to the missing
        demo.reports.save(sara, [EntryDraft(fittja, "oroligt", "oförändrat")], now=at(12))
        if week != 49:  # the police report late (after 15:00 local) — and not at all in week 49
            demo.reports.save(erik, [EntryDraft(fittja, "oroligt", "sämre")], now=at(16))
        tuesday = at(8, 30) + timedelta(days=1)  # 09:30 local: the lägesbild has been posted
        run(db, inbox, at(12, 30), tuesday)
        meeting_id, agenda = demo.meetings.open(anna, now=tuesday)
        assert agenda.iso_week == week
        demo.meetings.decide(
            anna,
            meeting_id,
            f"Trygghetsvandring v. {week}",
            place_id=fittja,
            owner="U0ERIK",
            due=(tuesday + timedelta(days=7)).date(),
            now=tuesday,
        )
        minutes = demo.meetings.close(anna, meeting_id, now=tuesday + timedelta(hours=1))
        assert minutes.picture.version == 1
        clock = tuesday + timedelta(hours=2)

    def sent(kind, week):
        return sorted({r for r, n, _at in inbox.got if isinstance(n, kind) and n_week(n) == week})

    def n_week(note):
        return note.picture.iso_week if isinstance(note, PicturePosted) else note.iso_week

    for week in (48, 49, 50):
        assert "C0EST" in sent(ReportsCalled, week)
        assert sent(ReportNudge, week) == ["U0ERIK", "U0SARA"]  # the municipality had reported
        assert sent(PicturePosted, week) == ["C0EST"]
    pictures = {
        n.picture.iso_week: n.picture for _r, n, _at in inbox.got if isinstance(n, PicturePosted)
    }
    assert pictures[49].missing == ["Polisen lokalpolisområde Botkyrka"]
    late = [
        r.late
        for p in pictures[48].places
        for r in p.reports
        if r.organisation.startswith("Polisen")
    ]
    assert late == [True]
    # the frozen weeks, and Fittja centrum's history across them
    _name, history = demo.meetings.place_history(
        anna, "Fittja centrum", now=datetime(2026, 12, 9, tzinfo=UTC)
    )
    by_week = {h.iso_week: (h.joint_level, h.frozen) for h in history}
    assert by_week[48] == ("oroligt", True)
    assert by_week[49] == ("allvarligt", True)
    assert by_week[50] == ("oroligt", True)  # lugnt reported, oroligt from the others: the worst
    actions = demo.actions.find(
        erik, ActionFilter(mine=True), now=datetime(2026, 12, 9, tzinfo=UTC)
    )
    assert sorted(a.title for a in actions) == [f"Trygghetsvandring v. {w}" for w in (48, 49, 50)]
    assert all(a.due_date >= date(2026, 12, 1) for a in actions)
