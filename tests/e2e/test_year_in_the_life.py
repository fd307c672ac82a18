"""A year in the life, in three weeks of the bot's time: `serve` and `clock` started with
EST_CLOCK_START/EST_CLOCK_RATE against the fake Slack carry one group from Saturday 20 March to
Monday 12 April 2027 — Easter (långfredagen 26 March, annandag påsk 29 March) and the change to
summer time (Sunday 28 March, 02:00 → 03:00) included.

Every message the clock sends is worked out here from the rules, by hand, as (kind, recipient,
local time it is due); the test counts what the fake Slack received against that: each message
once, at its time (within the lag the rate allows), none in quiet hours (18–07), at weekends or on
holidays unless it answers something a person did. At 14 400× a real second is four bot hours,
so this part counts; the next week is then timed to the bot minute at 60×
(``tests.e2e.bot_minutes``). The figures of both are printed at the end.

The rules (defaults of a group): reports are due Monday 15:00 for Tuesday's 09:00 meeting; the
call for reports goes 24 hours before, the nudge 3 hours before, each moved to the next working
moment, and never after the deadline; the summary of last week Monday 08:00; an action's
reminders at 08:00 two working days before its due date, on it and the working day after, then
weekly; escalation once it is more than 14 days overdue; an activity's reminder at 09:00 the day
before, its follow-up the first working morning after, its before/after counts a week later.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from datetime import time as clock_time
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from bot.actions.service import ActionDraft
from bot.activities.service import ActivityDraft
from bot.demo.workspace import DEMO_CHANNEL, DEMO_TEAM, load_demo
from bot.notifier import NullNotifier
from bot.services import Services
from bot.timekeeping import BotClock, FixedClock
from bot.weekly.reports import EntryDraft
from bot.workdays import is_working_day
from handlers.ids import Action, Block
from handlers.local import slack_requests as sr
from handlers.local.localslack import ApiCall, LocalSlack
from storage.clock import agree
from storage.db import Database, make_engine
from storage.migrate import upgrade
from tests.conftest import BACKENDS
from tests.e2e import bot_minutes
from tests.e2e.conftest import SECRET, Bot, _database, start_bot

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.e2e

TZ = ZoneInfo("Europe/Stockholm")
START = datetime(2027, 3, 20, 12, 0, tzinfo=TZ)  # Saturday, winter time (+01:00)
END = datetime(2027, 4, 12, 10, 0, tzinfo=TZ)  # Monday, summer time (+02:00)
RATE = 14_400  # four bot hours a real second: the three weeks take about 140 real seconds
FIRST_MORNING = datetime(2027, 3, 22, 8, 0, tzinfo=TZ)  # the first message due at a set time
# how late a message may arrive, in real seconds: what two busy processes on a shared machine
# take to plan, claim and send (at this rate one real second is four bot hours, so the time a
# message is *due* is checked to the minute, the time it arrives only to this)
LAG_REAL = 3.0
CHANNEL, ANNA, ERIK, SARA, OMAR = DEMO_CHANNEL, "U0ANNA", "U0ERIK", "U0SARA", "U0OMAR"
REPORTERS = (ANNA, ERIK, SARA, OMAR)  # the reader (U0BRA) is never called for reports
KOMMUN, POLIS = (ANNA, OMAR), (ERIK,)


def at(day: str, hhmm: str) -> str:
    """A local moment as the test writes it, e.g. at("03-22", "08:00")."""
    return f"2027-{day} {hhmm}"


def expected() -> Counter[tuple[str, str, str]]:
    """Each message the clock sends, by kind, recipient and local time due — from the rules."""
    want: list[tuple[str, str, str]] = []
    start = START.strftime("%Y-%m-%d %H:%M")
    # what was planned at the start is told at once: the action to its owner, the activity
    want += [("action.assigned", ERIK, start), ("activity.announced", CHANNEL, start)]
    # week 12 (Tue 23 March): the municipality reported on Saturday, the others had not
    want += [("summary.post", CHANNEL, at("03-22", "08:00"))]
    want += [("cycle.call", r, at("03-22", "08:00")) for r in (CHANNEL, ERIK, SARA)]
    want += [("cycle.nudge", r, at("03-22", "12:00")) for r in (ERIK, SARA)]
    want += [("cycle.picture", CHANNEL, at("03-23", "09:00"))]
    # the action is due on långfredagen (Fri 26 March): two working days before is Wednesday;
    # the day itself is a holiday, so its reminder is the first overdue one, on Tuesday after
    # Easter at 08:00 summer time, then every seven days
    want += [("action.reminder", ERIK, at("03-24", "08:00"))]
    want += [("action.reminder", ERIK, at(day, "08:00")) for day in ("03-30", "04-06")]
    # the activity on skärtorsdagen (Thu 25 March, 18–20): reminded at 09:00 the day before,
    # the follow-up on the first working morning after (Easter: Tuesday), the counts a week on
    want += [("activity.reminder", SARA, at("03-24", "09:00"))]
    want += [("activity.followup", SARA, at("03-30", "08:00"))]
    want += [("activity.effect", SARA, at("04-02", "08:00"))]  # Thu 1 April 20:00 is quiet
    # week 13 (Tue 30 March): the deadline is annandag påsk (Mon 29 March), and the call's
    # time (Sunday) moves to the last working morning before it: skärtorsdagen, 08:00; the
    # nudge (Monday 12:00) has no working moment left before the deadline: none
    want += [("cycle.call", r, at("03-25", "08:00")) for r in (CHANNEL, *REPORTERS)]
    want += [("summary.post", CHANNEL, at("03-30", "08:00"))]  # Monday is a holiday
    want += [("cycle.picture", CHANNEL, at("03-30", "09:00"))]  # 07:00 UTC, no longer 08:00
    # week 14 (Tue 6 April): the police reported on Thursday 1 April, through `serve`
    others = [r for r in REPORTERS if r not in POLIS]
    want += [("summary.post", CHANNEL, at("04-05", "08:00"))]
    want += [("cycle.call", r, at("04-05", "08:00")) for r in (CHANNEL, *others)]
    want += [("cycle.nudge", r, at("04-05", "12:00")) for r in others]
    want += [("cycle.picture", CHANNEL, at("04-06", "09:00"))]
    # 15 days overdue on Saturday 10 April: the channel is told on the next working morning
    want += [("action.escalated", CHANNEL, at("04-12", "08:00"))]
    # week 15 (Tue 13 April): nobody has reported yet
    want += [("summary.post", CHANNEL, at("04-12", "08:00"))]
    want += [("cycle.call", r, at("04-12", "08:00")) for r in (CHANNEL, *REPORTERS)]
    return Counter(want)


@pytest.fixture(params=BACKENDS)
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    databases = _database(request.param, tmp_path)
    yield next(databases)
    next(databases, None)


def seed(database_url: str) -> None:
    """The demo group, the municipality's report, an action and an activity, all at START."""
    engine = make_engine(database_url)
    upgrade(engine)
    services = Services.build(Database(engine), NullNotifier(), FixedClock(START))
    now = START.astimezone(UTC)
    load_demo(services.db, services.groups, now=now)
    anna = services.groups.locate(DEMO_TEAM, CHANNEL, ANNA)
    fittja = services.places.resolve(anna, "Fittja centrum").id
    services.reports.save(anna, [EntryDraft(fittja, "oroligt", "sämre", "Unga samlas")], now=now)
    walk = ActionDraft("Trygghetsvandring", ERIK, date(2027, 3, 26), places=["Fittja centrum"])
    services.actions.create(anna, walk, now=now)
    [motive] = services.activities.candidates(anna, [fittja], now=now)
    services.activities.create(
        anna,
        ActivityDraft(
            "Kvällsaktivitet i centrum",
            "aktivering av plats",
            date(2027, 3, 25),
            clock_time(18),
            clock_time(20),
            SARA,
            place_ids=[fittja],
            motivation=[motive.key],
        ),
        now=now,
    )
    engine.dispose()


def environment(database_url: str, slack: LocalSlack) -> dict[str, str]:
    base = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "EST_CLOCK"))}
    return base | {
        "EST_NO_BOOTSTRAP": "1",
        "DATABASE_URL": database_url,
        "SLACK_BOT_TOKEN": "xoxb-e2e",
        "SLACK_API_URL": slack.api_url,
        **clocked(),
    }


def clocked() -> dict[str, str]:
    return {"EST_CLOCK_START": START.isoformat(), "EST_CLOCK_RATE": str(RATE)}


def report_by_police(bot: Bot, fittja: int) -> None:
    """Erik opens `/est rapport` and sends it, as in Slack."""
    before = len(bot.slack.calls_to("views.open"))
    assert bot.command("rapport", channel_id=CHANNEL, user_id=ERIK) == {}
    view = bot.slack.wait_for("views.open", count=before + 1)[-1].response["view"]
    values = sr.state_values(
        sr.select_value(f"level_{fittja}", Action.LEVEL, "oroligt"),
        sr.select_value(f"trend_{fittja}", Action.TREND, "oförändrat"),
        sr.text_value(f"obs_{fittja}", Action.OBSERVATIONS, "Lugnare efter påsk"),
        sr.text_value(Block.NOTES, Action.NOTES, ""),
    )
    status, _h, body = bot.post(sr.view_submission(view, values, secret=SECRET, user_id=ERIK))
    assert status == 200 and not body.strip(), body


def wait_until(clock: BotClock, moment: datetime, process: subprocess.Popen[str]) -> None:
    while clock.now() < moment:
        assert process.poll() is None, "the clock process stopped"
        time.sleep(min(0.5, max(0.01, clock.real_seconds((moment - clock.now()).total_seconds()))))


def drain(bot: Bot, timeout: float = 60.0) -> None:
    """Wait (real time) until every outbox row due by END has been sent or dropped."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        engine = bot.engine()
        with engine.connect() as conn:
            rows = conn.exec_driver_sql("SELECT status, next_attempt_at FROM outbox").all()
        engine.dispose()
        if not [r for r in rows if r.status in ("pending", "sending") and _aware(r[1]) <= END]:
            return
        time.sleep(0.2)
    raise AssertionError("the clock did not send what was due by the end within a minute")


def delivered(bot: Bot, calls: list[tuple[ApiCall, datetime]]) -> list[dict[str, Any]]:
    """What the fake received from the clock, joined by Slack's ts to the outbox row it sent."""
    engine = bot.engine()
    with engine.connect() as conn:
        rows = conn.exec_driver_sql(
            "SELECT kind, recipient, next_attempt_at, sent_at, slack_ts FROM outbox"
            " WHERE status = 'sent'"
        ).all()
    engine.dispose()
    by_ts = {row.slack_ts: row for row in rows}
    got = []
    for call, received in calls:
        row = by_ts.get(call.response.get("ts"))
        if call.method == "chat.postMessage" and row is not None and _aware(row[2]) <= END:
            due = _aware(row.next_attempt_at)
            got.append(
                {"kind": row.kind, "to": row.recipient, "due": due, "received": received}
                | {"sent_at": _aware(row.sent_at), "ts": row.slack_ts}
            )
    return got


def bot_time(began: datetime, real: float) -> datetime:
    """The bot's time at a real instant (seconds since the epoch), by the shared anchor."""
    return START.astimezone(UTC) + (datetime.fromtimestamp(real, UTC) - began) * RATE


def _aware(value: Any) -> datetime:
    moment = value if isinstance(value, datetime) else datetime.fromisoformat(str(value))
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def local(moment: datetime) -> str:
    return moment.astimezone(TZ).strftime("%Y-%m-%d %H:%M")


@pytest.mark.timeout(540)
def test_three_weeks_with_easter_and_summer_time(database_url: str, tmp_path: Path) -> None:
    seed(database_url)
    real_start = time.monotonic()
    received: list[tuple[ApiCall, float]] = []
    with LocalSlack(on_call=lambda call: received.append((call, time.time()))) as slack:
        # the clock first: it begins the bot's time, and must be planning before Monday 08:00
        clock_process = subprocess.Popen(
            [sys.executable, "app.py", "clock"],
            cwd=ROOT,
            env=environment(database_url, slack),
            stdout=subprocess.PIPE,
            stderr=(tmp_path / "clock.log").open("w"),
            text=True,
        )
        bot = None
        try:
            assert clock_process.stdout is not None
            assert clock_process.stdout.readline().startswith("EST-bot clock: outbox.send")
            engine = make_engine(database_url)
            began = agree(Database(engine), start=START, rate=RATE, real_now=datetime.now(UTC))
            engine.dispose()
            clock = BotClock(START, RATE, began=began)
            ready = clock.now()
            assert ready < FIRST_MORNING - timedelta(seconds=LAG_REAL) * RATE, (
                f"the clock began late: {ready}"
            )
            bot = start_bot(database_url, slack, **clocked())
            fittja = int(bot.scalar("SELECT id FROM place WHERE name = 'Fittja centrum'"))
            wait_until(clock, datetime(2027, 4, 1, 12, tzinfo=TZ), clock_process)
            report_by_police(bot, fittja)
            wait_until(clock, END, clock_process)
            drain(bot)
        finally:
            clock_process.terminate()
            clock_process.wait(timeout=30)
            if bot is not None:
                bot.process.terminate()
                bot.process.wait(timeout=15)
        slack.assert_accepted()
    real_seconds = time.monotonic() - real_start
    errors = (tmp_path / "clock.log").read_text()
    stamped = [(call, bot_time(began, real)) for call, real in received]
    got = delivered(bot, stamped)
    want = expected()
    counted = Counter((m["kind"], m["to"], local(m["due"])) for m in got)
    # each saved report is posted in the channel when it is saved: the municipality's at the
    # start, the police's on Thursday 1 April at the minute the test sent it
    posts = sorted(k for k in counted.elements() if k[0] == "report.posted")
    assert [(kind, to, when[:10]) for kind, to, when in posts] == [
        ("report.posted", CHANNEL, START.strftime("%Y-%m-%d")),
        ("report.posted", CHANNEL, "2027-04-01"),
    ]
    want.update(posts)
    duplicates = sum(n - 1 for n in counted.values() if n > 1)
    timed = [m for m in got if m["due"] > ready]  # not what was due before the clock was up
    lags = [m["sent_at"] - m["due"] for m in timed]  # the bot's own record of Slack's answer
    late = [
        (f"{(m['sent_at'] - m['due']) / timedelta(minutes=1):.0f} bot min", m["kind"], m["to"])
        for m in sorted(timed, key=lambda m: m["sent_at"] - m["due"])[-3:]
    ]
    joined = {m["ts"] for m in got}
    unjoined = [  # what the fake received that no clock row sent: answers to people
        (c.args.get("channel"), local(bot_time(began, r)), str(c.args.get("text"))[:80])
        for c, r in received
        if c.method == "chat.postMessage" and c.response.get("ts") not in joined
        if bot_time(began, r) <= END
    ]
    most = max(lags, default=timedelta(0))
    print(
        f"\nyear in the life: {sum(want.values())} messages expected, {len(got)} received from "
        f"the clock ({len(unjoined)} answers to people), {duplicates} duplicates, the latest "
        f"sent {most / timedelta(minutes=1):.0f} bot minutes ({most.total_seconds() / RATE:.2f} "
        f"real s) after due, {real_seconds:.0f} real seconds at {RATE}× ({START:%Y-%m-%d} – "
        f"{END:%Y-%m-%d}; the clock was up at {local(ready)}); the latest: {late}"
    )
    assert len(unjoined) == 1, (unjoined, late, errors[-3000:])  # Erik's receipt
    # each of the three lägesbild posts (weeks 12, 13, 14) has its map in its thread: the demo's
    # places have coordinates; uploads are not chat.postMessage, so they are counted here
    pictures = {m["ts"] for m in got if m["kind"] == "cycle.picture"}
    maps = [f for f in slack.files.values() if f.name.startswith("lagesbild-")]
    assert sorted(f.name for f in maps) == [
        f"lagesbild-2027-v{week}-karta.png" for week in (12, 13, 14)
    ], errors[-3000:]
    assert len(pictures) == 3 and {f.thread_ts for f in maps} == pictures
    assert {f.channel for f in maps} == {CHANNEL}
    missing, extra = want - counted, counted - want
    assert not missing and not extra, (
        f"missing: {sorted(missing)}\nextra: {sorted(extra)}\n{errors[-3000:]}"
    )
    for message in got:
        due, when = message["due"], message["received"]
        # the bot records the time of Slack's answer: after the fake received it, and after due
        assert due <= message["sent_at"], message
        assert when - timedelta(minutes=1) <= message["sent_at"], message
        assert message["sent_at"] - when <= timedelta(seconds=LAG_REAL) * RATE, message
        told = message["kind"] in ("action.assigned", "activity.announced")
        if message["kind"] == "report.posted":  # posted as the report is saved, any day
            assert (when - due) / RATE <= timedelta(seconds=LAG_REAL) or due < ready, message
        elif told:  # queued when the action and the activity were saved: sent once the clock is up
            assert ready <= when < FIRST_MORNING, message
        else:  # the rest are due in working hours on working days, and come then
            moment = due.astimezone(TZ)
            assert is_working_day(moment.date()), message
            assert clock_time(7) <= moment.time() < clock_time(18), message
            assert (when - due) / RATE <= timedelta(seconds=LAG_REAL), message

    precise(
        database_url,
        slack_env=lambda slack, env: environment(database_url, slack) | env,
        log=tmp_path / "clock.log",
        started=real_start,
    )


def precise(database_url: str, *, slack_env: Any, log: Path, started: float) -> None:
    """The next week, to the bot minute (``tests.e2e.bot_minutes``)."""
    timed, wrong = [], []
    for window in bot_minutes.windows():
        found = bot_minutes.run_window(window, database_url, slack_env, log)
        wrong += bot_minutes.check(window, found)
        timed += found
    late = max((m.sent_at - m.due for m in timed), default=timedelta(0))
    off = max((abs(m.received - m.sent_at) for m in timed), default=timedelta(0))
    expected_n = sum(len(w.expected) for w in bot_minutes.windows())
    counted = Counter((m.kind, m.to, m.due) for m in timed)
    print(
        f"to the bot minute at {bot_minutes.RATE}×: {expected_n} messages expected in "
        f"{len(bot_minutes.windows())} windows, {len(timed)} received, "
        f"{sum(n - 1 for n in counted.values())} duplicates, the latest sent "
        f"{late.total_seconds():.0f} bot s after its due minute, received within "
        f"{off.total_seconds():.0f} bot s of that; {time.monotonic() - started:.0f} real seconds "
        "in all"
    )
    assert not wrong, (wrong, log.read_text()[-3000:])
