"""The bot's one clock: a simulated time that starts where it is told and runs as fast as told."""

from datetime import UTC, datetime, timedelta

import pytest

from bot.timekeeping import BotClock, FixedClock, MovableClock


class RealTime:
    """A stand-in for the machine's time that moves only when the test says."""

    def __init__(self, at: datetime) -> None:
        self.at = at

    def __call__(self) -> datetime:
        return self.at


REAL = datetime(2026, 12, 6, 22, 0, tzinfo=UTC)
START = datetime(2027, 1, 11, 7, 55, tzinfo=UTC)


def test_real_time_by_default():
    real = RealTime(REAL)
    clock = BotClock(real=real)
    real.at += timedelta(seconds=90)
    assert clock.now() == REAL + timedelta(seconds=90)
    assert not clock.simulated


def test_starts_where_told_and_runs_at_the_rate():
    real = RealTime(REAL)
    clock = BotClock(START, 3600, real=real)
    assert clock.now() == START
    real.at += timedelta(seconds=2.5)  # 2.5 real seconds = 2 h 30 min of bot time
    assert clock.now() == datetime(2027, 1, 11, 10, 25, tzinfo=UTC)
    assert clock.simulated
    assert clock.real_seconds(7200) == 2.0


def test_two_processes_with_the_same_beginning_agree():
    # the `serve` started at 22:00:00 and the `clock` started 1.2 s later, both told (by the
    # database) that this time began at 22:00:00
    serve = BotClock(START, 600, began=REAL, real=RealTime(REAL + timedelta(seconds=10)))
    clock = BotClock(START, 600, began=REAL, real=RealTime(REAL + timedelta(seconds=10)))
    assert serve.now() == clock.now() == START + timedelta(seconds=6000)


def test_advance_moves_forward_never_back():
    real = RealTime(REAL)
    clock = BotClock(START, real=real)
    assert clock.advance(timedelta(days=2)) == START + timedelta(days=2)
    assert clock.advance(timedelta(hours=-5)) == START + timedelta(days=2)
    real.at += timedelta(minutes=1)
    assert clock.now() == START + timedelta(days=2, minutes=1)


def test_a_start_must_carry_its_offset_and_the_rate_be_positive():
    with pytest.raises(ValueError, match="time zone"):
        BotClock(datetime(2027, 1, 11, 7, 55))
    with pytest.raises(ValueError, match="above 0"):
        BotClock(START, 0)


def test_a_fixed_clock_stands_still():
    clock: MovableClock = FixedClock(START)
    assert clock.now() == clock.now() == START
    assert clock.advance(timedelta(hours=3)) == START + timedelta(hours=3)
    assert clock.rate == 1.0
