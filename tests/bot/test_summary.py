"""The weekly summary: numbers worked out by hand, stored per week, posted once by two clocks."""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta

import pytest
from slack_sdk import WebClient
from sqlmodel import col, select

from bot.actions.service import ActionDraft
from bot.activities.service import FollowUp
from bot.clock import PREPARERS
from bot.clock import on_failure as tell_admins  # the clock's hook: per kind
from bot.delivery import OutboxSender, Rejected
from bot.errors import Forbidden, InvalidInput
from bot.i18n import Translator
from bot.incidents.service import parse_quick
from bot.notifier import Notification
from bot.summary.charts import DRAW_AHEAD
from bot.summary.notifications import SummaryChart, SummaryFailed, SummaryMap, SummaryPosted
from bot.summary.posts import parse_schedule, parse_week, plan_summaries
from bot.weekly.reports import EntryDraft
from handlers.local.localslack import LocalSlack
from handlers.summary.blocks import build_summary
from handlers.transport import SlackTransport
from storage.models import Outbox, OutboxStatus, WeeklySummary
from tests.bot.conftest import as_user
from tests.conftest import session_of

# ISO week 47 of 2026: Monday 16 to Sunday 22 November (Stockholm, UTC+1)
W47 = datetime(2026, 11, 16, 12, 0, tzinfo=UTC)  # Monday noon
POSTED = datetime(2026, 11, 23, 7, 0, tzinfo=UTC)  # Monday 23 November 08:00 local


def week(n: int, day: int = 0, hour: int = 12) -> datetime:
    """A moment in ISO week n of 2026 (Monday noon by default), aware UTC."""
    return W47 + timedelta(weeks=n - 47, days=day, hours=hour - 12)


@pytest.fixture
def logged(demo, anna, erik):
    """Incidents per place and week (43–47):
    Fittja centrum   1 1 0 2 | 6  (4 narkotika, 2 lustgas)   average 1.0 → rising
    Kårsby IP        4 4 4 4 | 3  (buskörning)                average 4.0
    Albys hjärta     0 0 0 1 | 0
    Tumba station    0 0 0 0 | 1
    plus one deleted in week 47 and one in the first minutes of week 48 (not counted)."""

    def log(text: str, at: datetime, who=anna) -> int:
        return demo.incidents.log(who, parse_quick(text), now=at).incident.id

    for n, count in ((43, 1), (44, 1), (46, 2)):
        for i in range(count):
            log("Fittja centrum; narkotikaförsäljning; x", week(n, day=i))
    for i in range(4):
        log("Fittja centrum; narkotikaförsäljning; x", week(47, day=i))
    log("Fittja centrum; lustgas; x", week(47, day=4))
    # Sunday 22 November 23:30 local: still week 47
    log("Fittja centrum; lustgas; x", datetime(2026, 11, 22, 22, 30, tzinfo=UTC))
    # Monday 23 November 00:10 local (23:10 UTC on Sunday): week 48
    log("Fittja centrum; lustgas; x", datetime(2026, 11, 22, 23, 10, tzinfo=UTC))
    for n in (43, 44, 45, 46):
        for i in range(4):
            log("Kårsby IP; buskörning; y", week(n, day=i), erik)
    for i in range(3):
        log("Kårsby IP; buskörning; y", week(47, day=i), erik)
    log("Albys hjärta; klotter; z", week(46, day=2))
    log("Tumba station; klotter; z", week(47, day=5))
    gone = log("Tumba station; klotter; fel", week(47, day=5))
    demo.incidents.delete(anna, gone, reason="fel plats", now=week(47, day=6))


def test_last_week_per_place_against_the_week_before_and_the_average(demo, anna, logged):
    s = demo.summaries.show(anna, "", now=POSTED)
    assert (s.iso_year, s.iso_week, s.start, s.end) == (2026, 47, "2026-11-16", "2026-11-22")
    assert (s.total, s.previous, s.average) == (10, 7, 5.25)  # (5 + 5 + 4 + 7) / 4
    by_name = {p.place: p for p in s.places}
    fittja = by_name["Fittja centrum"]
    assert (fittja.count, fittja.previous, fittja.average) == (6, 2, 1.0)
    assert [(sv, n) for sv, _en, n in fittja.by_category] == [
        ("Öppen narkotikaförsäljning", 4),
        ("Lustgas", 2),
    ]
    assert fittja.series[-5:] == [1, 1, 0, 2, 6]
    karsby = by_name["Kårsby IP"]
    assert (karsby.count, karsby.previous, karsby.average) == (3, 4, 4.0)
    assert by_name["Albys hjärta"].count == 0 and by_name["Albys hjärta"].previous == 1
    assert [s.place(pid).place for pid in s.concern] == [
        "Fittja centrum",
        "Kårsby IP",
        "Tumba station",
    ]
    assert [s.place(pid).place for pid in s.rising] == ["Fittja centrum"]
    assert s.weeks[0] == (2026, 36) and s.weeks[-1] == (2026, 47)
    assert s.actions is None  # the group has no actions: the section is absent
    assert s.missing_reports == sorted(s.missing_reports) and len(s.missing_reports) == 3


def test_the_stored_summary_is_what_is_posted_again(demo, anna, logged):
    first = demo.summaries.show(anna, "v47", now=POSTED)
    demo.incidents.log(anna, parse_quick("Fittja centrum; lustgas; sent"), now=week(47, day=3))
    again = demo.summaries.show(anna, "47", now=POSTED + timedelta(days=2))
    assert again == first and again.total == 10
    with demo.db.unit_of_work(read_only=True) as uow:
        assert len(session_of(uow).exec(select(WeeklySummary)).all()) == 1
        events = [e.action for e in uow.audit.in_order()]
    assert events.count("summary.stored") == 1


def test_a_quiet_week_is_said_plainly(demo, anna):
    s = demo.summaries.show(anna, "", now=POSTED)
    assert s.quiet and s.places == [] and s.concern == [] and s.chart_places == []


def test_actions_done_open_and_overdue_with_owners(demo, anna, erik):
    created = week(44)
    a = demo.actions.create(
        anna, ActionDraft("Belysning Fittja", "U0ERIK", date(2026, 11, 18)), now=created
    )
    demo.actions.create(
        anna, ActionDraft("Trygghetsvandring", "U0ANNA", date(2026, 12, 1)), now=created
    )
    done = demo.actions.create(
        anna, ActionDraft("Klotter bort", "U0ANNA", date(2026, 11, 30)), now=created
    )
    demo.actions.set_status(anna, done.id, "klar", now=week(47, day=2))
    old = demo.actions.create(anna, ActionDraft("Gammal", "U0ANNA", date(2026, 11, 1)), now=created)
    demo.actions.set_status(anna, old.id, "klar", now=week(46))  # done before the week
    s = demo.summaries.show(anna, "", now=POSTED)
    assert s.actions is not None
    assert (s.actions.done, s.actions.open, s.actions.overdue) == (1, 2, 1)
    assert [(x.title, x.owner, x.due) for x in s.actions.overdue_lines] == [
        ("Belysning Fittja", "U0ERIK", "2026-11-18")
    ]
    assert [x.id for x in s.actions.done_lines] == [done.id]
    assert a.id not in [x.id for x in s.actions.done_lines]


def test_organisations_that_did_not_report(demo, anna, erik):
    fittja = demo.places.resolve(anna, "Fittja centrum").id
    # the report week of a report saved on Monday 16 November is week 47
    demo.reports.save(anna, [EntryDraft(fittja, "oroligt", "sämre")], now=week(47, hour=8))
    s = demo.summaries.show(anna, "", now=POSTED)
    assert s.missing_reports == ["Botkyrkabyggen", "Polisen lokalpolisområde Botkyrka"]


def test_weeks_are_read_the_swedish_way():
    from zoneinfo import ZoneInfo

    tz = ZoneInfo("Europe/Stockholm")
    assert parse_week("", POSTED, tz) == (2026, 47)
    assert parse_week("v. 45", POSTED, tz) == (2026, 45)
    assert parse_week("vecka 45", POSTED, tz) == (2026, 45)
    assert parse_week("2025-W52", POSTED, tz) == (2025, 52)
    assert parse_week("v50 2025", POSTED, tz) == (2025, 50)
    # "v50" alone is the nearest week 50, next month's: not over, so refused (not last year's)
    for bad in ("v48", "v50", "2026-W49", "2025-W53", "nästa"):
        with pytest.raises(InvalidInput):
            parse_week(bad, POSTED, tz)
    assert parse_schedule("Tisdag 7.30").time == "07:30"
    assert parse_schedule("måndag 08:00").weekday == 0
    with pytest.raises(InvalidInput):
        parse_schedule("söndag 25:00")


def test_the_summary_reads_weeks_with_the_one_period_parser():
    from zoneinfo import ZoneInfo

    from bot.i18n import N_

    tz = ZoneInfo("Europe/Stockholm")
    # what `/est händelser … v47` understands, the summary understands too
    assert parse_week("förra veckan", POSTED, tz) == (2026, 47)
    assert parse_week("v45 2026", POSTED, tz) == (2026, 45)
    assert parse_week("2026 v45", POSTED, tz) == (2026, 45)
    assert parse_week("week 45", POSTED, tz) == (2026, 45)
    assert parse_week("45", POSTED, tz) == (2026, 45)
    unreadable = "Write the week as v50, v50 2026 or 2026-v50 (“{text}”)."
    no_such = "“{text}” is week {week}, and there is no such week: weeks are numbered 1 to 52, "
    no_such += "and 1 to 53 in the years that have 53 weeks, such as {long_year}."
    short = "“{text}” is week {week} of {year}, but {year} has only 52 weeks. Write a week from "
    short += "1 to 52, or the year of a week 53, such as “v53 {long_year}”."
    not_over = "Week {week}, {year} ({days}) is not over yet: its summary can be posted from the "
    not_over += "Monday after."
    refused = {
        "v54": N_(no_such, text="v54", week=54, year=None, long_year=2026),
        "2026-W0": N_(no_such, text="2026-W0", week=0, year=None, long_year=2026),
        "november": N_(unreadable, text="november"),
        "nästa": N_(unreadable, text="nästa"),
        "2025-W53": N_(short, text="2025-W53", week=53, year=2025, long_year=2026),
        "v48": N_(not_over, week=48, year=2026, days="23–29 november 2026"),
        "denna vecka": N_(not_over, week=48, year=2026, days="23–29 november 2026"),
        "2026-W49": N_(not_over, week=49, year=2026, days="30 november – 6 december 2026"),
        # the nearest week 53 is 2026's, five weeks ahead
        "v53": N_(not_over, week=53, year=2026, days="28 december 2026 – 3 januari 2027"),
    }
    for text, message in refused.items():
        with pytest.raises(InvalidInput) as caught:
            parse_week(text, POSTED, tz)
        assert caught.value.message == message, text


def test_readers_may_not_post_and_only_admins_set_the_time(demo, lena, erik):
    with pytest.raises(Forbidden):
        demo.summaries.post_now(lena, "", now=POSTED)
    with pytest.raises(Forbidden):
        demo.summaries.set_schedule(erik, "tisdag 09:00", now=POSTED)


# -- posting through the outbox ----------------------------------------------------------------


@dataclass
class Channel:
    """A transport that records what it would post and upload."""

    posted: list[tuple[str, Notification]] = field(default_factory=list)
    refuse_uploads: bool = False
    lock: threading.Lock = field(default_factory=threading.Lock)

    def send(self, recipient: str, note: Notification, *, language: str | None = None) -> str:
        if isinstance(note, SummaryChart) and (self.refuse_uploads or note.png is None):
            raise Rejected(note.error or "not_allowed")
        with self.lock:
            self.posted.append((recipient, note))
            return f"1700000000.{len(self.posted):06d}"


def _sender(demo, transport, worker):
    return OutboxSender(demo.db, transport, PREPARERS, worker=worker, on_failure=tell_admins)


def test_two_clocks_post_the_summary_once_with_its_chart_in_the_thread(demo, anna, logged):
    early = POSTED - DRAW_AHEAD - timedelta(minutes=1)
    assert plan_summaries(demo.db, now=early) == 0  # not yet 07:45, a quarter before 08:00
    channel = Channel()
    clocks = [_sender(demo, channel, "clock-a"), _sender(demo, channel, "clock-b")]
    errors: list[BaseException] = []

    def run(job, *args, **kwargs):
        try:
            job(*args, **kwargs)
        except BaseException as error:  # noqa: BLE001 - a failure in a thread must fail the test
            errors.append(error)

    for minute in range(4):  # the post, its chart and its map, one after another
        now = POSTED + timedelta(minutes=minute)
        jobs: list[tuple] = [(plan_summaries, demo.db), (plan_summaries, demo.db)]
        jobs += [(c.sweep,) for c in clocks]
        threads = [
            threading.Thread(target=run, args=job, kwargs={"now": now + timedelta(seconds=i)})
            for i, job in enumerate(jobs)
        ]
        for t in threads:
            t.start()
            if not demo.db.parallel_ok:  # in-memory SQLite has one connection: one at a time
                t.join()
        for t in threads:
            t.join()
    assert errors == []
    kinds = [type(n).__name__ for _r, n in channel.posted]
    assert kinds == ["SummaryPosted", "SummaryChart", "SummaryMap"]  # the demo places are mapped
    post, chart, drawn = (n for _r, n in channel.posted)
    assert isinstance(post, SummaryPosted) and isinstance(chart, SummaryChart)
    assert isinstance(drawn, SummaryMap) and drawn.filename == "karta-2026-v47.png"
    assert chart.thread_ts == drawn.thread_ts == "1700000000.000001"
    assert chart.png is not None and chart.png.startswith(b"\x89PNG")
    assert drawn.png is not None and drawn.png.startswith(b"\x89PNG")
    assert {r for r, _n in channel.posted} == {"C0EST"}
    assert post.summary.iso_week == 47 and post.summary.total == 10


def test_the_summary_is_posted_at_the_groups_own_time(demo, anna, logged):
    demo.summaries.set_schedule(anna, "tisdag 07:30", now=POSTED)
    assert plan_summaries(demo.db, now=POSTED + timedelta(hours=2)) == 0  # Monday: not today
    tuesday = datetime(2026, 11, 24, 6, 30, tzinfo=UTC)  # 07:30 local
    assert plan_summaries(demo.db, now=tuesday) == 3  # the summary, its chart and its map
    assert plan_summaries(demo.db, now=tuesday + timedelta(minutes=1)) == 0


def test_an_archived_group_gets_no_summary(demo, anna, logged):
    with demo.db.unit_of_work() as uow:
        group = uow.groups.get(anna.group.id)
        group.archived_at = POSTED - timedelta(days=1)
        session_of(uow).add(group)
    assert plan_summaries(demo.db, now=POSTED + timedelta(minutes=1)) == 0


def test_a_chart_that_cannot_be_uploaded_is_reported_to_the_admins(demo, anna, logged):
    channel = Channel(refuse_uploads=True)
    demo.summaries.post_now(anna, "v47", now=POSTED)
    sender = _sender(demo, channel, "clock")
    for step in range(6):
        sender.sweep(now=POSTED + timedelta(seconds=step))
    told = [(r, n) for r, n in channel.posted if isinstance(n, SummaryFailed)]
    assert [(r, n.part, n.reason, n.iso_week) for r, n in told] == [
        ("U0ANNA", "chart", "not_allowed", 47),
        ("U0ANNA", "map", "not_allowed", 47),
    ]
    with demo.db.unit_of_work(read_only=True) as uow:
        rows = session_of(uow).exec(select(Outbox).order_by(col(Outbox.id))).all()
    assert [(r.kind, r.status) for r in rows if r.kind.startswith("summary")] == [
        ("summary.post", OutboxStatus.SENT),
        ("summary.chart", OutboxStatus.FAILED),
        ("summary.map", OutboxStatus.FAILED),
        ("summary.failed", OutboxStatus.SENT),
        ("summary.failed", OutboxStatus.SENT),
    ]


def test_posting_now_posts_the_same_stored_content_each_time(demo, anna, erik, logged):
    channel = Channel()
    sender = _sender(demo, channel, "clock")
    demo.summaries.post_now(anna, "", now=POSTED)
    demo.incidents.log(anna, parse_quick("Fittja centrum; lustgas; sent"), now=week(47, day=3))
    demo.summaries.post_now(erik, "", now=POSTED + timedelta(hours=1))
    for step in range(6):
        sender.sweep(now=POSTED + timedelta(hours=1, seconds=step))
    posts = [n for _r, n in channel.posted if isinstance(n, SummaryPosted)]
    assert len(posts) == 2 and posts[0].summary == posts[1].summary
    assert as_user(demo, "U0ANNA").is_admin


def test_a_post_planned_for_later_does_not_hold_back_the_summary(demo, anna, logged):
    """The lägesbild is queued at 03:00 for the 09:00 meeting; the summary at 08:00 goes first."""
    with demo.db.unit_of_work() as uow:
        uow.outbox.enqueue(
            Outbox(
                group_id=anna.group.id,
                recipient="C0EST",
                kind="summary.failed",
                payload={"week": 1, "part": "summary", "reason": "later"},
                dedupe_key="later",
                next_attempt_at=POSTED + timedelta(hours=1),
                created_at=POSTED - timedelta(hours=5),
            )
        )
    plan_summaries(demo.db, now=POSTED)
    channel = Channel()
    sender = _sender(demo, channel, "clock")
    for step in range(3):
        sender.sweep(now=POSTED + timedelta(seconds=step))
    posted = [type(n).__name__ for _r, n in channel.posted]
    assert posted == ["SummaryPosted", "SummaryChart", "SummaryMap"]
    sender.sweep(now=POSTED + timedelta(hours=1))
    assert type(channel.posted[-1][1]).__name__ == "SummaryFailed"


def test_a_chart_that_cannot_be_drawn_is_reported_to_the_admins(demo, anna, logged, monkeypatch):
    import bot.summary.chart

    def broken(summary, language, **_drawn):
        raise RuntimeError("no fonts")

    monkeypatch.setattr(bot.summary.chart, "render_chart", broken)
    channel = Channel()
    demo.summaries.post_now(anna, "", now=POSTED)
    sender = _sender(demo, channel, "clock")
    for step in range(4):
        sender.sweep(now=POSTED + timedelta(seconds=step))
    # the map is drawn apart from the chart: it is posted; the broken chart is reported
    posted = [type(n).__name__ for _r, n in channel.posted]
    assert posted == ["SummaryPosted", "SummaryMap", "SummaryFailed"]
    failed = channel.posted[-1][1]
    assert isinstance(failed, SummaryFailed)
    assert (channel.posted[-1][0], failed.part, failed.reason) == (
        "U0ANNA",
        "chart",
        "chart_not_rendered",
    )


def test_activities_held_with_attendance_and_coming(demo, anna):
    from tests.bot.test_activities import MONDAY, draft

    assert demo.summaries.show(anna, "v47", now=POSTED).activities is None  # none ever: absent
    market = demo.activities.create(anna, draft(demo, anna), now=MONDAY)  # Sat 12 Dec, w. 50
    walk = demo.activities.create(  # Fri 18 Dec, w. 51: within two weeks of w. 50's end
        anna, draft(demo, anna, kind="nattvandring", day=date(2026, 12, 18)), now=MONDAY
    )
    demo.activities.create(anna, draft(demo, anna, day=date(2027, 1, 20)), now=MONDAY)  # later
    demo.activities.follow_up(
        anna,
        market.id,
        FollowUp({"vuxna": 500, "barn och unga": 40}, "uppskattat", 0, ""),
        now=datetime(2026, 12, 13, 9, 0, tzinfo=UTC),
    )
    monday_w51 = datetime(2026, 12, 14, 7, 0, tzinfo=UTC)
    s = demo.summaries.show(anna, "v50", now=monday_w51)
    assert s.activities is not None
    [held] = s.activities.held
    assert (held.id, held.attendance, held.counting_method) == (market.id, 540, "uppskattat")
    assert (held.places, held.start) == (["Fittja centrum"], "2026-12-12 11:00")  # local time
    assert [e.id for e in s.activities.coming] == [walk.id]
    text = str(build_summary(Translator("sv"), s)["blocks"])
    assert "Aktiviteter genomförda v. 50" in text and "540 deltagare (uppskattat)" in text
    assert f"#{walk.id} Julmarknad i Fittja centrum (nattvandring)" in text
    stored = demo.summaries.show(anna, "v50", now=monday_w51 + timedelta(days=1))
    assert stored == s  # kept with the week, read back the same
    quiet = demo.summaries.show(anna, "v40", now=monday_w51)
    assert quiet.activities is not None and quiet.activities.held == []
    quiet_text = str(build_summary(Translator("sv"), quiet)["blocks"])
    assert "inga genomförda v. 40" in quiet_text


def test_a_summary_map_slack_never_takes_is_told_to_the_admins_with_what_to_do(demo, anna, logged):
    with LocalSlack() as slack:
        client = WebClient(token="xoxb-test", base_url=slack.api_url, timeout=5)
        sender = OutboxSender(
            demo.db, SlackTransport(client), PREPARERS, worker="t", on_failure=tell_admins
        )
        demo.summaries.post_now(anna, "v47", now=POSTED)
        slack.fail_next("files.getUploadURLExternal", status=500, times=100)
        for step in range(30):  # 10 minutes apart: past each backoff; one row a channel a sweep
            sender.sweep(now=POSTED + timedelta(minutes=10 * step))
        to_anna = [
            c.args["text"]
            for c in slack.calls_to("chat.postMessage")
            if c.args.get("channel") == "U0ANNA"
        ]
    reason = "uppladdningen gick inte igenom"  # Slack's code upload_failed, in words
    assert to_anna == [
        f"Diagrammet till veckosammanfattningen v. 47 kunde inte postas ({reason}). "
        "Själva sammanfattningen finns i kanalen.",
        f"Kartan till veckosammanfattningen för v. 47 kunde inte läggas upp ({reason}). "
        "Själva sammanfattningen finns i kanalen; visa veckans karta med "
        "`/est lägesbild v47 karta`.",
    ]


def test_a_clock_skips_the_group_another_clock_is_planning(demo, anna, logged):
    from bot.summary.posts import PLAN_LOCK

    postgresql = demo.db.engine.dialect.name == "postgresql"
    with demo.db.unit_of_work() as other:  # another clock, in the middle of this group
        assert other.groups.try_lock(anna.group.id, job=PLAN_LOCK)
        if postgresql:  # skipped, not waited for (SQLite's writers take turns: no second clock)
            assert plan_summaries(demo.db, now=POSTED) == 0
    # the other clock is done (without queueing): this one plans it, the post, chart and map
    assert plan_summaries(demo.db, now=POSTED) == 3
    assert plan_summaries(demo.db, now=POSTED + timedelta(minutes=1)) == 0
