"""The bot's one clock: every part of the bot asks it what time it is.

In production it is the real time. For staging, demos, training and end-to-end tests it can start
at a chosen instant (``EST_CLOCK_START``) and run faster (``EST_CLOCK_RATE``: bot seconds per real
second); the console moves it forward with ``:spola``. Two processes started together with the
same settings agree, because both count from the real time at which the process started.

This module is the only place in the bot that reads the system's time of day.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Protocol


class Clock(Protocol):
    """What every part of the bot needs of time: the current instant, timezone-aware UTC."""

    def now(self) -> datetime: ...

    @property
    def rate(self) -> float:
        """Bot seconds per real second (1 for the real time)."""
        ...


class MovableClock(Clock, Protocol):
    """A clock that can be moved forward: the console's ``:spola``, scripted runs and tests."""

    def advance(self, step: timedelta) -> datetime: ...


def system_time() -> datetime:
    """The machine's time, in UTC: read here and nowhere else."""
    return datetime.now(UTC)


def monotonic() -> float:
    """Real seconds on a counter that never jumps, for measuring how long something takes or
    how long to wait (Slack's rate limits, caches): never the bot's time."""
    return time.monotonic()


def bot_span(real_seconds: float, rate: float) -> timedelta:
    """How much of the bot's time passes in ``real_seconds`` of real time, at ``rate`` bot
    seconds per real second: what a wait Slack asks for in real seconds (a 30 s Retry-After, an
    outage's backoff, a send's lease) is on the bot's clock, whatever the rate."""
    return timedelta(seconds=real_seconds * rate)


def real_span(bot_seconds: float, rate: float) -> float:
    """How many real seconds ``bot_seconds`` of the bot's time take at ``rate``."""
    return bot_seconds / rate


class ClockSettingError(ValueError):
    """An ``EST_CLOCK_*`` setting that cannot be used; the message names the variable."""


def describe(clock: BotClock) -> str:
    """The line a process logs at start when its time is not the real time."""
    return (
        f"EST_CLOCK: the bot's time is {clock.now().isoformat(timespec='seconds')}, running "
        f"{clock.rate:g}× real time — not the real time; for staging, demos, training and tests"
    )


class BotClock:
    """Real time, or a time that starts at ``start`` and runs ``rate`` times as fast.

    ``advance`` moves it forward (the console's ``:spola``); it never goes backward.
    """

    def __init__(
        self,
        start: datetime | None = None,
        rate: float = 1.0,
        *,
        began: datetime | None = None,
        real: Callable[[], datetime] = system_time,
    ) -> None:
        """``began``: the real instant at which the bot's time was ``start`` (default: now)."""
        if start is not None and start.tzinfo is None:
            raise ValueError("the clock's start must carry a time zone")
        if rate <= 0:
            raise ValueError("the clock's rate must be above 0")
        self._real = real
        self._anchor = began or real()
        self._start = (start or self._anchor).astimezone(UTC)
        self._rate = rate
        self._shift = timedelta(0)
        self._lock = threading.Lock()

    @property
    def rate(self) -> float:
        return self._rate

    @property
    def simulated(self) -> bool:
        """Whether the bot's time differs from the real time (a start, a rate or a shift)."""
        return self._start != self._anchor or self._rate != 1.0 or self._shift != timedelta(0)

    def now(self) -> datetime:
        elapsed = self._real() - self._anchor
        with self._lock:
            shift = self._shift
        return self._start + elapsed * self._rate + shift

    def advance(self, step: timedelta) -> datetime:
        """Move the bot's time forward by ``step`` (at least nothing); the new time."""
        with self._lock:
            self._shift += max(step, timedelta(0))
        return self.now()

    def real_seconds(self, bot_seconds: float) -> float:
        """How long, in real seconds, ``bot_seconds`` of the bot's time take."""
        return real_span(bot_seconds, self._rate)


class FixedClock:
    """A clock that stands still until told to move: for tests and scripted runs."""

    def __init__(self, at: datetime) -> None:
        if at.tzinfo is None:
            raise ValueError("a fixed clock's time must carry a time zone")
        self._at = at.astimezone(UTC)

    def now(self) -> datetime:
        return self._at

    def set(self, at: datetime) -> None:
        self._at = at.astimezone(UTC)

    def advance(self, step: timedelta) -> datetime:
        self._at += max(step, timedelta(0))
        return self._at

    def real_seconds(self, bot_seconds: float) -> float:
        return bot_seconds

    @property
    def rate(self) -> float:
        return 1.0


def read_start(text: str | None) -> datetime | None:
    if text is None or not text.strip():
        return None
    try:
        at = datetime.fromisoformat(text.strip())
    except ValueError:
        at = None
    if at is None or at.tzinfo is None:
        raise ClockSettingError(
            "EST_CLOCK_START: expected an ISO 8601 instant with an offset such as "
            f"2027-01-11T07:55:00+01:00, got {text!r}"
        )
    return at


def read_rate(text: str | None) -> float:
    if text is None or not text.strip():
        return 1.0
    try:
        rate = float(text.strip())
    except ValueError:
        rate = float("nan")
    if not rate > 0 or rate == float("inf"):
        raise ClockSettingError(
            "EST_CLOCK_RATE: expected bot seconds per real second, a number above 0 such as 1 "
            f"or 3600, got {text!r}"
        )
    return rate
