"""Saved lägesrapporter in the channel, through the outbox: under the week's call, one post per
report, edited by each new version; with a fixed clock."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from bot.actions.reminders import tell_admins
from bot.clock import PREPARERS
from bot.delivery import OutboxSender
from bot.notifier import Notification
from bot.weekly.cycle import plan_cycle
from bot.weekly.notifications import ReportPosted, ReportsCalled
from bot.weekly.reports import EntryDraft

MONDAY = datetime(2026, 11, 23, 7, tzinfo=UTC)  # 08:00 in Stockholm: week 48's call is due


@dataclass
class Slack:
    """Answers each message with a ts of its own, as Slack does (an edit keeps its post's)."""

    got: list[tuple[str, Notification]] = field(default_factory=list)

    def send(self, recipient: str, note: Notification, *, language: str | None = None) -> str:
        self.got.append((recipient, note))
        if isinstance(note, ReportPosted) and note.edits_ts:
            return note.edits_ts
        return f"1700000000.{len(self.got):06d}"

    def posts(self) -> list[ReportPosted]:
        return [n for _r, n in self.got if isinstance(n, ReportPosted)]

    def channel_call_ts(self) -> str:
        [n] = [
            i for i, (r, n) in enumerate(self.got) if r == "C0EST" and isinstance(n, ReportsCalled)
        ]
        return f"1700000000.{n + 1:06d}"


def sweep(db, slack: Slack, now: datetime) -> None:
    plan_cycle(db, now=now)
    OutboxSender(db, slack, PREPARERS, worker="t", on_failure=tell_admins).sweep(now=now)


def test_a_report_is_posted_under_the_call_and_a_new_version_edits_that_post(demo, anna, db):
    slack = Slack()
    fittja = demo.places.resolve(anna, "Fittja centrum").id
    sweep(db, slack, MONDAY)  # the call goes out: in the channel and by DM
    call_ts = slack.channel_call_ts()
    first = [EntryDraft(fittja, "oroligt", "sämre", "Lustgas vid tunnelbanan.")]
    demo.reports.save(anna, first, now=MONDAY + timedelta(hours=2))
    sweep(db, slack, MONDAY + timedelta(hours=2))
    [posted] = slack.posts()
    assert (posted.thread_ts, posted.edits_ts) == (call_ts, None)
    assert (posted.report.organisation, posted.report.version, posted.report.late) == (
        "Botkyrka kommun",
        1,
        False,
    )
    assert [(e.place, e.level, e.trend, e.observations) for e in posted.report.entries] == [
        ("Fittja centrum", "oroligt", "sämre", "Lustgas vid tunnelbanan.")
    ]
    assert posted.meeting_day.isoformat() == "2026-11-24"
    post_ts = slack.got.index(("C0EST", posted)) + 1
    # after the deadline (Monday 15:00 in Stockholm): version 2, late, edits the same post
    after = MONDAY + timedelta(hours=8)
    demo.reports.save(anna, [EntryDraft(fittja, "allvarligt", "sämre")], now=after)
    sweep(db, slack, after)
    revised = slack.posts()[-1]
    assert len(slack.posts()) == 2
    assert (revised.thread_ts, revised.edits_ts) == (call_ts, f"1700000000.{post_ts:06d}")
    assert (revised.report.version, revised.report.late) == (2, True)
    # and the third version edits it again: the ts Slack answered for the edit is the post's
    demo.reports.save(anna, [EntryDraft(fittja, "lugnt", "bättre")], now=after)
    sweep(db, slack, after + timedelta(minutes=1))
    assert slack.posts()[-1].edits_ts == f"1700000000.{post_ts:06d}"


def test_versions_saved_before_the_post_went_out_make_one_post_of_the_newest(demo, anna, db):
    slack = Slack()
    fittja = demo.places.resolve(anna, "Fittja centrum").id
    demo.reports.save(anna, [EntryDraft(fittja, "oroligt", "sämre")], now=MONDAY)
    demo.reports.save(anna, [EntryDraft(fittja, "allvarligt", "sämre")], now=MONDAY)
    for minutes in (0, 1):
        sweep(db, slack, MONDAY + timedelta(minutes=minutes))
    [posted] = slack.posts()
    assert (posted.report.version, posted.edits_ts) == (2, None)
    assert posted.report.entries[0].level == "allvarligt"


def test_a_report_saved_before_the_call_was_posted_is_posted_at_the_top_level(demo, anna, db):
    slack = Slack()
    fittja = demo.places.resolve(anna, "Fittja centrum").id
    sunday = datetime(2026, 11, 22, 12, tzinfo=UTC)  # for Tuesday's meeting, before Monday's call
    demo.reports.save(anna, [EntryDraft(fittja, "oroligt", "sämre")], now=sunday)
    sweep(db, slack, sunday)
    [posted] = slack.posts()
    assert (posted.thread_ts, posted.edits_ts, posted.report.iso_week) == (None, None, 48)
