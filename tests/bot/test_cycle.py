"""The weekly rhythm through the outbox, with a fixed clock: call, nudge, lägesbild, holidays."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from bot.actions.reminders import tell_admins
from bot.clock import PREFETCH, PREPARERS
from bot.delivery import OutboxSender
from bot.notifier import Notification
from bot.weekly.cycle import plan_cycle
from bot.weekly.notifications import PicturePosted, ReportNudge, ReportsCalled
from bot.weekly.reports import EntryDraft
from bot.weekly.weeks import MeetingState

TZ = ZoneInfo("Europe/Stockholm")


@dataclass
class Inbox:
    got: list[tuple[str, Notification, datetime]] = field(default_factory=list)
    now: datetime = datetime(2026, 1, 1, tzinfo=UTC)

    def send(self, recipient: str, note: Notification, *, language: str | None = None) -> str:
        self.got.append((recipient, note, self.now))
        return "1.1"


def run(
    db, inbox: Inbox, start: datetime, end: datetime, step=timedelta(minutes=30), prefetch=None
) -> None:
    sender = OutboxSender(
        db, inbox, PREPARERS, worker="t", on_failure=tell_admins, prefetch=prefetch
    )
    now = start
    while now <= end:
        inbox.now = now
        plan_cycle(db, now=now)
        sender.sweep(now=now)
        now += step


def drain(sender: OutboxSender, now: datetime) -> None:
    """Sweep until nothing more is due, as the clock's send job does (a channel's rows go one
    after another: the lägesbild's map waits for its post)."""
    while sender.sweep(now=now).claimed:
        pass


def local(note_time: datetime) -> str:
    return note_time.astimezone(TZ).strftime("%a %d %b %H:%M")


def test_a_week_call_nudge_and_picture(demo, anna, db):
    inbox = Inbox()
    fittja = demo.places.resolve(anna, "Fittja centrum").id
    # week 48: deadline Mon 23 Nov 15:00, meeting Tue 24 Nov 09:00
    run(db, inbox, datetime(2026, 11, 22, 8, tzinfo=UTC), datetime(2026, 11, 23, 9, tzinfo=UTC))
    calls = [(r, local(at)) for r, n, at in inbox.got if isinstance(n, ReportsCalled)]
    # the call is due Sunday 15:00 (24 h before), which is a weekend: Monday 08:00 instead
    assert ("C0EST", "Mon 23 Nov 08:00") in calls
    reporters = {"U0ANNA", "U0ERIK", "U0SARA", "U0OMAR"}  # not the reader
    assert {r for r, _at in calls if r.startswith("U")} == reporters
    demo.reports.save(
        anna,
        [EntryDraft(fittja, "oroligt", "sämre")],
        now=datetime(2026, 11, 23, 9, 30, tzinfo=UTC),
    )  # the municipality reports
    run(db, inbox, datetime(2026, 11, 23, 9, 30, tzinfo=UTC), datetime(2026, 11, 24, 9, tzinfo=UTC))
    nudges = sorted(
        (r, n.organisation, local(at)) for r, n, at in inbox.got if isinstance(n, ReportNudge)
    )
    assert nudges == [
        ("U0ERIK", "Polisen lokalpolisområde Botkyrka", "Mon 23 Nov 12:00"),
        ("U0SARA", "Botkyrkabyggen", "Mon 23 Nov 12:00"),
    ]
    [(where, posted, at)] = [(r, n, at) for r, n, at in inbox.got if isinstance(n, PicturePosted)]
    assert (where, local(at)) == ("C0EST", "Tue 24 Nov 09:00")
    assert posted.picture.iso_week == 48 and not posted.late
    assert posted.picture.missing == ["Botkyrkabyggen", "Polisen lokalpolisområde Botkyrka"]
    # nothing twice
    counted = [(r, type(n).__name__) for r, n, _at in inbox.got]
    assert len(counted) == len(set(counted))


def test_a_meeting_on_a_holiday_moves_and_the_call_says_so(demo, db):
    inbox = Inbox()
    # week 2 of 2026: Tuesday 6 Jan is trettondedag jul → the meeting is Wednesday 7 Jan
    run(db, inbox, datetime(2026, 1, 4, 12, tzinfo=UTC), datetime(2026, 1, 7, 9, tzinfo=UTC))
    call = next(n for r, n, _at in inbox.got if isinstance(n, ReportsCalled) and r == "C0EST")
    assert (call.meeting_day.isoformat(), call.holiday) == ("2026-01-07", "Trettondedag jul")
    [(_r, posted, at)] = [(r, n, at) for r, n, at in inbox.got if isinstance(n, PicturePosted)]
    assert local(at) == "Wed 07 Jan 09:00"
    assert posted.picture.holiday == "Trettondedag jul"


def test_summer_time_weeks(demo, db):
    inbox = Inbox()
    # week 14: clocks went forward on Sunday 29 March; the meeting Tue 31 Mar 09:00 = 07:00 UTC
    run(db, inbox, datetime(2026, 3, 29, 12, tzinfo=UTC), datetime(2026, 3, 31, 8, tzinfo=UTC))
    posted = [at for _r, n, at in inbox.got if isinstance(n, PicturePosted)]
    assert posted == [datetime(2026, 3, 31, 7, 0, tzinfo=UTC)]
    inbox = Inbox()
    # week 44: clocks went back on Sunday 25 October; the meeting Tue 27 Oct 09:00 = 08:00 UTC
    run(db, inbox, datetime(2026, 10, 25, 12, tzinfo=UTC), datetime(2026, 10, 27, 9, tzinfo=UTC))
    posted = [at for _r, n, at in inbox.got if isinstance(n, PicturePosted)]
    assert posted == [datetime(2026, 10, 27, 8, 0, tzinfo=UTC)]


def test_a_clock_that_was_down(demo, db):
    inbox = Inbox()
    sender = OutboxSender(db, inbox, PREPARERS, worker="t", on_failure=tell_admins)
    plan_cycle(db, now=datetime(2026, 11, 24, 5, tzinfo=UTC))  # planned before the meeting …
    inbox.now = datetime(2026, 11, 24, 14, tzinfo=UTC)  # … sent 6 hours late
    drain(sender, inbox.now)
    [late] = [n for _r, n, _at in inbox.got if isinstance(n, PicturePosted)]
    assert late.late
    # the next week it is down for a day: skipped, and the week after says so
    plan_cycle(db, now=datetime(2026, 12, 1, 5, tzinfo=UTC))
    drain(sender, datetime(2026, 12, 2, 9, tzinfo=UTC))
    assert len([n for _r, n, _at in inbox.got if isinstance(n, PicturePosted)]) == 1
    plan_cycle(db, now=datetime(2026, 12, 8, 5, tzinfo=UTC))
    inbox.now = datetime(2026, 12, 8, 8, tzinfo=UTC)
    drain(sender, inbox.now)
    latest = [n for _r, n, _at in inbox.got if isinstance(n, PicturePosted)][-1]
    assert (latest.picture.iso_week, latest.skipped_week, latest.late) == (50, 49, False)


@pytest.mark.parametrize("prefetch", [None, PREFETCH], ids=["one by one", "prefetched"])
def test_the_call_goes_only_to_organisations_that_have_not_reported(demo, anna, db, prefetch):
    inbox = Inbox()
    fittja = demo.places.resolve(anna, "Fittja centrum").id
    # Sunday 22 Nov: the report is for Tuesday's meeting of week 48, before its call (Mon 08:00)
    demo.reports.save(
        anna, [EntryDraft(fittja, "oroligt", "sämre")], now=datetime(2026, 11, 22, 12, tzinfo=UTC)
    )
    start, end = datetime(2026, 11, 22, 12, tzinfo=UTC), datetime(2026, 11, 23, 9, tzinfo=UTC)
    run(db, inbox, start, end, prefetch=prefetch)
    calls = {r for r, n, _at in inbox.got if isinstance(n, ReportsCalled)}
    # the municipality (Anna, Omar) has reported: its people are not called; the channel is
    assert calls == {"C0EST", "U0ERIK", "U0SARA"}


def test_the_picture_posted_after_a_closed_meeting_is_the_fastställd_one(demo, anna, db):
    inbox = Inbox()
    # week 48's meeting (Tue 24 Nov 09:00) is held early, on Monday, and closed
    monday = datetime(2026, 11, 23, 10, tzinfo=UTC)
    meeting_id, _agenda = demo.meetings.open(anna, now=monday)
    demo.meetings.close(anna, meeting_id, now=monday + timedelta(hours=1))
    run(db, inbox, datetime(2026, 11, 24, 5, tzinfo=UTC), datetime(2026, 11, 24, 9, tzinfo=UTC))
    [posted] = [n for _r, n, _at in inbox.got if isinstance(n, PicturePosted)]
    assert (posted.meeting, posted.picture.version) == (MeetingState.CLOSED, 1)


def test_the_picture_posted_while_the_meeting_is_open_does_not_ask_to_start_it(demo, anna, db):
    inbox = Inbox()
    demo.meetings.open(anna, now=datetime(2026, 11, 24, 7, 50, tzinfo=UTC))  # 08:50 local
    run(db, inbox, datetime(2026, 11, 24, 5, tzinfo=UTC), datetime(2026, 11, 24, 9, tzinfo=UTC))
    [posted] = [n for _r, n, _at in inbox.got if isinstance(n, PicturePosted)]
    assert (posted.meeting, posted.picture.version) == (MeetingState.OPEN, None)


def test_a_deadline_on_a_holiday_is_called_for_on_the_last_working_morning_before(demo, db):
    inbox = Inbox()
    # week 13 of 2027: reports are due on annandag påsk (Mon 29 March 15:00); 24 hours before is
    # Easter Sunday, and the next working moment (Tuesday) is past the deadline: the call goes
    # on skärtorsdagen (Thu 25 March) at 08:00 instead; the nudge has no moment left: none
    run(db, inbox, datetime(2027, 3, 24, 12, tzinfo=UTC), datetime(2027, 3, 30, 8, tzinfo=UTC))
    calls = sorted((r, local(at)) for r, n, at in inbox.got if isinstance(n, ReportsCalled))
    reporters = ["U0ANNA", "U0ERIK", "U0OMAR", "U0SARA"]
    assert calls == [(r, "Thu 25 Mar 08:00") for r in ["C0EST", *reporters]]
    assert not [n for _r, n, _at in inbox.got if isinstance(n, ReportNudge)]
    [posted] = [at for _r, n, at in inbox.got if isinstance(n, PicturePosted)]
    assert local(posted) == "Tue 30 Mar 09:00"


def test_a_report_on_saturday_holds_back_that_organisations_call(demo, anna, db):
    inbox = Inbox()
    fittja = demo.places.resolve(anna, "Fittja centrum").id
    # Saturday 21 Nov: the municipality reports for Tuesday's meeting before the call
    saturday = datetime(2026, 11, 21, 10, tzinfo=UTC)
    demo.reports.save(anna, [EntryDraft(fittja, "oroligt", "sämre")], now=saturday)
    run(db, inbox, saturday, datetime(2026, 11, 23, 9, tzinfo=UTC))
    calls = sorted(r for r, n, _at in inbox.got if isinstance(n, ReportsCalled))
    assert calls == ["C0EST", "U0ERIK", "U0SARA"]  # not Anna nor Omar (Botkyrka kommun)
