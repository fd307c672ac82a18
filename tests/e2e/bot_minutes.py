"""The year in the life, to the bot minute: short windows of the bot's time run slowly.

At 14 400× one real second is four bot hours, so what two busy processes on a shared machine
take to plan, claim and send (a tenth of a second to a second) is half an hour to hours of bot
time: the three weeks can be counted at that rate, not timed. After them, the clock is started
again in short new timelines at 60× (a bot minute a real second) around the next week's moments,
and each message due inside a window must be sent (the bot's own record of when Slack answered,
``outbox.sent_at``) and received by the fake (its real receive time on the window's bot time)
within ``TOLERANCE`` of its due minute.

Week 16 of 2027 (Monday 19 – Sunday 25 April, summer time, no holidays), worked out by hand from
the group's defaults: nobody has reported for Tuesday 20 April's meeting, so on Monday 19 April
at 08:00 the summary of week 15 goes to the channel and the call for reports to the channel and
the four reporters (24 hours before the 15:00 deadline is Sunday: moved to Monday's first working
moment); at 12:00 (3 hours before the deadline) the nudge to the four; the action due on
26 March is reminded weekly on Tuesdays at 08:00; the lägesbild is posted at the meeting, 09:00.
"""

from __future__ import annotations

import subprocess
import sys
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from handlers.local.localslack import ApiCall, LocalSlack
from storage.clock import agree
from storage.db import Database, make_engine

TZ = ZoneInfo("Europe/Stockholm")
RATE = 60  # a bot minute a real second
TOLERANCE = timedelta(minutes=3)  # three real seconds for a busy machine to plan, claim, send
LEAD = timedelta(minutes=2)  # each window begins this long before its first moment
TAIL = timedelta(minutes=4)  # and ends this long after its last
CHANNEL, REPORTERS = "C0EST", ("U0ANNA", "U0ERIK", "U0SARA", "U0OMAR")


@dataclass(frozen=True)
class Window:
    due: datetime  # local: the moment every message of the window is due
    expected: tuple[tuple[str, str], ...]  # (kind, recipient)

    @property
    def start(self) -> datetime:
        return self.due - LEAD

    @property
    def end(self) -> datetime:
        return self.due + TAIL


def windows() -> tuple[Window, ...]:
    def day(d: int, hh: int) -> datetime:
        return datetime(2027, 4, d, hh, 0, tzinfo=TZ)

    calls = tuple(("cycle.call", r) for r in (CHANNEL, *REPORTERS))
    return (
        Window(day(19, 8), (("summary.post", CHANNEL), *calls)),
        Window(day(19, 12), tuple(("cycle.nudge", r) for r in REPORTERS)),
        Window(day(20, 8), (("action.reminder", "U0ERIK"),)),
        Window(day(20, 9), (("cycle.picture", CHANNEL),)),
    )


@dataclass(frozen=True)
class Timed:
    kind: str
    to: str
    due: datetime
    sent_at: datetime  # the bot's time at Slack's answer, as the bot recorded it
    received: datetime  # the fake's receive time, on the window's bot time


def run_window(
    window: Window,
    database_url: str,
    environment: Callable[[LocalSlack, dict[str, str]], dict[str, str]],
    log: Path,
) -> list[Timed]:
    """Start the clock in a new timeline at ``window.start``, at 60×; stop it at the end."""
    received: list[tuple[ApiCall, float]] = []
    with LocalSlack(on_call=lambda call: received.append((call, time.time()))) as slack:
        clocked = {"EST_CLOCK_START": window.start.isoformat(), "EST_CLOCK_RATE": str(RATE)}
        process = subprocess.Popen(
            [sys.executable, "app.py", "clock"],
            cwd=Path(__file__).resolve().parents[2],
            env=environment(slack, clocked),
            stdout=subprocess.PIPE,
            stderr=log.open("a"),
            text=True,
        )
        try:
            assert process.stdout is not None
            assert process.stdout.readline().startswith("EST-bot clock: outbox.send")
            engine = make_engine(database_url)
            began = agree(Database(engine), start=window.start, rate=RATE, real_now=_real())
            engine.dispose()
            remaining = (window.end - window.start) / RATE - (_real() - began)
            time.sleep(max(0.0, remaining.total_seconds()))
            assert process.poll() is None, "the clock process stopped"
        finally:
            process.terminate()
            process.wait(timeout=30)
        slack.assert_accepted()
    return _joined(window, database_url, received, began)


def check(window: Window, timed: list[Timed]) -> list[str]:
    """What is wrong with a window's messages: missing, extra, early or late ones."""
    got = Counter((m.kind, m.to) for m in timed)
    wrong = [f"missing {k}" for k in Counter(window.expected) - got]
    wrong += [f"extra {k}" for k in got - Counter(window.expected)]
    for m in timed:
        if not m.due <= m.sent_at <= m.due + TOLERANCE:
            wrong.append(f"{m.kind} to {m.to} due {m.due:%H:%M} sent {m.sent_at:%H:%M:%S}")
        if abs(m.received - m.sent_at) > TOLERANCE:
            wrong.append(f"{m.kind} to {m.to} received {m.received:%H:%M:%S}")
    return wrong


def _joined(
    window: Window, database_url: str, received: list[tuple[ApiCall, float]], began: datetime
) -> list[Timed]:
    """The window's messages: the fake's posts joined by Slack's ts to the rows due in it."""
    engine = make_engine(database_url)
    with engine.connect() as conn:
        rows = conn.exec_driver_sql(
            "SELECT kind, recipient, next_attempt_at, sent_at, slack_ts FROM outbox"
            " WHERE status = 'sent'"
        ).all()
    engine.dispose()
    start, end = window.start.astimezone(UTC), window.end.astimezone(UTC)
    # each window's fake Slack counts its ts from the start again: only this window's rows
    by_ts = {row.slack_ts: row for row in rows if start < _aware(row.next_attempt_at) <= end}
    timed = []
    for call, real in received:
        row = by_ts.get(call.response.get("ts"))
        if call.method == "chat.postMessage" and row is not None:
            at = start + (datetime.fromtimestamp(real, UTC) - began) * RATE
            due = _aware(row.next_attempt_at)
            timed.append(Timed(row.kind, row.recipient, due, _aware(row.sent_at), at))
    return timed


def _real() -> datetime:
    return datetime.now(UTC)  # the real time: the windows' anchor is the real instant


def _aware(value: Any) -> datetime:
    moment = value if isinstance(value, datetime) else datetime.fromisoformat(str(value))
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)
